"""How two spellings of one id are told to be the same: without pandas, so that the reading
of the files (:mod:`scoring.filetables`, which a helper runs before pandas is loaded, see
:mod:`scoring.reading`) can use it."""

from __future__ import annotations


def digits(identifier: str) -> bool:
    """Whether ``identifier`` is written with the digits 0–9 only."""
    return identifier.isascii() and identifier.isdigit()


def folded(identifier: str) -> str:
    """``identifier`` without case, spaces and, when it is all digits, leading zeros: what
    two spellings of one id share (a spreadsheet keeps a typed ``07`` as the number 7).

    Examples
    --------
    >>> folded(" Anna.Weber "), folded("T 09"), folded("007")
    ('anna.weber', 't09', '7')
    """
    bare = "".join(str(identifier).split()).casefold()
    return str(int(bare)) if digits(bare) else bare
