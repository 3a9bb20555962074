"""Mail limits: account mail cannot flood an inbox, and held-back mail answers the same (A4).

Through a real SMTP server (aiosmtpd): what it received is what was sent. The domain
rule itself also runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
from sqlalchemy import delete, select
from starlette.applications import Starlette

from hackathon.db import Database
from hackathon.domain.mail_limits import ACCOUNT_LIMIT, CLIENT_LIMIT, WINDOW, allow_mail
from hackathon.tables import mail_log, users
from tests.web_fixtures import (
    CLIENT_IP,
    PASSWORD,
    START,
    FakeClock,
    Inbox,
    create_user,
    log_in,
    make_client,
    post_form,
    user_id_of,
)

EMAIL = "ada@example.org"
HELD_BACK = (
    "We already sent you several links in the last hour, so we sent no new one. "
    "Look for them in your inbox and spam folder, or try again in an hour."
)
SECOND = timedelta(seconds=1)
_CSRF_VALUE = re.compile(r'(name="csrf_token" value=")[^"]+"')


async def answer(client: httpx.AsyncClient, response: httpx.Response) -> tuple[object, ...]:
    """Everything the requester sees: the redirect itself, then the page it leads to."""
    page = await client.get(response.headers["location"])
    return (
        response.status_code,
        response.headers.multi_items(),
        response.content,
        page.status_code,
        _CSRF_VALUE.sub(r'\1CSRF"', page.text),
    )


async def request_reset(client: httpx.AsyncClient, email: str = EMAIL) -> httpx.Response:
    return await post_form(client, "/reset", {"email": email}, page="/reset")


async def sign_up(client: httpx.AsyncClient, email: str) -> httpx.Response:
    data = {"name": "Ada", "email": email, "password": PASSWORD, "locale": "en", "terms": "1"}
    return await post_form(client, "/signup", data, page="/signup")


def recipients(inbox: Inbox) -> list[str]:
    return [str(message["To"]) for message in inbox.messages()]


def token_in(inbox: Inbox, index: int) -> str:
    body = inbox.messages()[index].get_body(("plain",))
    assert body is not None
    found = re.search(r"token=(\S+)", body.get_content())
    assert found is not None
    return found.group(1)


async def test_fourth_reset_within_the_hour_sends_no_mail_and_answers_the_same(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int], clock: FakeClock
) -> None:
    await create_user(smtp_app.state.database, EMAIL)
    answers = []
    async with make_client(smtp_app) as client:
        for _ in range(4):
            answers.append(await answer(client, await request_reset(client)))
            clock.advance(minutes=10)

    assert recipients(smtp_inbox[0]) == [EMAIL] * ACCOUNT_LIMIT == [EMAIL] * 3
    assert answers[3] == answers[0]
    headers = dict(answers[0][1])  # type: ignore[call-overload]
    assert (answers[0][0], headers["location"], headers["set-cookie"]) == (
        303,
        "/login",
        "flash=reset_sent; Path=/; HttpOnly; SameSite=Lax; Max-Age=120",
    )


async def test_held_back_reset_leaves_the_last_mailed_link_working(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int]
) -> None:
    await create_user(smtp_app.state.database, EMAIL)
    async with make_client(smtp_app) as client:
        for _ in range(4):
            await request_reset(client)
        last = token_in(smtp_inbox[0], 2)
        form = await client.get(f"/reset/confirm?token={last}")
        reset = await post_form(
            client, "/reset/confirm", {"token": last, "password": "another fine passphrase"}
        )
        login = await log_in(client, EMAIL, "another fine passphrase")

    assert f'name="token" value="{last}"' in form.text
    assert (reset.status_code, reset.headers["location"]) == (303, "/login")
    assert (login.status_code, login.headers["location"]) == (303, "/")


async def test_reset_limit_lifts_after_an_hour(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int], clock: FakeClock
) -> None:
    await create_user(smtp_app.state.database, EMAIL)
    async with make_client(smtp_app) as client:
        for _ in range(4):
            await request_reset(client)
        clock.advance(hours=1, seconds=1)
        await request_reset(client)

    assert recipients(smtp_inbox[0]) == [EMAIL] * 4


async def test_account_limit_counts_signup_resend_and_reset_together(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int]
) -> None:
    async with make_client(smtp_app) as client:
        await sign_up(client, EMAIL)
        await log_in(client, EMAIL)
        resends = [await post_form(client, "/verify/resend", {}, page="/profile")]
        resends.append(await post_form(client, "/verify/resend", {}, page="/profile"))
    async with make_client(smtp_app, ip="198.51.100.30") as elsewhere:
        reset = await answer(elsewhere, await request_reset(elsewhere))
        unknown = await answer(elsewhere, await request_reset(elsewhere, "nobody@example.org"))

    subjects = [str(message["Subject"]) for message in smtp_inbox[0].messages()]
    assert subjects == ["Confirm your e-mail address for the QuattroPole Hackathon"] * 3
    assert [response.headers["set-cookie"].split(";")[0] for response in resends] == [
        "flash=verify_sent",
        "flash=verify_sent",
    ]
    assert reset == unknown


async def test_resend_over_the_limit_says_so_and_keeps_the_mailed_link(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int]
) -> None:
    await create_user(smtp_app.state.database, EMAIL, verified=False)
    async with make_client(smtp_app) as client:
        await log_in(client, EMAIL)
        for _ in range(3):
            await post_form(client, "/verify/resend", {}, page="/profile")
        held = await post_form(client, "/verify/resend", {}, page="/profile")
        profile = await client.get("/profile")
        verify = await post_form(
            client, "/verify", {"token": token_in(smtp_inbox[0], 2)}, page="/profile"
        )

    assert recipients(smtp_inbox[0]) == [EMAIL] * 3
    assert (held.status_code, held.headers["location"]) == (303, "/profile")
    assert HELD_BACK in profile.text
    assert (verify.status_code, verify.headers["set-cookie"].split(";")[0]) == (
        303,
        "flash=verified",
    )


async def test_signups_from_one_client_mail_up_to_the_cap_then_stop_silently(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int]
) -> None:
    addresses = [f"person{number:02d}@example.org" for number in range(CLIENT_LIMIT + 1)]
    answers = []
    async with make_client(smtp_app) as client:
        for address in addresses:
            answers.append(await answer(client, await sign_up(client, address)))
    async with make_client(smtp_app, ip="198.51.100.31") as elsewhere:
        await sign_up(elsewhere, "someone.else@example.org")

    assert CLIENT_LIMIT == 30
    assert recipients(smtp_inbox[0]) == [*addresses[:CLIENT_LIMIT], "someone.else@example.org"]
    assert answers[CLIENT_LIMIT] == answers[0]
    assert await user_id_of(smtp_app, addresses[CLIENT_LIMIT]) == CLIENT_LIMIT + 1


async def test_resend_by_the_owner_is_not_held_by_a_full_client_cap(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int]
) -> None:
    """A venue's shared network fills the client cap; a participant can still confirm."""
    await create_user(smtp_app.state.database, EMAIL, verified=False)
    async with make_client(smtp_app) as client:
        for number in range(CLIENT_LIMIT):
            await sign_up(client, f"person{number:02d}@example.org")
        await log_in(client, EMAIL)
        resend = await post_form(client, "/verify/resend", {}, page="/profile")

    assert resend.headers["set-cookie"].split(";")[0] == "flash=verify_sent"
    assert recipients(smtp_inbox[0])[-1] == EMAIL
    assert len(recipients(smtp_inbox[0])) == CLIENT_LIMIT + 1


