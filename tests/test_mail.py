"""Mail in the recipient's language, delivered to a real SMTP server (aiosmtpd) or the outbox."""

from __future__ import annotations

import stat
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from hackathon.mail import MailNotSent, build_message, send, send_templated
from hackathon.settings import Settings, SmtpSettings
from tests.web_fixtures import Inbox, free_port

LINK = "http://127.0.0.1:8000/verify/abc123"
SENDER = "QuattroPole Hackathon <noreply@example.org>"


def _settings(tmp_path: Path, port: int | None = None) -> Settings:
    smtp = SmtpSettings(host="127.0.0.1" if port else "", port=port or 587, starttls=False)
    return replace(Settings(), data_dir=tmp_path, smtp=replace(smtp, sender=SENDER))


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


async def test_send_templated_delivers_german_verification_mail(
    smtp_inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp_inbox
    settings = _settings(tmp_path, port)

    await send_templated(
        settings,
        to="anna@example.org",
        locale="de",
        template="verify",
        context={"name": "Anna", "link": LINK},
    )

    [envelope] = inbox.envelopes
    [message] = inbox.messages()
    text, html = _parts(message)
    assert (envelope.mail_from, envelope.rcpt_tos) == ("noreply@example.org", ["anna@example.org"])
    assert message["Subject"] == "Bestätigen Sie Ihre E-Mail-Adresse für den QuattroPole-Hackathon"
    assert (message["To"], message["From"], message["Content-Language"]) == (
        "anna@example.org",
        SENDER,
        "de",
    )
    assert text.splitlines()[:5] == [
        "Hallo Anna,",
        "",
        "Danke für Ihre Anmeldung zum QuattroPole-Hackathon. Bitte bestätigen Sie Ihre "
        "E-Mail-Adresse, indem Sie diesen Link öffnen:",
        "",
        LINK,
    ]
    assert f'<a href="{LINK}"' in html
    assert '<html lang="de">' in html


async def test_send_long_luxembourgish_subject_arrives_intact(
    smtp_inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp_inbox
    expected = (
        "Setzt Äert Passwuert fir de QuattroPole-Hackathon zréck: De Link ass 60 Minutte gülteg"
    )
    assert len(expected) > 78

    await send_templated(
        _settings(tmp_path, port),
        to="jang@example.lu",
        locale="lb",
        template="reset",
        context={"name": "Jang", "link": LINK},
    )

    [message] = inbox.messages()
    assert message["Subject"] == expected


async def test_send_long_german_subject_with_many_umlauts_arrives_intact(
    smtp_inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    # Python's default folding at 78 columns loses spaces between encoded words for
    # subjects like this one; the 998-column policy must keep it exact.
    inbox, port = smtp_inbox
    subject = (
        "Bestätigung für Jürgen Müller-Lüdenscheidt: Ihre Änderungen übernehmen wir "
        "ab nächster Woche – Grüße aus Saarbrücken, Düsseldorf und Lëtzebuerg"
    )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = SENDER
    message["To"] = "juergen@example.de"
    message.set_content("Grüße")

    await send(_settings(tmp_path, port), message)

    [received] = inbox.messages()
    assert received["Subject"] == subject


async def test_send_reset_mail_in_french_says_link_expires(
    smtp_inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp_inbox

    await send_templated(
        _settings(tmp_path, port),
        to="claire@example.fr",
        locale="fr",
        template="reset",
        context={"name": "Claire", "link": LINK},
    )

    [message] = inbox.messages()
    text, _html = _parts(message)
    assert message["Subject"] == (
        "Réinitialisez votre mot de passe du Hackathon QuattroPole\u00a0: le lien est valable "
        "60 minutes"
    )
    assert "Le lien ne fonctionne qu’une fois et expire dans 60 minutes." in text.splitlines()
    assert (
        "Si vous n’avez rien demandé, vous pouvez ignorer ce message\u00a0: votre mot de passe "
        "reste inchangé." in text.splitlines()
    )


def test_build_message_escapes_name_in_html_only(tmp_path: Path) -> None:
    message = build_message(
        _settings(tmp_path),
        to="x@example.org",
        locale="en",
        template="verify",
        context={"name": "O'Brien <script>", "link": LINK},
    )

    text, html = _parts(message)
    assert text.splitlines()[0] == "Hello O'Brien <script>,"
    assert "<p>Hello O&#39;Brien &lt;script&gt;,</p>" in html


def test_build_message_parts_are_seven_bit(tmp_path: Path) -> None:
    message = build_message(
        _settings(tmp_path),
        to="x@example.org",
        locale="lb",
        template="reset",
        context={"name": "Zoë", "link": LINK},
    )

    raw = message.as_bytes()
    assert raw.decode("ascii").count("Content-Transfer-Encoding: quoted-printable") == 2


def test_build_message_refuses_header_injection(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Not a single e-mail address"):
        build_message(
            _settings(tmp_path),
            to="a@example.org\r\nBcc: victim@example.org",
            locale="en",
            template="verify",
            context={"name": "A", "link": LINK},
        )


async def test_send_without_smtp_writes_outbox_and_prints_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path)

    await send_templated(
        settings,
        to="anna@example.org",
        locale="lb",
        template="verify",
        context={"name": "Anna", "link": LINK},
    )

    [path] = sorted(settings.outbox_dir.glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Confirméiert Är E-Mail-Adress fir de QuattroPole-Hackathon"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert capsys.readouterr().err.splitlines() == [
        f"Mail to anna@example.org saved in {path}",
        f"  link: {LINK}",
    ]


async def test_send_to_unreachable_server_raises_mail_not_sent(tmp_path: Path) -> None:
    settings = _settings(tmp_path, free_port())
    message = build_message(
        settings,
        to="a@example.org",
        locale="en",
        template="verify",
        context={"name": "A", "link": LINK},
    )

    with pytest.raises(MailNotSent, match="Check SMTP_HOST"):
        await send(settings, message)
