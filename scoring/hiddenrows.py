"""Scores in rows or columns the spreadsheet app hides, which python-calamine reads like any
other.

A juror who hides a team's row (or filters the table), or a criterion's column, still leaves
its scores in the file, and they count; the chair who opens the file to check it does not see
them. The row's or column's ``hidden`` attribute (xlsx) or ``table:visibility`` (ods,
"collapse" or "filter") is in the file: :func:`hidden_rows` warns once per sheet that has
scores in such rows, and once for such columns, naming them.

Only files with scores are opened again, and a sheet is parsed only when a byte search finds
a hidden row in it at all.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scoring import columns as col
from scoring.errors import Problem
from scoring.grid import column_letter
from scoring.i18n import ngettext
from scoring.sheets import JuryInput
from scoring.xlsxparts import read_part, reopened, reopened_scores, sheet_parts

SHOWN = 8  # rows named in one warning
_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_XLSX_HIDDEN = re.compile(rb"""\bhidden=["'](?:1|true)["']""")
_XLSX_NUMBER = re.compile(rb"""\br=["'](\d+)["']""")
_ODS_HIDDEN = re.compile(rb"""visibility=["'](?:collapse|filter)["']""")
_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_COL_TAG = re.compile(rb"<col\b[^>]*>")
_XLSX_MIN = re.compile(rb"""\bmin=["'](\d+)["']""")  # attributes in any order: LibreOffice
_XLSX_MAX = re.compile(rb"""\bmax=["'](\d+)["']""")  # writes max before min
LARGEST_SPAN = 1024  # columns (or rows) one hidden element may stand for, at most


@dataclass
class Hidden:
    """What a sheet hides: row numbers (from 1) and column letters."""

    rows: set[int] = field(default_factory=set)
    columns: set[str] = field(default_factory=set)


def hidden_rows(jury: JuryInput) -> Iterator[Problem]:
    """A warning for each sheet with scores in rows its spreadsheet app hides, and one for
    scores in columns it hides; an error for each file that could not be read again to look."""
    unread: list[Problem] = []
    for file, hidden, in_file in reopened_scores(jury.marks, _hidden, unread):
        in_file = in_file[in_file[col.ROW].notna()]
        for sheet, in_sheet in in_file.groupby(col.SHEET, sort=False, observed=True):
            found = hidden.get(str(sheet), Hidden())
            rows = sorted({int(row) for row in in_sheet[col.ROW]} & found.rows)
            if rows:
                yield _problem(file, str(sheet), rows)
            columns = {str(c) for c in in_sheet[col.COLUMN].dropna()} & found.columns
            if columns:
                yield _columns_problem(file, str(sheet), sorted(columns, key=_by_letters))
    yield from unread


def _by_letters(column: str) -> tuple[int, str]:
    return len(column), column


def _columns_problem(file: str, sheet: str, columns: list[str]) -> Problem:
    message = ngettext(
        "column {columns} is hidden in the spreadsheet app, and its scores are read and "
        "count; show the column to check them",
        "columns {columns} are hidden in the spreadsheet app, and their scores are read and "
        "count; show the columns to check them",
        len(columns),
    ).format(columns=", ".join(columns))
    column = columns[0] if len(columns) == 1 else None
    return Problem("warning", "hidden_columns", message, file, sheet, None, column)


def _problem(file: str, sheet: str, rows: list[int]) -> Problem:
    named = ", ".join(str(row) for row in rows[:SHOWN]) + (", …" if len(rows) > SHOWN else "")
    message = ngettext(
        "this row is hidden in the spreadsheet app (or filtered out), and its scores are read "
        "and count; show the row to check them",
        "rows {rows} are hidden in the spreadsheet app (or filtered out), and their scores "
        "are read and count; show the rows to check them",
        len(rows),
    ).format(rows=named)
    return Problem("warning", "hidden_rows", message, file, sheet, rows[0])


def _hidden(path: Path) -> dict[str, Hidden]:
    """What each sheet of ``path`` that hides anything hides (raises
    :class:`~scoring.xlsxparts.Unreadable`)."""
    return reopened(path, _xlsx, _ods)


def _xlsx(archive: zipfile.ZipFile) -> dict[str, Hidden]:
    worksheets = [
        name
        for name in archive.namelist()
        if name.startswith("xl/worksheets/") and name.endswith(".xml")
    ]
    if not any(_hides(read_part(archive, name)) for name in worksheets):
        return {}  # the usual case: the workbook's sheet names are not even looked up
    found = {}
    for sheet, part in sheet_parts(archive).items():
        data = read_part(archive, part)
        if not _hides(data):
            continue
        hidden, number = Hidden(), 0
        for tag in _ROW_TAG.findall(data):
            given = _XLSX_NUMBER.search(tag)
            number = int(given[1]) if given else number + 1  # r is optional: the next row
            if _XLSX_HIDDEN.search(tag):
                hidden.rows.add(number)
        for tag in _COL_TAG.findall(data):
            first, last = _XLSX_MIN.search(tag), _XLSX_MAX.search(tag)
            if first and last and _XLSX_HIDDEN.search(tag):
                low, high = int(first[1]), min(int(last[1]), int(first[1]) + LARGEST_SPAN)
                hidden.columns.update(column_letter(index - 1) for index in range(low, high + 1))
        if hidden.rows or hidden.columns:
            found[sheet] = hidden
    return found


def _hides(worksheet: bytes) -> bool:
    """Whether a worksheet part hides a row or column (a plain search first: a regular
    expression over every sheet of a large jury costs more than reading them)."""
    return b"hidden=" in worksheet and _XLSX_HIDDEN.search(worksheet) is not None


def _ods(archive: zipfile.ZipFile) -> dict[str, Hidden]:
    data = read_part(archive, "content.xml")
    if b"visibility=" not in data or not _ODS_HIDDEN.search(data):
        return {}
    from defusedxml.ElementTree import iterparse

    found: dict[str, Hidden] = {}
    table, row, column = "", 0, 0
    for event, element in iterparse(io.BytesIO(data), events=("start", "end")):
        if event == "start":
            hides = element.get(f"{_ODS_TABLE}visibility") in ("collapse", "filter")
            if element.tag == f"{_ODS_TABLE}table":
                table, row, column = element.get(f"{_ODS_TABLE}name", ""), 0, 0
            elif element.tag == f"{_ODS_TABLE}table-column":
                repeat = int(element.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                if hides:
                    found.setdefault(table, Hidden()).columns.update(
                        column_letter(index)
                        for index in range(column, column + min(repeat, LARGEST_SPAN))
                    )
                column += repeat
            elif element.tag == f"{_ODS_TABLE}table-row":
                repeat = int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
                if hides:
                    found.setdefault(table, Hidden()).rows.update(
                        range(row + 1, row + 1 + min(repeat, LARGEST_SPAN))
                    )
                row += repeat
        elif element.tag == f"{_ODS_TABLE}table-row":
            element.clear()
    return found
