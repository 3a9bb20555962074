"""Connection settings of the real engines from hackathon/db.py (SECURITY.md F24)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError

from hackathon.db import Database, safe_url
from hackathon.tables import login_failures

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
    "synchronous": 1,  # NORMAL
    "secure_delete": 1,
}


async def _pragmas(conn: object) -> dict[str, object]:
    return {
        name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()  # type: ignore[attr-defined]
        for name in SQLITE_PRAGMAS
    }


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite+aiosqlite:///")


async def test_sqlite_write_connection_has_the_required_pragmas(sqlite_url: str):
    db = Database(sqlite_url)
    try:
        async with db.write() as conn:
            found = await _pragmas(conn)
    finally:
        await db.dispose()

    assert found == SQLITE_PRAGMAS


async def test_sqlite_read_connections_have_the_required_pragmas(sqlite_url: str):
    db = Database(sqlite_url)
    try:
        async with db.read() as first, db.read() as second:
            found = [await _pragmas(first), await _pragmas(second)]
    finally:
        await db.dispose()

    assert found == [SQLITE_PRAGMAS, SQLITE_PRAGMAS]


async def test_sqlite_write_transaction_starts_with_begin_immediate(sqlite_url: str):
    db = Database(sqlite_url)
    statements: list[str] = []
    event.listen(
        db.write_engine.sync_engine,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_args: statements.append(statement),
    )
    try:
        async with db.write() as conn:
            await conn.execute(select(login_failures.c.id))
    finally:
        await db.dispose()

    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements.count("BEGIN IMMEDIATE") == 1


async def test_sqlite_write_transaction_holds_the_write_lock_before_its_first_write(
    sqlite_url: str,
):
    db = Database(sqlite_url)
    other = sqlite3.connect(_sqlite_path(sqlite_url), timeout=0, isolation_level=None)
    try:
        async with db.write():
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()
        await db.dispose()


async def test_sqlite_read_transaction_leaves_the_write_lock_free(sqlite_url: str):
    db = Database(sqlite_url)
    other = sqlite3.connect(_sqlite_path(sqlite_url), timeout=0, isolation_level=None)
    try:
        async with db.read() as conn:
            await conn.execute(select(login_failures.c.id))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()
        await db.dispose()


async def test_sqlite_writes_go_through_a_single_connection(sqlite_url: str):
    db = Database(sqlite_url)
    order: list[str] = []
    first_inside = asyncio.Event()

    async def writer(name: str) -> None:
        async with db.write():
            order.append(f"{name} begins")
            first_inside.set()
            await asyncio.sleep(0.05)  # gives the other writer every chance to overtake
            order.append(f"{name} commits")

    try:
        first = asyncio.create_task(writer("first"))
        await first_inside.wait()
        await asyncio.gather(first, writer("second"))
    finally:
        await db.dispose()

    assert order == ["first begins", "first commits", "second begins", "second commits"]


async def test_read_connection_refuses_writes(database: Database):
    with pytest.raises((OperationalError, DBAPIError)) as raised:
        async with database.read() as conn:
            await conn.execute(
                insert(login_failures).values(email="a@example.org", ip="::1", failed_at=_now())
            )

    assert "readonly" in str(raised.value).replace("-", "").replace(" ", "").lower()
    async with database.read() as conn:
        assert (await conn.execute(select(login_failures.c.id))).all() == []


@pytest.mark.postgres
async def test_postgres_read_is_read_only_and_write_is_one_read_write_transaction(
    postgres_url: str,
):
    db = Database(postgres_url)
    try:
        # Read first: the read-only flag must not stick to the pooled connection.
        async with db.read() as conn:
            read_only_on_read = (await conn.execute(text("SHOW transaction_read_only"))).scalar()
        async with db.write() as conn:
            read_only = (await conn.execute(text("SHOW transaction_read_only"))).scalar()
            first = (await conn.execute(text("SELECT txid_current()"))).scalar()
            second = (await conn.execute(text("SELECT txid_current()"))).scalar()
        pooled = db.write_engine.pool.checkedin()
    finally:
        await db.dispose()

    assert (read_only_on_read, read_only, first == second, pooled) == ("on", "off", True, 1)


async def test_timestamps_come_back_as_aware_utc(database: Database):
    paris_noon = datetime(2027, 3, 12, 12, 0, tzinfo=timezone(timedelta(hours=1)))

    async with database.write() as conn:
        await conn.execute(
            insert(login_failures).values(email="a@example.org", ip="::1", failed_at=paris_noon)
        )
    async with database.read() as conn:
        stored = (await conn.execute(select(login_failures.c.failed_at))).scalar_one()

    assert stored == datetime(2027, 3, 12, 11, 0, tzinfo=UTC)
    assert stored.tzinfo == UTC


async def test_naive_timestamps_are_refused(database: Database):
    with pytest.raises(StatementError, match="naive datetime"):
        async with database.write() as conn:
            await conn.execute(
                insert(login_failures).values(
                    email="a@example.org", ip="::1", failed_at=datetime(2027, 3, 12, 12, 0)
                )
            )


def test_safe_url_drops_the_password():
    url = "postgresql+asyncpg://hackathon:s3cr%40t@db.example.org:5432/hackathon"

    assert safe_url(url) == "postgresql+asyncpg://hackathon@db.example.org:5432/hackathon"


async def test_database_creates_the_directory_of_a_new_sqlite_file(tmp_path: Path):
    path = tmp_path / "new" / "dir" / "hackathon.db"

    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.write() as conn:
            await conn.exec_driver_sql("CREATE TABLE probe (id INTEGER)")
    finally:
        await db.dispose()

    assert path.is_file()


def _now() -> datetime:
    return datetime.now(UTC)
