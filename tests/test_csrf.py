"""CSRF: every state-changing route refuses a missing or foreign token (SECURITY.md 15)."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from hackathon.app import create_app
from hackathon.settings import Settings
from tests.web_fixtures import (
    PASSWORD,
    FakeClock,
    create_user,
    csrf_from,
    csrf_token,
    log_in,
    make_client,
    routes_of,
    signed_in_client,
    snapshot,
    user_id_of,
)

# A body that would change something on each route if it were accepted.
BODIES = {
    "/signup": {"name": "Eve", "email": "eve@example.org", "password": PASSWORD, "locale": "en",
                "terms": "1"},
    "/login": {"email": "olga@example.org", "password": PASSWORD},
    "/logout": {},
    "/verify": {"token": "x"},
    "/verify/resend": {},
    "/reset": {"email": "olga@example.org"},
    "/reset/confirm": {"token": "x", "password": "a brand new passphrase"},
    "/profile": {"name": "Changed", "locale": "de"},
    "/profile/password": {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    "/language": {"locale": "de", "next": "/"},
    "/admin/users/{user_id:int}/roles": {"role": "organizer", "action": "grant"},
}  # fmt: skip


def post_routes(app: Starlette) -> list[str]:
    return [path for method, path in routes_of(app) if method == "POST"]


def test_every_post_route_has_a_csrf_case(settings: Settings) -> None:
    assert sorted(post_routes(create_app(settings))) == sorted(BODIES)


async def _organizer_and_target(app: Starlette) -> tuple[httpx.AsyncClient, int]:
    organizer = await signed_in_client(app, "olga@example.org", roles=("organizer",))
    await create_user(app.state.database, "pia@example.org")
    return organizer, await user_id_of(app, "pia@example.org")


def _url(path: str, target: int) -> str:
    return path.replace("{user_id:int}", str(target))


async def test_post_without_token_is_403_and_changes_nothing(app: Starlette) -> None:
    organizer, target = await _organizer_and_target(app)
    await organizer.get("/profile")
    before = await snapshot(app)

    for path in post_routes(app):
        response = await organizer.post(_url(path, target), data=BODIES[path])

        assert (path, response.status_code) == (path, 403)
        assert "This form has expired" in response.text
        assert await snapshot(app) == before
    await organizer.aclose()


async def test_post_with_foreign_token_is_403_and_changes_nothing(app: Starlette) -> None:
    organizer, target = await _organizer_and_target(app)
    async with make_client(app, ip="198.51.100.3") as attacker:
        foreign = await csrf_token(attacker)
        before = await snapshot(app)

        for path in post_routes(app):
            data = {**BODIES[path], "csrf_token": foreign}
            response = await organizer.post(_url(path, target), data=data)

            assert (path, response.status_code) == (path, 403)
            assert await snapshot(app) == before
    await organizer.aclose()


async def test_anonymous_post_without_session_is_403_and_creates_nothing(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "olga@example.org")
    before = await snapshot(app)

    for path in ("/login", "/signup", "/reset", "/language", "/logout"):
        response = await client.post(path, data={**BODIES[path], "csrf_token": "guessed"})

        assert (path, response.status_code) == (path, 403)
        assert response.headers.get_list("set-cookie") == []
    assert await snapshot(app) == before


async def test_token_of_ended_session_is_refused(client: httpx.AsyncClient, app: Starlette) -> None:
    await create_user(app.state.database, "olga@example.org")
    await log_in(client, "olga@example.org")
    old_token = await csrf_token(client, "/profile")
    await client.post("/logout", data={"csrf_token": old_token})

    response = await client.post("/login", data={**BODIES["/login"], "csrf_token": old_token})

    assert response.status_code == 403
    assert (await client.get("/profile")).status_code == 303


async def test_token_in_header_is_accepted(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)

    response = await client.post(
        "/language", data={"locale": "fr", "next": "/login"}, headers={"X-CSRF-Token": token}
    )

    assert (response.status_code, response.headers["location"]) == (303, "/login")


async def test_multipart_form_token_is_read(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)

    response = await client.post(
        "/language",
        data={"csrf_token": token, "locale": "fr", "next": "/login"},
        files={"attachment": ("a.txt", b"hello", "text/plain")},
    )

    assert (response.status_code, response.headers["location"]) == (303, "/login")


async def test_login_rotation_gives_a_new_csrf_token(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "olga@example.org")
    anonymous_token = await csrf_token(client)

    await log_in(client, "olga@example.org")
    signed_in_token = csrf_from((await client.get("/profile")).text)
    refused = await client.post("/language", data={"csrf_token": anonymous_token, "locale": "de"})

    assert signed_in_token != anonymous_token
    assert refused.status_code == 403


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_unsafe_methods_need_a_token_too(
    client: httpx.AsyncClient, method: str, clock: FakeClock
) -> None:
    await csrf_token(client)

    response = await client.request(method, "/profile")

    assert response.status_code == 403
