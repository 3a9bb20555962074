"""How much account mail one account or one client may cause (SECURITY.md A4).

Sign-up, "send the link again" and password reset each mail a link. Without a cap, anyone
could flood an inbox through them, or mail many addresses from one machine. Two caps, over
the last ``WINDOW``:

- a client (an IPv4 address, or an IPv6 /64 network: one household or one host) may make
  ``CLIENT_LIMIT`` requests for sign-up or reset mail. Every request counts, whether or not
  an account exists for the address given, so the cap reveals nothing about who has an
  account; over the cap, nothing is mailed and the answer stays the same;
- an account receives at most ``ACCOUNT_LIMIT`` mails. "Send the link again", asked by the
  logged-in owner, is held to this cap only, and the owner is told when it holds: a venue's
  shared network cannot then lock someone out of confirming their address.

The log keeps one window only: older rows (they hold client addresses) are deleted as new
requests come in.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.queries import mail_log as q

WINDOW = timedelta(hours=1)
# Enough for a lost mail and a second try, too few to fill anyone's inbox.
ACCOUNT_LIMIT = 3
# A room signing up on one network gets through (the rest confirm with "send the link
# again", which this cap does not hold); a script mailing strangers does not.
CLIENT_LIMIT = 30


def client_key(ip: str) -> str:
    """The unit a client is counted in: an IPv4 address, or the /64 of an IPv6 address.

    >>> client_key("192.0.2.7"), client_key("2001:db8:1:2:aaaa::1"), client_key("")
    ('192.0.2.7', '2001:db8:1:2::/64', '')
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:45]
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


async def allow_mail(
    conn: AsyncConnection,
    *,
    user_id: int | None,
    ip: str,
    purpose: str,
    now: datetime,
    per_client: bool = True,
) -> bool:
    """Record a request for account mail; True when the mail may go out.

    ``user_id`` is None when the request names no account (an unknown address at reset, a
    taken one at sign-up): it still counts for its client, and nothing is mailed. With
    ``per_client`` False (the owner's "send the link again") only the account's cap holds.
    Call it in the write transaction that issues the mailed token.
    """
    await q.lock_mail_log(conn)
    since, client = now - WINDOW, client_key(ip)
    if per_client and await q.count_requests(conn, since=since, client=client) >= CLIENT_LIMIT:
        return False
    sent = user_id is not None and (
        await q.count_mails(conn, since=since, user_id=user_id) < ACCOUNT_LIMIT
    )
    await q.delete_requests_before(conn, since)
    await q.insert_request(
        conn, user_id=user_id, client=client, purpose=purpose, sent=sent, now=now
    )
    return sent
