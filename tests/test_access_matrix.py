"""Access control (SECURITY.md C10, C11, C13, C14).

The role x route matrix below is checked against the router: a route without a row,
or a row without a route, fails. Every cell states the exact answer (status and,
for redirects, the target). Team captains and other participants join the matrix
with the team routes.
"""

from __future__ import annotations

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from hackathon.tables import user_roles, users
from tests.web_fixtures import (
    PASSWORD,
    ROLES_UNDER_TEST,
    create_user,
    csrf_from,
    log_in,
    make_client,
    post_form,
    routes_of,
    signed_in_client,
    snapshot,
    user_id_of,
)

ANON = "anonymous"
ALL = (ANON, *ROLES_UNDER_TEST)
SIGNED_IN = ROLES_UNDER_TEST
OK = (200, None)


def same(answer: tuple[int, str | None], roles: tuple[str, ...] = ALL) -> dict:
    return dict.fromkeys(roles, answer)


def signed_in_only(answer: tuple[int, str | None], login_target: str) -> dict:
    return {ANON: (303, login_target), **same(answer, SIGNED_IN)}


def organizer_only(answer: tuple[int, str | None], login_target: str) -> dict:
    forbidden = same((403, None), ("participant", "mentor", "juror", "jury_chair"))
    return {ANON: (303, login_target), **forbidden, "organizer": answer}


MATRIX: dict[tuple[str, str], dict[str, tuple[int, str | None]]] = {
    ("GET", "/"): same(OK),
    ("GET", "/signup"): same(OK),
    ("GET", "/login"): same(OK),
    ("GET", "/verify"): same(OK),
    ("GET", "/reset"): same(OK),
    ("GET", "/reset/confirm"): same((400, None)),
    ("GET", "/profile"): signed_in_only(OK, "/login?next=/profile"),
    ("GET", "/admin/users"): organizer_only(OK, "/login?next=/admin/users"),
    ("POST", "/signup"): same((303, "/login")),
    ("POST", "/login"): same((400, None)),
    ("POST", "/logout"): same((303, "/")),
    ("POST", "/verify"): same((400, None)),
    ("POST", "/verify/resend"): signed_in_only((303, "/profile"), "/login"),
    ("POST", "/reset"): same((303, "/login")),
    ("POST", "/reset/confirm"): same((400, None)),
    ("POST", "/profile"): signed_in_only((303, "/profile"), "/login"),
    ("POST", "/profile/password"): signed_in_only((400, None), "/login"),
    ("POST", "/language"): same((303, "/")),
    ("POST", "/admin/users/{user_id:int}/roles"): organizer_only((303, "/admin/users"), "/login"),
}


def body(method: str, path: str, role: str) -> dict[str, str]:
    """A valid-looking body per POST route; it must not end the client's own session."""
    return {
        "/signup": {"name": "New Person", "email": f"new-{role}@example.org",
                    "password": PASSWORD, "locale": "en", "terms": "1"},
        "/login": {"email": "nobody@example.org", "password": "not the password"},
        "/verify": {"token": "not-a-token"},
        "/reset": {"email": "nobody@example.org"},
        "/reset/confirm": {"token": "not-a-token", "password": "a brand new passphrase"},
        "/profile": {"name": f"Renamed {role}", "locale": "en"},
        "/profile/password": {"current_password": "wrong", "new_password": "a new passphrase!"},
        "/language": {"locale": "en", "next": "/"},
        "/admin/users/{user_id:int}/roles": {"role": "mentor", "action": "grant"},
    }.get(path, {}) if method == "POST" else {}  # fmt: skip


async def clients_per_role(app: Starlette) -> dict[str, httpx.AsyncClient]:
    clients = {ANON: make_client(app)}
    for role in ROLES_UNDER_TEST:
        clients[role] = await signed_in_client(app, f"{role}@example.org", roles=(role,))
    return clients


async def answer(client: httpx.AsyncClient, method: str, url: str, data: dict) -> tuple:
    page = await client.get("/login")
    token = csrf_from(page.text)
    if method == "GET":
        response = await client.get(url)
    else:
        response = await client.post(url, data={**data, "csrf_token": token})
    return response.status_code, response.headers.get("location")


async def test_matrix_covers_exactly_the_routes_of_the_router(app: Starlette) -> None:
    assert sorted(MATRIX) == routes_of(app)


async def test_role_route_matrix(app: Starlette) -> None:
    clients = await clients_per_role(app)
    target = await create_user(app.state.database, "target@example.org")
    # Logging out last: every other request keeps the client's session.
    order = sorted(MATRIX, key=lambda route: route == ("POST", "/logout"))
    found, expected = {}, {}
    for method, path in order:
        url = path.replace("{user_id:int}", str(target))
        for role in ALL:
            cell = (method, path, role)
            found[cell] = await answer(clients[role], method, url, body(method, path, role))
            expected[cell] = MATRIX[(method, path)][role]
    for client in clients.values():
        await client.aclose()

    assert found == expected


async def test_anonymous_gets_login_redirect_on_every_non_public_get(app: Starlette) -> None:
    public = {path for (method, path), cells in MATRIX.items() if cells[ANON][0] != 303}
    async with make_client(app) as anonymous:
        for method, path in routes_of(app):
            if method == "GET" and path not in public:
                response = await anonymous.get(path)

                assert response.status_code == 303
                assert response.headers["location"] == f"/login?next={path}"


