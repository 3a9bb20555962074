"""The `hackathon` administration command: migrate, create-organizer."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from hackathon.cli import app as cli
from hackathon.migrate import head_revision
from tests.web_fixtures import log_in

runner = CliRunner()
PASSWORD = "organizer passphrase 2026"


def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data")}


def query(database_url: str, sql: str) -> list[tuple]:
    with sqlite3.connect(str(make_url(database_url).database)) as conn:
        rows = conn.execute(sql).fetchall()
    conn.close()
    return rows


def test_migrate_brings_an_empty_database_to_head(
    unmigrated_sqlite_url: str, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["migrate"], env=env(unmigrated_sqlite_url, tmp_path))

    assert result.exit_code == 0, result.output
    assert "is up to date" in result.output
    assert query(unmigrated_sqlite_url, "SELECT version_num FROM alembic_version") == [
        (head_revision(),)
    ]


def test_create_organizer_from_stdin(sqlite_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["create-organizer", "Olga@Example.org", "--name", "Olga Organizer", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env(sqlite_url, tmp_path),
    )

    assert result.exit_code == 0, result.output
    assert result.output == "Organizer olga@example.org created.\n"
    [(user_id, email, name, password_hash, verified)] = query(
        sqlite_url,
        "SELECT id, email, name, password_hash, email_verified_at IS NOT NULL FROM users",
    )
    assert (email, name, verified) == ("olga@example.org", "Olga Organizer", 1)
    assert PasswordHasher().verify(password_hash, PASSWORD) is True
    assert query(sqlite_url, "SELECT user_id, role FROM user_roles") == [(user_id, "organizer")]


def test_create_organizer_asks_for_name_and_password(sqlite_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["create-organizer", "olga@example.org"],
        input=f"Olga\n{PASSWORD}\n{PASSWORD}\n",
        env=env(sqlite_url, tmp_path),
    )

    assert result.exit_code == 0, result.output
    assert result.output.endswith("Organizer olga@example.org created.\n")
    assert query(sqlite_url, "SELECT name FROM users") == [("Olga",)]


@pytest.mark.parametrize(
    ("arguments", "stdin", "message"),
    [
        (["not-an-email"], PASSWORD, "is not an e-mail address like name@example.org."),
        (["olga@example.org"], "short", "Use at least 12 characters."),
        (["olga@example.org"], "password1234", "This password is too common."),
    ],
)
def test_create_organizer_refuses_bad_input_and_writes_nothing(
    sqlite_url: str, tmp_path: Path, arguments: list[str], stdin: str, message: str
) -> None:
    result = runner.invoke(
        cli,
        ["create-organizer", *arguments, "--name", "Olga", "--password-stdin"],
        input=stdin + "\n",
        env=env(sqlite_url, tmp_path),
    )

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert query(sqlite_url, "SELECT count(*) FROM users") == [(0,)]


def test_create_organizer_on_unmigrated_database_says_to_migrate(
    unmigrated_sqlite_url: str, tmp_path: Path
) -> None:
    result = runner.invoke(
        cli,
        ["create-organizer", "olga@example.org", "--name", "Olga", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env(unmigrated_sqlite_url, tmp_path),
    )

    assert result.exit_code == 2
    assert "Run: hackathon migrate" in result.output


def test_create_organizer_for_existing_account_adds_the_role(
    sqlite_url: str, tmp_path: Path
) -> None:
    arguments = ["create-organizer", "olga@example.org", "--name", "Olga", "--password-stdin"]
    runner.invoke(cli, arguments, input=PASSWORD + "\n", env=env(sqlite_url, tmp_path))

    again = runner.invoke(
        cli, arguments, input="another passphrase 99\n", env=env(sqlite_url, tmp_path)
    )

    assert again.exit_code == 0
    assert "already had an account: it is now an organizer (password unchanged)" in again.output
    [(password_hash,)] = query(sqlite_url, "SELECT password_hash FROM users")
    assert PasswordHasher().verify(password_hash, PASSWORD) is True


async def test_created_organizer_can_log_in_and_manage_roles(
    client: httpx.AsyncClient, sqlite_url: str, tmp_path: Path
) -> None:
    # The command runs its own event loop, so it runs beside this test's loop, in a thread.
    result = await asyncio.to_thread(
        runner.invoke,
        cli,
        ["create-organizer", "olga@example.org", "--name", "Olga", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env(sqlite_url, tmp_path),
    )
    assert result.exit_code == 0

    response = await log_in(client, "olga@example.org", PASSWORD)
    admin = await client.get("/admin/users")

    assert response.status_code == 303
    assert admin.status_code == 200
    assert "olga@example.org" in admin.text