async def test_requests_for_unknown_addresses_fill_the_client_cap_like_known_ones(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int]
) -> None:
    """The cap counts requests, not accounts: how full it is tells nothing about who exists."""
    await create_user(smtp_app.state.database, EMAIL)
    async with make_client(smtp_app) as client:
        for number in range(CLIENT_LIMIT):
            await request_reset(client, f"nobody{number:02d}@example.org")
        held = await answer(client, await request_reset(client))
        unknown = await answer(client, await request_reset(client, "nobody@example.org"))
    async with make_client(smtp_app, ip="198.51.100.32") as elsewhere:
        await request_reset(elsewhere)

    assert held == unknown
    assert recipients(smtp_inbox[0]) == [EMAIL]  # only the request from elsewhere


async def test_allow_mail_caps_per_account_and_per_client(database: Database) -> None:
    ada = await create_user(database, EMAIL)
    others = [
        await create_user(database, f"p{number}@example.org") for number in range(CLIENT_LIMIT)
    ]

    async with database.write() as conn:
        for_ada = [
            await allow_mail(conn, user_id=ada, ip="192.0.2.1", purpose="reset", now=START)
            for _ in range(4)
        ]
        from_one_client = [
            await allow_mail(conn, user_id=user, ip=CLIENT_IP, purpose="verify", now=START)
            for user in others[:-1]
        ]
        unknown = await allow_mail(conn, user_id=None, ip=CLIENT_IP, purpose="reset", now=START)
        over_the_cap = await allow_mail(
            conn, user_id=others[-1], ip=CLIENT_IP, purpose="verify", now=START
        )
        owner_asks = await allow_mail(
            conn, user_id=others[-1], ip=CLIENT_IP, purpose="verify", now=START, per_client=False
        )
        ada_later = await allow_mail(
            conn, user_id=ada, ip=CLIENT_IP, purpose="verify", now=START + WINDOW + SECOND
        )
        rows = (
            await conn.execute(select(mail_log.c.user_id, mail_log.c.ip, mail_log.c.sent))
        ).all()

    assert for_ada == [True, True, True, False]
    assert from_one_client == [True] * (CLIENT_LIMIT - 1)
    assert (unknown, over_the_cap, owner_asks, ada_later) == (False, False, True, True)
    # A window later Ada may be mailed again, and the rows of the first window are gone.
    assert [tuple(row) for row in rows] == [(ada, CLIENT_IP, True)]


