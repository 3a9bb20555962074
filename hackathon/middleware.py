"""Pure ASGI middleware: security headers, request-body limit, CSRF (SECURITY.md 15, 18, 19).

Middleware cannot raise into Starlette's exception handlers (they sit inside), so
refusals are answered through an ``ErrorResponder`` that app.py provides: the
same translated error pages as everywhere else.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hackathon.errors import RequestTooLarge

ErrorResponder = Callable[[Scope, Receive, Send, int], Awaitable[None]]

MAX_BODY_BYTES = 2 * 1024 * 1024
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
ONE_YEAR = 365 * 24 * 3600


def security_headers(*, https: bool, cacheable: bool) -> dict[str, str]:
    """The headers every response carries; app.py also adds them to 500 pages."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "x-frame-options": "DENY",
        "cross-origin-opener-policy": "same-origin",
    }
    if https:
        headers["strict-transport-security"] = f"max-age={ONE_YEAR}; includeSubDomains"
    if not cacheable:
        # Every page may carry a CSRF token or personal data: only static files are cached.
        headers["cache-control"] = "no-store"
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(https=self.https, cacheable=scope["path"].startswith("/static/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse bodies above ``max_bytes`` with 413, and never read past the limit.

    A declared Content-Length above the limit is refused before reading anything;
    a chunked body is counted as it arrives and reading stops at the limit.
    """

    def __init__(
        self, app: ASGIApp, *, on_error: ErrorResponder, max_bytes: int = MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.on_error = on_error
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self.on_error(scope, receive, send, 413)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge(f"more than {self.max_bytes} bytes")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except RequestTooLarge:
            if started:
                raise
            await self.on_error(scope, receive, send, 413)


class CsrfMiddleware:
    """Every state-changing request must carry this session's token (form field or header).

    The token lives in the session row, so a token from another session, a logged-out
    session or a session never stored is refused with 403 before any handler runs.
    """

    def __init__(self, app: ASGIApp, *, on_error: ErrorResponder) -> None:
        self.app = app
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        replay = _replay(body, receive)
        handle = scope.get("state", {}).get("session")
        expected = handle.csrf_token if handle is not None and handle.stored else ""
        submitted = Headers(scope=scope).get(CSRF_HEADER) or await _form_token(scope, body)
        if not expected or not hmac.compare_digest(expected.encode(), submitted.encode()):
            await self.on_error(scope, replay, send, 403)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay_receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay_receive


async def _form_token(scope: Scope, body: bytes) -> str:
    content_type = Headers(scope=scope).get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return ""
    request = Request(scope, _replay(body, _no_more_body))
    try:
        async with request.form() as form:
            value = form.get(CSRF_FIELD)
            return value if isinstance(value, str) else ""
    except Exception:
        return ""


async def _no_more_body() -> Message:
    return {"type": "http.disconnect"}
