"""Account mail through a real SMTP server (aiosmtpd): links, in the language of the user."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from starlette.applications import Starlette

from hackathon.app import create_app
from hackathon.settings import Settings, SmtpSettings
from tests.web_fixtures import (
    PASSWORD,
    FakeClock,
    create_user,
    make_client,
    make_settings,
    outbox_messages,
    post_form,
    running,
)


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.contents: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.contents.append(envelope.content)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(c, policy=policy.default) for c in self.contents]  # type: ignore[misc]


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
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


def plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


async def test_signup_mail_arrives_over_smtp_in_chosen_language(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int], smtp_settings: Settings
) -> None:
    async with make_client(smtp_app) as client:
        response = await post_form(
            client, "/signup",
            {"name": "Ada", "email": "ada@example.org", "password": PASSWORD, "locale": "fr",
             "terms": "1"},
            page="/signup",
        )  # fmt: skip

    [message] = smtp_inbox[0].messages()
    assert response.status_code == 303
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Confirmez votre adresse e-mail pour le Hackathon QuattroPole"
    assert "http://testserver/verify?token=" in plain(message)
    assert outbox_messages(smtp_settings) == []


async def test_reset_mail_goes_only_to_known_addresses(
    smtp_app: Starlette, smtp_inbox: tuple[Inbox, int]
) -> None:
    await create_user(smtp_app.state.database, "ada@example.org", locale="en")
    async with make_client(smtp_app) as client:
        for email in ("nobody@example.org", "ada@example.org", "other@example.org"):
            response = await post_form(client, "/reset", {"email": email}, page="/reset")
            assert (response.status_code, response.headers["location"]) == (303, "/login")

    assert [message["To"] for message in smtp_inbox[0].messages()] == ["ada@example.org"]
    assert "http://testserver/reset/confirm?token=" in plain(smtp_inbox[0].messages()[0])
