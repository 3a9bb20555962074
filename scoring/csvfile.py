"""CSV files read into a grid of cells, or the problem that prevents reading them.

Rows are the records of the file (a quoted cell may span several lines), numbered from 1 as a
spreadsheet program shows them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from scoring.errors import Problem
from scoring.grid import MAX_CSV_BYTES, MAX_ROWS, Table, file_problem, too_many_rows, unreadable
from scoring.i18n import gettext as _


def read_csv(path: Path) -> tuple[list[Table], list[Problem]]:
    """The table of the CSV file ``path``, or the problems that prevented reading it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [unreadable(path, error)]
    if len(data) > MAX_CSV_BYTES:
        return [], [
            file_problem(
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
    if len(rows) > MAX_ROWS:
        return [], [too_many_rows(path, None)]
    return [Table(path, None, rows, delimiter)], []


def _not_utf8(path: Path, data: bytes, start: int) -> Problem:
    """A CSV file in another character set, located at the row of its first foreign byte."""
    advice = _(
        'in Excel save it as "CSV UTF-8", in LibreOffice choose the character set "Unicode (UTF-8)"'
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # the byte order mark of UTF-16
        message = _('is saved as UTF-16 ("Unicode text"), not as UTF-8; {advice}')
        return file_problem(path, "not_utf8", message.format(advice=advice))
    message = _(
        "is not UTF-8 text: it was saved in another character set (such as Windows-1252, which "
        'Excel uses for "CSV"); {advice}'
    )
    # The row as the other problems of a CSV count them: records, which may span lines.
    before = data[:start].decode("utf-8", errors="replace")
    records = sum(1 for _record in csv.reader(io.StringIO(before, newline="")))
    row = records if before and not before.endswith("\n") else records + 1
    return Problem("error", "not_utf8", message.format(advice=advice), file=str(path), row=row)


def _delimiter(text: str) -> str:
    """The delimiter that splits the first line into the most fields: ',' or ';' (European Excel)
    or a tab. Decimal commas live in data rows, not in the header, so the header decides."""
    first_line = next(iter(text.splitlines()), "")
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d])
