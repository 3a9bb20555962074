"""Server-side sessions: creation, rotation, timeouts, ending (SECURITY.md B6-B9).

The cookie carries a random id of 256 bits; the table stores only its SHA-256,
so a leaked copy of the table cannot be replayed as cookies. A session's
lifecycle: created anonymous (to carry a CSRF token for the login form), replaced
by a new id at login, touched while used, deleted at logout, at password change
or reset, when the user's roles change, or when it times out.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.queries import sessions as q
from hackathon.queries.sessions import SessionRow

STAFF_ROLES = frozenset({"organizer", "juror", "jury_chair"})
STAFF_IDLE = timedelta(minutes=30)
STAFF_ABSOLUTE = timedelta(hours=12)
PARTICIPANT_IDLE = timedelta(hours=3)
# Participants stay signed in through the whole hackathon weekend, not longer.
PARTICIPANT_ABSOLUTE = timedelta(days=7)
# Writing last_seen_at on every request would make every page view a write; idle
# timeouts are measured in minutes, so a minute of slack costs nothing.
TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class NewSession:
    """A session just created: ``cookie_value`` goes to the browser, never to the database."""

    cookie_value: str
    id_hash: str
    csrf_token: str


def hash_session_id(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


def new_session_values() -> NewSession:
    cookie_value = secrets.token_urlsafe(32)
    return NewSession(
        cookie_value=cookie_value,
        id_hash=hash_session_id(cookie_value),
        csrf_token=secrets.token_urlsafe(32),
    )


def timeouts_for(roles: frozenset[str]) -> tuple[timedelta, timedelta]:
    """(idle, absolute) limits: staff can see other people's data, so their sessions end sooner."""
    if roles & STAFF_ROLES:
        return STAFF_IDLE, STAFF_ABSOLUTE
    return PARTICIPANT_IDLE, PARTICIPANT_ABSOLUTE


def is_expired(session: SessionRow, roles: frozenset[str], *, now: datetime) -> bool:
    idle, absolute = timeouts_for(roles)
    return now - session.last_seen_at > idle or now - session.created_at > absolute


def needs_touch(session: SessionRow, *, now: datetime) -> bool:
    return now - session.last_seen_at >= TOUCH_INTERVAL


async def store_session(
    conn: AsyncConnection, values: NewSession, *, user_id: int | None, now: datetime
) -> None:
    """Insert a session row for ``values`` (anonymous when ``user_id`` is None)."""
    await q.insert_session(
        conn, id_hash=values.id_hash, user_id=user_id, csrf_token=values.csrf_token, now=now
    )


async def rotate_session(
    conn: AsyncConnection, *, old_id_hash: str | None, user_id: int, now: datetime
) -> NewSession:
    """Replace the current session by a fresh id for ``user_id``: the old id is refused after.

    Also drops every session idle past the longest idle limit, so abandoned anonymous
    visits do not pile up; logins are frequent enough to keep the table small.
    """
    await q.delete_sessions_seen_before(conn, now - PARTICIPANT_IDLE)
    if old_id_hash is not None:
        await q.delete_session(conn, old_id_hash)
    values = new_session_values()
    await store_session(conn, values, user_id=user_id, now=now)
    return values


async def end_session(conn: AsyncConnection, id_hash: str) -> None:
    await q.delete_session(conn, id_hash)


async def end_user_sessions(
    conn: AsyncConnection, user_id: int, *, except_hash: str | None = None
) -> None:
    """Sign the user out everywhere (but in ``except_hash``, the session asking)."""
    await q.delete_user_sessions(conn, user_id, except_hash=except_hash)
