"""The database keeps its rules even against raw SQL, on both engines (SECURITY.md F28)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hackathon.db import Database

# A literal, not a parameter: asyncpg accepts only datetime objects for timestamptz parameters.
NOW = "'2027-03-12 09:00:00+00:00'"


async def _sql(database: Database, statement: str, **params: object) -> None:
    async with database.write() as conn:
        await conn.execute(text(statement.replace(":now", NOW)), params)


async def _rows(database: Database, query: str) -> list[tuple[object, ...]]:
    async with database.read() as conn:
        return [tuple(row) for row in await conn.execute(text(query))]


async def _add_user(database: Database, email: str) -> None:
    await _sql(
        database,
        "INSERT INTO users (email, name, password_hash, locale, created_at) "
        "VALUES (:email, 'Ada', 'x', 'en', :now)",
        email=email,
    )


async def _add_event(database: Database) -> None:
    await _sql(
        database,
        "INSERT INTO events (id, slug, name, starts_on, ends_on) "
        "VALUES (1, 'e', 'Event', '2027-03-12', '2027-03-14')",
    )


async def test_users_duplicate_email_refused(database: Database):
    await _add_user(database, "ada@example.org")

    with pytest.raises(IntegrityError):
        await _add_user(database, "ada@example.org")

    assert await _rows(database, "SELECT email FROM users") == [("ada@example.org",)]


async def test_users_email_with_capitals_refused(database: Database):
    await _add_user(database, "ada@example.org")

    with pytest.raises(IntegrityError, match="ck_users_email_casefolded"):
        await _add_user(database, "Ada@Example.org")

    assert await _rows(database, "SELECT email FROM users") == [("ada@example.org",)]


async def test_users_unknown_locale_refused(database: Database):
    with pytest.raises(IntegrityError, match="ck_users_known_locale"):
        await _sql(
            database,
            "INSERT INTO users (email, name, password_hash, locale, created_at) "
            "VALUES ('ada@example.org', 'Ada', 'x', 'xx', :now)",
        )

    assert await _rows(database, "SELECT email FROM users") == []


async def test_user_roles_unknown_role_refused(database: Database):
    await _add_user(database, "ada@example.org")

    with pytest.raises(IntegrityError, match="ck_user_roles_known_role"):
        await _sql(
            database,
            "INSERT INTO user_roles (user_id, role, granted_at) VALUES (1, 'admin', :now)",
        )

    assert await _rows(database, "SELECT user_id, role FROM user_roles") == []


async def test_user_roles_duplicate_grant_refused(database: Database):
    await _add_user(database, "ada@example.org")
    grant = "INSERT INTO user_roles (user_id, role, granted_at) VALUES (1, 'juror', :now)"
    await _sql(database, grant)

    with pytest.raises(IntegrityError):
        await _sql(database, grant)

    assert await _rows(database, "SELECT user_id, role FROM user_roles") == [(1, "juror")]


async def test_user_roles_orphan_refused(database: Database):
    with pytest.raises(IntegrityError):
        await _sql(
            database,
            "INSERT INTO user_roles (user_id, role, granted_at) VALUES (42, 'juror', :now)",
        )

    assert await _rows(database, "SELECT user_id FROM user_roles") == []


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) "
        "VALUES ('h', 42, 'c', :now, :now)",
        "INSERT INTO tokens (token_hash, user_id, purpose, created_at, expires_at) "
        "VALUES ('h', 42, 'reset', :now, :now)",
        "INSERT INTO consents (user_id, purpose, policy_version, granted, recorded_at) "
        "VALUES (42, 'terms', '1', TRUE, :now)",
        "INSERT INTO audit_log (actor_id, action, detail, at) VALUES (42, 'login', '', :now)",
        "INSERT INTO sites (event_id, slug, city, country, venue, capacity) "
        "VALUES (42, 'metz', 'Metz', 'FR', '', 10)",
    ],
    ids=["sessions", "tokens", "consents", "audit_log", "sites"],
)
async def test_rows_pointing_at_nothing_refused(database: Database, statement: str):
    with pytest.raises(IntegrityError):
        await _sql(database, statement)

    table = statement.split()[2]
    assert await _rows(database, f"SELECT * FROM {table}") == []


async def test_deleting_a_user_removes_their_roles_and_keeps_the_audit_trail(database: Database):
    await _add_user(database, "ada@example.org")
    await _sql(
        database, "INSERT INTO user_roles (user_id, role, granted_at) VALUES (1, 'juror', :now)"
    )
    await _sql(database, "INSERT INTO audit_log (actor_id, action, at) VALUES (1, 'login', :now)")

    await _sql(database, "DELETE FROM users WHERE id = 1")

    assert await _rows(database, "SELECT user_id FROM user_roles") == []
    assert await _rows(database, "SELECT actor_id, action FROM audit_log") == [(None, "login")]


async def test_unknown_consent_purpose_and_token_purpose_refused(database: Database):
    await _add_user(database, "ada@example.org")

    with pytest.raises(IntegrityError, match="ck_consents_known_purpose"):
        await _sql(
            database,
            "INSERT INTO consents (user_id, purpose, policy_version, granted, recorded_at) "
            "VALUES (1, 'marketing', '1', TRUE, :now)",
        )
    with pytest.raises(IntegrityError, match="ck_tokens_known_purpose"):
        await _sql(
            database,
            "INSERT INTO tokens (token_hash, user_id, purpose, created_at, expires_at) "
            "VALUES ('h', 1, 'login', :now, :now)",
        )

    assert await _rows(database, "SELECT id FROM consents") == []
    assert await _rows(database, "SELECT token_hash FROM tokens") == []


async def test_sites_duplicate_slug_in_one_event_refused(database: Database):
    await _add_event(database)
    site = (
        "INSERT INTO sites (event_id, slug, city, country, capacity) "
        "VALUES (1, 'metz', 'Metz', 'FR', 40)"
    )
    await _sql(database, site)

    # PostgreSQL names the constraint, SQLite its columns.
    with pytest.raises(IntegrityError, match=r"uq_sites_event_slug|sites\.event_id, sites\.slug"):
        await _sql(database, site)

    assert await _rows(database, "SELECT slug, venue FROM sites") == [("metz", "")]


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ("(1, 'metz', 'Metz', 'FR', -1)", "ck_sites_capacity_not_negative"),
        ("(1, 'metz', 'Metz', 'fr', 40)", "ck_sites_country_upper"),
    ],
    ids=["negative-capacity", "lowercase-country"],
)
async def test_sites_invalid_values_refused(database: Database, values: str, constraint: str):
    await _add_event(database)

    with pytest.raises(IntegrityError, match=constraint):
        await _sql(
            database, f"INSERT INTO sites (event_id, slug, city, country, capacity) VALUES {values}"
        )

    assert await _rows(database, "SELECT id FROM sites") == []


async def test_events_ending_before_they_start_refused(database: Database):
    with pytest.raises(IntegrityError, match="ck_events_dates_ordered"):
        await _sql(
            database,
            "INSERT INTO events (slug, name, starts_on, ends_on) "
            "VALUES ('e', 'Event', '2027-03-14', '2027-03-12')",
        )

    assert await _rows(database, "SELECT id FROM events") == []
