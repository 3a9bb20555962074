"""Request data -> validated frozen dataclass, or per-field messages saying what to fix.

Each form names the fields it reads; anything else a client sends (role,
user_id, ...) is never looked at, so mass assignment has nothing to bind to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from starlette.requests import Request

from hackathon.i18n import gettext as _
from hackathon.passwords import password_problems
from hackathon.settings import LOCALES
from hackathon.tables import ROLES

T = TypeVar("T")
Errors = dict[str, list[str]]
NAME_MAX = 100
EMAIL_MAX = 254
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """``data`` when valid; otherwise ``errors``. ``values`` re-fill the form (never passwords)."""

    data: T | None
    errors: Errors = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


async def parse(request: Request, validate: Callable[[dict[str, str], Errors], T]) -> Parsed[T]:
    async with request.form() as form:
        values = {key: value for key, value in form.items() if isinstance(value, str)}
    errors: Errors = {}
    data = validate(values, errors)
    shown = {key: value for key, value in values.items() if "password" not in key}
    return Parsed(None if errors else data, errors, shown)


def _text(values: dict[str, str], name: str) -> str:
    return values.get(name, "").strip()


def _name(values: dict[str, str], errors: Errors) -> str:
    name = _text(values, "name")
    if not name:
        errors["name"] = [_("Enter your name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("Use at most 100 characters for your name.")]
    return name


def _email(values: dict[str, str], errors: Errors) -> str:
    email = _text(values, "email").lower()
    if not email:
        errors["email"] = [_("Enter your e-mail address.")]
    elif len(email) > EMAIL_MAX or not EMAIL_PATTERN.match(email):
        errors["email"] = [_("Enter an e-mail address like name@example.org.")]
    return email


def _locale(values: dict[str, str], errors: Errors) -> str:
    locale = _text(values, "locale")
    if locale not in LOCALES:
        errors["locale"] = [_("Choose one of the offered languages.")]
    return locale


def _new_password(values: dict[str, str], errors: Errors, name: str, email: str = "") -> str:
    password = values.get(name, "")
    if problems := password_problems(password, email=email):
        errors[name] = problems
    return password


@dataclass(frozen=True)
class Signup:
    name: str
    email: str
    password: str
    locale: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> Signup:
        name, email, locale = _name(values, errors), _email(values, errors), _locale(values, errors)
        password = _new_password(values, errors, "password", email)
        if values.get("terms") != "1":
            errors["terms"] = [_("Accept the terms of participation to sign up.")]
        return Signup(name, email, password, locale)


@dataclass(frozen=True)
class Login:
    email: str
    password: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> Login:
        email = _text(values, "email").lower()[:EMAIL_MAX]
        password = values.get("password", "")[:1024]
        if not email or not password:
            errors["email"] = [_("Enter your e-mail address and your password.")]
        return Login(email, password)


@dataclass(frozen=True)
class EmailOnly:
    email: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> EmailOnly:
        return EmailOnly(_email(values, errors))


@dataclass(frozen=True)
class TokenOnly:
    token: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> TokenOnly:
        # An empty or wrong token is not a form error: the domain answers "link not valid".
        return TokenOnly(_text(values, "token"))


@dataclass(frozen=True)
class NewPassword:
    token: str
    password: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> NewPassword:
        return NewPassword(_text(values, "token"), _new_password(values, errors, "password"))


@dataclass(frozen=True)
class Profile:
    name: str
    locale: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> Profile:
        return Profile(_name(values, errors), _locale(values, errors))


@dataclass(frozen=True)
class PasswordChange:
    current_password: str
    new_password: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> PasswordChange:
        current = values.get("current_password", "")[:1024]
        if not current:
            errors["current_password"] = [_("Enter your current password.")]
        return PasswordChange(current, _new_password(values, errors, "new_password"))


@dataclass(frozen=True)
class RoleChange:
    role: str
    granted: bool

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> RoleChange:
        role, action = _text(values, "role"), _text(values, "action")
        if role not in ROLES or action not in ("grant", "revoke"):
            errors["role"] = [_("Choose a role to grant or revoke.")]
        return RoleChange(role, action == "grant")


@dataclass(frozen=True)
class Language:
    locale: str
    next: str

    @staticmethod
    def validate(values: dict[str, str], errors: Errors) -> Language:
        return Language(_locale(values, errors), safe_next(values.get("next")))


def safe_next(target: str | None, default: str = "/") -> str:
    """A path on this site only: no scheme, no host, no "//" or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(char in target for char in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return default
    return target
