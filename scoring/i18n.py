"""Translations for the scoring library (CLI help, messages, report, chart labels).

CONTRACT: ``gettext(message)`` / ``ngettext(s, p, n)`` translate into the language set by
``set_language(lang)`` (de, fr, en, lb; default from the environment variable
HACKATHON_SCORE_LANG, then LC_ALL / LANG); modules write ``from scoring.i18n import gettext as _``.

The catalogs are the ``.po`` files under ``scoring/locales``; they are compiled in memory on
first use so that no binary ``.mo`` file has to live in git, by a small reader of the PO format
here rather than Babel, whose import alone costs a CLI run more than the parse.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path

LANGUAGES = ("de", "fr", "en", "lb")
DEFAULT_LANGUAGE = "en"
DOMAIN = "scoring"
LOCALES = Path(__file__).parent / "locales"
_language = DEFAULT_LANGUAGE

# Patterns, not compiled objects: `re` compiles them on first use, so importing stays cheap.
# The charset the header declares; Babel decodes the file with it too.
_CHARSET = rb"Content-Type:[^\"\\]*charset=([-\w]+)"
# The C escapes Babel 2.19 unescapes; any other backslash (octal, hex) stays as written.
_ESCAPE = r'\\([\\abfnrtv"])'
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_PLURAL_FORMS = r"(?im)^Plural-Forms:.*?\bnplurals\s*=\s*(\d+)"


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


def use_event_language(given: str | None, event: str) -> None:
    """A run speaks the language given on its command line, else the one HACKATHON_SCORE_LANG
    asks for, else its event's (the rubric's ``language``): set the last when neither."""
    if given is None and environment_language() is None:
        set_language(event)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``language``; a null catalog when none is shipped."""
    po_path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    return read_catalog(po_path)


def read_catalog(po_path: Path) -> _gettext.GNUTranslations:
    """The translations of a ``.po`` file, as Babel's ``read_po`` + ``write_mo`` compile them.

    Fuzzy and obsolete (``#~``) entries are left out, the header is kept even when fuzzy, an
    empty ``msgstr`` leaves its message untranslated, an empty plural form falls back to the
    msgid (form 0) or msgid_plural (the others), and the header's Plural-Forms decide the form
    (two forms when it has none, where Babel would ask CLDR). The header is the file's own, not
    Babel's rewritten one. Written for the standard library alone: importing Babel costs a CLI
    run more than this whole parse.

    Examples
    --------
    >>> german = read_catalog(LOCALES / "de" / "LC_MESSAGES" / "scoring.po")
    >>> german.gettext(" (steps of {step})")
    ' (in Schritten von {step})'
    """
    data = po_path.read_bytes()
    declared = re.search(_CHARSET, data)
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    messages = _compile(_entries(data.decode(charset).splitlines()))
    messages.setdefault("", f"Content-Type: text/plain; charset={charset}\n")
    return _gettext.GNUTranslations(BytesIO(_mo_file(messages, charset)))


class _Entry:
    """One message of a ``.po`` file: msgctxt, msgid (+ msgid_plural), msgstr[N], flags."""

    # A plain class: importing dataclasses (and inspect with it) costs more than the parse.
    __slots__ = ("context", "flags", "ids", "obsolete", "strings")

    def __init__(self) -> None:
        self.context: list[str] | None = None
        self.ids: list[list[str]] = []
        self.strings: list[tuple[int, list[str]]] = []
        self.flags: set[str] = set()
        self.obsolete = False


def _unquote(quoted: str) -> str:
    text = quoted[1:-1]
    if "\\" not in text:
        return text
    return re.sub(_ESCAPE, lambda match: _ESCAPES.get(match[1], match[1]), text)


def _entries(lines: Iterable[str]) -> Iterator[_Entry]:
    """The entries of a ``.po`` file, read line by line as Babel's ``PoFileParser`` reads them."""
    entry, parts = _Entry(), None  # parts: the string a continuation line ("...") extends
    for raw in lines:
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
        elif line.startswith("#"):
            # A comment ends the message before it; its flags belong to the next one.
            if entry.ids:
                yield entry
                entry, parts = _Entry(), None
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if not line:
            continue
        if line.startswith('"'):
            if parts is not None:
                parts.append(_unquote(line))
            continue
        keyword, _, argument = line.partition(" ")
        if keyword in ("msgid", "msgctxt") and entry.ids:
            yield entry
            entry = _Entry()
        entry.obsolete = obsolete
        parts = [_unquote(argument)]
        if keyword in ("msgid", "msgid_plural"):
            entry.ids.append(parts)
        elif keyword == "msgctxt":
            entry.context = parts
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = keyword.partition("[")[2].rstrip("]")
            entry.strings.append((int(index or 0), parts))
        else:
            parts = None
    if entry.ids:
        yield entry


def _compile(entries: Iterable[_Entry]) -> dict[str, str]:
    """msgid -> msgstr as a ``.mo`` file stores them (plurals joined by NUL, msgctxt by EOT)."""
    messages: dict[str, str] = {}
    nplurals = 2
    for entry in entries:
        ids = ["".join(parts) for parts in entry.ids]
        context = "".join(entry.context) + "\x04" if entry.context is not None else ""
        if entry.obsolete or ("fuzzy" in entry.flags and (ids != [""] or context)):
            continue
        strings = {index: "".join(parts) for index, parts in reversed(entry.strings)}
        if len(ids) == 1:
            if ids == [""] and not context:
                declared = re.search(_PLURAL_FORMS, strings.get(0, ""))
                nplurals = int(declared.group(1)) if declared else nplurals
            if strings.get(0):
                messages[context + ids[0]] = strings[0]
            continue
        forms = [strings.get(index) or ids[min(index, 1)] for index in range(nplurals)]
        messages[context + "\0".join(ids[:2])] = "\0".join(forms)
    return messages


def _mo_file(messages: Mapping[str, str], charset: str) -> bytes:
    """A GNU ``.mo`` file of ``messages`` (keys sorted, no hash table), as ``msgfmt`` writes."""
    keys = sorted(messages)
    ids, strings, offsets = bytearray(), bytearray(), []
    for key in keys:
        msgid, msgstr = key.encode(charset), messages[key].encode(charset)
        offsets.append((len(msgid), len(ids), len(msgstr), len(strings)))
        ids += msgid + b"\0"
        strings += msgstr + b"\0"
    count = len(keys)
    id_start = 7 * 4 + 16 * count
    string_start = id_start + len(ids)
    table = [n for length, at, _, _ in offsets for n in (length, at + id_start)]
    table += [n for _, _, length, at in offsets for n in (length, at + string_start)]
    header = [0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0]
    # Native byte order, magic number included: gettext reads either order.
    return array("I", header + table).tobytes() + ids + strings


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
