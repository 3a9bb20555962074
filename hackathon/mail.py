"""Mail: one message per recipient, in their language, sent over SMTP or kept in an outbox.

Templates live in ``templates/mail/``: ``<name>.subject.txt``, ``<name>.txt`` and
``<name>.html``. Without an SMTP server (the embedded default) each message is
written to ``data/outbox/`` as an ``.eml`` file and its links are printed on the
console, so someone trying the app locally can still verify an account.
"""

from __future__ import annotations

import functools
import re
import sys
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from email import policy, utils
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import jinja2

from hackathon.errors import HackathonError
from hackathon.i18n import TEMPLATES_DIR, make_environment, use_locale
from hackathon.settings import Settings

# Python's header folder drops or adds spaces between encoded words when it folds at
# 78 columns; SMTP allows 998, and a subject folded there arrives exactly as written.
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)
_LINK = re.compile(r"https?://\S+")


class MailNotSent(HackathonError):
    """The SMTP server refused the message or could not be reached."""


@functools.cache
def _environment() -> jinja2.Environment:
    # Plain-text parts must not be HTML-escaped (a name like "O'Brien" would arrive as
    # "O&#39;Brien"); every other template, HTML included, is escaped.
    return make_environment(
        TEMPLATES_DIR,
        autoescape=lambda name: not (name or "").endswith(".txt"),
        # Plain text keeps the blank lines written in the template.
        trim_blocks=False,
    )


def _render(name: str, context: Mapping[str, Any]) -> str:
    return _environment().get_template(name).render(context)


def _one_line(text: str) -> str:
    # A subject is one header line: no CR/LF may reach it, whatever a template produced.
    # Joined on line breaks only: str.split() would also eat French no-break spaces.
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _single_address(address: str) -> str:
    if not address or any(char in address for char in "\r\n,"):
        raise ValueError(f"Not a single e-mail address: {address!r}")
    return address


def build_message(
    settings: Settings,
    *,
    to: str,
    locale: str,
    template: str,
    context: Mapping[str, Any],
) -> EmailMessage:
    """Render ``template`` in ``locale`` into a text + HTML message addressed to ``to``."""
    with use_locale(locale):
        subject = _one_line(_render(f"mail/{template}.subject.txt", context))
        text = _render(f"mail/{template}.txt", context)
        html = _render(f"mail/{template}.html", {**context, "locale": locale, "subject": subject})
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = subject
    message["From"] = settings.smtp.sender
    message["To"] = _single_address(to)
    message["Date"] = utils.format_datetime(datetime.now(UTC))
    message["Message-ID"] = utils.make_msgid(domain=_sender_domain(settings))
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps every line 7-bit, so servers without 8BITMIME relay it intact.
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # After the body: set_content() and add_alternative() drop or move Content-* headers.
    message["Content-Language"] = locale
    return message


def _sender_domain(settings: Settings) -> str:
    _name, address = utils.parseaddr(settings.smtp.sender)
    return address.rpartition("@")[2] or "localhost"


async def send(settings: Settings, message: EmailMessage) -> None:
    """Deliver over SMTP when configured; otherwise write the message to the outbox."""
    if not settings.smtp.configured:
        _write_to_outbox(settings.outbox_dir, message)
        return
    smtp = settings.smtp
    _name, sender = utils.parseaddr(smtp.sender)
    recipients = [address for _name, address in utils.getaddresses(message.get_all("To", []))]
    try:
        await aiosmtplib.send(
            message.as_bytes(policy=MAIL_POLICY),
            sender=sender,
            recipients=recipients,
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username or None,
            password=smtp.password or None,
            use_tls=smtp.use_tls,
            # Explicit either way: never a silent plain-text fallback when STARTTLS is asked for.
            start_tls=smtp.starttls and not smtp.use_tls,
            timeout=30,
        )
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailNotSent(
            f"Could not send mail through {smtp.host}:{smtp.port}: {error}. "
            "Check SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD and SMTP_STARTTLS/SMTP_TLS."
        ) from error


async def send_templated(
    settings: Settings,
    *,
    to: str,
    locale: str,
    template: str,
    context: Mapping[str, Any],
) -> None:
    """Build the message for one recipient in their language and send it."""
    message = build_message(settings, to=to, locale=locale, template=template, context=context)
    await send(settings, message)


def _write_to_outbox(outbox: Path, message: EmailMessage) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = outbox / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
    # Links in these files sign people in: readable by the owner only.
    path.touch(mode=0o600)
    path.write_bytes(message.as_bytes(policy=MAIL_POLICY))
    body = message.get_body(preferencelist=("plain",))
    links = _LINK.findall(body.get_content()) if body is not None else []
    print(f"Mail to {message['To']} saved in {path}", file=sys.stderr)
    for link in links:
        print(f"  link: {link}", file=sys.stderr)
    return path
