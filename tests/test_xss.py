"""User-controlled text is always escaped in account and admin pages (SECURITY.md D17)."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette

from hackathon.settings import PROJECT_ROOT
from tests.web_fixtures import PASSWORD, csrf_token, log_in, post_form, signed_in_client

CANARY = "\"><svg onload=x>'"
ESCAPED = "&#34;&gt;&lt;svg onload=x&gt;&#39;"


def assert_escaped(html: str) -> None:
    assert "<svg" not in html
    assert ESCAPED in html


async def test_canary_name_is_escaped_on_profile_and_admin_pages(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    signup = await post_form(
        client, "/signup",
        {"name": CANARY, "email": "eve@example.org", "password": PASSWORD, "locale": "en",
         "terms": "1"},
        page="/signup",
    )  # fmt: skip
    await log_in(client, "eve@example.org")
    organizer = await signed_in_client(app, "olga@example.org", roles=("organizer",))

    profile = await client.get("/profile")
    admin = await organizer.get("/admin/users")
    await organizer.aclose()

    assert signup.status_code == 303
    assert_escaped(profile.text)
    assert_escaped(admin.text)


async def test_canary_in_rejected_fields_is_escaped_when_echoed(
    client: httpx.AsyncClient,
) -> None:
    token = await csrf_token(client, "/signup")

    response = await client.post(
        "/signup",
        data={"csrf_token": token, "name": CANARY, "email": CANARY, "password": "x",
              "locale": CANARY},
    )  # fmt: skip

    assert response.status_code == 400
    assert_escaped(response.text)


async def test_canary_in_next_parameter_is_escaped(client: httpx.AsyncClient) -> None:
    response = await client.get("/login", params={"next": "/" + CANARY})

    assert response.status_code == 200
    assert "<svg" not in response.text
    assert 'name="next" value="/&#34;&gt;&lt;svg onload=x&gt;&#39;"' in response.text


async def test_canary_token_is_escaped_on_verify_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/verify", params={"token": CANARY})

    assert_escaped(response.text)


def test_account_templates_never_mark_text_safe() -> None:
    templates = [
        *Path(PROJECT_ROOT, "templates", "accounts").glob("*.html"),
        *Path(PROJECT_ROOT, "templates", "admin").glob("*.html"),
    ]

    assert len(templates) >= 8
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "")
        assert "autoescape false" not in text


async def test_templates_autoescape_every_file(app: Starlette) -> None:
    env = app.state.templates.env

    assert env.autoescape is True
    rendered = env.from_string("{{ value }}").render(value=CANARY)
    assert rendered == ESCAPED
