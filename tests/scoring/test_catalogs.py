"""Every message of the scoring library is translated into German, French and Luxembourgish.

Messages are extracted exactly as ``scoring/locales/babel.cfg`` says (the command written in
it), so a new ``_("...")`` anywhere in scoring/ or its templates fails here until translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from scoring.i18n import LOCALES, gettext, ngettext, set_language

SCORING = Path(__file__).parents[2] / "scoring"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
TRANSLATED = ("de", "fr", "lb")
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})|%\((\w+)\)[sdr]")


def extracted() -> dict[str | tuple[str, ...], bool]:
    """msgid (a tuple for plurals) -> python-format flag, for every message in the code."""
    with (LOCALES / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str | tuple[str, ...], bool] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(SCORING), method_map, options_map, keywords=KEYWORDS
    ):
        found[message] = False
    return found


def catalog(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "scoring.po").open("rb") as stream:
        return read_po(stream, locale=language)


def placeholders(text: str) -> list[str]:
    return sorted(a or b for a, b in PLACEHOLDER.findall(text))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


MESSAGES = sorted(extracted(), key=str)


def test_extraction_finds_the_messages_of_every_module() -> None:
    ids = {m if isinstance(m, str) else m[0] for m in MESSAGES}

    assert {"Jury results", "reading sheets", "Rank (1 is best)", "Reading {file}"} <= ids


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    translations = catalog(language)

    missing = []
    for message in MESSAGES:
        entry = translations.get(message if isinstance(message, str) else message[0])
        strings = (
            []
            if entry is None
            else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        )
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(message)
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str) -> None:
    translations = catalog(language)

    wrong = []
    for entry in translations:
        if not entry.id or not entry.string:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        expected = placeholders(ids[-1])
        if len(ids) == 1:
            wrong += [(ids[0], s) for s in strings if placeholders(s) != expected]
        else:  # a singular form may leave out the count ("the highest mark")
            wrong += [(ids[0], s) for s in strings if not set(placeholders(s)) <= set(expected)]
    assert wrong == []


def test_english_catalog_is_the_identity() -> None:
    translations = catalog("en")

    different = [
        entry.id for entry in translations if entry.id and entry.string and entry.string != entry.id
    ]
    assert different == []


def test_catalogs_compile_in_memory_and_translate() -> None:
    set_language("de")
    german = (gettext("Rank (1 is best)"), ngettext("{n} error", "{n} errors", 2))
    set_language("fr")
    french = gettext("Jury results")
    set_language("lb")
    luxembourgish = gettext("Team")

    assert german == ("Rang (1 ist am besten)", "{n} Fehler")
    assert french == "Résultats du jury"
    assert luxembourgish == "Equipe"


def message_ids(messages: object) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in messages if m.id}  # type: ignore[attr-defined]


def test_template_holds_exactly_the_messages_of_the_code() -> None:
    # scoring.pot is what translators start from: regenerate it with the command in babel.cfg.
    with (LOCALES / "scoring.pot").open("rb") as stream:
        template = read_po(stream)

    assert message_ids(template) == {m if isinstance(m, str) else m[0] for m in MESSAGES}


@pytest.mark.parametrize("language", (*TRANSLATED, "en"))
def test_catalog_holds_exactly_the_messages_of_the_template(language: str) -> None:
    with (LOCALES / "scoring.pot").open("rb") as stream:
        template = read_po(stream)

    assert message_ids(catalog(language)) == message_ids(template)
    assert list(catalog(language).obsolete) == []


# Words that are the same in English and in the language (not an untranslated copy), and
# punctuation that German and Luxembourgish write as English does (French does not).
PUNCTUATION = {
    "; ",
    "{criterion}: {low}–{high}",
    "{rubric}: {low}–{high}",
    "{files}: {errors}, {warnings}",
}
SAME_AS_ENGLISH = {
    "de": {*PUNCTUATION, "Challenge", "Juror", "Name", "Team", "Teams"},
    "fr": {"Arguments", "Options", "P(top 3)", "Score", "[OPTIONS]"},
    "lb": {*PUNCTUATION, "Challenge", "Juror", "Score"},
}


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_are_not_copies_of_the_english(language: str) -> None:
    copies = [
        entry.id
        for entry in catalog(language)
        if entry.id and entry.string == entry.id and entry.id not in SAME_AS_ENGLISH[language]
    ]

    assert copies == []
