"""Names of output files and sheets made from ids (a challenge's ranking, a juror's template):
readable, safe on every common disk, distinct where case does not count, and the same from
run to run, as scripts find the files by them (the README's "Outputs" states the rule).

An id is used as it is when it is *plain*: letters, digits, ``_``, ``-`` and ``.``, starting
and ending with a letter or digit, unchanged by Unicode compatibility normalisation (NFKC:
no ligatures, superscripts or decomposed accents), short enough, and not a Windows device
name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with or without an extension). Any other id keeps
its readable part (NFKC, each run of other characters as ``_``, cut to fit) and gets ``~``
and the first 8 hex digits of the SHA-256 of the id (UTF-8): its name depends on itself
alone, and no plain id can take it, as none holds ``~``. Two plain ids that differ only in
case (``Diabetes``, ``diabetes``) would share one file on macOS and Windows and one sheet in
a workbook: both get the suffix.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

SUFFIX = "~"
HASH_DIGITS = 8
# Windows refuses these names for files, whatever the extension (CON.xlsx opens the console).
DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in range(10))}
)
_OTHER = re.compile(r"[^\w.-]+")


def utf8_length(text: str) -> int:
    """How long a file name is to a disk (Linux and macOS count UTF-8 bytes, at most 255)."""
    return len(text.encode("utf-8", "surrogatepass"))


def utf16_length(text: str) -> int:
    """How long a sheet name is to a spreadsheet app (UTF-16 units, at most 31)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def caseless(name: str) -> str:
    """What a disk or a spreadsheet app that ignores case compares (more widely: NFKC, and
    upper then lower case, so that ``ß`` meets ``SS`` and ``ı`` meets ``i``).

    Examples
    --------
    >>> caseless("Diabetes") == caseless("diabetes"), caseless("Straße") == caseless("STRASSE")
    (True, True)
    """
    return unicodedata.normalize("NFKC", name).upper().casefold()


def plain(text: str, limit: int, measure: Callable[[str], int] = utf8_length) -> bool:
    """Whether ``text`` can be a name as it is (see the module's text).

    Examples
    --------
    >>> [plain(t, 64) for t in ("anna.weber", "Élodie", "a b", "a/b", ".x", "CON", "com1.x")]
    [True, True, False, False, False, False, False]
    """
    return (
        bool(text)
        and text[0].isalnum()
        and text[-1].isalnum()
        and not _OTHER.search(text)
        and unicodedata.normalize("NFKC", text) == text
        and not _device(text)
        and measure(text) <= limit
    )


def _device(name: str) -> bool:
    """Whether Windows takes ``name`` for a device: its part before the first dot is one."""
    return name.split(".")[0].upper() in DEVICES


def digest(text: str) -> str:
    """The first hex digits of the SHA-256 of ``text`` (UTF-8) that a name's suffix shows.

    Examples
    --------
    >>> digest("a/b")
    'c14cddc0'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]


def suffixed(
    text: str, limit: int, measure: Callable[[str], int] = utf8_length, default: str = "x"
) -> str:
    """``text``'s readable part, cut so that the whole fits ``limit``, then ``~`` and its
    digest; ``default`` as the readable part when nothing of ``text`` is left.

    Examples
    --------
    >>> suffixed("a/b", 64), suffixed("..", 64, default="challenge"), suffixed("x" * 300, 20)
    ('a_b~c14cddc0', 'challenge~5ec1f7e7', 'xxxxxxxxxxx~0d4e2ca9')
    >>> suffixed("con.xlsx", 64)
    'con_xlsx~b5c8c556'
    """
    tail = SUFFIX + digest(text)
    readable = _OTHER.sub("_", unicodedata.normalize("NFKC", text)).strip("._-")
    if _device(readable):  # "con.xlsx~1234abcd.xlsx" would still be CON to Windows
        readable = readable.replace(".", "_", 1)
    room = limit - measure(tail)
    while readable and measure(readable) > room:
        readable = readable[:-1].rstrip("._-")
    return (readable or default) + tail


def distinct_names(
    ids: Iterable[str],
    limit: int,
    measure: Callable[[str], int] = utf8_length,
    default: str = "x",
) -> dict[str, str]:
    """id -> its name (see the module's text), no two names alike without case.

    A crafted id could take another's digest (8 hex digits can be searched for): the later
    of two such ids in sorted order then gets ``~2`` (``~3``, ...) as well, so that even
    then no file holds another's table.

    Examples
    --------
    >>> ids = ["a_b", "a/b", "a b", "Diabetes", "diabetes", "CON"]
    >>> names = distinct_names(ids, 64)
    >>> [names[i] for i in ids]  # doctest: +NORMALIZE_WHITESPACE
    ['a_b', 'a_b~c14cddc0', 'a_b~c8687a08',
     'Diabetes~c3311c4c', 'diabetes~6a5d28d6', 'CON~a3dbc4b6']
    """
    every = sorted(set(ids))
    as_is = [i for i in every if plain(i, limit, measure)]
    twins = Counter(caseless(i) for i in as_is)
    names = {
        i: i if i in as_is and twins[caseless(i)] == 1 else suffixed(i, limit, measure, default)
        for i in every
    }
    taken: set[str] = set()
    for i in every:
        name, number = names[i], 2
        while caseless(name) in taken:
            name = suffixed(i, limit - measure(f"{SUFFIX}{number}"), measure, default)
            name, number = f"{name}{SUFFIX}{number}", number + 1
        names[i] = name
        taken.add(caseless(name))
    return names
