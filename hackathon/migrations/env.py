"""Alembic environment: async engines, batch mode on SQLite, one transaction per upgrade.

Configured from code (hackathon.migrate.alembic_config), so it works from an
installed package whatever the current directory. A caller that already holds a
synchronous connection passes it as ``config.attributes["connection"]``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from hackathon.db import create_migration_engine
from hackathon.tables import UtcDateTime, metadata

config = context.config


def _configure(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
        render_as_batch=is_sqlite,
        # Our SQLite connections start transactions themselves (BEGIN IMMEDIATE),
        # so the DDL of a whole upgrade is atomic there as well.
        transactional_ddl=True,
        compare_type=True,
        compare_server_default=True,
        render_item=_render_item,
    )


def _render_item(type_: str, obj: Any, _autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations must not import the app: its UTC wrapper is a plain aware DateTime.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            _check_foreign_keys(connection)


def _check_foreign_keys(connection: Connection) -> None:
    # Foreign keys are off during SQLite migrations; verify before committing.
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if violations:
        raise RuntimeError(f"migration left rows with broken foreign keys: {violations[:5]}")


async def _run_async() -> None:
    engine = create_migration_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def _run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
elif (connection := config.attributes.get("connection")) is not None:
    _run(connection)
else:
    asyncio.run(_run_async())
