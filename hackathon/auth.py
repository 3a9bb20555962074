"""Who is asking: the session middleware, the current user, and permission predicates.

Roles are read from the database on every request and never cached in the
session, so a revoked role stops working on the very next request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.datastructures import MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hackathon import flash
from hackathon.db import Database
from hackathon.domain import sessions as domain
from hackathon.errors import Forbidden, LoginRequired
from hackathon.i18n import LANG_COOKIE, lazy_gettext, set_request_locale
from hackathon.queries import accounts as accounts_q
from hackathon.queries import sessions as sessions_q
from hackathon.settings import Settings

Clock = Callable[[], datetime]

ROLE_LABELS = {
    "participant": lazy_gettext("Participant"),
    "mentor": lazy_gettext("Mentor"),
    "juror": lazy_gettext("Juror"),
    "jury_chair": lazy_gettext("Jury chair"),
    "organizer": lazy_gettext("Organizer"),
}


@dataclass(frozen=True)
class User:
    id: int
    name: str
    email: str
    locale: str
    roles: frozenset[str]
    email_verified: bool


# --- permission predicates: the only place that knows which role may do what -----------------


def is_organizer(user: User | None) -> bool:
    return user is not None and "organizer" in user.roles


def can_manage_roles(user: User | None) -> bool:
    return is_organizer(user)


def is_jury(user: User | None) -> bool:
    return user is not None and bool(user.roles & {"juror", "jury_chair"})


def is_jury_chair(user: User | None) -> bool:
    return user is not None and "jury_chair" in user.roles


def is_mentor(user: User | None) -> bool:
    return user is not None and "mentor" in user.roles


def require_user(request: Request) -> User:
    user: User | None = request.state.user
    if user is None:
        raise LoginRequired(request.url.path)
    return user


def require(request: Request, predicate: Callable[[User | None], bool]) -> User:
    """The signed-in user when ``predicate`` allows them; LoginRequired or Forbidden otherwise."""
    user = require_user(request)
    if not predicate(user):
        raise Forbidden(predicate.__name__)
    return user


# --- sessions ----------------------------------------------------------------------------------


@dataclass
class SessionHandle:
    """This request's session, and what the response must do with the cookie."""

    id_hash: str | None
    csrf_token: str
    stored: bool
    pending: domain.NewSession | None = None
    new_cookie: str | None = None
    ended: bool = False
    flash_key: str | None = None
    extra_cookies: list[str] = field(default_factory=list)


def session_of(request: Request) -> SessionHandle:
    handle: SessionHandle = request.state.session
    return handle


def start_session(request: Request, new: domain.NewSession) -> None:
    """Send ``new`` (a rotated, signed-in session) as this response's cookie."""
    handle = session_of(request)
    handle.id_hash, handle.csrf_token, handle.stored = new.id_hash, new.csrf_token, True
    handle.new_cookie, handle.pending, handle.ended = new.cookie_value, None, False


def end_session(request: Request) -> None:
    """The server-side row is gone; tell the browser to drop the cookie too."""
    handle = session_of(request)
    handle.ended, handle.new_cookie, handle.pending = True, None, None


def set_flash(request: Request, key: str) -> None:
    """Show the message ``key`` of hackathon.flash on the next page."""
    session_of(request).flash_key = key


def set_language_cookie(request: Request, locale: str) -> None:
    settings: Settings = request.app.state.settings
    secure = "; Secure" if settings.https else ""
    session_of(request).extra_cookies.append(
        f"{LANG_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax{secure}"
    )


def cookie_name(settings: Settings) -> str:
    # The __Host- prefix needs Secure, which browsers only keep over https.
    return "__Host-session" if settings.https else "session"


class SessionMiddleware:
    """Pure ASGI: loads the session and user into ``scope["state"]``, writes the cookie back.

    A visitor without a session gets one only when an HTML page is sent (its forms need
    a CSRF token), so static files, redirects and error pages create no rows.
    """

    def __init__(self, app: ASGIApp, *, settings: Settings, clock: Clock) -> None:
        self.app = app
        self.settings = settings
        self.clock = clock
        self.cookie = cookie_name(settings)
        self.https = settings.https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state.update(user=None, csrf_token="", flashes=[])
        if scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        db: Database = scope["app"].state.database
        now = self.clock()
        cookies = cookie_parser(dict(_headers(scope)).get("cookie", ""))
        handle, user = await self._load(db, cookies.get(self.cookie), now)
        state.update(session=handle, user=user, csrf_token=handle.csrf_token, now=now)
        state["flashes"] = flash.read(cookies)
        if user is not None and LANG_COOKIE not in cookies:
            set_request_locale(scope, user.locale)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self._write_cookie(db, handle, message, cookies, now)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _load(
        self, db: Database, cookie_value: str | None, now: datetime
    ) -> tuple[SessionHandle, User | None]:
        row = user = None
        if cookie_value:
            async with db.read() as conn:
                row = await sessions_q.get_session(conn, domain.hash_session_id(cookie_value))
                if row is not None and row.user_id is not None:
                    user = await _load_user(conn, row.user_id)
        if row is not None and (
            domain.is_expired(row, user.roles if user else frozenset(), now=now)
            or (row.user_id is not None and user is None)
        ):
            async with db.write() as conn:
                await domain.end_session(conn, row.id_hash)
            timed_out, row, user = row.user_id is not None, None, None
        else:
            timed_out = False
        if row is None:
            pending = domain.new_session_values()
            handle = SessionHandle(None, pending.csrf_token, stored=False, pending=pending)
            handle.flash_key = "session_expired" if timed_out else None
            return handle, None
        if domain.needs_touch(row, now=now):
            async with db.write() as conn:
                await sessions_q.touch_session(conn, row.id_hash, now=now)
        return SessionHandle(row.id_hash, row.csrf_token, stored=True), user

    async def _write_cookie(
        self,
        db: Database,
        handle: SessionHandle,
        message: Message,
        cookies: dict[str, str],
        now: datetime,
    ) -> None:
        headers = MutableHeaders(scope=message)
        value: str | None = handle.new_cookie
        if value is None and handle.pending is not None and _is_page(message, headers):
            async with db.write() as conn:
                await domain.store_session(conn, handle.pending, user_id=None, now=now)
            value = handle.pending.cookie_value
        if value is not None:
            headers.append("set-cookie", self._cookie(value))
        elif handle.ended or (self.cookie in cookies and not handle.stored):
            headers.append("set-cookie", self._cookie("", max_age=0))
        if handle.flash_key is not None:
            headers.append("set-cookie", flash.cookie_header(handle.flash_key, secure=self.https))
        elif flash.COOKIE in cookies:
            headers.append("set-cookie", flash.clear_cookie())
        for cookie in handle.extra_cookies:
            headers.append("set-cookie", cookie)

    def _cookie(self, value: str, *, max_age: int | None = None) -> str:
        parts = [f"{self.cookie}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if self.settings.https:
            parts.append("Secure")
        return "; ".join(parts)


async def _load_user(conn: AsyncConnection, user_id: int) -> User | None:
    found = await accounts_q.find_user(conn, user_id)
    if found is None or found.disabled:
        return None
    roles = await accounts_q.get_roles(conn, user_id)
    return User(
        id=found.id,
        name=found.name,
        email=found.email,
        locale=found.locale,
        roles=roles,
        email_verified=found.email_verified,
    )


def _headers(scope: Scope) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]


def _is_page(message: Message, headers: MutableHeaders) -> bool:
    # Error pages create no session: a refused request must leave the database as it was.
    return message["status"] < 400 and headers.get("content-type", "").startswith("text/html")
