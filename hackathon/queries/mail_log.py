"""SQL for the mail log: recent requests for account mail, per account and per client."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.tables import mail_log


async def lock_mail_log(conn: AsyncConnection) -> None:
    """Make count-then-insert on the log one step for concurrent transactions.

    SQLite's write transactions already run one at a time (BEGIN IMMEDIATE). PostgreSQL's
    READ COMMITTED lets two transactions count the same rows and both insert: this lock
    mode conflicts with itself, so the second waits until the first has committed.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("LOCK TABLE mail_log IN SHARE ROW EXCLUSIVE MODE"))


async def insert_request(
    conn: AsyncConnection,
    *,
    user_id: int | None,
    client: str,
    purpose: str,
    sent: bool,
    now: datetime,
) -> None:
    await conn.execute(
        insert(mail_log).values(user_id=user_id, ip=client, purpose=purpose, sent=sent, sent_at=now)
    )


async def count_requests(conn: AsyncConnection, *, since: datetime, client: str) -> int:
    """Requests for account mail made by ``client`` since ``since``, mailed or not."""
    statement = (
        select(func.count())
        .select_from(mail_log)
        .where(mail_log.c.sent_at >= since, mail_log.c.ip == client)
    )
    return int((await conn.execute(statement)).scalar_one())


async def count_mails(conn: AsyncConnection, *, since: datetime, user_id: int) -> int:
    """Mail sent to the account ``user_id`` since ``since``."""
    statement = (
        select(func.count())
        .select_from(mail_log)
        .where(mail_log.c.sent_at >= since, mail_log.c.user_id == user_id, mail_log.c.sent)
    )
    return int((await conn.execute(statement)).scalar_one())


async def delete_requests_before(conn: AsyncConnection, before: datetime) -> None:
    await conn.execute(delete(mail_log).where(mail_log.c.sent_at < before))
