"""Raw cell grids from xlsx, ods and csv files, with the safety checks done before parsing.

Every table comes back as rows of cells where ``rows[0][0]`` is cell A1, so positions map
straight to what the user sees in the spreadsheet. A file that cannot be read becomes a
:class:`~scoring.errors.Problem`, never an exception: the caller reports all files at once.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from scoring.errors import Problem
from scoring.i18n import gettext as _

SUFFIXES = (".xlsx", ".ods", ".csv")
# Limits from SECURITY.md (E.21): checked on the zip directory before any parser runs.
MAX_ENTRIES = 100
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_RATIO = 100
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
_MARKER = {".xlsx": "[Content_Types].xml", ".ods": "content.xml"}


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


def read_tables(path: Path) -> tuple[list[Table], list[Problem]]:
    """Every table of ``path``, or the problems that prevented reading it."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    problem = check_zip(path, suffix)
    if problem is not None:
        return [], [problem]
    return _read_workbook(path, suffix)


def _not_utf8(path: Path, data: bytes, start: int) -> Problem:
    """A CSV file in another character set, located at the row of its first foreign byte."""
    advice = _(
        'in Excel save it as "CSV UTF-8", in LibreOffice choose the character set "Unicode (UTF-8)"'
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # the byte order mark of UTF-16
        message = _('is saved as UTF-16 ("Unicode text"), not as UTF-8; {advice}')
        return _problem(path, "not_utf8", message.format(advice=advice))
    message = _(
        "is not UTF-8 text: it was saved in another character set (such as Windows-1252, which "
        'Excel uses for "CSV"); {advice}'
    )
    # The row as the other problems of a CSV count them: records, which may span lines.
    before = data[:start].decode("utf-8", errors="replace")
    records = sum(1 for _record in csv.reader(io.StringIO(before, newline="")))
    row = records if before and not before.endswith("\n") else records + 1
    return Problem("error", "not_utf8", message.format(advice=advice), file=str(path), row=row)


def _problem(path: Path, code: str, message: str) -> Problem:
    return Problem("error", code, message, file=str(path))


def _unreadable(path: Path, error: OSError) -> Problem:
    """A file that could not be opened or read: the problem of that file alone."""
    if isinstance(error, PermissionError):
        message = _(
            "cannot be opened: permission denied; ask for read access to it, or copy it to a "
            "folder you can read"
        )
        return _problem(path, "no_permission", message)
    # Removed meanwhile, a device error.
    message = _("could not be read ({reason}); check the file and read it again").format(
        reason=error.strerror or error
    )
    return _problem(path, "unreadable_file", message)


def check_zip(path: Path, suffix: str) -> Problem | None:
    """Refuse what is not a real xlsx/ods zip, and zip bombs, before any parser sees them."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except OSError as error:  # zipfile's own seeks past a short file's start are caught in it
        return _unreadable(path, error)
    except (zipfile.BadZipFile, ValueError):
        return _problem(path, "unreadable_file", _not_a_zip(path, suffix.lstrip(".")))
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if (
        len(entries) > MAX_ENTRIES
        or unpacked > MAX_UNCOMPRESSED
        or unpacked > MAX_RATIO * max(packed, 1)
    ):
        return _problem(
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
    if _MARKER[suffix] not in {entry.filename for entry in entries}:
        return _problem(
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
        return [], [
            _problem(
                path,
                "unreadable_file",
                _(
                    "could not be read as {kind} ({error}); open it and save it again as {kind}"
                ).format(kind=suffix.lstrip("."), error=error),
            )
        ]
    return _capped(tables)


def _capped(tables: list[Table]) -> tuple[list[Table], list[Problem]]:
    problems = [
        Problem(
            "error",
            "too_many_rows",
            _("has more than {limit} rows; split it into several files").format(limit=MAX_ROWS),
            file=str(t.file),
            sheet=t.sheet,
        )
        for t in tables
        if len(t.rows) > MAX_ROWS
    ]
    return [t for t in tables if len(t.rows) <= MAX_ROWS], problems


def _read_csv(path: Path) -> tuple[list[Table], list[Problem]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [_unreadable(path, error)]
    if len(data) > MAX_CSV_BYTES:
        return [], [
            _problem(
                path,
                "too_large",
                _("is larger than {size} MiB; split it").format(size=MAX_CSV_BYTES // 2**20),
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [_not_utf8(path, data, error.start)]
    delimiter = _delimiter(text)
    rows: list[list[str]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _capped([Table(path, None, rows, delimiter)])


def _delimiter(text: str) -> str:
    """The delimiter that splits the first line into the most fields: ',' or ';' (European Excel)
    or a tab. Decimal commas live in data rows, not in the header, so the header decides."""
    first_line = next(iter(text.splitlines()), "")
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d])