async def test_ipv6_clients_are_counted_per_64_network(database: Database) -> None:
    users = [await create_user(database, f"p{number}@example.org") for number in range(2)]
    addresses = [f"2001:db8:1:2::{number:x}" for number in range(1, CLIENT_LIMIT + 2)]

    async with database.write() as conn:
        same_network = [
            await allow_mail(conn, user_id=None, ip=address, purpose="reset", now=START)
            for address in addresses[:CLIENT_LIMIT]
        ]
        last_in_network = await allow_mail(
            conn, user_id=users[0], ip=addresses[-1], purpose="reset", now=START
        )
        next_network = await allow_mail(
            conn, user_id=users[1], ip="2001:db8:1:3::1", purpose="reset", now=START
        )

    assert same_network == [False] * CLIENT_LIMIT  # no account named: counted, never mailed
    assert (last_in_network, next_network) == (False, True)


async def test_concurrent_requests_never_pass_the_caps(database: Database) -> None:
    """Count-then-insert is one step under concurrency: on PostgreSQL too (SECURITY F)."""
    ada = await create_user(database, EMAIL)
    others = [
        await create_user(database, f"p{number}@example.org") for number in range(CLIENT_LIMIT + 10)
    ]

    async def request(user_id: int, ip: str) -> bool:
        async with database.write() as conn:
            return await allow_mail(conn, user_id=user_id, ip=ip, purpose="reset", now=START)

    for_ada = await asyncio.gather(*(request(ada, f"192.0.2.{n}") for n in range(1, 16)))
    from_one_client = await asyncio.gather(*(request(user, CLIENT_IP) for user in others))

    assert sorted(for_ada) == [False] * 12 + [True] * ACCOUNT_LIMIT
    assert sorted(from_one_client) == [False] * 10 + [True] * CLIENT_LIMIT


async def test_mail_log_goes_with_the_account(database: Database) -> None:
    ada = await create_user(database, EMAIL)
    async with database.write() as conn:
        await allow_mail(conn, user_id=ada, ip=CLIENT_IP, purpose="verify", now=START)
        await conn.execute(delete(users).where(users.c.id == ada))

    async with database.read() as conn:
        rows = (await conn.execute(select(mail_log))).all()

    assert rows == []
