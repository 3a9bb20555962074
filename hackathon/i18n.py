"""Locale negotiation, gettext for code and templates, Babel formatting.

Code imports ``from hackathon.i18n import gettext as _``; module-level constants
(form labels) use ``lazy_gettext`` so they translate when rendered, not at import.
The active locale lives in the ``current_locale`` context variable: the
middleware sets it per request, ``use_locale`` sets it per mail recipient.

Only the ``.po`` files are shipped: each catalog is compiled in memory on first
use, so a fresh ``pip install`` translates with no build step and no ``.mo``
file can ever go stale. Fuzzy entries are left out, as gettext tools do.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import jinja2
from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import escape
from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.templating import Jinja2Templates, _TemplateResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hackathon.negotiation import negotiate_locale, normalize_locale, parse_accept_language
from hackathon.settings import LOCALES, PROJECT_ROOT

__all__ = [
    "LOCALES",
    "TEMPLATES_DIR",
    "LocaleMiddleware",
    "country_name",
    "current_locale",
    "format_date",
    "format_date_range",
    "format_datetime",
    "format_decimal",
    "format_number",
    "gettext",
    "lazy_gettext",
    "locale_name",
    "make_templates",
    "negotiate_locale",
    "ngettext",
    "normalize_locale",
    "parse_accept_language",
    "set_request_locale",
    "use_locale",
]

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# templates/ sits beside the package in a checkout (and an editable install); a wheel
# carries it inside the package (pyproject.toml maps it to hackathon.templates).
_PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATES_DIR = _PACKAGED_TEMPLATES if _PACKAGED_TEMPLATES.is_dir() else PROJECT_ROOT / "templates"
DOMAIN = "messages"
LANG_COOKIE = "lang"
# Event times are stored in UTC and shown in the time zone of the four cities.
DISPLAY_TIMEZONE = "Europe/Luxembourg"
_SHORT_MONTH = re.compile(r"(?<![ML])(MMM|LLL)(?![ML])")

current_locale: ContextVar[str] = ContextVar("current_locale", default="en")


# --- catalogs -------------------------------------------------------------------------------


@functools.cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``locale`` (English source strings when there is none)."""
    path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if locale not in LOCALES or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as handle:
        return compile_catalog(handle, locale)


