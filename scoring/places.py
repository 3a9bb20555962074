"""Where a problem is: the file, sheet, row and column a mark (or a side-file row) came from,
and, for a score missing from a wide sheet, the column of its criterion there.

Shared by the checks, so that each points at the cell the chair corrects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pandas as pd

from scoring import columns as col
from scoring.errors import Problem
from scoring.sheets import JuryInput


def at(record: pd.Series, severity: str, code: str, message: str, column: bool = True) -> Problem:
    """A problem located where ``record`` (a mark or a side-file row) came from."""
    row = record.get(col.ROW)
    return Problem(
        severity,  # type: ignore[arg-type]
        code,
        message,
        file=none_if_missing(record.get(col.FILE)),
        sheet=none_if_missing(record.get(col.SHEET)),
        row=None if row is None or pd.isna(row) else int(row),
        column=none_if_missing(record.get(col.COLUMN)) if column else None,
    )


def at_juror_cell(problem: Problem, jury: JuryInput) -> Problem:
    """``problem`` moved to the "Juror:" cell of its sheet, if the sheet has one: a juror id
    to correct is written there, not at the first score (the row a mark of the sheet gives)."""
    cells = jury.juror_cells
    if cells is None or problem.file is None:
        return problem
    for cell in rows(cells):
        if (none_if_missing(cell[col.FILE]), none_if_missing(cell[col.SHEET])) == (
            problem.file,
            problem.sheet,
        ):
            return replace(problem, row=int(cell[col.ROW]), column=str(cell[col.COLUMN]))
    return problem


def none_if_missing(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def rows(frame: pd.DataFrame) -> Iterator[pd.Series]:
    return (row for _index, row in frame.iterrows())


def first_per(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One mark per group (its first), so a wrong team in a wide row is reported once."""
    return frame.drop_duplicates(keys)


def pairs_of(frame: pd.DataFrame, keys: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[keys].astype(object))


def criterion_columns(
    marks: pd.DataFrame, headers: pd.DataFrame | None = None
) -> dict[tuple[str | None, str | None, str], str]:
    """(file, sheet, criterion) -> the column of that criterion, for wide sheets.

    ``headers`` (FILE, SHEET, CRITERION, COLUMN, as in ``JuryInput.criterion_columns``) holds
    what the header rows of the wide sheets name: a criterion's column is known even where no
    juror wrote anything in it. Sheets it does not cover (marks that came without their header
    rows) are learnt from the marks they hold: in a wide sheet each criterion has its own
    column. A long table keeps every criterion in one score column, so its sheets (several
    criteria sharing a column) are left out: there the missing mark has no cell to point at.

    Examples
    --------
    >>> wide = pd.DataFrame({"file": ["a.xlsx"] * 3, "sheet": ["S"] * 3, "row": [3, 3, 4],
    ...                      "criterion": ["impact", "pitch", "impact"],
    ...                      "column": ["B", "C", "B"]})
    >>> criterion_columns(wide)
    {('a.xlsx', 'S', 'impact'): 'B', ('a.xlsx', 'S', 'pitch'): 'C'}
    >>> header = pd.DataFrame({"file": ["a.xlsx"] * 3, "sheet": ["S"] * 3,
    ...                        "criterion": ["impact", "pitch", "demo"],
    ...                        "column": ["B", "C", "D"]})
    >>> criterion_columns(wide, header)[("a.xlsx", "S", "demo")]
    'D'
    """
    named = _named_columns(headers)
    sheets = {(f, s) for f, s, _c in named}
    learnt = {
        key: column
        for key, column in _learnt_columns(marks).items()
        if (key[0], key[1]) not in sheets
    }
    return {**named, **learnt}


def _named_columns(headers: pd.DataFrame | None) -> dict[tuple[str | None, str | None, str], str]:
    if headers is None:
        return {}
    cells = headers.loc[:, [col.FILE, col.SHEET, col.CRITERION, col.COLUMN]].astype(object)
    return {
        (none_if_missing(f), none_if_missing(s), str(c)): str(column)
        for f, s, c, column in cells.itertuples(index=False, name=None)
    }


def _learnt_columns(marks: pd.DataFrame) -> dict[tuple[str | None, str | None, str], str]:
    if col.COLUMN not in marks.columns or marks.empty:
        return {}
    sheet_keys = [col.FILE, col.SHEET]
    cells = (
        marks.loc[:, [*sheet_keys, col.CRITERION, col.COLUMN]]
        .dropna(subset=[col.COLUMN])
        .astype(object)
        .drop_duplicates()
    )
    shared = cells.duplicated([*sheet_keys, col.CRITERION], keep=False) | cells.duplicated(
        [*sheet_keys, col.COLUMN], keep=False
    )
    ambiguous = pairs_of(cells[shared], sheet_keys).unique()
    wide = cells[~pairs_of(cells, sheet_keys).isin(ambiguous)]
    return {
        (none_if_missing(f), none_if_missing(s), str(c)): str(column)
        for f, s, c, column in wide.itertuples(index=False, name=None)
    }
