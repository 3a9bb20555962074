"""Login throttling and no account enumeration at login (SECURITY.md A3, A4), on both engines."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select
from starlette.applications import Starlette

from hackathon import passwords
from hackathon.queries import accounts as accounts_q
from hackathon.tables import login_failures
from tests.web_fixtures import (
    CLIENT_IP,
    PASSWORD,
    FakeClock,
    create_user,
    csrf_token,
    log_in,
    make_client,
)

EMAIL = "ada@example.org"


async def fail(client: httpx.AsyncClient, times: int, email: str = EMAIL) -> list[int]:
    return [
        (await log_in(client, email, "wrong password, sorry")).status_code for _ in range(times)
    ]


async def failures(app: Starlette) -> int:
    async with app.state.database.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(login_failures))).scalar())


async def test_eleventh_attempt_after_ten_failures_gets_429(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    await create_user(db_app.state.database, EMAIL)

    statuses = await fail(db_client, 10)
    response = await log_in(db_client, EMAIL)

    assert statuses == [400] * 10
    assert response.status_code == 429
    assert "Too many" in response.text
    assert response.headers["retry-after"] == "900"
    assert await failures(db_app) == 10
    assert (await db_client.get("/profile")).status_code == 303


async def test_throttle_is_per_address(db_client: httpx.AsyncClient, db_app: Starlette) -> None:
    await create_user(db_app.state.database, EMAIL)
    await fail(db_client, 10)

    async with make_client(db_app, ip="198.51.100.20") as elsewhere:
        response = await log_in(elsewhere, EMAIL)

    assert (response.status_code, response.headers["location"]) == (303, "/")


async def test_throttle_lifts_after_fifteen_minutes(
    db_client: httpx.AsyncClient, db_app: Starlette, clock: FakeClock
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await fail(db_client, 10)
    clock.advance(minutes=15, seconds=1)

    response = await log_in(db_client, EMAIL)

    assert (response.status_code, response.headers["location"]) == (303, "/")


async def test_account_never_gets_more_than_100_failures_per_hour(
    db_client: httpx.AsyncClient, db_app: Starlette, clock: FakeClock
) -> None:
    await create_user(db_app.state.database, EMAIL)
    async with db_app.state.database.write() as conn:
        for number in range(99):
            await accounts_q.insert_login_failure(
                conn, email=EMAIL, ip=f"10.0.{number // 9}.{number % 9}", now=clock.now
            )
    assert await fail(db_client, 1) == [400]

    async with make_client(db_app, ip="198.51.100.99") as fresh:
        refused = await log_in(fresh, EMAIL)
        clock.advance(hours=1, seconds=1)
        later = await log_in(fresh, EMAIL)

    assert refused.status_code == 429
    assert (later.status_code, later.headers["location"]) == (303, "/")
    assert await failures(db_app) == 100


async def test_success_clears_failures_of_that_address(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await fail(db_client, 9)

    await log_in(db_client, EMAIL)

    assert await failures(db_app) == 0


async def test_unknown_email_also_counts_and_is_throttled(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    statuses = await fail(db_client, 11, email="nobody@example.org")

    assert statuses == [400] * 10 + [429]
    assert await failures(db_app) == 10


async def test_login_answers_unknown_and_known_email_identically(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    await create_user(db_app.state.database, EMAIL)
    token = await csrf_token(db_client)
    passwords.recent_operations.clear()

    known = await db_client.post(
        "/login", data={"csrf_token": token, "email": EMAIL, "password": "wrong password!"}
    )
    unknown = await db_client.post(
        "/login",
        data={"csrf_token": token, "email": "nobody@example.org", "password": "wrong password!"},
    )

    assert known.status_code == unknown.status_code == 400
    assert known.text.replace(EMAIL, "nobody@example.org") == unknown.text
    assert known.headers.get_list("set-cookie") == unknown.headers.get_list("set-cookie") == []
    assert [operation for _, operation, _ in passwords.recent_operations] == ["verify", "verify"]
    assert passwords.recent_operations[1][2] == passwords.fingerprint(passwords.dummy_hash())
    assert "The e-mail address or the password is wrong. Check both and try again." in unknown.text
    assert 'aria-describedby="field-email-errors"' in unknown.text


async def test_failures_are_kept_with_their_address(
    db_client: httpx.AsyncClient, db_app: Starlette, clock: FakeClock
) -> None:
    await fail(db_client, 1)

    async with db_app.state.database.read() as conn:
        row = (await conn.execute(select(login_failures.c.email, login_failures.c.ip))).one()
        since = clock.now - timedelta(seconds=1)
        counted = await accounts_q.count_login_failures(
            conn, email=EMAIL, ip=CLIENT_IP, since=since
        )

    assert tuple(row) == (EMAIL, CLIENT_IP)
    assert counted == 1
    assert PASSWORD != "wrong password, sorry"
