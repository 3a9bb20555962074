"""Every message in the code and the templates is translated in every catalog.

Messages are extracted at test time with Babel and the mapping in babel.cfg (the
same one `pybabel extract` uses), so a string added anywhere without a translation
fails here with its text and the locale that lacks it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from hackathon.i18n import LOCALES_DIR
from hackathon.settings import LOCALES, PROJECT_ROOT

KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
TRANSLATED_LOCALES = ("de", "fr", "lb")  # English is the source language: msgstr may stay empty.

MessageId = str | tuple[str, ...]


def _skip_foreign_directories(path: str) -> bool:
    name = Path(path).name
    return not name.startswith((".", "_")) and name not in {"node_modules", "build", "dist"}


@functools.cache
def extracted_messages() -> dict[MessageId, list[str]]:
    """Each message id with the places (file:line) it comes from."""
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[MessageId, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT,
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=_skip_foreign_directories,
    ):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


@functools.cache
def catalog(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _lookup_id(message_id: MessageId) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _untranslated(locale: str) -> list[str]:
    gaps = []
    for message_id, places in extracted_messages().items():
        entry = catalog(locale).get(_lookup_id(message_id))
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else strings
        if entry is None or entry.fuzzy or not all(strings):
            gaps.append(f"{message_id!r} ({places[0]})")
    return sorted(gaps)


def test_extraction_finds_messages_in_code_templates_and_mail() -> None:
    messages = extracted_messages()
    expected = {
        "You are logged in.",  # hackathon/flash.py, lazy_gettext
        "Page not found",  # templates/errors/404.html
        "Confirm your e-mail address for the QuattroPole Hackathon",  # a .subject.txt
        ("%(places)s place", "%(places)s places"),  # a plural in templates/home.html
    }
    assert expected <= set(messages)


def test_catalogs_exist_for_every_locale() -> None:
    paths = {locale: (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po") for locale in LOCALES}
    assert {locale: path.is_file() for locale, path in paths.items()} == dict.fromkeys(
        LOCALES, True
    )


def test_catalogs_translate_every_message() -> None:
    gaps = {locale: _untranslated(locale) for locale in TRANSLATED_LOCALES}
    assert gaps == {locale: [] for locale in TRANSLATED_LOCALES}


def test_english_catalog_lists_every_message() -> None:
    english = catalog("en")
    missing = sorted(
        repr(message_id)
        for message_id in extracted_messages()
        if english.get(_lookup_id(message_id)) is None
    )
    assert missing == []


def test_catalog_translations_keep_placeholders() -> None:
    problems = []
    for locale in LOCALES:
        for message, errors in catalog(locale).check():
            problems.extend(f"{locale}: {message.id!r}: {error}" for error in errors)
    assert problems == []


def test_catalogs_use_plural_rules_of_their_language() -> None:
    forms = {locale: catalog(locale).plural_forms for locale in LOCALES}
    assert forms == {
        "de": "nplurals=2; plural=(n != 1);",
        "fr": "nplurals=2; plural=(n > 1);",
        "en": "nplurals=2; plural=(n != 1);",
        "lb": "nplurals=2; plural=(n != 1);",
    }
