"""Engines and connection helpers.

SQLite (the embedded default) gets two engines over the same file: a small pool
for reads, and a single writer connection (a pool of one) whose transactions
start with BEGIN IMMEDIATE, so that "read, check, then write" inside one
transaction can never be overtaken by another writer and never fails with
"database is locked" half-way. PostgreSQL uses one pool for both; its read
transactions are declared READ ONLY.

Read connections refuse writes on both engines, so a write that slipped into
``read()`` fails loudly in tests instead of racing in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA secure_delete=ON",
)
MIGRATION_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=OFF",
)
READ_POOL_SIZE = 4
POSTGRES_POOL_SIZE = 10


def _pragma_listener(pragmas: tuple[str, ...]) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: the "begin" hook below decides how a
        # transaction starts, instead of Python's sqlite3 starting it late
        # (just before the first write, which is what makes read-then-write
        # transactions fail with "database is locked").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    return on_connect


def _begin_immediate(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def _sqlite_engine(url: str, *, pool_size: int, writer: bool) -> AsyncEngine:
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=30,
        connect_args={"timeout": 5.0},
    )
    pragmas = SQLITE_PRAGMAS if writer else (*SQLITE_PRAGMAS, "PRAGMA query_only=ON")
    event.listen(engine.sync_engine, "connect", _pragma_listener(pragmas))
    event.listen(engine.sync_engine, "begin", _begin_immediate if writer else _begin_deferred)
    return engine


class Database:
    """The application's handle on its database: ``read()`` and ``write()`` connections."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            _ensure_sqlite_directory(url)
            self.write_engine = _sqlite_engine(url, pool_size=1, writer=True)
            self.read_engine = _sqlite_engine(url, pool_size=READ_POOL_SIZE, writer=False)
        else:
            self.write_engine = create_async_engine(
                url, pool_size=POSTGRES_POOL_SIZE, max_overflow=POSTGRES_POOL_SIZE
            )
            # Same pool; the option makes each read transaction READ ONLY.
            self.read_engine = self.write_engine.execution_options(postgresql_readonly=True)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads, inside a transaction; any write through it is refused."""
        async with self.read_engine.connect() as conn, conn.begin():
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: committed when the block ends, rolled back on any error.

        Never open a second ``write()`` inside one: on SQLite the writer is a
        pool of one, so the inner block would wait on the outer one until the
        pool gives up (pool_timeout).
        """
        async with self.write_engine.begin() as conn:
            yield conn

    async def dispose(self) -> None:
        await self.write_engine.dispose()
        if self.is_sqlite:
            await self.read_engine.dispose()


def _ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def safe_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parsed = make_url(url)
    # URL.set(password=None) means "leave unchanged", so build the URL anew.
    without = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return without.render_as_string(hide_password=False)


def create_migration_engine(url: str) -> AsyncEngine:
    """An engine for Alembic: one connection, the whole upgrade in one transaction.

    On SQLite foreign keys stay off while tables are rebuilt in batch mode (SQLite
    cannot switch them inside a transaction, and a rebuild would cascade deletes);
    the migration checks them itself before committing.
    """
    engine = create_async_engine(url, poolclass=NullPool)
    if url.startswith("sqlite"):
        _ensure_sqlite_directory(url)
        event.listen(engine.sync_engine, "connect", _pragma_listener(MIGRATION_PRAGMAS))
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine
