"""Security headers everywhere, error pages without tracebacks, body cap (SECURITY.md 18, 19)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.types import Message

from hackathon.app import create_app
from hackathon.middleware import CONTENT_SECURITY_POLICY, MAX_BODY_BYTES
from hackathon.queries import accounts as accounts_q
from hackathon.settings import Settings
from tests.web_fixtures import (
    FakeClock,
    create_user,
    csrf_token,
    log_in,
    make_client,
    make_settings,
    running,
)

EXPECTED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


def assert_security_headers(response: httpx.Response, *, cacheable: bool = False) -> None:
    for name, value in EXPECTED.items():
        assert (name, response.headers.get(name)) == (name, value)
    assert response.headers.get("cache-control") == (None if cacheable else "no-store")


def test_csp_forbids_inline_script_and_framing() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))

    assert directives == {
        "default-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }


async def test_headers_on_pages_redirects_and_errors(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "ada@example.org")
    responses = {
        "home": await client.get("/"),
        "login": await client.get("/login"),
        "redirect": await client.get("/profile"),
        "not found": await client.get("/no/such/page"),
        "csrf": await client.post("/login", data={}),
        "method": await client.delete("/login", headers={"x-csrf-token": await csrf_token(client)}),
        "too large": await client.post("/login", content=b"x" * (MAX_BODY_BYTES + 1)),
    }
    await log_in(client, "ada@example.org")
    responses["signed in"] = await client.get("/profile")

    assert {name: r.status_code for name, r in responses.items()} == {
        "home": 200,
        "login": 200,
        "redirect": 303,
        "not found": 404,
        "csrf": 403,
        "method": 405,
        "too large": 413,
        "signed in": 200,
    }
    for response in responses.values():
        assert_security_headers(response)
    assert "strict-transport-security" not in responses["home"].headers


async def test_page_scripts_are_never_inline(client: httpx.AsyncClient) -> None:
    for path in ("/", "/login", "/signup", "/reset"):
        page = (await client.get(path)).text

        assert "<script" not in page
        assert " style=" not in page
        assert " onclick=" not in page


async def test_static_files_are_cacheable_with_security_headers(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/static/style.css")

    assert response.status_code == 200
    assert_security_headers(response, cacheable=True)


async def test_throttled_page_has_headers(
    client: httpx.AsyncClient, app: Starlette, clock: FakeClock
) -> None:
    async with app.state.database.write() as conn:
        for _ in range(10):
            await accounts_q.insert_login_failure(
                conn, email="ada@example.org", ip="203.0.113.7", now=clock.now
            )

    response = await log_in(client, "ada@example.org")

    assert response.status_code == 429
    assert_security_headers(response)


async def test_https_adds_hsts_of_at_least_a_year(
    sqlite_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(sqlite_url, tmp_path / "data", base_url="https://testserver")
    async with (
        running(create_app(settings, clock=clock)) as app,
        make_client(app, base_url="https://testserver") as client,
    ):
        for response in (await client.get("/"), await client.get("/missing")):
            assert response.headers["strict-transport-security"] == (
                "max-age=31536000; includeSubDomains"
            )


def _break_database(settings: Settings) -> None:
    path = make_url(settings.database_url).database
    with sqlite3.connect(str(path)) as conn:
        conn.execute("DROP TABLE sites")
        conn.execute("DROP TABLE events")
    conn.close()


async def test_server_error_page_has_headers_and_no_traceback(
    settings: Settings, clock: FakeClock
) -> None:
    async with running(create_app(settings, clock=clock)) as app:
        _break_database(settings)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.get("/", headers={"accept-language": "de"})

    assert response.status_code == 500
    assert_security_headers(response)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="de">' in response.text
    for leak in ("Traceback", "sqlalchemy", "OperationalError", "no such table", 'File "'):
        assert leak not in response.text


async def test_declared_oversized_body_is_refused_before_reading(app: Starlette) -> None:
    reads: list[int] = []
    messages = await _call(app, headers=[(b"content-length", str(MAX_BODY_BYTES + 1).encode())],
                           chunks=[b"x" * 1024] * 3000, reads=reads)  # fmt: skip

    assert messages[0]["status"] == 413
    assert reads == []


async def test_streamed_body_stops_at_the_limit(app: Starlette) -> None:
    reads: list[int] = []
    chunk = b"x" * (256 * 1024)

    messages = await _call(app, headers=[], chunks=[chunk] * 100, reads=reads)

    assert messages[0]["status"] == 413
    # 2 MiB is 8 chunks of 256 KiB; the 9th passes the limit and reading stops there.
    assert len(reads) == 9


async def test_body_at_the_limit_is_accepted(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    # Two padding fields: Starlette caps a single form field at 1 MiB.
    fixed = f"csrf_token={token}&locale=fr&next=/login&a={'x' * (2**20 - 10)}&b=".encode()
    body = fixed + b"x" * (MAX_BODY_BYTES - len(fixed))

    response = await client.post(
        "/language", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )

    assert len(body) == MAX_BODY_BYTES
    assert (response.status_code, response.headers["location"]) == (303, "/login")


@pytest.mark.parametrize("declared", [True, False])
async def test_oversized_body_gets_translated_413_page(
    client: httpx.AsyncClient, declared: bool
) -> None:
    body = b"x" * (MAX_BODY_BYTES + 1)

    async def stream() -> AsyncIterator[bytes]:
        yield body

    response = await client.post(
        "/signup",
        content=body if declared else stream(),
        headers={"accept-language": "fr", "content-type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 413
    assert response.headers["content-language"] == "fr"
    assert '<html lang="fr">' in response.text
    assert_security_headers(response)


async def _call(
    app: Starlette, *, headers: list[tuple[bytes, bytes]], chunks: list[bytes], reads: list[int]
) -> list[Message]:
    """Drive the ASGI app by hand to count how much of the body it pulls."""
    pending = list(chunks)
    sent: list[Message] = []

    async def receive() -> Message:
        reads.append(1)
        body = pending.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(pending)}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/signup", "raw_path": b"/signup", "query_string": b"",
        "root_path": "", "headers": [(b"host", b"testserver"), *headers],
        "client": ("203.0.113.7", 5000), "server": ("testserver", 80),
    }  # fmt: skip
    await app(scope, receive, send)
    return sent
