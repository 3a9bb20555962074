"""SQL for the mail log: account mail sent recently, per account and per client address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.tables import mail_log


async def insert_mail(
    conn: AsyncConnection, *, user_id: int, ip: str, purpose: str, now: datetime
) -> None:
    await conn.execute(
        insert(mail_log).values(user_id=user_id, ip=ip, purpose=purpose, sent_at=now)
    )


async def count_mails(
    conn: AsyncConnection, *, since: datetime, user_id: int | None = None, ip: str | None = None
) -> int:
    """Mail sent since ``since`` to the account ``user_id``, or on behalf of the address ``ip``."""
    statement = select(func.count()).select_from(mail_log).where(mail_log.c.sent_at >= since)
    if user_id is not None:
        statement = statement.where(mail_log.c.user_id == user_id)
    if ip is not None:
        statement = statement.where(mail_log.c.ip == ip)
    return int((await conn.execute(statement)).scalar_one())


async def delete_mails_before(conn: AsyncConnection, before: datetime) -> None:
    await conn.execute(delete(mail_log).where(mail_log.c.sent_at < before))
