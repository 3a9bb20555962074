"""How much account mail one account or one client may cause (SECURITY.md A4).

Sign-up, "send the link again" and password reset each mail a link. Without a cap,
anyone could flood an inbox through them, or send mail to many addresses from one
machine. A mail is allowed, and recorded, while the account got fewer than
``ACCOUNT_LIMIT`` and the client's IP address caused fewer than ``CLIENT_LIMIT`` within
``WINDOW``. Sign-up and reset keep the usual answer when a mail is held back, so the
answer still tells nobody whether an account exists. The log keeps one window only:
older rows (they hold client addresses) are deleted as new ones come in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.queries import mail_log as q

WINDOW = timedelta(hours=1)
# Enough for a lost mail and a second try, too few to fill anyone's inbox.
ACCOUNT_LIMIT = 3
# A room of people signing up on one network still gets through; a script does not.
CLIENT_LIMIT = 20


async def allow_mail(
    conn: AsyncConnection, *, user_id: int, ip: str, purpose: str, now: datetime
) -> bool:
    """True, with the mail recorded, unless ``user_id`` or ``ip`` reached its limit: then False.

    Call it in the write transaction that issues the mailed token, so that the count
    and the new row are one step (SQLite's writer is serialised by BEGIN IMMEDIATE).
    """
    since = now - WINDOW
    if await q.count_mails(conn, since=since, user_id=user_id) >= ACCOUNT_LIMIT:
        return False
    if await q.count_mails(conn, since=since, ip=ip) >= CLIENT_LIMIT:
        return False
    await q.delete_mails_before(conn, since)
    await q.insert_mail(conn, user_id=user_id, ip=ip, purpose=purpose, now=now)
    return True
