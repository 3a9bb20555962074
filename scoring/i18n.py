"""Translations for the scoring library (CLI help, messages, report, chart labels).

CONTRACT: ``gettext(message)`` / ``ngettext(s, p, n)`` translate into the language set by
``set_language(lang)`` (de, fr, en, lb; default from the environment variable
HACKATHON_SCORE_LANG, then LC_ALL / LANG); modules write ``from scoring.i18n import gettext as _``.

The catalogs are the ``.po`` files under ``scoring/locales``; they are compiled in memory on
first use so that no binary ``.mo`` file has to live in git.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterable, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path

LANGUAGES = ("de", "fr", "en", "lb")
DEFAULT_LANGUAGE = "en"
DOMAIN = "scoring"
LOCALES = Path(__file__).parent / "locales"
_language = DEFAULT_LANGUAGE


def normalise_language(value: str | None) -> str | None:
    """The supported language a locale name such as ``de_DE.UTF-8`` points to, else ``None``.

    Examples
    --------
    >>> normalise_language("fr_LU.UTF-8")
    'fr'
    >>> normalise_language("C") is None
    True
    """
    if not value:
        return None
    prefix = value.strip().split(".")[0].split("_")[0].split("-")[0].lower()
    return prefix if prefix in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """HACKATHON_SCORE_LANG, then LC_ALL, then LANG; English when none names a known language."""
    environ = os.environ if environ is None else environ
    for name in ("HACKATHON_SCORE_LANG", "LC_ALL", "LANG"):
        language = normalise_language(environ.get(name))
        if language:
            return language
    return DEFAULT_LANGUAGE


def environment_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language HACKATHON_SCORE_LANG asks for explicitly, if any."""
    environ = os.environ if environ is None else environ
    return normalise_language(environ.get("HACKATHON_SCORE_LANG"))


def set_language(language: str) -> None:
    """Translate every later message into ``language`` (a code or locale name; unknown -> en)."""
    global _language
    _language = normalise_language(language) or DEFAULT_LANGUAGE


def get_language() -> str:
    return _language


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``language``; a null catalog when none is shipped."""
    po_path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    # Babel is imported here, not at module level, to keep `--help` and imports fast.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    """``message`` in the current language (the English source when untranslated)."""
    return translations(_language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the current language."""
    return translations(_language).ngettext(singular, plural, n)


def join_items(items: Iterable[str]) -> str:
    """The items of a list inside a sentence, separated as the current language writes it.

    Examples
    --------
    >>> join_items(["lenient", "ranks the teams against the panel"])
    'lenient; ranks the teams against the panel'
    """
    # Translators: between the items of a list in a sentence; French puts a space before the ";".
    return gettext("; ").join(items)
