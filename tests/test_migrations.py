"""Migrations build exactly the schema of hackathon/tables.py; a stale database is refused."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from hackathon.db import Database
from hackathon.errors import DatabaseNotMigrated
from hackathon.migrate import (
    alembic_config,
    current_revision,
    ensure_migrated,
    head_revision,
    upgrade_async,
)
from hackathon.tables import metadata

PG_CONSTRAINTS = text(
    "SELECT c.relname, k.conname, k.contype::text, pg_get_constraintdef(k.oid) "
    "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
    "JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = :schema"
)
PG_INDEXES = text(
    "SELECT tablename, indexname, replace(indexdef, :schema || '.', '') "
    "FROM pg_indexes WHERE schemaname = :schema"
)


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, metadata))


def _sqlite_schema(path: str) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name != 'alembic_version' "
            "AND name NOT LIKE 'sqlite_autoindex_%'"
        ).fetchall()
    conn.close()
    return set(rows)


async def test_migrations_match_tables_metadata(database: Database):
    async with database.read() as conn:
        diff = await conn.run_sync(_diff)

    assert diff == []


async def test_migrations_create_every_table_and_nothing_else(database: Database):
    async with database.read() as conn:
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))

    assert tables == set(metadata.tables) | {"alembic_version"}


async def test_migrated_sqlite_schema_is_the_create_all_schema(sqlite_url: str, tmp_path: Path):
    expected_path = tmp_path / "create_all.db"
    engine = create_async_engine(f"sqlite+aiosqlite:///{expected_path}")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()

    migrated = _sqlite_schema(sqlite_url.removeprefix("sqlite+aiosqlite:///"))

    assert migrated == _sqlite_schema(str(expected_path))
    assert len(migrated) == len(metadata.tables) + 6  # the six explicit indexes


async def _pg_schema(
    conn: object, schema: str
) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    constraints = await conn.execute(PG_CONSTRAINTS, {"schema": schema})  # type: ignore[attr-defined]
    indexes = await conn.execute(PG_INDEXES, {"schema": schema})  # type: ignore[attr-defined]
    found = {tuple(row) for row in constraints}, {tuple(row) for row in indexes}
    # The definitions of foreign keys name the referenced table with its schema.
    return (
        {tuple(str(v).replace(f"{schema}.", "") for v in row) for row in found[0]},
        {row for row in found[1] if row[0] != "alembic_version"},
    )


@pytest.mark.postgres
async def test_migrated_postgres_constraints_are_the_create_all_constraints(postgres_url: str):
    engine = create_async_engine(postgres_url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE SCHEMA expected"))
        expected_conn = await conn.execution_options(schema_translate_map={None: "expected"})
        await expected_conn.run_sync(metadata.create_all)
        migrated = await _pg_schema(conn, "public")
        expected = await _pg_schema(conn, "expected")
    await engine.dispose()

    migrated_constraints = {row for row in migrated[0] if row[0] != "alembic_version"}
    assert migrated_constraints == expected[0]
    assert migrated[1] == expected[1]
    assert {row[1] for row in migrated_constraints if row[2] == "c"} == {
        "ck_events_dates_ordered",
        "ck_sites_capacity_not_negative",
        "ck_sites_country_upper",
        "ck_users_email_casefolded",
        "ck_users_known_locale",
        "ck_user_roles_known_role",
        "ck_consents_known_purpose",
        "ck_tokens_known_purpose",
        "ck_mail_log_known_purpose",
    }


async def test_ensure_migrated_accepts_a_migrated_database(database: Database):
    await ensure_migrated(database)

    assert await current_revision(database) == head_revision()


async def test_ensure_migrated_refuses_an_empty_database_and_names_the_command(
    unmigrated_sqlite_url: str,
):
    db = Database(unmigrated_sqlite_url)
    try:
        with pytest.raises(DatabaseNotMigrated) as raised:
            await ensure_migrated(db)
    finally:
        await db.dispose()

    path = unmigrated_sqlite_url.removeprefix("sqlite+aiosqlite:///")
    assert str(raised.value) == (
        f"The database at sqlite+aiosqlite:///{path} is not up to date "
        f"(revision none: empty database, code expects {head_revision()}). "
        "Run: hackathon migrate"
    )


async def test_upgrade_brings_an_empty_database_to_head(unmigrated_sqlite_url: str):
    await upgrade_async(unmigrated_sqlite_url)
    await upgrade_async(unmigrated_sqlite_url)  # a second run changes nothing

    db = Database(unmigrated_sqlite_url)
    try:
        await ensure_migrated(db)
        async with db.read() as conn:
            diff = await conn.run_sync(_diff)
    finally:
        await db.dispose()
    assert diff == []


async def test_migrations_downgrade_to_empty_and_upgrade_again(db_url: str):
    config = alembic_config(db_url)

    await asyncio.to_thread(command.downgrade, config, "base")
    db = Database(db_url)
    try:
        async with db.read() as conn:
            tables_after_downgrade = await conn.run_sync(
                lambda sync: set(inspect(sync).get_table_names())
            )
        await upgrade_async(db_url)
        await ensure_migrated(db)
    finally:
        await db.dispose()

    assert tables_after_downgrade == {"alembic_version"}


def test_upgrade_works_from_any_directory(unmigrated_sqlite_url: str, tmp_path: Path):
    code = "import sys; from hackathon.migrate import upgrade; upgrade(sys.argv[1])"

    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code, unmigrated_sqlite_url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")
    path = unmigrated_sqlite_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    conn.close()
    assert version == [(head_revision(),)]


def test_offline_upgrade_renders_the_postgresql_script(capsys: pytest.CaptureFixture[str]):
    config = alembic_config("postgresql+asyncpg://hackathon@db.example.org/hackathon")

    command.upgrade(config, "head", sql=True)

    script = capsys.readouterr().out
    assert script.startswith("BEGIN;")
    assert "CONSTRAINT ck_users_email_casefolded CHECK (email = lower(email))" in script
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in script
    assert (
        f"UPDATE alembic_version SET version_num='{head_revision()}' "
        "WHERE alembic_version.version_num = '0001'"
    ) in script
    assert script.rstrip().endswith("COMMIT;")
