"""What every reader of jury files shares: the grid of cells it returns, the limits of what is
read, and the problems of a file that cannot be read.

The limits refuse, before any parser runs, what would take seconds and gigabytes to read
(SECURITY.md E.21): a jury sheet holds tens of columns and a few hundred rows, a long table
(one row per mark) of a whole jury up to ``MAX_ROWS`` rows.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scoring.errors import Problem
from scoring.i18n import gettext as _

# Checked on the zip directory before any parser runs (SECURITY.md E.21).
MAX_ENTRIES = 100
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_RATIO = 100
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# Columns of a sheet (or cells of a CSV row): a jury sheet has tens (team, name, a score and
# perhaps a comment per criterion). Excel allows 16,384; a CSV row of 300,000 separators took
# 35 s and 936 MB to read.
MAX_COLUMNS = 1_000
# Rows × columns of a file's sheets, from A1 to the last cell that holds a value, empty cells
# included: python-calamine allocates that rectangle, 32 bytes a cell, before anything can be
# checked (one value at XFD1048576 asks for 512 GiB), and it becomes as many Python values.
# A long table of MAX_ROWS rows and 20 columns: a sheet of 2 million cells is read in 0.25 s
# and 100 MB here, a validate of it takes 0.8 s and 170 MB.
MAX_CELLS = 2_000_000
# Sheets of one file: a chair's workbook may hold one per juror. An xlsx file has at most
# MAX_ENTRIES parts anyway; an ods file's sheets all live in one part.
MAX_SHEETS = 100
# Characters of one cell: the most a spreadsheet cell holds (Excel's limit).
MAX_CELL_CHARS = 32_767


@dataclass(frozen=True)
class Table:
    """One sheet (or one csv file) as a grid of cell values; ``rows[0][0]`` is A1."""

    file: Path
    sheet: str | None
    rows: Sequence[Sequence[object]]
    delimiter: str | None = None  # a csv file's: ",", ";" or a tab
    hidden: bool = False  # a sheet the spreadsheet program does not show


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def file_problem(path: Path, code: str, message: str) -> Problem:
    """An error of the file ``path`` as a whole."""
    return Problem("error", code, message, file=str(path))


def unreadable(path: Path, error: OSError) -> Problem:
    """A file that could not be opened or read: the problem of that file alone."""
    if isinstance(error, PermissionError):
        message = _(
            "cannot be opened: permission denied; ask for read access to it, or copy it to a "
            "folder you can read"
        )
        return file_problem(path, "no_permission", message)
    # Removed meanwhile, a device error.
    message = _("could not be read ({reason}); check the file and read it again").format(
        reason=error.strerror or error
    )
    return file_problem(path, "unreadable_file", message)


def read_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    """The entry ``name`` of ``archive`` (KeyError if there is none), refused (ValueError) when
    it says it holds more than ``MAX_UNCOMPRESSED``, and never unpacked past the size it says
    it holds: ``ZipFile.read`` unpacks a part whole before it notices that the part holds
    more than it said (400 MB said to be 4 KB took 1.5 s and 900 MB), reading it in steps
    stops at the size said (BadZipFile: the checksum then fails)."""
    try:
        size = archive.getinfo(name).file_size
    except KeyError:
        raise KeyError(name) from None  # the name alone, for the messages
    if size > MAX_UNCOMPRESSED:
        raise ValueError(f"{name} is too large")
    with archive.open(name) as stream:
        return stream.read(size)


def too_many_rows(path: Path, sheet: str | None) -> Problem:
    return Problem(
        "error",
        "too_many_rows",
        _("has more than {limit} rows; split it into several files").format(limit=MAX_ROWS),
        file=str(path),
        sheet=sheet,
    )


def too_many_cells(path: Path, sheet: str | None = None) -> Problem:
    """A file (or a sheet) whose rows × columns exceed ``MAX_CELLS``."""
    message = _(
        "holds more than {limit} cells (rows × columns up to the last cell with a value, empty "
        "cells included), more than is read; delete what is not needed (empty rows or "
        "columns, old sheets), or split it into several files"
    ).format(limit=MAX_CELLS)
    return Problem("error", "too_many_cells", message, file=str(path), sheet=sheet)
