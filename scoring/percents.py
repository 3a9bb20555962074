"""Score cells formatted as percentages, which hold a hundredth of what they show.

A juror who types 50 into a cell formatted as a percentage sees "50%", and the file holds
0.5: the value python-calamine reads, with nothing to tell it from a plain 0.5. On a 0–100
scale (step 0.5), that is a valid and silently wrong score. The cell's format is in the
file, though: an xlsx cell's style names its number format (built-in 9 and 10, or a format
code with a %), an ods cell says ``office:value-type="percentage"``. :func:`percent_problems`
reports each score read from such a cell as an error: whether the juror meant 0.5 or 50, only
they can say.

Only files with scores are opened again, and only their style table (xlsx) or a text search
of their content (ods) unless a percentage format is there at all.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from scoring import columns as col
from scoring.errors import Problem
from scoring.grid import column_letter
from scoring.i18n import ngettext
from scoring.sheets import JuryInput
from scoring.xlsxparts import MAIN, cells, read_part, reopened, reopened_scores, sheet_parts

Cell = tuple[int, str]  # row (from 1), column letters
BUILT_IN_PERCENT = frozenset({9, 10})  # "0%" and "0.00%" (ECMA-376, 18.8.30)
SHOWN = 8  # cells named in one problem
_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_PERCENT = re.compile(rb"""value-type=["']percentage["']""")
# What a number format shows literally, where a % is not the percent sign: quoted text,
# an escaped character, a [colour] or [condition].
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def percent_problems(hits: dict[tuple[str, str], list[Cell]]) -> Iterator[Problem]:
    """An error for each sheet whose scores were read from cells formatted as percentages
    (``hits``, see :func:`percent_hits`), naming the cells."""
    for (file, sheet), hit in hits.items():
        yield _problem(file, sheet, hit)


def percent_hits(jury: JuryInput) -> tuple[dict[tuple[str, str], list[Cell]], list[Problem]]:
    """(file, sheet) -> the cells formatted as percentages that scores were read from, in
    reading order, only sheets that have any; and the errors of the files that could not be
    read again to look."""
    hits: dict[tuple[str, str], list[Cell]] = {}
    unread: list[Problem] = []
    for file, found, in_file in reopened_scores(jury.marks, _percent_cells, unread):
        for sheet, in_sheet in in_file.groupby(col.SHEET, sort=False, observed=True):
            percent = found.get(str(sheet), set())
            hit = sorted(
                {
                    (int(row), str(column))
                    for row, column in zip(in_sheet[col.ROW], in_sheet[col.COLUMN], strict=True)
                    if (int(row), str(column)) in percent
                },
                key=lambda cell: (cell[0], len(cell[1]), cell[1]),
            )
            if hit:
                hits[(file, str(sheet))] = hit
    return hits, unread


def _problem(file: str, sheet: str | None, hit: list[Cell]) -> Problem:
    named = ", ".join(f"{column}{row}" for row, column in hit[:SHOWN])
    if len(hit) > SHOWN:
        named += ", …"
    message = ngettext(
        "cell {cells} is formatted as a percentage, so it holds a hundredth of what it shows "
        "(50% holds 0.5), and that is the score read; remove the percent format and type the "
        "score itself",
        "cells {cells} are formatted as percentages, so each holds a hundredth of what it "
        "shows (50% holds 0.5), and that is the score read; remove the percent format and "
        "type the scores themselves",
        len(hit),
    ).format(cells=named)
    row, column = hit[0]
    return Problem(
        "error", "percent_cell", message, file, sheet, row, column if len(hit) == 1 else None
    )


def _percent_cells(path: Path) -> dict[str, set[Cell]]:
    """The cells formatted as percentages in each sheet of ``path`` that has any (raises
    :class:`~scoring.xlsxparts.Unreadable`)."""
    return reopened(path, _xlsx, _ods)


def _xlsx(archive: zipfile.ZipFile) -> dict[str, set[Cell]]:
    styles = _percent_styles(archive)
    if not styles:
        return {}
    found = {}
    for sheet, part in sheet_parts(archive).items():
        data = io.BytesIO(read_part(archive, part))
        percent = {
            (row, column) for row, column, cell in cells(data) if int(cell.get("s", "0")) in styles
        }
        if percent:
            found[sheet] = percent
    return found


def _percent_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """The indexes of the cell styles (``s`` of a cell) whose number format shows a %."""
    try:
        data = read_part(archive, "xl/styles.xml")
    except KeyError:
        return frozenset()
    if b"%" not in data and not re.search(rb'numFmtId="(?:9|10)"', data):
        return frozenset()
    from defusedxml.ElementTree import fromstring

    root = fromstring(data)
    percent = set(BUILT_IN_PERCENT)
    for number_format in root.iter(f"{MAIN}numFmt"):
        if shows_percent(number_format.get("formatCode", "")):
            percent.add(int(number_format.get("numFmtId", "-1")))
    styles = root.find(f"{MAIN}cellXfs")
    if styles is None:
        return frozenset()
    return frozenset(
        index
        for index, style in enumerate(styles.iter(f"{MAIN}xf"))
        if int(style.get("numFmtId", "0")) in percent
    )


def shows_percent(code: str) -> bool:
    """Whether the number format ``code`` multiplies by 100 and shows a percent sign.

    Examples
    --------
    >>> shows_percent("0.0%"), shows_percent('0.0" %"'), shows_percent("0\\\\%"), shows_percent("0")
    (True, False, False, False)
    """
    return "%" in _LITERAL.sub("", code)


def _ods(archive: zipfile.ZipFile) -> dict[str, set[Cell]]:
    data = read_part(archive, "content.xml")
    if not _ODS_PERCENT.search(data):
        return {}
    from defusedxml.ElementTree import iterparse

    found: dict[str, set[Cell]] = {}
    table = ""
    row = column = 0
    repeat_rows = 1
    for event, element in iterparse(io.BytesIO(data), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{_ODS_TABLE}table":
                table, row = element.get(f"{_ODS_TABLE}name", ""), 0
            elif tag == f"{_ODS_TABLE}table-row":
                repeat_rows = int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
                row, column = row + 1, 0
            continue
        if tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
            span = int(element.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
            if element.get(f"{_ODS_OFFICE}value-type") == "percentage":
                for offset in range(min(span, 1024)):
                    for extra in range(min(repeat_rows, 1024)):
                        found.setdefault(table, set()).add(
                            (row + extra, column_letter(column + offset))
                        )
            column += span
        elif tag == f"{_ODS_TABLE}table-row":
            row += repeat_rows - 1
            element.clear()
    return found
