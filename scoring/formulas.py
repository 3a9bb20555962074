"""Formula cells of xlsx files whose result was never saved, which read as empty.

A spreadsheet app saves each formula with its last result, and that result is what the
sheets are read as. A file written by a program (openpyxl, say) holds the formula alone: the
cell reads as empty, and a juror who sees a score in it is told that none was given.
:func:`explain` finds such cells behind the missing scores :func:`scoring.validate.validate`
reports, and says what happened instead. Only files with a missing score are opened again,
and only then their sheet's XML is scanned: complete sheets never pay for it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

import pandas as pd

from scoring import columns as col
from scoring.errors import Problem
from scoring.i18n import ngettext
from scoring.workbook import check_zip

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(r"([A-Z]+)([0-9]+)")
Cell = tuple[int, str]  # row (from 1), column letters


def explain(problems: Iterable[Problem], blank_rows: pd.DataFrame | None = None) -> list[Problem]:
    """``problems`` with each missing score of an xlsx file whose cells hold formulas without
    a saved result told as such (code ``unsaved_formula``): the score at one cell, or the
    team's row left blank; plus such a problem for each team row of ``blank_rows`` (FILE,
    SHEET, ROW) that holds them, which nothing else would report without assignments (a
    row told twice is the same problem, which the caller's deduplication drops)."""
    problems = list(problems)
    places = (
        blank_rows[[col.FILE, col.SHEET, col.ROW]].itertuples(index=False)
        if blank_rows is not None
        else ()
    )
    blank = [  # each blank row as the problem an assignment would have made of it
        Problem("error", "missing_score", "", file=str(file), sheet=sheet, row=int(row))
        for file, sheet, row in places
        if str(file).lower().endswith(".xlsx")
    ]
    sheets = {
        (p.file, p.sheet)
        for p in [*problems, *blank]
        if p.code == "missing_score" and p.file and p.file.lower().endswith(".xlsx")
    }
    if not sheets:
        return problems
    found: dict[tuple[str | None, str | None], frozenset[Cell]] = {
        (file, sheet): unsaved(Path(str(file)), sheet) for file, sheet in sheets
    }
    explained = [_explained(p, found.get((p.file, p.sheet), frozenset())) for p in problems]
    rows = [_explained(p, found[p.file, p.sheet]) for p in blank]
    return explained + [p for p in rows if p.code == "unsaved_formula"]


def _explained(problem: Problem, cells: frozenset[Cell]) -> Problem:
    if problem.code != "missing_score" or problem.row is None or not cells:
        return problem
    if problem.column is not None:
        here = [(problem.row, problem.column)] if (problem.row, problem.column) in cells else []
    else:  # a team's row without any score
        here = sorted((cell for cell in cells if cell[0] == problem.row), key=_column_order)
    if not here:
        return problem
    names = ", ".join(f"{column}{row}" for row, column in here)
    message = ngettext(
        "cell {cells} holds a formula whose result was not saved in the file (as when a "
        "program, not a spreadsheet app, wrote it), so it reads as empty; open the file in a "
        "spreadsheet app, save it, and read it again",
        "cells {cells} hold formulas whose results were not saved in the file (as when a "
        "program, not a spreadsheet app, wrote it), so they read as empty; open the file in a "
        "spreadsheet app, save it, and read it again",
        len(here),
    ).format(cells=names)
    return replace(problem, code="unsaved_formula", message=message)


def _column_order(cell: Cell) -> tuple[int, str]:
    return len(cell[1]), cell[1]


def unsaved(path: Path, sheet: str | None) -> frozenset[Cell]:
    """The cells of ``sheet`` (the first, if None) of the xlsx file ``path`` that hold a
    formula without a saved result; none when the file cannot be read (the reading problems
    say why)."""
    # Loaded here: a jury without missing scores never needs an XML parser.
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    if check_zip(path, ".xlsx") is not None:
        return frozenset()
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return frozenset()
            with archive.open(part) as stream:
                return frozenset(_scan(stream))
    except (OSError, KeyError, zipfile.BadZipFile, ParseError, DefusedXmlException):
        return frozenset()


def _sheet_part(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The zip entry of the worksheet named ``sheet``, found through the workbook's
    relationships."""
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    relation = next(
        (
            entry.get(_RELATION)
            for entry in book.iter(f"{_MAIN}sheet")
            if sheet is None or entry.get("name") == sheet
        ),
        None,
    )
    links = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for link in links.iter(f"{_PACKAGE}Relationship"):
        if link.get("Id") == relation:
            target = link.get("Target", "")
            # Relative to xl/, or absolute within the package.
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return None


def _scan(stream: IO[bytes]) -> Iterator[Cell]:
    from defusedxml.ElementTree import iterparse

    for _event, element in iterparse(stream, events=("end",)):
        if element.tag == f"{_MAIN}c":
            formula, value = element.find(f"{_MAIN}f"), element.find(f"{_MAIN}v")
            match = _CELL.fullmatch(element.get("r", ""))
            if formula is not None and (value is None or value.text is None) and match:
                yield int(match[2]), match[1]
        elif element.tag == f"{_MAIN}row":
            element.clear()  # a row's cells are done with: memory stays flat
