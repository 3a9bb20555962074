"""Account mail through a real SMTP server (aiosmtpd): links, in the language of the user."""

from __future__ import annotations

from email.message import EmailMessage

from starlette.applications import Starlette

from hackathon.settings import Settings
from tests.web_fixtures import (
    PASSWORD,
    Inbox,
    create_user,
    make_client,
    outbox_messages,
    post_form,
)


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
