"""Database fixtures shared by the whole suite.

Every test gets a fresh, migrated database, and data-layer tests run against
SQLite and PostgreSQL alike. Migrations run once per session into a template:
a SQLite file copied per test; a PostgreSQL template database cloned with
CREATE DATABASE ... TEMPLATE, whose clones are emptied and reused while their
schema is untouched (see tests/pg.py), so a fresh database costs milliseconds.

Fixture names are a contract other test modules build on: ``sqlite_url``,
``postgres_url``, ``db_url`` (parametrised, ids "sqlite" and "postgresql"),
``database`` and ``unmigrated_sqlite_url``.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from hackathon.db import Database
from hackathon.migrate import upgrade
from tests.pg import Cluster, DatabaseFactory, admin_sql, find_bin_dir, start_cluster

pytest_plugins = ["tests.web_fixtures"]

PG_BIN_DIR = find_bin_dir()
PG_MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found in PATH or /usr/lib/postgresql/*/bin; "
    "install the 'postgresql' package to run the PostgreSQL half of the data-layer tests"
)
PG_TEMPLATE = "hackathon_template"


def in_own_thread(function: Any, *args: Any) -> Any:
    """Run blocking set-up (Alembic starts its own event loop) away from pytest-asyncio's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    in_own_thread(upgrade, f"sqlite+aiosqlite:///{path}")
    # Fold the WAL into the main file so that copying one file copies everything.
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated SQLite database file for this test."""
    target = tmp_path / "hackathon.db"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture
def unmigrated_sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite file: what a new install has before `hackathon migrate`."""
    target = tmp_path / "unmigrated.db"
    target.touch()
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    if PG_BIN_DIR is None:
        pytest.skip(PG_MISSING)
    cluster = start_cluster(PG_BIN_DIR)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster) -> str:
    admin_sql(pg_cluster, f"CREATE DATABASE {PG_TEMPLATE}")
    in_own_thread(upgrade, pg_cluster.url(PG_TEMPLATE))
    return PG_TEMPLATE


@pytest.fixture(scope="session")
def pg_databases(pg_cluster: Cluster, pg_template: str) -> DatabaseFactory:
    return DatabaseFactory(pg_cluster, pg_template)


@pytest.fixture
def postgres_url(pg_cluster: Cluster, pg_databases: DatabaseFactory) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test, emptied for reuse afterwards."""
    name = pg_databases.take()
    yield pg_cluster.url(name)
    pg_databases.recycle(name)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated database URL, once per engine."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    """The app's Database on a fresh database, disposed after the test."""
    db = Database(db_url)
    try:
        yield db
    finally:
        await db.dispose()
