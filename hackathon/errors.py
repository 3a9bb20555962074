"""One base error and a shallow hierarchy; app.py maps each to a page in one dict."""

from __future__ import annotations


class HackathonError(Exception):
    """Base of every error the app raises on purpose."""


class NotFound(HackathonError):
    """The object does not exist, or is not the caller's to see (answered 404 either way)."""


class Forbidden(HackathonError):
    """The caller is known but lacks the role for this action."""


class ValidationError(HackathonError):
    """Submitted data is invalid; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in errors.items()))


class TooManyRequests(HackathonError):
    """Throttled; the client should retry later."""


class DatabaseNotMigrated(HackathonError):
    """The database schema is behind the code; the message says which command to run."""


class LoginRequired(HackathonError):
    """The page needs a signed-in user; answered with a redirect to the login page."""


class CsrfFailed(Forbidden):
    """A state-changing request came without this session's CSRF token."""


class RequestTooLarge(HackathonError):
    """The request body passed the size limit; reading stopped there."""


class InvalidToken(HackathonError):
    """A verification or reset link is unknown, used or expired."""
