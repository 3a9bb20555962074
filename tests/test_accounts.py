"""Sign-up, e-mail verification, login, logout, profile and the language switch."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from hackathon.domain.accounts import TERMS_POLICY_VERSION
from hackathon.settings import Settings
from hackathon.tables import consents, tokens, user_roles, users
from tests.web_fixtures import (
    CLIENT_IP,
    PASSWORD,
    START,
    FakeClock,
    create_user,
    csrf_token,
    link_in,
    log_in,
    outbox_messages,
    post_form,
    snapshot,
    user_id_of,
)

SIGNUP = {
    "name": "Ada Lovelace",
    "email": "Ada@Example.org",
    "password": PASSWORD,
    "locale": "fr",
    "terms": "1",
}


async def sign_up(client: httpx.AsyncClient, **changes: str) -> httpx.Response:
    return await post_form(client, "/signup", {**SIGNUP, **changes}, page="/signup")


async def test_signup_creates_participant_with_consent_and_sends_link(
    client: httpx.AsyncClient, app: Starlette, settings: Settings
) -> None:
    response = await sign_up(client)

    assert (response.status_code, response.headers["location"]) == (303, "/login")
    async with app.state.database.read() as conn:
        user = (await conn.execute(select(users))).one()
        roles = (await conn.execute(select(user_roles.c.role))).scalars().all()
        consent = (await conn.execute(select(consents))).one()
    assert (user.email, user.name, user.locale, user.email_verified_at) == (
        "ada@example.org",
        "Ada Lovelace",
        "fr",
        None,
    )
    assert user.password_hash.startswith("$argon2id$")
    assert roles == ["participant"]
    assert (consent.user_id, consent.purpose, consent.policy_version, consent.granted) == (
        user.id,
        "terms",
        TERMS_POLICY_VERSION,
        True,
    )
    [message] = outbox_messages(settings)
    assert message["To"] == "ada@example.org"
    assert link_in(message).startswith("/verify?token=")


async def test_signup_without_terms_shows_error_and_writes_nothing(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    token = await csrf_token(client, "/signup")
    before = await snapshot(app)

    response = await client.post("/signup", data={**SIGNUP, "terms": "", "csrf_token": token})

    assert response.status_code == 400
    assert 'id="field-terms-errors"' in response.text
    assert "Accept the terms of participation to sign up." in response.text
    assert 'aria-describedby="field-terms-errors"' in response.text
    assert await snapshot(app) == before


async def test_signup_invalid_fields_each_say_what_to_fix(client: httpx.AsyncClient) -> None:
    response = await sign_up(client, name="", email="not-an-address", password="short", locale="xx")

    assert response.status_code == 400
    for message in (
        "Enter your name.",
        "Enter an e-mail address like name@example.org.",
        "Use at least 12 characters.",
        "Choose one of the offered languages.",
    ):
        assert message in response.text
    assert 'value="not-an-address"' in response.text
    assert 'value="short"' not in response.text


async def test_signup_taken_email_answers_the_same_and_adds_nothing(
    client: httpx.AsyncClient, app: Starlette, settings: Settings
) -> None:
    await create_user(app.state.database, "ada@example.org")
    token = await csrf_token(client, "/signup")
    before = await snapshot(app)

    response = await client.post("/signup", data={**SIGNUP, "csrf_token": token})

    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert response.headers.get_list("set-cookie") == [
        "flash=signed_up; Path=/; HttpOnly; SameSite=Lax; Max-Age=120"
    ]
    # Nothing changed but the client's mail cap, which counts every request (mail_limits).
    assert await snapshot(app) == {
        **before,
        "mail_log": [(1, None, CLIENT_IP, "verify", False, START)],
    }
    assert outbox_messages(settings) == []


async def test_signup_ignores_extra_fields(client: httpx.AsyncClient, app: Starlette) -> None:
    response = await sign_up(client, role="organizer", user_id="1", email_verified_at="2020-01-01")

    assert response.status_code == 303
    async with app.state.database.read() as conn:
        user = (await conn.execute(select(users))).one()
        roles = (await conn.execute(select(user_roles.c.role))).scalars().all()
    assert (roles, user.email_verified_at) == (["participant"], None)


async def test_verify_link_confirms_address_once(
    client: httpx.AsyncClient, app: Starlette, settings: Settings
) -> None:
    await sign_up(client)
    link = link_in(outbox_messages(settings)[0])
    token = link.split("token=")[1]

    page = await client.get(link)
    response = await post_form(client, "/verify", {"token": token}, page=link)
    again = await post_form(client, "/verify", {"token": token}, page=link)

    assert page.status_code == 200
    assert f'name="token" value="{token}"' in page.text
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    async with app.state.database.read() as conn:
        verified = (await conn.execute(select(users.c.email_verified_at))).scalar_one()
        stored = (await conn.execute(select(tokens.c.token_hash, tokens.c.purpose))).one()
    assert verified is not None
    assert tuple(stored) == (hashlib.sha256(token.encode()).hexdigest(), "verify")
    assert again.status_code == 400
    assert "This link does not work any more" in again.text


async def test_verify_link_expires_after_48_hours(
    client: httpx.AsyncClient, app: Starlette, settings: Settings, clock: FakeClock
) -> None:
    await sign_up(client)
    token = link_in(outbox_messages(settings)[0]).split("token=")[1]
    clock.advance(hours=48)

    response = await post_form(client, "/verify", {"token": token}, page="/login")

    assert response.status_code == 400
    async with app.state.database.read() as conn:
        verified = (await conn.execute(select(users.c.email_verified_at))).scalar_one()
    assert verified is None


async def test_login_then_profile_shows_the_account(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "ada@example.org", name="Ada Lovelace")

    response = await log_in(client, "ADA@example.org ")
    profile = await client.get("/profile")

    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert profile.status_code == 200
    assert "ada@example.org" in profile.text
    assert 'value="Ada Lovelace"' in profile.text


async def test_login_follows_safe_next_only(client: httpx.AsyncClient, app: Starlette) -> None:
    await create_user(app.state.database, "ada@example.org")
    token = await csrf_token(client)
    data = {"csrf_token": token, "email": "ada@example.org", "password": PASSWORD}

    evil = await client.post("/login", data={**data, "next": "//evil.example/x"})
    token = await csrf_token(client)
    good = await client.post("/login", data={**data, "csrf_token": token, "next": "/profile?tab=1"})

    assert evil.headers["location"] == "/"
    assert good.headers["location"] == "/profile?tab=1"


async def test_anonymous_profile_redirects_to_login_with_next(client: httpx.AsyncClient) -> None:
    response = await client.get("/profile")

    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/profile")


async def test_profile_update_saves_name_and_language(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "ada@example.org")
    await log_in(client, "ada@example.org")

    response = await post_form(
        client, "/profile", {"name": "Ada King", "locale": "de"}, page="/profile"
    )

    assert (response.status_code, response.headers["location"]) == (303, "/profile")
    assert "lang=de; Path=/; Max-Age=31536000; SameSite=Lax" in response.headers.get_list(
        "set-cookie"
    )
    async with app.state.database.read() as conn:
        row = (await conn.execute(select(users.c.name, users.c.locale))).one()
    assert tuple(row) == ("Ada King", "de")
    page = await client.get("/profile")
    assert '<html lang="de">' in page.text


async def test_profile_uses_stored_language_without_cookie(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "ada@example.org", locale="fr")
    await log_in(client, "ada@example.org")

    page = await client.get("/profile", headers={"accept-language": "de"})

    assert page.headers["content-language"] == "fr"


async def test_language_switch_sets_cookie_and_profile(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "ada@example.org")
    await log_in(client, "ada@example.org")

    response = await post_form(
        client, "/language", {"locale": "lb", "next": "/profile"}, page="/profile"
    )

    assert (response.status_code, response.headers["location"]) == (303, "/profile")
    assert client.cookies["lang"] == "lb"
    async with app.state.database.read() as conn:
        assert (await conn.execute(select(users.c.locale))).scalar_one() == "lb"


async def test_language_switch_refuses_offsite_redirect(client: httpx.AsyncClient) -> None:
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"):
        response = await post_form(client, "/language", {"locale": "de", "next": target})

        assert (response.status_code, response.headers["location"]) == (303, "/")


async def test_logout_ends_session(client: httpx.AsyncClient, app: Starlette) -> None:
    await create_user(app.state.database, "ada@example.org")
    await log_in(client, "ada@example.org")

    response = await post_form(client, "/logout", {}, page="/profile")
    profile = await client.get("/profile")

    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert profile.status_code == 303


async def test_resend_verification_sends_new_link_and_old_one_stops(
    client: httpx.AsyncClient, app: Starlette, settings: Settings, clock: FakeClock
) -> None:
    await sign_up(client)
    first = link_in(outbox_messages(settings)[0]).split("token=")[1]
    await log_in(client, "ada@example.org")
    clock.advance(minutes=5)

    response = await post_form(client, "/verify/resend", {}, page="/profile")

    assert (response.status_code, response.headers["location"]) == (303, "/profile")
    links = {link_in(message).split("token=")[1] for message in outbox_messages(settings)}
    [second] = links - {first}
    old = await post_form(client, "/verify", {"token": first}, page="/profile")
    new = await post_form(client, "/verify", {"token": second}, page="/profile")
    assert (old.status_code, new.status_code) == (400, 303)
    assert await user_id_of(app, "ada@example.org") == 1
    assert START + timedelta(minutes=5) == clock.now
