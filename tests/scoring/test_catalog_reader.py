"""The catalog reader of scoring.i18n translates exactly as Babel's read_po + write_mo did.

Babel stays the reference here (the web app depends on it); the CLI no longer imports it.
"""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from scoring.i18n import LANGUAGES, LOCALES, read_catalog

COUNTS = (0, 1, 2, 5)
HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: {plural_forms}\\n"

"""
TWO_FORMS = "nplurals=2; plural=(n != 1);"


def babel_catalog(path: Path, language: str) -> gettext.GNUTranslations:
    """The translations as Babel compiles them (what scoring.i18n did before the reader)."""
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=language, domain="scoring")
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def po_file(tmp_path: Path, entries: str, plural_forms: str = TWO_FORMS) -> Path:
    path = tmp_path / "messages.po"
    path.write_text(HEADER.format(plural_forms=plural_forms) + entries, encoding="utf-8")
    return path


def assert_translates_as_babel(path: Path, language: str) -> int:
    """Every message of ``path`` (fuzzy and obsolete ones too) reads the same both ways."""
    with path.open("rb") as stream:
        parsed = read_po(stream, locale=language)
    messages = [m for m in [*parsed, *parsed.obsolete.values()] if m.id]
    expected = babel_catalog(path, language)

    catalog = read_catalog(path)

    for message in messages:
        context = message.context
        if isinstance(message.id, tuple):
            singular, plural = message.id
            for n in COUNTS:
                got = catalog.npgettext(context, singular, plural, n) if context else None
                want = expected.npgettext(context, singular, plural, n) if context else None
                assert got == want, (message.id, n)
                got = catalog.ngettext(singular, plural, n)
                assert got == expected.ngettext(singular, plural, n), (message.id, n)
        else:
            if context:
                got = catalog.pgettext(context, message.id)
                assert got == expected.pgettext(context, message.id), message.id
            assert catalog.gettext(message.id) == expected.gettext(message.id), message.id
    assert catalog.info()["plural-forms"] == expected.info()["plural-forms"]
    return len(messages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_read_catalog_translates_every_shipped_message_as_babel(language: str) -> None:
    path = LOCALES / language / "LC_MESSAGES" / "scoring.po"

    compared = assert_translates_as_babel(path, language)

    assert compared > 200


def test_read_catalog_german_known_translations() -> None:
    catalog = read_catalog(LOCALES / "de" / "LC_MESSAGES" / "scoring.po")

    assert catalog.gettext(" for challenge {c}") == " für die Challenge {c}"
    assert catalog.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"


def test_read_catalog_joins_continued_lines(tmp_path: Path) -> None:
    path = po_file(
        tmp_path,
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"Zwei "\n"Zeilen"\n',
    )

    catalog = read_catalog(path)

    assert catalog.gettext("Two lines") == "Zwei Zeilen"
    assert babel_catalog(path, "de").gettext("Two lines") == "Zwei Zeilen"


def test_read_catalog_unescapes_quotes_backslashes_newlines_tabs(tmp_path: Path) -> None:
    path = po_file(
        tmp_path,
        'msgid "Say \\"hi\\"\\\\n\\tthen\\nstop"\nmsgstr "Sag \\"hallo\\"\\\\n\\tdann\\nhalt"\n',
    )

    catalog = read_catalog(path)

    assert catalog.gettext('Say "hi"\\n\tthen\nstop') == 'Sag "hallo"\\n\tdann\nhalt'
    assert babel_catalog(path, "de").gettext('Say "hi"\\n\tthen\nstop') == (
        'Sag "hallo"\\n\tdann\nhalt'
    )


def test_read_catalog_skips_fuzzy_entries(tmp_path: Path) -> None:
    path = po_file(
        tmp_path,
        '#, fuzzy, python-format\nmsgid "Guess"\nmsgstr "Vermutung"\n\n'
        '#, python-format\nmsgid "Sure"\nmsgstr "Sicher"\n',
    )

    catalog = read_catalog(path)

    assert (catalog.gettext("Guess"), catalog.gettext("Sure")) == ("Guess", "Sicher")


def test_read_catalog_keeps_a_fuzzy_header(tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    path.write_text(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "café"\nmsgstr "Kaffee"\n\n'
        'msgid "day"\nmsgid_plural "days"\nmsgstr[0] "jour"\nmsgstr[1] "jours"\n',
        encoding="utf-8",
    )

    catalog = read_catalog(path)

    assert catalog.gettext("café") == "Kaffee"
    assert [catalog.ngettext("day", "days", n) for n in COUNTS] == [
        "jour",
        "jour",
        "jours",
        "jours",
    ]


def test_read_catalog_ignores_obsolete_entries(tmp_path: Path) -> None:
    path = po_file(
        tmp_path,
        '#~ msgid "Gone"\n#~ msgstr "Weg"\n\nmsgid "Here"\nmsgstr "Hier"\n\n'
        '#~ msgid "Also gone"\n#~ msgstr ""\n#~ "Auch weg"\n',
    )

    catalog = read_catalog(path)

    assert [catalog.gettext(m) for m in ("Gone", "Here", "Also gone")] == [
        "Gone",
        "Hier",
        "Also gone",
    ]


def test_read_catalog_plural_with_two_forms(tmp_path: Path) -> None:
    path = po_file(
        tmp_path,
        'msgid "{n} team"\nmsgid_plural "{n} teams"\nmsgstr[0] "{n} Team"\nmsgstr[1] "{n} Teams"\n',
    )

    catalog = read_catalog(path)

    assert [catalog.ngettext("{n} team", "{n} teams", n) for n in COUNTS] == [
        "{n} Teams",
        "{n} Team",
        "{n} Teams",
        "{n} Teams",
    ]


def test_read_catalog_plural_with_one_form(tmp_path: Path) -> None:
    # Plural-Forms as GNU gettext documents it for languages without plural (e.g. Japanese).
    path = po_file(
        tmp_path,
        'msgid "{n} team"\nmsgid_plural "{n} teams"\nmsgstr[0] "{n} チーム"\n',
        plural_forms="nplurals=1; plural=0;",
    )

    catalog = read_catalog(path)

    assert [catalog.ngettext("{n} team", "{n} teams", n) for n in COUNTS] == ["{n} チーム"] * 4


def test_read_catalog_leaves_untranslated_entries_to_the_msgid(tmp_path: Path) -> None:
    path = po_file(
        tmp_path,
        'msgid "Open"\nmsgstr ""\n\n'
        'msgid "{n} vote"\nmsgid_plural "{n} votes"\nmsgstr[0] ""\nmsgstr[1] ""\n',
    )

    catalog = read_catalog(path)

    assert catalog.gettext("Open") == "Open"
    assert [catalog.ngettext("{n} vote", "{n} votes", n) for n in COUNTS] == [
        "{n} votes",
        "{n} vote",
        "{n} votes",
        "{n} votes",
    ]


SNIPPETS = {
    "continued": 'msgid ""\n"a "\n"b"\nmsgstr "c"\n"d"\n',
    "escapes": 'msgid "q\\"\\\\\\t\\r\\n\\a\\b\\f\\v\\101\\x41"\nmsgstr "Q\\"\\\\\\t\\r\\n\\a"\n',
    "fuzzy": '#, fuzzy\nmsgid "f"\nmsgstr "F"\n',
    "obsolete": '#~ msgid "o"\n#~ msgstr "O"\nmsgid "k"\nmsgstr "K"\n',
    "context": 'msgctxt "menu"\nmsgid "Open"\nmsgstr "Öffnen"\n\nmsgid "Open"\nmsgstr "Offen"\n',
    "partial plural": 'msgid "s"\nmsgid_plural "p"\nmsgstr[0] ""\nmsgstr[1] "P"\n',
    "untranslated": 'msgid "u"\nmsgstr ""\n\nmsgid "no msgstr"\n\nmsgid "v"\nmsgstr "V"\n',
    "plural in context": 'msgctxt "x"\nmsgid "s"\nmsgid_plural "p"\nmsgstr[0] "S"\nmsgstr[1] "P"\n',
    "three forms": 'msgid "s"\nmsgid_plural "p"\nmsgstr[0] "S0"\nmsgstr[1] "S1"\nmsgstr[2] "S2"\n',
    "comments": '# user\n#. auto\n#: a.py:1\n#| msgid "old"\nmsgid "c"\nmsgstr "C"\n',
}


PLURAL_FORMS = [
    TWO_FORMS,
    "nplurals=2; plural=(n > 1);",
    "nplurals=1; plural=0;",
    "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
]


@pytest.mark.parametrize("plural_forms", PLURAL_FORMS)
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_read_catalog_snippets_as_babel(tmp_path: Path, name: str, plural_forms: str) -> None:
    path = po_file(tmp_path, SNIPPETS[name], plural_forms)

    compared = assert_translates_as_babel(path, "de")

    assert compared >= 1
