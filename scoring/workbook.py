"""Raw cell grids from xlsx, ods and csv files, with the safety checks done before parsing.

Every table comes back as rows of cells where ``rows[0][0]`` is cell A1, so positions map
straight to what the user sees in the spreadsheet. A file that cannot be read becomes a
:class:`~scoring.errors.Problem`, never an exception: the caller reports all files at once.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import python_calamine

from scoring.csvfile import read_csv
from scoring.errors import Problem
from scoring.extents import too_far
from scoring.grid import (
    MAX_ENTRIES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED,
    Table,
    file_problem,
    too_many_rows,
    unreadable,
)
from scoring.i18n import gettext as _

SUFFIXES = (".xlsx", ".ods", ".csv")
_MARKER = {".xlsx": "[Content_Types].xml", ".ods": "content.xml"}
# What reading a part of a zip archive raises when the part is damaged: a bad checksum or
# stream, an unknown compression method (NotImplementedError), encryption (RuntimeError).
_DAMAGED = (OSError, EOFError, RuntimeError, ValueError, zipfile.BadZipFile, zlib.error)


def read_tables(path: Path) -> tuple[list[Table], list[Problem]]:
    """Every table of ``path``, or the problems that prevented reading it."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    problem = _refused(path, suffix)
    if problem is not None:
        return [], [problem]
    return _read_workbook(path, suffix)


def check_zip(path: Path, suffix: str) -> Problem | None:
    """Refuse what is not a real xlsx/ods zip, and zip bombs, before any parser sees them."""
    return _refused(path, suffix, sheets=False)


def _refused(path: Path, suffix: str, *, sheets: bool = True) -> Problem | None:
    """What check_zip refuses and, with ``sheets``, a workbook whose sheets reach further than
    is read (see :mod:`scoring.extents`): the archive opened once for both."""
    try:
        archive = zipfile.ZipFile(path)
    except OSError as error:  # zipfile's own seeks past a short file's start are caught in it
        return unreadable(path, error)
    except (zipfile.BadZipFile, ValueError):
        return file_problem(path, "unreadable_file", _not_a_zip(path, suffix.lstrip(".")))
    with archive:
        problem = _zip_problem(path, suffix, archive.infolist())
        if problem is not None or not sheets:
            return problem
        try:
            return too_far(archive, path, suffix)
        except _DAMAGED as error:  # a part that does not unpack: the file's fault
            return _not_readable(path, suffix, error)


def _zip_problem(path: Path, suffix: str, entries: list[zipfile.ZipInfo]) -> Problem | None:
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if (
        len(entries) > MAX_ENTRIES
        or unpacked > MAX_UNCOMPRESSED
        or unpacked > MAX_RATIO * max(packed, 1)
    ):
        return file_problem(
            path,
            "zip_bomb",
            _(
                "was refused: it unpacks to {entries} parts and {size} MiB (at most "
                "{max_entries} parts, {max_size} MiB, and {ratio} times its packed size); save "
                "the jury sheet again without embedded objects"
            ).format(
                entries=len(entries),
                size=round(unpacked / 2**20, 1),
                max_entries=MAX_ENTRIES,
                max_size=MAX_UNCOMPRESSED // 2**20,
                ratio=MAX_RATIO,
            ),
        )
    names = [entry.filename.lower() for entry in entries]
    if len(set(names)) < len(names):  # which of the two a reader takes is anybody's guess
        twice = next(name for name in names if names.count(name) > 1)
        message = _(
            "holds two parts named {name}, which no spreadsheet program writes; open it in "
            "your spreadsheet program and save it again"
        ).format(name=twice)
        return file_problem(path, "damaged_file", message)
    if _MARKER[suffix] not in {entry.filename for entry in entries}:
        return file_problem(
            path,
            "unreadable_file",
            _("is not a valid {kind} file; save it again as {kind}").format(
                kind=suffix.lstrip(".")
            ),
        )
    return None


def _not_a_zip(path: Path, kind: str) -> str:
    """What to say of a file named .xlsx or .ods that is no zip archive: a web page or an old
    Excel file given the name (a download or a renamed file), or something else."""
    try:
        with path.open("rb") as stream:
            start = stream.read(512)
    except OSError:
        start = b""
    if re.match(rb"\s*<(!doctype html|html)", start.lstrip(b"\xef\xbb\xbf"), re.IGNORECASE):
        message = _(
            "is a web page (HTML) with a .{kind} name, not a spreadsheet; open it in your "
            "spreadsheet program and save it as {kind}"
        )
    elif start.startswith(b"\xd0\xcf\x11\xe0"):  # the header of .xls (and .doc) files
        message = _(
            "is an old Excel file (.xls) with a .{kind} name; open it in your spreadsheet "
            "program and save it as {kind}"
        )
    else:
        message = _(
            "is not a valid {kind} file (it is not a zip archive); open it in your spreadsheet "
            "program and save it again as {kind}"
        )
    return message.format(kind=kind)


def _read_workbook(path: Path, suffix: str) -> tuple[list[Table], list[Problem]]:
    tables: list[Table] = []
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        shown = python_calamine.SheetVisibleEnum.Visible
        hidden = {m.name for m in workbook.sheets_metadata if m.visible != shown}
        for name in workbook.sheet_names:
            # skip_empty_area=False keeps row 1 as rows[0] even when the top rows are empty.
            rows = workbook.get_sheet_by_name(name).to_python(
                skip_empty_area=False, nrows=MAX_ROWS + 1
            )
            tables.append(Table(path, name, rows, hidden=name in hidden))
    except Exception as error:  # any parser failure is the file's fault: report it
        return [], [_not_readable(path, suffix, error)]
    return _capped(tables)


def _not_readable(path: Path, suffix: str, error: Exception) -> Problem:
    return file_problem(
        path,
        "unreadable_file",
        _("could not be read as {kind} ({error}); open it and save it again as {kind}").format(
            kind=suffix.lstrip("."), error=error
        ),
    )


def _capped(tables: list[Table]) -> tuple[list[Table], list[Problem]]:
    problems = [too_many_rows(t.file, t.sheet) for t in tables if len(t.rows) > MAX_ROWS]
    return [t for t in tables if len(t.rows) <= MAX_ROWS], problems
