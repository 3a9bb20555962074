"""Web app fixtures: settings, a movable clock, the app with its lifespan, clients, users.

``app``/``client`` run on a fresh SQLite file; ``db_app``/``db_client`` run once on
SQLite and once on PostgreSQL (W1's ``db_url``). Mail goes to the outbox under the
test's data directory; ``outbox_messages`` reads it back. ``smtp_app`` sends to a real
SMTP server (aiosmtpd) on 127.0.0.1 instead, whose ``Inbox`` keeps every message.
"""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import Route

from hackathon import passwords
from hackathon.app import create_app
from hackathon.db import Database
from hackathon.domain import accounts
from hackathon.queries import accounts as accounts_q
from hackathon.settings import Settings, SmtpSettings
from hackathon.tables import metadata

PASSWORD = "correct horse battery staple 42"
CLIENT_IP = "203.0.113.7"
ROLES_UNDER_TEST = ("participant", "mentor", "juror", "jury_chair", "organizer")
START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class FakeClock:
    """UTC now, moved forward by the test; create_app takes it as its clock."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "secret_key": "test-secret-key",
        "base_url": "http://testserver",
        "data_dir": data_dir,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[Starlette]:
    """Run the app's lifespan (httpx's transport does not)."""
    async with app.router.lifespan_context(app):
        yield app


def make_client(app: Starlette, *, ip: str = CLIENT_IP, base_url: str = "http://testserver"):
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url=base_url)


def csrf_from(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, "no CSRF field in the page"
    return found.group(1)


async def csrf_token(client: httpx.AsyncClient, path: str = "/login") -> str:
    """Open ``path`` (creating the anonymous session if needed) and read its CSRF token."""
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return csrf_from(response.text)


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, str], *, page: str = "/login"
) -> httpx.Response:
    """POST ``data`` with a valid CSRF token taken from ``page``."""
    token = await csrf_token(client, page)
    return await client.post(path, data={"csrf_token": token, **data})


async def log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await post_form(client, "/login", {"email": email, "password": password})


async def create_user(
    database: Database,
    email: str,
    *,
    roles: tuple[str, ...] = ("participant",),
    password: str = PASSWORD,
    name: str = "Test Person",
    locale: str = "en",
    verified: bool = True,
) -> int:
    """An account made through the domain functions, with ``roles`` granted."""
    password_hash = await passwords.hash_password(password)
    async with database.write() as conn:
        user_id = await accounts.register(
            conn, name=name, email=email, password_hash=password_hash, locale=locale, now=START
        )
        assert user_id is not None
        if verified:
            await accounts_q.mark_email_verified(conn, user_id, now=START)
        for role in roles:
            if role != "participant":
                await accounts_q.insert_role(conn, user_id, role, granted_by=None, now=START)
        if "participant" not in roles:
            await accounts_q.delete_role(conn, user_id, "participant")
    return user_id


def outbox_messages(settings: Settings) -> list[EmailMessage]:
    paths = sorted(settings.outbox_dir.glob("*.eml")) if settings.outbox_dir.exists() else []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in paths]  # type: ignore[misc]


def link_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"http://testserver(/\S+)", body.get_content())
    assert found is not None, body.get_content()
    return found.group(1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path) -> Settings:
    return make_settings(sqlite_url, tmp_path / "data")


@pytest.fixture
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[Starlette]:
    async with running(create_app(settings, clock=clock)) as started:
        yield started


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(app) as opened:
        yield opened


@pytest.fixture
def db_settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path / "data")


@pytest.fixture
async def db_app(db_settings: Settings, clock: FakeClock) -> AsyncIterator[Starlette]:
    async with running(create_app(db_settings, clock=clock)) as started:
        yield started


@pytest.fixture
async def db_client(db_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(db_app) as opened:
        yield opened


class Inbox:
    """aiosmtpd handler keeping every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[misc]
            for envelope in self.envelopes
        ]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(sqlite_url: str, tmp_path: Path, smtp_inbox: tuple[Inbox, int]) -> Settings:
    smtp = SmtpSettings(host="127.0.0.1", port=smtp_inbox[1], starttls=False)
    return make_settings(sqlite_url, tmp_path / "data", smtp=smtp)


@pytest.fixture
async def smtp_app(smtp_settings: Settings, clock: FakeClock) -> AsyncIterator[Starlette]:
    async with running(create_app(smtp_settings, clock=clock)) as started:
        yield started


async def snapshot(app: Starlette) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refused request changed nothing."""
    database: Database = app.state.database
    result: dict[str, list[tuple[object, ...]]] = {}
    async with database.read() as conn:
        for table in metadata.sorted_tables:
            rows = (await conn.execute(select(table))).all()
            result[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return result


async def user_id_of(app: Starlette, email: str) -> int:
    async with app.state.database.read() as conn:
        found = await accounts_q.find_user_by_email(conn, email)
    assert found is not None
    return found.id


async def signed_in_client(
    app: Starlette, email: str, *, roles: tuple[str, ...] = ("participant",), ip: str = CLIENT_IP
) -> httpx.AsyncClient:
    """A new client logged in as a new account with ``roles``; close it with ``aclose``."""
    await create_user(app.state.database, email, roles=roles)
    client = make_client(app, ip=ip)
    response = await log_in(client, email)
    assert response.status_code == 303, response.text
    return client


def routes_of(app: Starlette) -> list[tuple[str, str]]:
    """(method, path template) of every route the router knows, HEAD aside."""
    found = []
    for route in app.routes:
        if isinstance(route, Route):
            found += [
                (method, route.path) for method in sorted(route.methods or ()) if method != "HEAD"
            ]
    return sorted(found)
