"""CSV files read into a grid of cells, or the problem that prevents reading them.

Rows are the records of the file (a quoted cell may span several lines), numbered from 1 as a
spreadsheet program shows them. What a juror typing a CSV by hand gets wrong is said at its
row, never read some other way without a word:

* a quotation mark that opens a cell and is never closed would put every later row into
  that one cell (the csv module's lenient default reads it so, without an error);
* a cell that goes on after its closing quotation mark (``"Nice" prototype``) could mean the
  quotes as typed or not: only the juror can say;
* a cell longer than a spreadsheet cell holds, a row wider than ``MAX_COLUMNS``, more than
  ``MAX_CELLS`` cells, a NUL byte (no text file holds one): refused before they cost
  seconds and gigabytes, and the file's size before it is read.

A quotation mark inside a cell that does not start with one is kept as typed (``Nice
"prototype"``), as a spreadsheet program reads it.
"""

from __future__ import annotations

import csv
import io
import os
from itertools import chain, islice
from pathlib import Path

from scoring.errors import Problem
from scoring.grid import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_CSV_BYTES,
    MAX_ROWS,
    Table,
    file_problem,
    too_many_cells,
    too_many_rows,
    unreadable,
)
from scoring.i18n import gettext as _

Rows = list[list[str]]


def read_csv(path: Path) -> tuple[list[Table], list[Problem]]:
    """The table of the CSV file ``path``, or the problem that prevented reading it."""
    try:
        with path.open("rb") as stream:
            # Its size before reading it, and never more read than is accepted: a file that
            # grows meanwhile, or reports no size, is cut at the limit.
            small = os.fstat(stream.fileno()).st_size <= MAX_CSV_BYTES
            data = stream.read(MAX_CSV_BYTES + 1) if small else b""
    except OSError as error:
        return [], [unreadable(path, error)]
    if not small or len(data) > MAX_CSV_BYTES:
        message = _("is larger than {size} MiB; split it").format(size=MAX_CSV_BYTES // 2**20)
        return [], [file_problem(path, "too_large", message)]
    text = _text(path, data)
    if isinstance(text, Problem):
        return [], [text]
    delimiter = _delimiter(text)
    rows = _records(path, text, delimiter)
    if isinstance(rows, Problem):
        return [], [rows]
    return [Table(path, None, rows, delimiter)], []


def _text(path: Path, data: bytes) -> str | Problem:
    """The text of a CSV file saved as UTF-8 (with or without its byte order mark)."""
    advice = _(
        'in Excel save it as "CSV UTF-8", in LibreOffice choose the character set "Unicode (UTF-8)"'
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # the byte order mark of UTF-16
        message = _('is saved as UTF-16 ("Unicode text"), not as UTF-8; {advice}')
        return file_problem(path, "not_utf8", message.format(advice=advice))
    zero = data.find(b"\0")
    if zero >= 0:  # it would reach the outputs as it is (SECURITY.md E.20: text files only)
        message = _(
            "holds a NUL character (a zero byte), which no text file holds: it was saved as "
            'UTF-16 ("Unicode text") or is no CSV file; {advice}'
        )
        return _at(path, "nul_character", message.format(advice=advice), _row_of(data, zero))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _(
            "is not UTF-8 text: it was saved in another character set (such as Windows-1252, "
            'which Excel uses for "CSV"); {advice}'
        )
        return _at(path, "not_utf8", message.format(advice=advice), _row_of(data, error.start))


def _at(path: Path, code: str, message: str, row: int) -> Problem:
    return Problem("error", code, message, file=str(path), row=row)


def _row_of(data: bytes, offset: int) -> int:
    """The row of the byte at ``offset``, counted as the other problems of a CSV count them:
    records, which may span lines (lines, should the records before it not parse)."""
    before = data[:offset].decode("utf-8", errors="replace")
    try:
        records = sum(1 for _record in csv.reader(io.StringIO(before, newline="")))
    except csv.Error:  # a cell past the csv module's field limit
        return before.count("\n") + 1
    return records if before and not before.endswith("\n") else records + 1


def _delimiter(text: str) -> str:
    """The delimiter that splits the first line into the most fields: ',' or ';' (European Excel)
    or a tab. Decimal commas live in data rows, not in the header, so the header decides."""
    end = text.find("\n")
    first_line = (text if end < 0 else text[:end]).split("\r", 1)[0]
    return max((";", ",", "\t"), key=lambda d: _fields(first_line, d))


def _fields(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:  # a cell past the csv module's field limit: told when the file is read
        return 0


def _records(path: Path, text: str, delimiter: str) -> Rows | Problem:
    """The records of ``text``, refused when they break a limit or the quoting rules
    (``strict``: a quotation mark that is never closed, or text after a closing one)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(islice(reader, MAX_ROWS + 1))  # 20 MiB of line breaks: 20 million rows
    except csv.Error:
        return _malformed(path, text, delimiter)
    if len(rows) > MAX_ROWS:
        return too_many_rows(path, None)
    width = max(map(len, rows), default=0)
    if width > MAX_COLUMNS:
        index = next(i for i, row in enumerate(rows) if len(row) > MAX_COLUMNS)
        return _too_wide(path, index + 1, len(rows[index]))
    if len(rows) * width > MAX_CELLS:  # as many cells as a spreadsheet program shows
        return too_many_cells(path)
    # No cell can be longer than the whole text: the usual file is not searched.
    if len(text) > MAX_CELL_CHARS:
        longest = max(map(len, chain.from_iterable(rows)), default=0)
        if longest > MAX_CELL_CHARS:
            return _long_cell(path, text, delimiter, rows)
    return rows


def _too_wide(path: Path, row: int, width: int) -> Problem:
    message = _(
        "this row has {count} cells, more than the {limit} columns that are read; remove the "
        "separators after its last cell, or check that the file is a jury sheet"
    ).format(count=width, limit=MAX_COLUMNS)
    return _at(path, "too_many_columns", message, row)


def _malformed(path: Path, text: str, delimiter: str) -> Problem:
    """The record on which the csv module stops, read again to say where and why."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    read, start = 0, 1  # the records read, and the line on which the next one starts
    try:
        for _record in reader:
            read, start = read + 1, reader.line_num + 1
    except csv.Error as error:
        reason, line = str(error), reader.line_num
    else:  # not malformed after all: the file changed meanwhile
        reason, line = "", start
    row = read + 1
    if "field limit" in reason:  # a cell past the csv module's limit of 131,072 characters
        if _line(text, start).count('"') % 2:  # a quotation mark left open on its line
            return _unclosed(path, row)
        return _too_long(path, row)
    if "expected after" in reason:  # a closing quotation mark, then more text
        if line > start:
            return _unclosed(path, row, line)
        message = _(
            'a cell in this row goes on after its closing quotation mark ("); put the whole '
            'cell in quotation marks and write each quotation mark inside it twice (""), or '
            "remove the quotation marks"
        )
        return _at(path, "stray_quote", message, row)
    if "unexpected end of data" in reason:
        return _unclosed(path, row)
    message = _(
        "could not be read as CSV from this row on ({reason}); open it in your spreadsheet "
        'program and save it again as "CSV UTF-8"'
    ).format(reason=reason)
    return _at(path, "bad_csv", message, row)


def _unclosed(path: Path, row: int, closes_on: int | None = None) -> Problem:
    """A quotation mark that opens a cell in ``row`` and is never closed, or closes only on
    line ``closes_on`` of the file."""
    message = (
        _(
            'a quotation mark (") opens a cell in this row and is not closed at the end of the '
            "cell, so the rows after it would be read into that one cell; add the closing "
            "quotation mark at the end of the cell, or remove the opening one"
        )
        if closes_on is None
        else _(
            'a quotation mark (") opens a cell in this row and closes only on line {line} of '
            "the file, so the rows between would be read into that one cell; add the closing "
            "quotation mark at the end of the cell, or remove the opening one"
        ).format(line=closes_on)
    )
    return _at(path, "unclosed_quote", message, row)


def _too_long(path: Path, row: int) -> Problem:
    message = _(
        "a cell in this row holds more than {limit} characters, more than a spreadsheet cell "
        "holds; shorten it"
    ).format(limit=MAX_CELL_CHARS)
    return _at(path, "long_cell", message, row)


def _long_cell(path: Path, text: str, delimiter: str, rows: Rows) -> Problem:
    """The first row with a cell longer than a spreadsheet cell holds: a quotation mark
    closed only many lines later when the cell spans lines."""
    index, long = next(
        (i, cell) for i, row in enumerate(rows) for cell in row if len(cell) > MAX_CELL_CHARS
    )
    if "\n" in long or "\r" in long:
        return _unclosed(path, index + 1, _start_line(text, delimiter, index + 1) - 1)
    return _too_long(path, index + 1)


def _start_line(text: str, delimiter: str, records: int) -> int:
    """The line of the file (from 1) on which the record after the first ``records`` starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    for _record in islice(reader, records):
        pass
    return reader.line_num + 1


def _line(text: str, number: int) -> str:
    """Line ``number`` (from 1) of ``text`` as the csv module splits lines."""
    return next(islice(io.StringIO(text, newline=""), number - 1, None), "")
