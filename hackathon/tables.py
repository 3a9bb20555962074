"""Every table of the app: the schema on one screen.

Constraints carry the rules that must hold even when someone writes raw SQL
(unique case-folded e-mails, known roles, no orphans). Constraint names follow
the naming convention below so that migrations stay reproducible on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# A literal '' rather than "": Alembic on SQLite reports "" as a changed default forever.
EMPTY_TEXT = text("''")

ROLES = ("participant", "mentor", "juror", "jury_chair", "organizer")
TOKEN_PURPOSES = ("verify", "reset")
CONSENT_PURPOSES = ("terms", "photos", "newsletter", "health_data")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every engine.

    SQLite keeps no time zone and hands back naive values while PostgreSQL hands
    back aware ones; comparing the two raises. This type stores UTC and always
    returns aware UTC datetimes, and refuses naive input instead of guessing.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _timestamp(name: str, *, nullable: bool = False) -> Column[datetime]:
    return Column(name, UtcDateTime(), nullable=nullable)


events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("timezone", String(64), nullable=False, server_default="Europe/Luxembourg"),
    CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
)

sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("slug", String(64), nullable=False),
    Column("city", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    Column("venue", String(200), nullable=False, server_default=EMPTY_TEXT),
    Column("capacity", Integer, nullable=False),
    UniqueConstraint("event_id", "slug", name="uq_sites_event_slug"),
    CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    CheckConstraint("country = upper(country)", name="country_upper"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    # Stored case-folded: the check makes "A@x" and "a@x" one address even for raw SQL.
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("locale", String(5), nullable=False),
    _timestamp("created_at"),
    _timestamp("email_verified_at", nullable=True),
    _timestamp("disabled_at", nullable=True),
    CheckConstraint("email = lower(email)", name="email_casefolded"),
    CheckConstraint(_in("locale", ("de", "fr", "en", "lb")), name="known_locale"),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("granted_by", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    _timestamp("granted_at"),
    CheckConstraint(_in("role", ROLES), name="known_role"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("policy_version", String(20), nullable=False),
    Column("granted", Boolean, nullable=False),
    _timestamp("recorded_at"),
    CheckConstraint(_in("purpose", CONSENT_PURPOSES), name="known_purpose"),
    Index("ix_consents_user_purpose", "user_id", "purpose"),
)

sessions = Table(
    "sessions",
    metadata,
    # SHA-256 of the cookie value: a copy of this table cannot be replayed as cookies.
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("csrf_token", String(64), nullable=False),
    Column("locale", String(5), nullable=True),
    _timestamp("created_at"),
    _timestamp("last_seen_at"),
    Index("ix_sessions_user_id", "user_id"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(10), nullable=False),
    _timestamp("created_at"),
    _timestamp("expires_at"),
    _timestamp("used_at", nullable=True),
    CheckConstraint(_in("purpose", TOKEN_PURPOSES), name="known_purpose"),
    Index("ix_tokens_user_purpose", "user_id", "purpose"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("ip", String(45), nullable=False),
    _timestamp("failed_at"),
    Index("ix_login_failures_email_failed_at", "email", "failed_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("action", String(50), nullable=False),
    Column("subject_id", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("detail", Text, nullable=False, server_default=EMPTY_TEXT),
    _timestamp("at"),
)

# Requests for account mail in the last hour, to cap mail per account and per client.
mail_log = Table(
    "mail_log",
    metadata,
    Column("id", Integer, primary_key=True),
    # The account, not its address: erasing the account erases this history with it.
    # NULL: the request named no account (an unknown address, a taken one at sign-up).
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    # The client's IPv4 address, or its IPv6 /64 network.
    Column("ip", String(45), nullable=False),
    Column("purpose", String(10), nullable=False),
    # Whether a mail went out (the account's cap counts those only).
    Column("sent", Boolean, nullable=False),
    _timestamp("sent_at"),
    CheckConstraint(_in("purpose", TOKEN_PURPOSES), name="known_purpose"),
    Index("ix_mail_log_user_id_sent_at", "user_id", "sent_at"),
    Index("ix_mail_log_ip_sent_at", "ip", "sent_at"),
)
