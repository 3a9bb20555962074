"""SQL for server-side sessions. Rows are keyed by the SHA-256 of the cookie value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.tables import sessions


@dataclass(frozen=True)
class SessionRow:
    id_hash: str
    user_id: int | None
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def insert_session(
    conn: AsyncConnection, *, id_hash: str, user_id: int | None, csrf_token: str, now: datetime
) -> None:
    await conn.execute(
        sessions.insert().values(
            id_hash=id_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=now,
            last_seen_at=now,
        )
    )


async def get_session(conn: AsyncConnection, id_hash: str) -> SessionRow | None:
    row = (
        await conn.execute(
            select(
                sessions.c.id_hash,
                sessions.c.user_id,
                sessions.c.csrf_token,
                sessions.c.created_at,
                sessions.c.last_seen_at,
            ).where(sessions.c.id_hash == id_hash)
        )
    ).one_or_none()
    if row is None:
        return None
    return SessionRow(
        id_hash=row.id_hash,
        user_id=row.user_id,
        csrf_token=row.csrf_token,
        created_at=as_utc(row.created_at),
        last_seen_at=as_utc(row.last_seen_at),
    )


async def touch_session(conn: AsyncConnection, id_hash: str, *, now: datetime) -> None:
    await conn.execute(
        update(sessions).where(sessions.c.id_hash == id_hash).values(last_seen_at=now)
    )


async def delete_session(conn: AsyncConnection, id_hash: str) -> None:
    await conn.execute(delete(sessions).where(sessions.c.id_hash == id_hash))


async def delete_user_sessions(
    conn: AsyncConnection, user_id: int, *, except_hash: str | None = None
) -> None:
    statement = delete(sessions).where(sessions.c.user_id == user_id)
    if except_hash is not None:
        statement = statement.where(sessions.c.id_hash != except_hash)
    await conn.execute(statement)


async def delete_sessions_seen_before(conn: AsyncConnection, moment: datetime) -> None:
    await conn.execute(delete(sessions).where(sessions.c.last_seen_at < moment))
