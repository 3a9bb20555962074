"""Server-side sessions: cookie, rotation, ending, timeouts (SECURITY.md B6-B9), on both engines."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette

from hackathon.app import create_app
from hackathon.tables import sessions, users
from tests.web_fixtures import (
    PASSWORD,
    FakeClock,
    create_user,
    log_in,
    make_client,
    make_settings,
    post_form,
    running,
    signed_in_client,
    user_id_of,
)

EMAIL = "ada@example.org"


async def session_rows(app: Starlette) -> list[tuple[str, int | None]]:
    async with app.state.database.read() as conn:
        rows = (await conn.execute(select(sessions.c.id_hash, sessions.c.user_id))).all()
    return sorted((tuple(row) for row in rows), key=repr)  # type: ignore[misc]


async def is_signed_in(client: httpx.AsyncClient) -> bool:
    response = await client.get("/profile")
    assert response.status_code in (200, 303)
    return response.status_code == 200


async def test_cookie_is_host_prefixed_secure_httponly_lax_on_https(
    sqlite_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(sqlite_url, tmp_path / "data", base_url="https://testserver")
    async with (
        running(create_app(settings, clock=clock)) as app,
        make_client(app, base_url="https://testserver") as client,
    ):
        response = await client.get("/login")
        [cookie] = response.headers.get_list("set-cookie")
        name, value = cookie.split(";")[0].split("=", 1)

        assert name == "__Host-session"
        assert cookie == f"__Host-session={value}; Path=/; HttpOnly; SameSite=Lax; Secure"
        assert len(value) == 43  # 32 random bytes, base64url
        assert await session_rows(app) == [(hashlib.sha256(value.encode()).hexdigest(), None)]
        assert "max-age=31536000" in response.headers["strict-transport-security"]


async def test_cookie_without_https_has_no_secure_flag(client: httpx.AsyncClient) -> None:
    response = await client.get("/login")

    [cookie] = response.headers.get_list("set-cookie")
    assert cookie.startswith("session=")
    assert cookie.endswith("; Path=/; HttpOnly; SameSite=Lax")
    assert "strict-transport-security" not in response.headers


async def test_static_files_and_redirects_create_no_session(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    static = await client.get("/static/style.css")
    redirect = await client.get("/profile")

    assert (static.status_code, redirect.status_code) == (200, 303)
    assert static.headers.get_list("set-cookie") == redirect.headers.get_list("set-cookie") == []
    assert await session_rows(app) == []


async def test_login_rotates_the_session_id(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    user_id = await create_user(db_app.state.database, EMAIL)
    await db_client.get("/login")
    anonymous = db_client.cookies["session"]

    await log_in(db_client, EMAIL)
    signed_in = db_client.cookies["session"]

    assert signed_in != anonymous
    assert await session_rows(db_app) == [(hashlib.sha256(signed_in.encode()).hexdigest(), user_id)]
    async with make_client(db_app) as replay:
        replay.cookies.set("session", anonymous)
        assert await is_signed_in(replay) is False


async def test_logout_makes_a_replayed_cookie_anonymous(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await log_in(db_client, EMAIL)
    copied = db_client.cookies["session"]

    response = await post_form(db_client, "/logout", {}, page="/profile")

    assert response.headers.get_list("set-cookie")[0] == (
        "session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    )
    assert await session_rows(db_app) == []
    async with make_client(db_app) as replay:
        replay.cookies.set("session", copied)
        assert await is_signed_in(replay) is False


async def test_password_change_ends_every_other_session(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await log_in(db_client, EMAIL)
    before = db_client.cookies["session"]
    async with make_client(db_app, ip="198.51.100.2") as other_device:
        await log_in(other_device, EMAIL)

        response = await post_form(
            db_client,
            "/profile/password",
            {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
            page="/profile",
        )

        assert (response.status_code, response.headers["location"]) == (303, "/profile")
        assert await is_signed_in(other_device) is False
    assert db_client.cookies["session"] != before
    assert await is_signed_in(db_client) is True
    async with make_client(db_app) as replay:
        replay.cookies.set("session", before)
        assert await is_signed_in(replay) is False


async def test_password_change_with_wrong_current_password_changes_nothing(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await log_in(db_client, EMAIL)
    rows = await session_rows(db_app)

    response = await post_form(
        db_client,
        "/profile/password",
        {"current_password": "not my password", "new_password": "a brand new passphrase"},
        page="/profile",
    )

    assert response.status_code == 400
    assert "This is not your current password." in response.text
    assert await session_rows(db_app) == rows


async def test_disabled_account_session_is_anonymous(
    db_client: httpx.AsyncClient, db_app: Starlette, clock: FakeClock
) -> None:
    await create_user(db_app.state.database, EMAIL)
    await log_in(db_client, EMAIL)
    async with db_app.state.database.write() as conn:
        await conn.execute(update(users).values(disabled_at=clock.now))

    assert await is_signed_in(db_client) is False
    assert await session_rows(db_app) == []
    assert (await log_in(db_client, EMAIL)).status_code == 400


async def test_role_change_ends_the_users_sessions(
    db_client: httpx.AsyncClient, db_app: Starlette
) -> None:
    organizer = await signed_in_client(db_app, "olga@example.org", roles=("organizer",))
    await create_user(db_app.state.database, EMAIL)
    await log_in(db_client, EMAIL)
    old_cookie = db_client.cookies["session"]
    user_id = await user_id_of(db_app, EMAIL)

    response = await post_form(
        organizer, f"/admin/users/{user_id}/roles", {"role": "mentor", "action": "grant"},
        page="/admin/users",
    )  # fmt: skip
    await organizer.aclose()

    assert response.status_code == 303
    async with make_client(db_app) as replay:
        replay.cookies.set("session", old_cookie)
        assert await is_signed_in(replay) is False
    await log_in(db_client, EMAIL)
    assert "Mentor" in (await db_client.get("/profile")).text


@pytest.mark.parametrize(
    ("roles", "idle_minutes", "signed_in"),
    [
        (("organizer",), 29, True),
        (("organizer",), 31, False),
        (("juror",), 31, False),
        (("jury_chair",), 31, False),
        (("participant",), 31, True),
        (("participant",), 179, True),
        (("participant",), 181, False),
        (("mentor",), 179, True),
    ],
)
async def test_idle_timeout(
    db_app: Starlette,
    clock: FakeClock,
    roles: tuple[str, ...],
    idle_minutes: int,
    signed_in: bool,
) -> None:
    client = await signed_in_client(db_app, EMAIL, roles=roles)
    clock.advance(minutes=idle_minutes)

    assert await is_signed_in(client) is signed_in
    await client.aclose()


async def test_staff_absolute_timeout_is_12_hours_even_when_active(
    db_app: Starlette, clock: FakeClock
) -> None:
    client = await signed_in_client(db_app, EMAIL, roles=("organizer",))
    for _ in range(24):
        clock.advance(minutes=29)
        assert await is_signed_in(client) is True  # up to 11 h 36 min, never idle
    clock.advance(minutes=29)

    assert await is_signed_in(client) is False
    await client.aclose()


async def test_activity_keeps_a_participant_signed_in_past_the_idle_limit(
    db_app: Starlette, clock: FakeClock
) -> None:
    client = await signed_in_client(db_app, EMAIL)
    for _ in range(3):
        clock.advance(hours=2)
        assert await is_signed_in(client) is True
    await client.aclose()


async def test_login_drops_sessions_idle_past_every_limit(
    db_app: Starlette, clock: FakeClock
) -> None:
    async with make_client(db_app) as abandoned:
        await abandoned.get("/login")
    await create_user(db_app.state.database, EMAIL)
    clock.advance(hours=3, seconds=1)

    client = await signed_in_client(db_app, "pia@example.org")
    await client.aclose()

    rows = await session_rows(db_app)
    assert [user_id for _, user_id in rows] == [await user_id_of(db_app, "pia@example.org")]


async def test_timed_out_user_is_told_to_log_in_again(db_app: Starlette, clock: FakeClock) -> None:
    client = await signed_in_client(db_app, EMAIL, roles=("juror",))
    clock.advance(minutes=31)

    redirect = await client.get("/profile")
    login_page = await client.get(redirect.headers["location"])
    await client.aclose()

    assert (redirect.status_code, redirect.headers["location"]) == (303, "/login?next=/profile")
    assert "Please log in to continue." in login_page.text
