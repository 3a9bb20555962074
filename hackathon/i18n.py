"""Locale negotiation, gettext for code and templates, Babel formatting.

CONTRACT (filled in by the i18n work; other modules rely only on these names):
- ``current_locale``: ContextVar[str] holding the active locale of this request or mail.
- ``gettext(message)``, ``ngettext(singular, plural, n)``, ``lazy_gettext(message)``: translate
  with ``current_locale``; code imports ``from hackathon.i18n import gettext as _``.
- ``use_locale(locale)``: context manager that sets ``current_locale`` (mail per recipient).
- ``make_templates(settings) -> Jinja2Templates``: autoescape on for every template, the
  jinja2 i18n extension installed with the callables above, Babel filters (format_date ...).
- ``LocaleMiddleware``: pure ASGI; sets ``scope["state"]["locale"]`` and ``current_locale``.
"""

from __future__ import annotations

from contextvars import ContextVar

current_locale: ContextVar[str] = ContextVar("current_locale", default="en")


def gettext(message: str) -> str:
    return message
