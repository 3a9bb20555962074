"""The administration command line: ``hackathon migrate``, ``hackathon create-organizer EMAIL``.

Settings come from the environment, as for the web app (see README, Configuration).
Errors are printed as one line saying what to do, with exit code 1 (bad input) or
2 (the database needs attention); never a traceback.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

import typer

from hackathon import passwords
from hackathon.db import Database, safe_url
from hackathon.domain.accounts import create_account_with_roles
from hackathon.errors import DatabaseNotMigrated
from hackathon.forms import EMAIL_MAX, EMAIL_PATTERN, NAME_MAX
from hackathon.migrate import ensure_migrated, upgrade
from hackathon.settings import Settings, SettingsError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Administer a hackathon installation (database, accounts).",
)


def _settings() -> Settings:
    try:
        return Settings.from_environ()
    except SettingsError as error:
        _fail(str(error), code=2)
        raise  # unreachable; keeps type checkers satisfied


def _fail(message: str, *, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema to the version this code expects."""
    settings = _settings()
    upgrade(settings.database_url)
    typer.echo(f"Database {safe_url(settings.database_url)} is up to date.")


@app.command("create-organizer")
def create_organizer(
    email: str = typer.Argument(..., help="E-mail address of the organizer."),
    name: str | None = typer.Option(None, "--name", help="Full name (asked when missing)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of standard input."
    ),
) -> None:
    """Create an organizer account, or make an existing account an organizer."""
    settings = _settings()
    email = email.strip().lower()
    if len(email) > EMAIL_MAX or not EMAIL_PATTERN.match(email):
        _fail(f"{email!r} is not an e-mail address like name@example.org.")
    if name is None:
        name = typer.prompt("Name")
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        _fail("Give a name of 1 to 100 characters with --name.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if problems := passwords.password_problems(password, email=email):
        _fail(" ".join(problems))
    created = asyncio.run(_create(settings, email=email, name=name, password=password))
    if created:
        typer.echo(f"Organizer {email} created.")
    else:
        typer.echo(f"{email} already had an account: it is now an organizer (password unchanged).")


async def _create(settings: Settings, *, email: str, name: str, password: str) -> bool:
    database = Database(settings.database_url)
    try:
        try:
            await ensure_migrated(database)
        except DatabaseNotMigrated as error:
            _fail(str(error), code=2)
        password_hash = await passwords.hash_password(password)
        async with database.write() as conn:
            _, created = await create_account_with_roles(
                conn, email=email, name=name, password_hash=password_hash,
                locale=settings.default_locale, now=datetime.now(UTC), roles=("organizer",),
            )  # fmt: skip
        return created
    finally:
        await database.dispose()


def main() -> None:
    app()
