"""The PostgreSQL test fixtures hand every test a database as good as a fresh clone."""

from __future__ import annotations

import asyncpg
import pytest

from tests.pg import Cluster, DatabaseFactory

pytestmark = pytest.mark.postgres

INSERT_EVENT = (
    "INSERT INTO events (slug, name, starts_on, ends_on) "
    "VALUES ('e', 'Event', '2027-03-12', '2027-03-14') RETURNING id"
)


async def _fetch(cluster: Cluster, database: str, query: str) -> list[tuple[object, ...]]:
    conn = await asyncpg.connect(cluster.dsn(database))
    try:
        return [tuple(row) for row in await conn.fetch(query)]
    finally:
        await conn.close()


async def test_recycled_database_is_empty_and_restarts_its_ids(
    pg_cluster: Cluster, pg_databases: DatabaseFactory
):
    name = pg_databases.take()
    await _fetch(pg_cluster, name, INSERT_EVENT)
    await _fetch(pg_cluster, name, INSERT_EVENT.replace("'e'", "'f'"))

    pg_databases.recycle(name)
    again = pg_databases.take()
    try:
        rows_left = await _fetch(pg_cluster, again, "SELECT id FROM events")
        next_id = await _fetch(pg_cluster, again, INSERT_EVENT)
    finally:
        pg_databases.recycle(again)

    assert (again, rows_left, next_id) == (name, [], [(1,)])


async def test_database_with_changed_schema_is_dropped_not_reused(
    pg_cluster: Cluster, pg_databases: DatabaseFactory
):
    name = pg_databases.take()
    await _fetch(pg_cluster, name, "CREATE TABLE stray (id integer)")

    pg_databases.recycle(name)
    fresh = pg_databases.take()
    pg_databases.recycle(fresh)

    assert fresh != name
    assert (
        await _fetch(
            pg_cluster, "postgres", f"SELECT datname FROM pg_database WHERE datname = '{name}'"
        )
        == []
    )
