"""A table's cells as values: identifiers (text) and scores (numbers).

The header row, wide sheets, long tables and the side files all read their cells with these,
so that an id typed as the number 7 reads as the "7" typed as text, and a score written "7,5"
is 7.5 in every kind of table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache


# Cells repeat (scores, ids, criterion names): caching by value and type makes long tables fast.
@lru_cache(maxsize=1 << 16, typed=True)
def text(value: object) -> str:
    """A cell as an identifier: numbers without a spurious ".0", whitespace stripped."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


@lru_cache(maxsize=1 << 16, typed=True)
def number(value: object) -> float | None:
    """A score cell as a float; None when empty; NaN when it is not a number.

    Decimal commas are understood: "7,5" is 7.5.

    >>> number("7,5"), number(""), number("1_0")
    (7.5, None, nan)
    """
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, int | float):
        return float(value)
    raw = text(value)
    if not raw:
        return None
    if "_" in raw:  # Decimal reads "1_0" as 10, as Python's literals do; a score does not
        return math.nan
    try:
        parsed = Decimal(raw.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        return math.nan
    return float(parsed) if parsed.is_finite() else math.nan


def cell(row: Sequence[object], index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else ""
