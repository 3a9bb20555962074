"""Demo data for the embedded default: the demo event and one account per role.

Passwords are random per installation and kept in ``data/demo-accounts.txt``
(readable by the owner only), so the console can show them at every start and
nobody can log into a demo that was left reachable with a published password.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from hackathon import passwords
from hackathon.db import Database
from hackathon.domain.accounts import create_account_with_roles
from hackathon.domain.events import ensure_demo_event
from hackathon.queries.accounts import count_users
from hackathon.settings import Settings

DEMO_ACCOUNTS = (
    ("participant", "participant@demo.example", "Pia Participant"),
    ("mentor", "mentor@demo.example", "Max Mentor"),
    ("juror", "juror@demo.example", "Jo Juror"),
    ("jury_chair", "jury-chair@demo.example", "Chris Chair"),
    ("organizer", "organizer@demo.example", "Olga Organizer"),
)
CREDENTIALS_FILE = "demo-accounts.txt"


def credentials_path(settings: Settings) -> Path:
    return settings.data_dir / CREDENTIALS_FILE


async def ensure_demo(settings: Settings) -> list[tuple[str, str, str]]:
    """Create the demo event, and the demo accounts on a database without users.

    Returns (role, e-mail, password) per account created now; empty when the database
    already had users (the passwords are then in ``credentials_path``).
    """
    database = Database(settings.database_url)
    try:
        async with database.write() as conn:
            await ensure_demo_event(conn)
            if await count_users(conn) > 0:
                return []
        created = []
        for role, email, name in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            password_hash = await passwords.hash_password(password)
            async with database.write() as conn:
                await create_account_with_roles(
                    conn, email=email, name=name, password_hash=password_hash,
                    locale=settings.default_locale, now=datetime.now(UTC), roles=(role,),
                )  # fmt: skip
            created.append((role, email, password))
    finally:
        await database.dispose()
    _store(credentials_path(settings), created)
    return created


def _store(path: Path, created: list[tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(format_credentials(created))


def format_credentials(accounts: list[tuple[str, str, str]]) -> str:
    lines = [f"{role:<12} {email:<28} {password}" for role, email, password in accounts]
    return "\n".join(["role         e-mail                       password", *lines]) + "\n"
