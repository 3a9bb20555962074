"""SQL for accounts: users, roles, consents, e-mail tokens, login failures, audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.errors import NotFound
from hackathon.queries.sessions import as_utc
from hackathon.tables import audit_log, consents, login_failures, tokens, user_roles, users


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    name: str
    password_hash: str
    locale: str
    email_verified: bool
    disabled: bool


@dataclass(frozen=True)
class TokenRow:
    user_id: int
    purpose: str
    expires_at: datetime
    used: bool


def _user(row: object) -> UserRow:
    return UserRow(
        id=row.id,  # type: ignore[attr-defined]
        email=row.email,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        password_hash=row.password_hash,  # type: ignore[attr-defined]
        locale=row.locale,  # type: ignore[attr-defined]
        email_verified=row.email_verified_at is not None,  # type: ignore[attr-defined]
        disabled=row.disabled_at is not None,  # type: ignore[attr-defined]
    )


async def insert_user(
    conn: AsyncConnection, *, email: str, name: str, password_hash: str, locale: str, now: datetime
) -> int:
    result = await conn.execute(
        insert(users)
        .values(email=email, name=name, password_hash=password_hash, locale=locale, created_at=now)
        .returning(users.c.id)
    )
    return int(result.scalar_one())


async def find_user_by_email(conn: AsyncConnection, email: str) -> UserRow | None:
    row = (await conn.execute(select(users).where(users.c.email == email))).one_or_none()
    return None if row is None else _user(row)


async def find_user(conn: AsyncConnection, user_id: int) -> UserRow | None:
    row = (await conn.execute(select(users).where(users.c.id == user_id))).one_or_none()
    return None if row is None else _user(row)


async def get_user(conn: AsyncConnection, user_id: int) -> UserRow:
    row = (await conn.execute(select(users).where(users.c.id == user_id))).one_or_none()
    if row is None:
        raise NotFound(f"user {user_id}")
    return _user(row)


async def email_exists(conn: AsyncConnection, email: str) -> bool:
    found = await conn.execute(select(users.c.id).where(users.c.email == email))
    return found.first() is not None


async def count_users(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(users))).scalar_one())


async def update_user_profile(
    conn: AsyncConnection, user_id: int, *, name: str, locale: str
) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(name=name, locale=locale))


async def update_user_locale(conn: AsyncConnection, user_id: int, locale: str) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(locale=locale))


async def update_password_hash(conn: AsyncConnection, user_id: int, password_hash: str) -> None:
    await conn.execute(
        update(users).where(users.c.id == user_id).values(password_hash=password_hash)
    )


async def mark_email_verified(conn: AsyncConnection, user_id: int, *, now: datetime) -> None:
    await conn.execute(
        update(users)
        .where(users.c.id == user_id, users.c.email_verified_at.is_(None))
        .values(email_verified_at=now)
    )


async def get_roles(conn: AsyncConnection, user_id: int) -> frozenset[str]:
    rows = await conn.execute(select(user_roles.c.role).where(user_roles.c.user_id == user_id))
    return frozenset(rows.scalars())


async def insert_role(
    conn: AsyncConnection, user_id: int, role: str, *, granted_by: int | None, now: datetime
) -> None:
    await conn.execute(
        insert(user_roles).values(user_id=user_id, role=role, granted_by=granted_by, granted_at=now)
    )


async def delete_role(conn: AsyncConnection, user_id: int, role: str) -> None:
    await conn.execute(
        delete(user_roles).where(user_roles.c.user_id == user_id, user_roles.c.role == role)
    )


async def list_users_with_roles(conn: AsyncConnection) -> list[tuple[UserRow, frozenset[str]]]:
    rows = (await conn.execute(select(users).order_by(users.c.name, users.c.id))).all()
    role_rows = (await conn.execute(select(user_roles.c.user_id, user_roles.c.role))).all()
    roles: dict[int, set[str]] = {}
    for user_id, role in role_rows:
        roles.setdefault(user_id, set()).add(role)
    return [(_user(row), frozenset(roles.get(row.id, ()))) for row in rows]


async def insert_consent(
    conn: AsyncConnection,
    user_id: int,
    *,
    purpose: str,
    policy_version: str,
    granted: bool,
    now: datetime,
) -> None:
    await conn.execute(
        insert(consents).values(
            user_id=user_id,
            purpose=purpose,
            policy_version=policy_version,
            granted=granted,
            recorded_at=now,
        )
    )


async def insert_token(
    conn: AsyncConnection,
    *,
    token_hash: str,
    user_id: int,
    purpose: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    await conn.execute(
        insert(tokens).values(
            token_hash=token_hash,
            user_id=user_id,
            purpose=purpose,
            created_at=now,
            expires_at=expires_at,
        )
    )


async def find_token(conn: AsyncConnection, token_hash: str, purpose: str) -> TokenRow | None:
    row = (
        await conn.execute(
            select(tokens).where(tokens.c.token_hash == token_hash, tokens.c.purpose == purpose)
        )
    ).one_or_none()
    if row is None:
        return None
    return TokenRow(
        user_id=row.user_id,
        purpose=row.purpose,
        expires_at=as_utc(row.expires_at),
        used=row.used_at is not None,
    )


async def mark_token_used(conn: AsyncConnection, token_hash: str, *, now: datetime) -> bool:
    """True when this call used the token: a concurrent second use finds it already used."""
    result = await conn.execute(
        update(tokens)
        .where(tokens.c.token_hash == token_hash, tokens.c.used_at.is_(None))
        .values(used_at=now)
    )
    return result.rowcount == 1


async def use_user_tokens(
    conn: AsyncConnection, user_id: int, purpose: str, *, now: datetime
) -> None:
    await conn.execute(
        update(tokens)
        .where(tokens.c.user_id == user_id, tokens.c.purpose == purpose, tokens.c.used_at.is_(None))
        .values(used_at=now)
    )


async def insert_login_failure(
    conn: AsyncConnection, *, email: str, ip: str, now: datetime
) -> None:
    await conn.execute(insert(login_failures).values(email=email, ip=ip, failed_at=now))


async def count_login_failures(
    conn: AsyncConnection, *, email: str, since: datetime, ip: str | None = None
) -> int:
    statement = (
        select(func.count())
        .select_from(login_failures)
        .where(login_failures.c.email == email, login_failures.c.failed_at >= since)
    )
    if ip is not None:
        statement = statement.where(login_failures.c.ip == ip)
    return int((await conn.execute(statement)).scalar_one())


async def delete_login_failures(conn: AsyncConnection, *, email: str, ip: str) -> None:
    await conn.execute(
        delete(login_failures).where(login_failures.c.email == email, login_failures.c.ip == ip)
    )


async def insert_audit(
    conn: AsyncConnection,
    *,
    actor_id: int | None,
    action: str,
    subject_id: int | None,
    detail: str,
    now: datetime,
) -> None:
    await conn.execute(
        insert(audit_log).values(
            actor_id=actor_id, action=action, subject_id=subject_id, detail=detail, at=now
        )
    )
