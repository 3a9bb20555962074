"""Password hashing and policy (SECURITY.md A1, A2)."""

from __future__ import annotations

import threading

import httpx
import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import select
from starlette.applications import Starlette

from hackathon import passwords
from hackathon.queries import accounts as accounts_q
from hackathon.tables import users
from tests.web_fixtures import PASSWORD, create_user, csrf_token, log_in, post_form, snapshot


def test_hash_is_argon2id_at_or_above_asvs_minimum() -> None:
    parameters = extract_parameters(passwords.hasher.hash("a passphrase of mine"))

    assert parameters.type is Type.ID
    # ASVS 5.0 appendix C / OWASP: argon2id with m >= 19 MiB, t >= 2, p >= 1.
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism >= 1


async def test_hash_and_verify_run_off_the_event_loop_thread() -> None:
    loop_thread = threading.current_thread().name
    passwords.recent_operations.clear()

    stored = await passwords.hash_password("a passphrase of mine")
    ok = await passwords.verify_password(stored, "a passphrase of mine")

    assert ok is True
    assert [operation for _, operation, _ in passwords.recent_operations] == ["hash", "verify"]
    assert all(thread != loop_thread for thread, _, _ in passwords.recent_operations)


async def test_login_verifies_in_a_worker_thread(client: httpx.AsyncClient, app: Starlette) -> None:
    await create_user(app.state.database, "ada@example.org")
    loop_thread = threading.current_thread().name
    passwords.recent_operations.clear()

    response = await log_in(client, "ada@example.org")

    assert response.status_code == 303
    [(thread, operation, _)] = passwords.recent_operations
    assert operation == "verify"
    assert thread != loop_thread


async def test_login_rehashes_old_parameters(client: httpx.AsyncClient, app: Starlette) -> None:
    user_id = await create_user(app.state.database, "ada@example.org")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    async with app.state.database.write() as conn:
        await accounts_q.update_password_hash(conn, user_id, weak)

    response = await log_in(client, "ada@example.org")

    assert response.status_code == 303
    async with app.state.database.read() as conn:
        stored = (await conn.execute(select(users.c.password_hash))).scalar_one()
    parameters = extract_parameters(stored)
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        passwords.TIME_COST,
        passwords.MEMORY_COST_KIB,
        passwords.PARALLELISM,
    )
    assert passwords.hasher.verify(stored, PASSWORD) is True


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("a" * 11, ["Use at least 12 characters."]),
        ("abcdefghijkl", ["This password is too common. Choose a longer phrase of your own."]),
        ("PassWordPassWord", ["This password is too common. Choose a longer phrase of your own."]),
        ("only lowercase words", []),
        ("x" * 12, []),
        ("y" * 64, []),
        ("z" * 128, []),
        ("z" * 129, ["Use at most 128 characters."]),
        ("ünïcödé pässphräse", []),
    ],
)
def test_password_policy(password: str, problems: list[str]) -> None:
    assert passwords.password_problems(password) == problems


def test_password_equal_to_email_is_refused() -> None:
    assert passwords.password_problems("ada@example.org", email="Ada@Example.org") == [
        "This password is too common. Choose a longer phrase of your own."
    ]


def test_common_password_list_holds_only_long_lowercase_entries() -> None:
    common = passwords.common_passwords()

    assert len(common) > 150
    assert all(len(entry) >= 12 and entry == entry.lower() for entry in common)
    assert "password1234" in common


async def test_signup_with_common_password_writes_nothing(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    token = await csrf_token(client, "/signup")
    before = await snapshot(app)
    data = {"name": "Ada", "email": "ada@example.org", "locale": "en", "terms": "1"}

    response = await client.post(
        "/signup", data={**data, "password": "qwertyuiop123", "csrf_token": token}
    )

    assert response.status_code == 400
    assert "This password is too common." in response.text
    assert await snapshot(app) == before


async def test_password_change_applies_the_policy(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await create_user(app.state.database, "ada@example.org")
    await log_in(client, "ada@example.org")

    response = await post_form(
        client,
        "/profile/password",
        {"current_password": PASSWORD, "new_password": "tooshort"},
        page="/profile",
    )

    assert response.status_code == 400
    assert "Use at least 12 characters." in response.text
    async with app.state.database.read() as conn:
        stored = (await conn.execute(select(users.c.password_hash))).scalar_one()
    assert passwords.hasher.verify(stored, PASSWORD) is True
