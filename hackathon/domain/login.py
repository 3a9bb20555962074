"""Logging in: throttling, constant-work checks, session rotation (SECURITY.md A1, A3, A4, B7).

Unlike other domain functions this one takes the Database rather than one
connection: the password check runs in a worker thread between a read and a
write, and must not hold SQLite's single write lock for its 50 ms.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hackathon import passwords
from hackathon.db import Database
from hackathon.domain.sessions import NewSession, rotate_session
from hackathon.errors import TooManyRequests
from hackathon.queries import accounts as q

# Per account and address: enough for honest typos, too few for guessing.
IP_WINDOW = timedelta(minutes=15)
IP_LIMIT = 10
# Per account from anywhere: caps a distributed guess, and slides, so it never locks forever.
ACCOUNT_WINDOW = timedelta(hours=1)
ACCOUNT_LIMIT = 100


async def check_throttle(db: Database, *, email: str, ip: str, now: datetime) -> None:
    """Raise TooManyRequests when this account+address, or this account, failed too often."""
    async with db.read() as conn:
        from_ip = await q.count_login_failures(conn, email=email, ip=ip, since=now - IP_WINDOW)
        overall = await q.count_login_failures(conn, email=email, since=now - ACCOUNT_WINDOW)
    if from_ip >= IP_LIMIT or overall >= ACCOUNT_LIMIT:
        raise TooManyRequests(email)


async def log_in(
    db: Database,
    *,
    email: str,
    password: str,
    ip: str,
    old_id_hash: str | None,
    now: datetime,
) -> NewSession | None:
    """A new session for the account, or None (recorded as a failure) when the pair is wrong.

    Unknown addresses cost the same argon2 verify as known ones, so neither the answer
    nor its timing tells whether an account exists.
    """
    await check_throttle(db, email=email, ip=ip, now=now)
    async with db.read() as conn:
        user = await q.find_user_by_email(conn, email)
    if user is None:
        ok = await passwords.verify_dummy(password)
    else:
        ok = await passwords.verify_password(user.password_hash, password) and not user.disabled
    new_hash = None
    if user is not None and ok and passwords.needs_rehash(user.password_hash):
        new_hash = await passwords.hash_password(password)
    async with db.write() as conn:
        if user is None or not ok:
            await q.insert_login_failure(conn, email=email, ip=ip, now=now)
            return None
        if new_hash is not None:
            await q.update_password_hash(conn, user.id, new_hash)
        await q.delete_login_failures(conn, email=email, ip=ip)
        return await rotate_session(conn, old_id_hash=old_id_hash, user_id=user.id, now=now)
