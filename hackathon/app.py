"""create_app(settings) -> Starlette: routes, middleware, and the one map from errors to pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import Receive, Scope, Send

from hackathon import errors
from hackathon.auth import ROLE_LABELS, Clock, SessionMiddleware
from hackathon.db import Database
from hackathon.i18n import LocaleMiddleware, locale_name, make_templates
from hackathon.middleware import (
    BodyLimitMiddleware,
    CsrfMiddleware,
    SecurityHeadersMiddleware,
    security_headers,
)
from hackathon.migrate import ensure_migrated
from hackathon.settings import LOCALES, Settings
from hackathon.views import accounts, admin, home, profile

# Login throttling counts failures over 15 minutes.
RETRY_AFTER_SECONDS = 15 * 60
STATIC_DIR = Path(__file__).resolve().parent / "static"
logger = logging.getLogger("hackathon")

# The one place that says how each deliberate error is answered: (status, template).
ERROR_PAGES: dict[type[Exception], tuple[int, str]] = {
    errors.NotFound: (404, "errors/404.html"),
    errors.Forbidden: (403, "errors/403.html"),
    errors.TooManyRequests: (429, "errors/429.html"),
    errors.RequestTooLarge: (413, "errors/413.html"),
    errors.InvalidToken: (400, "accounts/invalid_link.html"),
}
STATUS_TEMPLATES = {status: template for status, template in ERROR_PAGES.values()}
STATUS_TEMPLATES[500] = "errors/500.html"
# Refusals made by middleware, before any handler ran: the only 403 there is CSRF.
MIDDLEWARE_TEMPLATES = {**STATUS_TEMPLATES, 403: "accounts/csrf_failed.html"}


def utc_now() -> datetime:
    return datetime.now(UTC)


def routes() -> list[BaseRoute]:
    return [
        *home.routes,
        *accounts.routes,
        *profile.routes,
        *admin.routes,
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def render_error(
    templates: Jinja2Templates, request: Request, status: int, pages: dict[int, str] | None = None
) -> Response:
    template = (pages or STATUS_TEMPLATES).get(status, "errors/404.html")
    return templates.TemplateResponse(request, template, {"status": status}, status_code=status)


def _handlers(templates: Jinja2Templates) -> dict[type[Exception] | int, Callable]:
    async def deliberate(request: Request, exc: Exception) -> Response:
        status = next(code for kind, (code, _) in ERROR_PAGES.items() if isinstance(exc, kind))
        response = render_error(templates, request, status)
        if status == 429:
            response.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
        return response

    async def login_required(request: Request, exc: Exception) -> Response:
        target = "/login"
        if request.method == "GET":
            target += "?next=" + quote(request.url.path + _query(request), safe="/")
        return RedirectResponse(target, status_code=303)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        response = render_error(templates, request, exc.status_code)
        response.headers.update(exc.headers or {})
        return response

    async def server_error(request: Request, exc: Exception) -> Response:
        # Outside every middleware: add the security headers here, never show the traceback.
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        try:
            response = render_error(templates, request, 500)
        except Exception:
            response = PlainTextResponse("Internal Server Error", status_code=500)
        https = request.app.state.settings.https
        response.headers.update(security_headers(https=https, cacheable=False))
        return response

    handlers: dict[type[Exception] | int, Callable] = dict.fromkeys(ERROR_PAGES, deliberate)
    handlers[errors.LoginRequired] = login_required
    handlers[HTTPException] = http_error
    handlers[Exception] = server_error
    return handlers


def _query(request: Request) -> str:
    query = request.url.query
    return f"?{query}" if query else ""


def create_app(settings: Settings, *, clock: Clock | None = None) -> Starlette:
    """The web app; ``clock`` (UTC now) is a parameter so tests can move time forward."""
    templates = make_templates(settings)
    templates.env.globals.update(
        role_labels=ROLE_LABELS, languages=[(code, locale_name(code)) for code in LOCALES]
    )

    async def respond_error(scope: Scope, receive: Receive, send: Send, status: int) -> None:
        response = render_error(templates, Request(scope, receive), status, MIDDLEWARE_TEMPLATES)
        await response(scope, receive, send)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = Database(settings.database_url)
        try:
            await ensure_migrated(database)
            app.state.database = database
            yield
        finally:
            await database.dispose()

    app = Starlette(
        debug=settings.debug,
        routes=routes(),
        middleware=[
            Middleware(SecurityHeadersMiddleware, https=settings.https),
            Middleware(LocaleMiddleware, default_locale=settings.default_locale),
            Middleware(SessionMiddleware, settings=settings, clock=clock or utc_now),
            Middleware(BodyLimitMiddleware, on_error=respond_error),
            Middleware(CsrfMiddleware, on_error=respond_error),
        ],
        exception_handlers=_handlers(templates),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.templates = templates
    return app