def compile_catalog(po_file: BinaryIO, locale: str) -> _gettext.GNUTranslations:
    """Compile a ``.po`` file in memory; fuzzy and empty entries fall back to the English."""
    catalog = read_po(po_file, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


class LazyString:
    """A message translated each time it is turned into text, in the locale active then."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __html__(self) -> str:
        # Plain text: Jinja escapes it like any other string.
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"lazy_gettext({self.message!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyString):
            return self.message == other.message
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.message)

    def __len__(self) -> int:
        return len(str(self))

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __mod__(self, values: Any) -> str:
        return str(self) % values

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str(self).format(*args, **kwargs)


def lazy_gettext(message: str) -> LazyString:
    return LazyString(message)


@contextmanager
def use_locale(locale: str) -> Iterator[str]:
    """Translate and format in ``locale`` inside the block (a mail to one recipient)."""
    token = current_locale.set(locale if locale in LOCALES else current_locale.get())
    try:
        yield current_locale.get()
    finally:
        current_locale.reset(token)


# --- negotiation ----------------------------------------------------------------------------


def set_request_locale(request_or_scope: Request | Scope, locale: str) -> str:
    """Override the negotiated locale (W2: the profile's locale once the session is known)."""
    scope = request_or_scope.scope if isinstance(request_or_scope, Request) else request_or_scope
    chosen = normalize_locale(locale) or scope.setdefault("state", {}).get("locale", "en")
    scope.setdefault("state", {})["locale"] = chosen
    current_locale.set(chosen)
    return chosen


class LocaleMiddleware:
    """Pure ASGI: choose the locale from the ``lang`` cookie and Accept-Language."""

    def __init__(self, app: ASGIApp, *, default_locale: str) -> None:
        self.app = app
        self.default_locale = default_locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        locale = negotiate_locale(
            explicit=cookie_parser(headers.get("cookie", "")).get(LANG_COOKIE),
            user_locale=None,
            accept_language=headers.get("accept-language"),
            default=self.default_locale,
        )
        state = scope.setdefault("state", {})
        state["locale"] = locale

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                _add_language_headers(message, state.get("locale", locale))
            await send(message)

        token = current_locale.set(locale)
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            current_locale.reset(token)


def _add_language_headers(message: Message, locale: str) -> None:
    raw = [(k, v) for k, v in message["headers"] if k.lower() not in (b"content-language",)]
    vary = [v.decode("latin-1") for k, v in raw if k.lower() == b"vary"]
    raw = [(k, v) for k, v in raw if k.lower() != b"vary"]
    names = [n.strip() for value in vary for n in value.split(",") if n.strip()]
    for needed in ("Accept-Language", "Cookie"):
        if needed.lower() not in {n.lower() for n in names}:
            names.append(needed)
    raw.append((b"content-language", locale.encode("latin-1")))
    raw.append((b"vary", ", ".join(names).encode("latin-1")))
    message["headers"] = raw


# --- formatting -----------------------------------------------------------------------------


def _babel_locale() -> Locale:
    # Babel ships CLDR data for "lb" (Lëtzebuergesch), so no fallback to de_LU is needed.
    return Locale.parse(current_locale.get())


def locale_name(code: str) -> str:
    """A language's name in that language, capitalised as a label: ``"fr"`` -> ``"Français"``."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def country_name(code: str) -> str:
    """``"LU"`` -> ``"Luxemburg"`` in German, ``"Luxembourg"`` in French, ..."""
    return _babel_locale().territories.get(code.upper(), code)


def format_date(value: dt.date, format: str = "long") -> str:
    return dates.format_date(value, format=format, locale=_babel_locale())


def format_datetime(value: dt.datetime, format: str = "medium", tz: str = DISPLAY_TIMEZONE) -> str:
    zone = dates.get_timezone(tz)
    return dates.format_datetime(value, format=format, tzinfo=zone, locale=_babel_locale())


def format_date_range(start: dt.date, end: dt.date) -> str:
    """``"14–15 March 2026"``, ``"14.–15. März 2026"``: an event's dates, month spelt out.

    CLDR has interval patterns only with abbreviated months ("yMMMd") and Babel does not
    widen the month as the CLDR matching rules ask, so the pattern is widened here.
    """
    locale = _babel_locale()
    if start == end:
        return dates.format_date(start, format="long", locale=locale)
    patterns = locale.interval_formats["yMMMd"]
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    widened = [_SHORT_MONTH.sub(lambda m: m[0] + m[0][0], part) for part in patterns[field]]
    return "".join(
        dates.parse_pattern(part).apply(day, locale)
        for part, day in zip(widened, (start, end), strict=True)
    )


def format_decimal(value: float | Decimal | int, format: str | None = None) -> str:
    return numbers.format_decimal(value, format=format, locale=_babel_locale())


def format_number(value: float | Decimal | int) -> str:
    # babel.numbers.format_number is deprecated; format_decimal is its replacement.
    return numbers.format_decimal(value, locale=_babel_locale())


# --- templates ------------------------------------------------------------------------------


class LocalizedTemplates(Jinja2Templates):
    """Renders in the request's locale, even where the context variable is not set (500 pages)."""

    def TemplateResponse(
        self, request: Request, name: str, *args: Any, **kwargs: Any
    ) -> _TemplateResponse:
        locale = getattr(request.state, "locale", None) or current_locale.get()
        with use_locale(locale):
            return super().TemplateResponse(request, name, *args, **kwargs)


def make_environment(
    directory: Path, *, autoescape: Any = True, trim_blocks: bool = True
) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=autoescape,  # noqa: S701 - True for the web; mail escapes all but .txt
        extensions=["jinja2.ext.i18n"],
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
    )
    # Must match `trimmed = true` in babel.cfg, or extracted ids would not match at runtime.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        format_date=format_date,
        format_datetime=format_datetime,
        format_date_range=format_date_range,
        format_number=format_number,
        format_decimal=format_decimal,
    )
    env.globals.update(LOCALES=LOCALES, locale_name=locale_name, country_name=country_name)
    return env


def make_templates(settings: Any) -> Jinja2Templates:
    """Templates under ``templates/``, autoescaped whatever the file name (SECURITY D.17)."""
    env = make_environment(TEMPLATES_DIR, autoescape=True)
    env.auto_reload = bool(getattr(settings, "debug", False))
    return LocalizedTemplates(env=env)
