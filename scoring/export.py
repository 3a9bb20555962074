"""CSV and XLSX writers that are safe to open in a spreadsheet (SECURITY.md item 23).

A team called ``=HYPERLINK("http://evil", "click")`` must reach the chair's spreadsheet as
text, never as a formula: every text cell that starts with a character a spreadsheet reads
as the start of a formula (= + - @ tab CR NUL) gets a leading apostrophe, no cell is ever
written as a formula, and numeric columns stay numeric so that scripts can still sum them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from scoring.partfiles import replacing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Examples
    --------
    >>> neutralise("=1+1")
    "'=1+1"
    >>> neutralise("Team Kinase")
    'Team Kinase'
    >>> neutralise(-3.5)
    -3.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and column name neutralised; numeric columns untouched.

    Examples
    --------
    >>> neutralise_frame(pd.DataFrame({"team": ["@a"], "score": [1.0]})).to_dict("records")
    [{'team': "'@a", 'score': 1.0}]
    """
    text_columns = [
        name
        for name in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[name])
        and not pd.api.types.is_datetime64_any_dtype(frame[name])
    ]
    return frame.assign(**{str(name): frame[name].map(neutralise) for name in text_columns}).rename(
        columns=lambda name: neutralise(str(name))
    )


def float_text(value: float) -> str:
    """``value`` to 15 significant digits, as the shortest text that reads back as that.

    Binary floats carry noise from arithmetic (0.1 + 0.2 is 0.30000000000000004); 15 digits
    is the most a double holds for every decimal, so a mark of 7.3 prints as 7.3.

    Examples
    --------
    >>> float_text(7.300000000000001), float_text(23.0), float_text(0.1499999999999997)
    ('7.3', '23.0', '0.15')
    """
    return repr(float(f"{value:.15g}"))


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV without the index, text cells neutralised, floats
    without binary noise (see :func:`float_text`); written beside ``path`` and renamed, so
    that an interrupted run leaves no truncated file."""
    with replacing(path) as part:
        neutralise_frame(frame).to_csv(
            part, index=False, encoding="utf-8", lineterminator="\n", float_format=float_text
        )
    return path


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet title (31 characters, none of []:*?/\\) for ``name``."""
    base = _SHEET_NAME_ILLEGAL.sub("_", name).strip("'")[:31] or "sheet"
    title, counter = base, 1
    while title.lower() in taken:
        counter += 1
        suffix = f"~{counter}"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame] | Iterable[tuple[str, pd.DataFrame]],
    path: Path,
    *,
    last: Collection[str] = (),
) -> Path:
    """Write one worksheet per name and frame, every text cell and header neutralised; in
    the workbook, the sheets named in ``last`` come after the others (see
    :func:`scoring.xlsx.write_workbook`, which writes each sheet as it comes).

    The writer (:mod:`scoring.xlsx`) has no way to write a formula: numbers are numbers and
    text is an inline string, so even a value that slipped past ``neutralise`` stays text.
    """
    from scoring.xlsx import write_workbook

    taken: set[str] = set()
    last_titles: set[str] = set()  # filled as the sheets come, read once they are all written

    pairs = sheets.items() if isinstance(sheets, Mapping) else sheets

    def titled() -> Iterator[tuple[str, pd.DataFrame]]:
        for name, frame in pairs:
            title = sheet_title(name, taken)
            if name in last:
                last_titles.add(title)
            yield title, frame

    return write_workbook(titled(), path, text=neutralise, last=last_titles)
