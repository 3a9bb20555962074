"""The parts of an xlsx file that python-calamine does not show: a worksheet's cells as XML
(their formulas, their styles) and the workbook's number formats.

Read again only where a check needs them (see :mod:`scoring.formulas`,
:mod:`scoring.percents` and :mod:`scoring.hiddenrows`), through defusedxml, and loaded then:
a jury whose sheets need no such check never loads an XML parser. A file these checks cannot
read again is an error (:class:`Unreadable`), never "nothing found": a workbook.xml that
declares an entity, which defusedxml refuses, had turned the three checks off without a word.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from scoring import columns as col
from scoring.errors import Problem
from scoring.grid import column_letter, read_entry
from scoring.i18n import gettext as _

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import pandas as pd

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(r"([A-Z]+)([0-9]+)")


T = TypeVar("T")
# What reading a file's parts again raises when the file is at fault: it changed or went
# since it was read (OSError, BadZipFile), a part is missing (KeyError) or damaged (zlib,
# EOFError, a compression or encryption zipfile cannot undo: RuntimeError), its XML is not
# well-formed (ParseError, a SyntaxError) or is refused by defusedxml (a ValueError).
_AT_FAULT = (
    OSError,
    EOFError,
    LookupError,
    ValueError,
    SyntaxError,
    RuntimeError,
    zipfile.BadZipFile,
    zlib.error,
)


class Unreadable(Exception):
    """A file that the checks reading its parts again cannot read; ``problem`` says so."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def unchecked(path: Path, error: BaseException) -> Problem:
    """The error of a file whose cells could not be checked, for ``error``."""
    if type(error).__module__.startswith("defusedxml"):
        reason = _("it declares XML entities, which are refused")
    elif isinstance(error, KeyError):
        reason = _("its part {name} is missing").format(name=error.args[0] if error.args else "")
    else:
        reason = str(error) or type(error).__name__
    message = _(
        "could not be read again to check its cells for percent formats, hidden rows and "
        "formulas without a result ({reason}); open it in your spreadsheet program, save it "
        "again and read it again"
    ).format(reason=reason)
    return Problem("error", "unchecked_file", message, file=str(path))


def reopened(
    path: Path,
    xlsx: Callable[[zipfile.ZipFile], dict[str, T]],
    ods: Callable[[zipfile.ZipFile], dict[str, T]],
) -> dict[str, T]:
    """What ``xlsx`` (or ``ods``, by the file's suffix) finds in ``path`` opened again as a
    zip archive, sheet by sheet. Raises :class:`Unreadable` when the file cannot be read
    again; an optional part that is missing is for ``xlsx`` and ``ods`` to take as none."""
    try:
        with zipfile.ZipFile(path) as archive:
            return xlsx(archive) if path.suffix.lower() == ".xlsx" else ods(archive)
    except _AT_FAULT as error:
        raise Unreadable(unchecked(path, error)) from error


def reopened_scores(
    marks: pd.DataFrame, find: Callable[[Path], dict[str, T]], unread: list[Problem]
) -> Iterator[tuple[str, dict[str, T], pd.DataFrame]]:
    """For each xlsx or ods file of ``marks`` where ``find`` (a file opened again, see
    :func:`reopened`) finds something: the file, what it found by sheet, and the file's
    marks with a score (those of the other files are not even looked up). The problem of a
    file ``find`` cannot read goes to ``unread``."""
    for file in marks[col.FILE].dropna().unique():
        path = Path(str(file))
        if path.suffix.lower() not in (".xlsx", ".ods"):
            continue
        try:
            found = find(path)
        except Unreadable as error:
            unread.append(error.problem)
            continue
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

    book = fromstring(read_part(archive, "xl/workbook.xml"))
    links = fromstring(read_part(archive, "xl/_rels/workbook.xml.rels"))
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
