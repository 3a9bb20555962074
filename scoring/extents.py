"""Workbooks refused before python-calamine reads them, for sheets that reach too far.

python-calamine turns a sheet into the whole rectangle from A1 to its last cell with a value,
empty cells included, before anything can be checked: one value at XFD1048576 of a 5 KB file
asked for 512 GiB and aborted the process; one ods value repeated 4,000 × 4,000 took 24 s
and 1.7 GB; a 5 KB xlsx of 500 × 100,000 cells 26 s and 2 GB. How far each sheet reaches is
read from its XML first (see :mod:`scoring.reaches`), and a file whose sheets reach further
than the limits of :mod:`scoring.grid` is refused with one problem, in well under a second.

An xlsx sheet's part is looked up as every reader may resolve its relationship (relative to
xl/ or to the package, in any case), and a part shown as two sheets is refused: no
spreadsheet program writes one, and 3,000 sheets of one part took 7 s, 50 of a 4 MB part 31 s.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Sized
from pathlib import Path

from scoring.errors import Problem
from scoring.grid import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEETS,
    column_letter,
    read_entry,
    too_many_cells,
)
from scoring.i18n import gettext as _
from scoring.reaches import NEAR, Reach, attributes, ods_sheets, xlsx_reach

_SHEET = rb"<(?:[\w.-]+:)?sheet(?=[\s/>])([^>]*)>"


def too_far(archive: zipfile.ZipFile, path: Path, suffix: str) -> Problem | None:
    """The problem of a workbook with too many sheets, or sheets that reach further than is
    read, or two sheets of one part; None for any other."""
    entries = {name.lower(): name for name in archive.namelist()}  # as calamine finds them
    if suffix == ".ods":
        reaches = ods_sheets(_entry(archive, entries, "content.xml"), MAX_SHEETS)
        return _too_many(path, reaches) or _too_large(path, reaches)
    parts = _xlsx_parts(archive, entries)
    problem = _too_many(path, parts) or _shared(path, parts)
    if problem is not None:
        return problem
    exact = len(parts) * NEAR[0] * NEAR[1] > MAX_CELLS  # estimates could add up too far
    sheets = []
    for sheet, names in parts:
        found = [xlsx_reach(read_entry(archive, name), exact=exact) for name in names]
        reach = max((r for r, _c in found), default=0), max((c for _r, c in found), default=0)
        sheets.append((sheet, reach))
    return _too_large(path, sheets)


def _entry(archive: zipfile.ZipFile, entries: dict[str, str], name: str) -> bytes:
    found = entries.get(name)
    return read_entry(archive, found) if found is not None else b""


def _too_many(path: Path, sheets: Sized) -> Problem | None:
    if len(sheets) <= MAX_SHEETS:
        return None
    message = _(
        "has more than {limit} sheets, more than are read; delete the sheets that are not "
        "needed, or split the file"
    ).format(limit=MAX_SHEETS)
    return Problem("error", "too_many_sheets", message, file=str(path))


def _shared(path: Path, parts: list[tuple[str, list[str]]]) -> Problem | None:
    owner: dict[str, str] = {}
    for sheet, names in parts:
        for name in names:
            if name in owner:
                message = _(
                    "shows sheets {first!r} and {second!r} from one part of the file, which no "
                    "spreadsheet program writes; open it in your spreadsheet program and save "
                    "it again"
                ).format(first=owner[name], second=sheet)
                return Problem("error", "shared_sheet_part", message, file=str(path))
            owner[name] = sheet
    return None


def _too_large(path: Path, sheets: list[tuple[str, Reach]]) -> Problem | None:
    total = 0
    for sheet, (rows, columns) in sheets:
        if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
            message = _(
                "reaches row {row} and column {column}, further than is read (at most {rows} "
                "rows, {columns} columns and {cells} cells, empty ones included); delete what "
                "lies below or to the right of the table, such as a value typed far away, or "
                "split the sheet into several files"
            ).format(
                row=rows,
                column=column_letter(columns - 1),
                rows=MAX_ROWS,
                columns=MAX_COLUMNS,
                cells=MAX_CELLS,
            )
            return Problem("error", "too_large_sheet", message, file=str(path), sheet=sheet)
        total += rows * columns
    return too_many_cells(path) if total > MAX_CELLS else None


def _xlsx_parts(archive: zipfile.ZipFile, entries: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Each sheet of the workbook (no more than ``MAX_SHEETS`` + 1) with the entries its
    relationship may name."""
    sheets = []
    for match in re.finditer(_SHEET, _entry(archive, entries, "xl/workbook.xml")):
        found = attributes(match[1])
        # r:id as Excel writes it; under any prefix, as the readers differ.
        keys = [value for key, values in found.items() if key.endswith(b":id") for value in values]
        sheets.append(((found.get(b"name") or [""])[-1], keys))  # as shown: &amp; is &
        if len(sheets) > MAX_SHEETS:
            break
    wanted = {key for _sheet, keys in sheets for key in keys}
    targets = _targets(_entry(archive, entries, "xl/_rels/workbook.xml.rels"), wanted)
    return [
        (
            sheet,
            sorted(
                {
                    entries[candidate]
                    for key in keys
                    for target in targets.get(key, ())
                    for candidate in _candidates(target)
                    if candidate in entries
                }
            ),
        )
        for sheet, keys in sheets
    ]


def _targets(links: bytes, keys: set[str]) -> dict[str, list[str]]:
    """The targets of the relationships whose id is one of ``keys`` (as written: readers look
    them up so); only their tags are read, as a part may hold 250,000 others."""
    if not keys:
        return {}
    ids = b"|".join(re.escape(key.encode()) for key in sorted(keys))
    tag = rb"<(?:[\w.-]+:)?Relationship(?=[\s/>])([^>]*?(?<![\w:.-])Id\s*=\s*([\"'])(?:%s)\2[^>]*)>"
    targets: dict[str, list[str]] = {}
    for text, _quote in re.findall(tag % ids, links):
        found = attributes(text)
        for key in found.get(b"Id", ()):
            targets.setdefault(key, []).extend(found.get(b"Target", ()))
    return targets


def _candidates(target: str) -> set[str]:
    """The entries (in lower case) a relationship's target may name: relative to xl/ or to
    the package, with or without its leading slash, as written or normalised."""
    target = target.replace("\\", "/")
    names = (target.lstrip("/"), "xl/" + target, "xl/" + target.lstrip("/"))
    return {form.lower() for name in names for form in (name, posixpath.normpath(name))}
