"""Accounts: sign-up, e-mail tokens, password changes, roles (SECURITY.md A2, A5, B8, C14).

An account's lifecycle: registered (role participant, terms consent recorded) ->
e-mail verified through a link -> may be given more roles by an organizer. A
password reset or change ends every session of the account. Passwords arrive
here already hashed: hashing takes a worker thread and must not hold the write lock.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.domain.mail_limits import allow_mail
from hackathon.domain.sessions import end_user_sessions
from hackathon.errors import Forbidden, InvalidToken, NotFound
from hackathon.queries import accounts as q
from hackathon.queries.accounts import UserRow
from hackathon.tables import ROLES

TERMS_POLICY_VERSION = "2026-01"
DEFAULT_ROLE = "participant"
TOKEN_LIFETIMES = {"verify": timedelta(hours=48), "reset": timedelta(minutes=60)}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def register(
    conn: AsyncConnection,
    *,
    name: str,
    email: str,
    password_hash: str,
    locale: str,
    now: datetime,
) -> int | None:
    """Create a participant who accepted the terms; None when the e-mail is already taken."""
    if await q.email_exists(conn, email):
        return None
    user_id = await q.insert_user(
        conn, email=email, name=name, password_hash=password_hash, locale=locale, now=now
    )
    await q.insert_role(conn, user_id, DEFAULT_ROLE, granted_by=None, now=now)
    await q.insert_consent(
        conn, user_id, purpose="terms", policy_version=TERMS_POLICY_VERSION, granted=True, now=now
    )
    return user_id


async def issue_token(conn: AsyncConnection, user_id: int, purpose: str, *, now: datetime) -> str:
    """A new single-use token (256 random bits); only its SHA-256 is stored."""
    await q.use_user_tokens(conn, user_id, purpose, now=now)
    token = secrets.token_urlsafe(32)
    await q.insert_token(
        conn,
        token_hash=hash_token(token),
        user_id=user_id,
        purpose=purpose,
        now=now,
        expires_at=now + TOKEN_LIFETIMES[purpose],
    )
    return token


async def issue_mailed_token(
    conn: AsyncConnection,
    user_id: int | None,
    purpose: str,
    *,
    ip: str,
    now: datetime,
    per_client: bool = True,
) -> str | None:
    """A token to mail to the account, or None: no account (``user_id`` None), or the mail
    limits hold the mail back. The request is counted either way (see mail_limits).

    Held back, nothing changes: the links mailed before keep working.
    """
    allowed = await allow_mail(
        conn, user_id=user_id, ip=ip, purpose=purpose, now=now, per_client=per_client
    )
    if not allowed or user_id is None:
        return None
    return await issue_token(conn, user_id, purpose, now=now)


async def _use_token(conn: AsyncConnection, token: str, purpose: str, *, now: datetime) -> int:
    token_hash = hash_token(token)
    found = await q.find_token(conn, token_hash, purpose)
    if found is None or found.used or found.expires_at <= now:
        raise InvalidToken(purpose)
    if not await q.mark_token_used(conn, token_hash, now=now):
        raise InvalidToken(purpose)
    return found.user_id


async def verify_email(conn: AsyncConnection, token: str, *, now: datetime) -> int:
    """Mark the address of the token's user verified; the token is used up."""
    user_id = await _use_token(conn, token, "verify", now=now)
    await q.mark_email_verified(conn, user_id, now=now)
    return user_id


async def check_reset_token(conn: AsyncConnection, token: str, *, now: datetime) -> None:
    """Raise InvalidToken unless ``token`` can still reset a password."""
    found = await q.find_token(conn, hash_token(token), "reset")
    if found is None or found.used or found.expires_at <= now:
        raise InvalidToken("reset")


async def request_reset(
    conn: AsyncConnection, email: str, *, ip: str, now: datetime
) -> tuple[UserRow, str] | None:
    """A reset token for an active account; None for unknown or disabled addresses,
    and when the mail limits hold the mail back."""
    user = await q.find_user_by_email(conn, email)
    if user is not None and user.disabled:
        user = None
    # Unknown addresses count against the client's cap too: the cap reveals no account.
    user_id = None if user is None else user.id
    token = await issue_mailed_token(conn, user_id, "reset", ip=ip, now=now)
    return None if user is None or token is None else (user, token)


async def reset_password(
    conn: AsyncConnection, token: str, *, password_hash: str, now: datetime
) -> int:
    """Set a new password through a reset token, and sign the account out everywhere."""
    user_id = await _use_token(conn, token, "reset", now=now)
    await q.update_password_hash(conn, user_id, password_hash)
    await q.use_user_tokens(conn, user_id, "reset", now=now)
    await end_user_sessions(conn, user_id)
    await q.insert_audit(
        conn, actor_id=user_id, action="password_reset", subject_id=user_id, detail="", now=now
    )
    return user_id


async def change_password(
    conn: AsyncConnection, user_id: int, *, password_hash: str, now: datetime
) -> None:
    """Store the new hash and end every session of the account; the caller starts a new one."""
    await q.update_password_hash(conn, user_id, password_hash)
    await end_user_sessions(conn, user_id)
    await q.insert_audit(
        conn, actor_id=user_id, action="password_change", subject_id=user_id, detail="", now=now
    )


async def update_profile(conn: AsyncConnection, user_id: int, *, name: str, locale: str) -> None:
    await q.update_user_profile(conn, user_id, name=name, locale=locale)


async def set_locale(conn: AsyncConnection, user_id: int, locale: str) -> None:
    """Remember the language chosen with the language switch for mail and other devices."""
    await q.update_user_locale(conn, user_id, locale)


async def set_role(
    conn: AsyncConnection,
    *,
    actor_id: int,
    user_id: int,
    role: str,
    granted: bool,
    now: datetime,
) -> None:
    """Grant or revoke ``role``; the user's sessions end, so the next request sees the change.

    Organizers cannot change their own roles: the last organizer cannot lock everyone out.
    """
    if role not in ROLES:
        raise NotFound(f"role {role}")
    if actor_id == user_id:
        raise Forbidden("own roles")
    await q.get_user(conn, user_id)
    roles = await q.get_roles(conn, user_id)
    if granted == (role in roles):
        return
    if granted:
        await q.insert_role(conn, user_id, role, granted_by=actor_id, now=now)
    else:
        await q.delete_role(conn, user_id, role)
    await end_user_sessions(conn, user_id)
    action = "role_granted" if granted else "role_revoked"
    await q.insert_audit(
        conn, actor_id=actor_id, action=action, subject_id=user_id, detail=role, now=now
    )


async def create_account_with_roles(
    conn: AsyncConnection,
    *,
    email: str,
    name: str,
    password_hash: str,
    locale: str,
    now: datetime,
    roles: tuple[str, ...],
) -> tuple[int, bool]:
    """An account with ``roles`` made from the console: (user id, whether it is new).

    Console-made accounts count as verified. An existing account keeps its password
    and simply gains the roles.
    """
    existing = await q.find_user_by_email(conn, email)
    if existing is None:
        user_id = await q.insert_user(
            conn, email=email, name=name, password_hash=password_hash, locale=locale, now=now
        )
        await q.mark_email_verified(conn, user_id, now=now)
    else:
        user_id = existing.id
    held = await q.get_roles(conn, user_id)
    for role in roles:
        if role not in held:
            await q.insert_role(conn, user_id, role, granted_by=None, now=now)
    await end_user_sessions(conn, user_id)
    await q.insert_audit(
        conn,
        actor_id=None,
        action="console_roles",
        subject_id=user_id,
        detail=",".join(roles),
        now=now,
    )
    return user_id, existing is None
