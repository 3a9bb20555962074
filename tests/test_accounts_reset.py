"""Password reset by e-mail (SECURITY.md A4 for reset, A5), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from hackathon import passwords
from hackathon.settings import Settings
from hackathon.tables import tokens, users
from tests.web_fixtures import (
    CLIENT_IP,
    START,
    FakeClock,
    create_user,
    csrf_token,
    link_in,
    log_in,
    make_client,
    outbox_messages,
    post_form,
    snapshot,
)

EMAIL = "ada@example.org"
NEW_PASSWORD = "a brand new passphrase"


async def request_reset(client: httpx.AsyncClient, email: str = EMAIL) -> httpx.Response:
    return await post_form(client, "/reset", {"email": email}, page="/reset")


def reset_token(settings: Settings) -> str:
    [message] = outbox_messages(settings)
    link = link_in(message)
    assert link.startswith("/reset/confirm?token=")
    return link.split("token=")[1]


async def set_password(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await post_form(
        client, "/reset/confirm", {"token": token, "password": NEW_PASSWORD}, page="/login"
    )


async def test_reset_answers_known_and_unknown_email_identically(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings
) -> None:
    await create_user(db_app.state.database, EMAIL)
    token = await csrf_token(db_client, "/reset")
    before = await snapshot(db_app)

    unknown = await db_client.post(
        "/reset", data={"csrf_token": token, "email": "nobody@example.org"}
    )
    unchanged = await snapshot(db_app)
    known = await db_client.post("/reset", data={"csrf_token": token, "email": EMAIL})

    assert (known.status_code, known.headers["location"]) == (303, "/login")
    assert (unknown.status_code, unknown.headers["location"]) == (303, "/login")
    assert known.text == unknown.text
    assert known.headers.get_list("set-cookie") == unknown.headers.get_list("set-cookie")
    # Nothing changed but the client's mail cap, which counts every request (mail_limits).
    assert unchanged == {**before, "mail_log": [(1, None, CLIENT_IP, "reset", False, START)]}
    assert [message["To"] for message in outbox_messages(db_settings)] == [EMAIL]


async def test_reset_token_is_random_and_stored_only_as_sha256(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings, clock: FakeClock
) -> None:
    await create_user(db_app.state.database, EMAIL)

    await request_reset(db_client)
    token = reset_token(db_settings)

    async with db_app.state.database.read() as conn:
        row = (await conn.execute(select(tokens).where(tokens.c.purpose == "reset"))).one()
    assert len(base64.urlsafe_b64decode(token + "=")) * 8 == 256
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(tuple(row))
    assert (row.expires_at - row.created_at).total_seconds() == 3600


async def test_reset_sets_password_once_and_ends_all_sessions(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings
) -> None:
    await create_user(db_app.state.database, EMAIL)
    async with make_client(db_app, ip="198.51.100.5") as other_device:
        await log_in(other_device, EMAIL)
        await request_reset(db_client)
        token = reset_token(db_settings)

        form = await db_client.get(f"/reset/confirm?token={token}")
        done = await set_password(db_client, token)
        again = await set_password(db_client, token)

        assert form.status_code == 200
        assert (done.status_code, done.headers["location"]) == (303, "/login")
        assert again.status_code == 400
        assert "This link does not work any more" in again.text
        assert (await other_device.get("/profile")).status_code == 303
    async with db_app.state.database.read() as conn:
        stored = (await conn.execute(select(users.c.password_hash))).scalar_one()
    assert passwords.hasher.verify(stored, NEW_PASSWORD) is True
    assert (await log_in(db_client, EMAIL, NEW_PASSWORD)).status_code == 303


async def test_reset_link_expires_after_60_minutes(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings, clock: FakeClock
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await request_reset(db_client)
    token = reset_token(db_settings)
    clock.advance(minutes=60)

    page = await db_client.get(f"/reset/confirm?token={token}")
    response = await set_password(db_client, token)

    assert (page.status_code, response.status_code) == (400, 400)
    assert (await log_in(db_client, EMAIL, NEW_PASSWORD)).status_code == 400


async def test_reset_link_works_just_before_60_minutes(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings, clock: FakeClock
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await request_reset(db_client)
    token = reset_token(db_settings)
    clock.advance(minutes=59, seconds=59)

    response = await set_password(db_client, token)

    assert (response.status_code, response.headers["location"]) == (303, "/login")


async def test_new_reset_request_voids_the_previous_link(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await request_reset(db_client)
    first = reset_token(db_settings)
    for path in db_settings.outbox_dir.glob("*.eml"):
        path.unlink()
    await request_reset(db_client)
    second = reset_token(db_settings)

    old = await set_password(db_client, first)
    new = await set_password(db_client, second)

    assert (old.status_code, new.status_code) == (400, 303)


async def test_reset_with_weak_password_keeps_the_token_and_password(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await request_reset(db_client)
    token = reset_token(db_settings)

    weak = await post_form(
        db_client, "/reset/confirm", {"token": token, "password": "short"}, page="/login"
    )
    strong = await set_password(db_client, token)

    assert weak.status_code == 400
    assert "Use at least 12 characters." in weak.text
    assert f'name="token" value="{token}"' in weak.text
    assert strong.status_code == 303


async def test_verify_token_cannot_reset_a_password(
    db_client: httpx.AsyncClient, db_app: Starlette, db_settings: Settings
) -> None:
    await post_form(
        db_client, "/signup",
        {"name": "Ada", "email": EMAIL, "password": "correct horse battery staple 42",
         "locale": "en", "terms": "1"},
        page="/signup",
    )  # fmt: skip
    [message] = outbox_messages(db_settings)
    verify_token = link_in(message).split("token=")[1]

    response = await set_password(db_client, verify_token)

    assert response.status_code == 400
    assert (await log_in(db_client, EMAIL, NEW_PASSWORD)).status_code == 400
