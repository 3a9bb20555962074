"""Formula cells of xlsx files whose result was never saved, which read as empty.

A spreadsheet app saves each formula with its last result, and that result is what the
sheets are read as. A file written by a program (openpyxl, say) holds the formula alone: the
cell reads as empty, and a juror who sees a score in it would be told that none was given, or,
without assignments, the team would silently count as one the juror did not score.
:func:`explain` looks for such formulas where a score belongs and is missing: the score cells
of missing scores, the criterion cells of a wide sheet's team rows without any score, the
score cells of a long table's rows with an empty score. Only those sheets are opened again,
and complete sheets never are.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from scoring import columns as col
from scoring.errors import Problem
from scoring.i18n import ngettext
from scoring.places import none_if_missing
from scoring.sheets import JuryInput
from scoring.workbook import check_zip
from scoring.xlsxparts import MAIN, Unreadable, cells, read_part, reopened, sheet_part

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

# A formula element, with or without a namespace prefix: a part without one needs no parsing.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
Cell = tuple[int, str]  # row (from 1), column letters
Sheet = tuple[str, str | None]  # file, sheet
Place = tuple[str, str | None, int]  # file, sheet, row


@dataclass
class _Blanks:
    """Where an xlsx file has a score that reads as empty, besides the missing scores."""

    # A wide sheet's team row without any score: the criterion columns of its sheet.
    rows: dict[Place, frozenset[str]] = field(default_factory=dict)
    juror_of_row: dict[Place, str] = field(default_factory=dict)
    # A long table's row with an empty score: its score column; the rows of each (file,
    # sheet, juror, team) with an empty score, and the key of each such row.
    cells: dict[Place, str] = field(default_factory=dict)
    rows_of_pair: dict[tuple[str, str | None, str, str], list[Place]] = field(default_factory=dict)
    pair_of_cell: dict[Place, tuple[str, str | None, str, str]] = field(default_factory=dict)

    def sheets(self) -> set[Sheet]:
        return {(file, sheet) for file, sheet, _row in [*self.rows, *self.cells]}


def explain(problems: Iterable[Problem], jury: JuryInput) -> list[Problem]:
    """``problems`` with every score that reads as empty because its cell holds a formula
    without a saved result told as such (code ``unsaved_formula``), at its cell, or at a wide
    sheet's team row listing its cells; what nothing else would report without assignments
    added. An "assigned but not scored" problem all of whose empty scores are such formulas,
    and the blank-sheet warning of a juror whose sheet holds them, are dropped: the new
    problems say what happened. A problem told twice is the same, for the caller to drop.
    """
    problems = list(problems)
    blanks = _blanks(jury)
    sheets = blanks.sheets() | {
        (p.file or "", p.sheet) for p in problems if p.code == "missing_score" and _cell_in_xlsx(p)
    }
    if not sheets:
        return problems
    found, unread = _unsaved_in(sheets)
    # The wide rows and the long table's cells that hold such formulas.
    rows = {
        place: in_row
        for place, columns in blanks.rows.items()
        if (in_row := _in_row(found[place[:2]], place[2], columns))
    }
    cells = {
        place: column
        for place, column in blanks.cells.items()
        if (place[2], column) in found[place[:2]]
    }
    added = [_told(place, in_row) for place, in_row in rows.items()]
    added += [_told(place, [(place[2], column)]) for place, column in cells.items()]
    kept = _kept(problems, blanks, found, rows, cells)
    return kept + added + list(dict.fromkeys(unread))


def _unsaved_in(sheets: set[Sheet]) -> tuple[dict[Sheet, frozenset[Cell]], list[Problem]]:
    """The cells of each of ``sheets`` that hold a formula without a saved result (none for
    a file that could not be read again), and an error for each such file."""
    found: dict[Sheet, frozenset[Cell]] = {}
    unread: list[Problem] = []  # files that could not be read again to look: one error each
    for file, sheet in sorted(sheets, key=lambda place: (place[0], place[1] or "")):
        try:
            found[(file, sheet)] = unsaved(Path(file), sheet)
        except Unreadable as error:
            found[(file, sheet)] = frozenset()
            unread.append(error.problem)
    return found, unread


def _kept(
    problems: list[Problem],
    blanks: _Blanks,
    found: dict[Sheet, frozenset[Cell]],
    rows: dict[Place, list[Cell]],
    cells: dict[Place, str],
) -> list[Problem]:
    """``problems`` with each missing score whose cell (or wide row: ``rows``) holds such
    formulas (``found``) told as such; a long table's missing score all of whose empty
    scores are such formulas (``cells``), and the blank-sheet warning of a juror whose wide
    rows hold them, dropped."""
    explained_jurors = {blanks.juror_of_row[place] for place in rows}
    kept = []
    for problem in problems:
        place = (problem.file or "", problem.sheet, problem.row or 0)
        if problem.code == "missing_score" and _cell_in_xlsx(problem):
            cell = (problem.row or 0, problem.column or "")
            kept.append(_told(place, [cell]) if cell in found[place[:2]] else problem)
        elif problem.code == "missing_score" and place in rows:
            kept.append(_told(place, rows[place]))
        elif problem.code == "missing_score" and place in blanks.pair_of_cell:
            if not _all_formulas(blanks, cells, place):
                kept.append(problem)
        elif problem.code == "empty_sheet" and blanks.juror_of_row.get(place) in explained_jurors:
            continue
        else:
            kept.append(problem)
    return kept


def _cell_in_xlsx(problem: Problem) -> bool:
    return bool(problem.file and problem.column and problem.file.lower().endswith(".xlsx"))


def _in_row(found: frozenset[Cell], row: int, columns: frozenset[str]) -> list[Cell]:
    return sorted(
        (cell for cell in found if cell[0] == row and cell[1] in columns),
        key=lambda cell: (len(cell[1]), cell[1]),
    )


def _all_formulas(blanks: _Blanks, cells: dict[Place, str], place: Place) -> bool:
    """Whether every empty score of the (juror, team) whose first empty score is at
    ``place`` is a formula without a result (in that sheet)."""
    return all(p in cells for p in blanks.rows_of_pair[blanks.pair_of_cell[place]])


def _told(place: Place, cells: list[Cell]) -> Problem:
    file, sheet, row = place
    names = ", ".join(f"{column}{number}" for number, column in cells)
    message = ngettext(
        "cell {cells} holds a formula whose result was not saved in the file (as when a "
        "program, not a spreadsheet app, wrote it), so it reads as empty; open the file in a "
        "spreadsheet app, save it, and read it again",
        "cells {cells} hold formulas whose results were not saved in the file (as when a "
        "program, not a spreadsheet app, wrote it), so they read as empty; open the file in a "
        "spreadsheet app, save it, and read it again",
        len(cells),
    ).format(cells=names)
    column = cells[0][1] if len(cells) == 1 and cells[0][0] == row else None
    return Problem("error", "unsaved_formula", message, file, sheet, row, column)


def _blanks(jury: JuryInput) -> _Blanks:
    blanks = _Blanks()
    columns: dict[Sheet, set[str]] = {}
    if jury.criterion_columns is not None:
        for file, sheet, (column,) in _xlsx_rows(jury.criterion_columns, col.COLUMN):
            columns.setdefault((file, sheet), set()).add(str(column))
    if jury.blank_rows is not None:
        for file, sheet, (row, juror) in _xlsx_rows(jury.blank_rows, col.ROW, col.JUROR):
            place = (file, sheet, int(str(row)))
            blanks.rows[place] = frozenset(columns.get((file, sheet), ()))
            blanks.juror_of_row[place] = str(juror)
    if jury.blank_marks is not None:
        extra = (col.ROW, col.COLUMN, col.JUROR, col.TEAM)
        for file, sheet, (row, column, juror, team) in _xlsx_rows(jury.blank_marks, *extra):
            place = (file, sheet, int(str(row)))
            pair = (file, sheet, str(juror), str(team))
            blanks.cells[place] = str(column)
            blanks.pair_of_cell[place] = pair
            blanks.rows_of_pair.setdefault(pair, []).append(place)
    return blanks


def _xlsx_rows(
    frame: pd.DataFrame, *extra: str
) -> Iterator[tuple[str, str | None, tuple[object, ...]]]:
    """(file, sheet, the ``extra`` columns) of the rows of ``frame`` from xlsx files."""
    xlsx = frame[col.FILE].astype(str).str.lower().str.endswith(".xlsx")
    picked = frame.loc[xlsx, [col.FILE, col.SHEET, *extra]]
    for file, sheet, *rest in picked.itertuples(index=False, name=None):
        yield str(file), none_if_missing(sheet), tuple(rest)


def unsaved(path: Path, sheet: str | None) -> frozenset[Cell]:
    """The cells of ``sheet`` (the first, if None) of the xlsx file ``path`` that hold a
    formula without a saved result; none if the workbook has no such sheet. Raises
    :class:`~scoring.xlsxparts.Unreadable` when the file cannot be read again."""
    refused = check_zip(path, ".xlsx")
    if refused is not None:  # changed since it was read
        raise Unreadable(refused)

    def formulas(archive: zipfile.ZipFile) -> dict[str, frozenset[Cell]]:
        part = sheet_part(archive, sheet)
        data = read_part(archive, part) if part is not None else b""
        if not _FORMULA.search(data):
            return {}
        found = (cell for cell in cells(io.BytesIO(data)) if _unsaved(cell[2]))
        return {"": frozenset((row, column) for row, column, _cell in found)}

    return reopened(path, formulas, formulas).get("", frozenset())


def _unsaved(cell: Element) -> bool:
    """A formula without a result: no value, or an empty one that is not a text result (a
    spreadsheet app saves a formula's empty text as ``t="str"`` with an empty value)."""
    if cell.find(f"{MAIN}f") is None:
        return False
    value = cell.find(f"{MAIN}v")
    return value is None or (not value.text and cell.get("t") != "str")