async def test_unknown_user_answers_404_and_changes_nothing(db_app: Starlette) -> None:
    organizer = await signed_in_client(db_app, "olga@example.org", roles=("organizer",))
    token = csrf_from((await organizer.get("/admin/users")).text)
    before = await snapshot(db_app)

    missing = await organizer.post(
        "/admin/users/999999/roles", data={"csrf_token": token, "role": "mentor", "action": "grant"}
    )
    malformed = await organizer.post(
        "/admin/users/abc/roles", data={"csrf_token": token, "role": "mentor", "action": "grant"}
    )
    await organizer.aclose()

    assert (missing.status_code, malformed.status_code) == (404, 404)
    assert "Page not found" in missing.text
    assert await snapshot(db_app) == before


async def test_unknown_role_answers_404_and_changes_nothing(app: Starlette) -> None:
    organizer = await signed_in_client(app, "olga@example.org", roles=("organizer",))
    target = await create_user(app.state.database, "pia@example.org")
    token = csrf_from((await organizer.get("/admin/users")).text)
    before = await snapshot(app)

    response = await organizer.post(
        f"/admin/users/{target}/roles", data={"csrf_token": token, "role": "god", "action": "grant"}
    )
    await organizer.aclose()

    assert response.status_code == 404
    assert await snapshot(app) == before


async def test_organizer_cannot_change_own_roles(app: Starlette) -> None:
    organizer = await signed_in_client(app, "olga@example.org", roles=("organizer",))
    own = await user_id_of(app, "olga@example.org")
    token = csrf_from((await organizer.get("/admin/users")).text)
    before = await snapshot(app)

    response = await organizer.post(
        f"/admin/users/{own}/roles",
        data={"csrf_token": token, "role": "organizer", "action": "revoke"},
    )
    await organizer.aclose()

    assert response.status_code == 403
    assert await snapshot(app) == before


async def test_profile_ignores_extra_fields(client: httpx.AsyncClient, app: Starlette) -> None:
    other = await create_user(app.state.database, "other@example.org", name="Other")
    await create_user(app.state.database, "pia@example.org", name="Pia")
    await log_in(client, "pia@example.org")

    response = await post_form(
        client,
        "/profile",
        {"name": "Pia P.", "locale": "de", "role": "organizer", "user_id": str(other),
         "email": "evil@example.org", "id": str(other), "email_verified_at": "2020-01-01"},
        page="/profile",
    )  # fmt: skip

    assert response.status_code == 303
    async with app.state.database.read() as conn:
        rows = (await conn.execute(select(users.c.email, users.c.name, users.c.locale))).all()
        roles = (await conn.execute(select(user_roles.c.role))).scalars().all()
    assert sorted(tuple(row) for row in rows) == [
        ("other@example.org", "Other", "en"),
        ("pia@example.org", "Pia P.", "de"),
    ]
    assert sorted(roles) == ["participant", "participant"]


async def test_revoked_role_stops_working_on_the_next_request(db_app: Starlette) -> None:
    chief = await signed_in_client(db_app, "chief@example.org", roles=("organizer",))
    deputy = await signed_in_client(db_app, "deputy@example.org", roles=("organizer",))
    deputy_id = await user_id_of(db_app, "deputy@example.org")
    assert (await deputy.get("/admin/users")).status_code == 200

    revoked = await post_form(
        chief, f"/admin/users/{deputy_id}/roles", {"role": "organizer", "action": "revoke"},
        page="/admin/users",
    )  # fmt: skip
    next_request = await deputy.get("/admin/users")
    await log_in(deputy, "deputy@example.org")
    after_login = await deputy.get("/admin/users")
    await chief.aclose()
    await deputy.aclose()

    assert (revoked.status_code, revoked.headers["location"]) == (303, "/admin/users")
    assert (next_request.status_code, next_request.headers["location"]) == (
        303,
        "/login?next=/admin/users",
    )
    assert after_login.status_code == 403
    async with db_app.state.database.read() as conn:
        roles = (
            (await conn.execute(select(user_roles.c.role).where(user_roles.c.user_id == deputy_id)))
            .scalars()
            .all()
        )
    assert roles == []


async def test_admin_page_lists_users_with_their_roles(app: Starlette) -> None:
    organizer = await signed_in_client(app, "olga@example.org", roles=("organizer",))
    await create_user(app.state.database, "mia@example.org", roles=("participant", "mentor"))

    page = await organizer.get("/admin/users")
    await organizer.aclose()

    assert page.status_code == 200
    assert "mia@example.org" in page.text
    assert 'aria-label="Revoke Mentor from Test Person"' in page.text
    assert 'aria-label="Grant Juror to Test Person"' in page.text
    assert page.text.count('action="/admin/users/') == 5  # one form per role of Mia only


async def test_unrouted_method_answers_405_for_every_role_and_changes_nothing(
    app: Starlette,
) -> None:
    routed = set(routes_of(app))
    paths = sorted({path for _, path in routed})
    clients = await clients_per_role(app)
    target = await create_user(app.state.database, "target@example.org")
    await clients[ANON].get("/login")  # the anonymous session exists before the snapshot
    before = await snapshot(app)
    found, expected = {}, {}
    for path in paths:
        for method in ("GET", "POST"):
            if (method, path) in routed:
                continue
            url = path.replace("{user_id:int}", str(target))
            for role in ALL:
                status, _ = await answer(clients[role], method, url, {})
                found[(method, path, role)] = status
                expected[(method, path, role)] = 405
    for client in clients.values():
        await client.aclose()

    # POST / and /admin/users; GET on the five POST-only routes.
    assert len(found) == len(ALL) * 7
    assert found == expected
    assert await snapshot(app) == before
