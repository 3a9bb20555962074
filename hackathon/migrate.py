"""Schema migrations: upgrade a database, and refuse to run on one that is behind.

Alembic is configured from code, with the scripts next to this module, so
``hackathon migrate`` works from an installed package in any directory.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from hackathon.db import Database, safe_url
from hackathon.errors import DatabaseNotMigrated

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATE_COMMAND = "hackathon migrate"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for ``database_url``, without any alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would eat a "%" in a URL-encoded password.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at ``database_url`` up to ``revision``; for synchronous callers."""
    command.upgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    """``upgrade`` for callers inside an event loop (Alembic runs its own loop)."""
    await asyncio.to_thread(upgrade, database_url, revision)


def head_revision() -> str:
    """The revision the code expects."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "hackathon/migrations/versions holds no revision"
    return head


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(db: Database) -> str | None:
    """The revision the database is at; None for an empty database."""
    async with db.read() as conn:
        return await conn.run_sync(_current_revision)


async def ensure_migrated(db: Database) -> None:
    """Raise DatabaseNotMigrated unless the database is at the code's head revision."""
    current = await current_revision(db)
    expected = head_revision()
    if current != expected:
        raise DatabaseNotMigrated(
            f"The database at {safe_url(db.url)} is not up to date "
            f"(revision {current or 'none: empty database'}, code expects {expected}). "
            f"Run: {MIGRATE_COMMAND}"
        )
