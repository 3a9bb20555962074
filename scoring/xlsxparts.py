"""The parts of an xlsx file that python-calamine does not show: a worksheet's cells as XML
(their formulas, their styles) and the workbook's number formats.

Read again only where a check needs them (see :mod:`scoring.formulas` and
:mod:`scoring.percents`), through defusedxml, and loaded then: a jury whose sheets need no
such check never loads an XML parser.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from scoring import columns as col
from scoring.grid import column_letter, read_entry

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import pandas as pd

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(r"([A-Z]+)([0-9]+)")


T = TypeVar("T")


def reopened(
    path: Path,
    xlsx: Callable[[zipfile.ZipFile], dict[str, T]],
    ods: Callable[[zipfile.ZipFile], dict[str, T]],
) -> dict[str, T]:
    """What ``xlsx`` (or ``ods``, by the file's suffix) finds in ``path`` opened again as a
    zip archive, sheet by sheet; none when the file cannot be read again (changed since it
    was read, encrypted, malformed: the reading problems say why)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return xlsx(archive) if path.suffix.lower() == ".xlsx" else ods(archive)
    except Exception:
        return {}


def reopened_scores(
    marks: pd.DataFrame, find: Callable[[Path], dict[str, T]]
) -> Iterator[tuple[str, dict[str, T], pd.DataFrame]]:
    """For each xlsx or ods file of ``marks`` where ``find`` (a file opened again, see
    :func:`reopened`) finds something: the file, what it found by sheet, and the file's
    marks with a score (those of the other files are not even looked up)."""
    for file in marks[col.FILE].dropna().unique():
        path = Path(str(file))
        if path.suffix.lower() not in (".xlsx", ".ods"):
            continue
        found = find(path)
        if found:
            yield (
                str(file),
                found,
                marks[(marks[col.FILE] == file).to_numpy() & marks[col.SCORE].notna()],
            )


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """The entry ``name``, within the limits of :func:`scoring.grid.read_entry`: the file
    passed :func:`scoring.workbook.check_zip` when it was read, and may have changed since."""
    return read_entry(archive, name)


def sheet_part(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The zip entry of the worksheet named ``sheet`` (the first, if None), found through the
    workbook's relationships."""
    parts = sheet_parts(archive)
    if sheet is None:
        return next(iter(parts.values()), None)
    return parts.get(sheet)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name and zip entry, in the workbook's order."""
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    links = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        link.get("Id"): link.get("Target", "") for link in links.iter(f"{_PACKAGE}Relationship")
    }
    parts = {}
    for entry in book.iter(f"{MAIN}sheet"):
        target = targets.get(entry.get(_RELATION))
        if target is not None:
            # Relative to xl/, or absolute within the package.
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            parts[entry.get("name", "")] = part
    return parts


def cells(stream: IO[bytes]) -> Iterator[tuple[int, str, Element]]:
    """Each cell of a worksheet part: (row from 1, column letters, its element, children
    parsed). A cell's place comes from its reference, else (references are optional) from the
    cells and rows before it; each row is cleared once read, so memory stays flat."""
    from defusedxml.ElementTree import iterparse

    row, column = 0, 0
    for event, element in iterparse(stream, events=("start", "end")):
        if event == "start":
            if element.tag == f"{MAIN}row":
                number = element.get("r")
                row, column = (int(number) if number else row + 1), 0
            continue
        if element.tag == f"{MAIN}c":
            match = _CELL.fullmatch(element.get("r", ""))
            column = _column_index(match[1]) if match else column + 1
            yield row, column_letter(column - 1), element
        elif element.tag == f"{MAIN}row":
            element.clear()


def _column_index(letters: str) -> int:
    """ "A" -> 1, "Z" -> 26, "AA" -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index
