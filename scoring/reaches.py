"""How far the cells of a sheet reach, read from its XML as python-calamine places them.

A reach is (rows, columns): the rectangle from A1 to the last cell that may hold a value,
which calamine builds whole, empty cells included. It is an upper bound: a cell counted here
may hold no value after all, never the other way round. The ``<dimension>`` tag, which may
lie either way, is not read.

* xlsx: each cell's ``r`` reference (in any attribute order, quoted either way; calamine
  takes the last of two), a cell without one placed after the cell before it, in the row its
  row's ``r`` gives or after the row before it; a self-closed cell holds no value. A byte
  search settles the usual sheet, every cell written as spreadsheet programs write it
  (``<c r="B12" s="1" t="n">``) within ZZ999; a findall the usual sheet beyond it; any other
  is read tag by tag.
* ods: the repeat counts of the rows with a cell that holds a value, of those cells and of
  the empty cells before them; the huge repeats LibreOffice writes for the empty cells and
  rows after the last value count for nothing, in calamine as here. A table inside a cell
  (calamine skips it) adds its rows to the table around it.
"""

from __future__ import annotations

import html
import re

Reach = tuple[int, int]  # rows, columns

# Patterns, not compiled objects: `re` compiles them on first use (see scoring.i18n).
ATTRIBUTE = rb"""(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"""
# A cell as spreadsheet programs write it: its reference first, then short attributes other
# than r (s, t, cm), self-closed or not. _UNUSUAL finds any other cell (no reference, another
# order or spacing, or a reference beyond the one allowed), _PREFIXED a cell with a namespace
# prefix: two searches, as one with both alternatives finds no literal start and takes 3
# times as long.
_UNUSUAL = rb'<c(?=[\s/>])(?! r="%s"(?: (?!r=)[a-z]{1,2}+="[^"<>]*+")*+ ?/?>)'
_PREFIXED = rb":c[\s/>]"
NEAR = 999, 26 * 27  # rows, columns: ZZ999
_BEYOND_NEAR = _UNUSUAL % rb"[A-Z]{1,2}+[1-9][0-9]{0,2}+"
_IRREGULAR = _UNUSUAL % rb"[A-Z]++[1-9][0-9]*+"
_REFERENCE = rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(/?)>'
# A cell's or row's start (its name and attributes), or a row's end (nothing): a cell's end
# changes nothing in calamine's counting.
_CELL_OR_ROW = rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])([^>]*)>|</(?:[\w.-]+:)?row\s*>"
_ODS_TABLE = rb"<(/?)table:table(?=[\s/>])([^>]*)>"
_ODS_TOKEN = rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>"
# An ods cell holds a value when it has one of these (calamine: a formula, or a string type
# whose text is its value); an upper bound, as a float type without a value holds none.
_ODS_VALUE = rb"office:[\w-]*value[\w-]*\s*=|table:formula\s*="


def attributes(tag: bytes) -> dict[bytes, list[str]]:
    """Each attribute of a tag's text with its values: an attribute given twice has two, and
    each value comes as written and with its character references resolved (readers differ).

    Examples
    --------
    >>> attributes(b' r="A1" t=\\'s\\' r = "B&#50;"')
    {b'r': ['A1', 'B&#50;', 'B2'], b't': ['s']}
    """
    found: dict[bytes, list[str]] = {}
    for name, double, single in re.findall(ATTRIBUTE, tag):
        value = (double or single).decode(errors="replace")
        found.setdefault(name, []).extend(dict.fromkeys((value, html.unescape(value))))
    return found


def xlsx_reach(data: bytes, *, exact: bool = True) -> Reach:
    """How far the cells of an xlsx worksheet part reach; without ``exact``, a sheet of the
    usual kind within ZZ999 is said to reach ZZ999, after a single search.

    Examples
    --------
    >>> xlsx_reach(b'<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row><row><c/></row>')
    (3, 3)
    """
    if re.search(_PREFIXED, data) is not None:
        return _walked_reach(data)
    if not exact and re.search(_BEYOND_NEAR, data) is None:
        return NEAR
    if re.search(_IRREGULAR, data) is None:
        return _usual_reach(re.findall(_REFERENCE, data))
    return _walked_reach(data)


def _usual_reach(references: list[tuple[bytes, bytes, bytes]]) -> Reach:
    """The reach of cells whose references were found, self-closed ones left out."""
    valued = [(letters, digits) for letters, digits, closed in references if not closed]
    rows = max((number(digits.decode()) for digits in {d for _c, d in valued}), default=0)
    letters = max({letters for letters, _digits in valued}, key=lambda c: (len(c), c), default=b"")
    return rows, place(letters.decode() + "1")[1] + 1 if letters else 0


def _walked_reach(data: bytes) -> Reach:
    """The reach of any worksheet part, tag by tag as calamine reads it."""
    rows = columns = 0
    row = column = 0  # calamine's counters: the next row and column, from 0
    for name, text in re.findall(_CELL_OR_ROW, data):
        if name == b"c":
            if text and b"r" in text:  # <c> and <c t="n">, the usual cells here, have none
                places = [place(value) for value in attributes(text).get(b"r", ())]
                if places:
                    at, column = max(r for r, _c in places), max(c for _r, c in places)
                else:
                    at = row
            else:
                at = row
            if not text.endswith(b"/"):  # a self-closed cell holds no value
                rows, columns = max(rows, at + 1), max(columns, column + 1)
            column += 1
        elif name == b"row":
            if text:
                numbers = [number(value) for value in attributes(text).get(b"r", ())]
                row = max(numbers) - 1 if numbers else row
            if text.endswith(b"/"):  # its start and its end
                row, column = row + 1, 0
        else:  # </row>
            row, column = row + 1, 0
    return rows, columns


def number(text: str) -> int:
    """The digits of ``text`` as a number (calamine reads "+4000"), 1 if it has none; past
    ten digits, a number beyond every limit (int() refuses 4,300 digits)."""
    digits = re.sub(r"[^0-9]", "", text)
    if not digits:
        return 1
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 10 else 10**10


def place(reference: str) -> tuple[int, int]:
    """A cell reference's row and column, from 0 ("B3" -> (2, 1)); generous: whatever
    letters and digits it holds, in whatever order, in either case."""
    column = 0
    for letter in re.sub(r"[^A-Z]", "", reference.upper()):
        column = column * 26 + ord(letter) - ord("A") + 1
    return max(number(reference) - 1, 0), max(column - 1, 0)


def ods_sheets(content: bytes, most: int) -> list[tuple[str, Reach]]:
    """Each table of an ods file's content with its reach (no more than ``most`` + 1)."""
    sheets: list[tuple[str, Reach]] = []
    depth, start, name = 0, 0, ""
    for match in re.finditer(_ODS_TABLE, content):
        closing, text = match.groups()
        if closing and depth:
            depth -= 1
            if not depth:
                sheets.append((name, ods_reach(content[start : match.start()])))
        elif not closing and not depth:
            start, name = match.end(), (attributes(text).get(b"table:name") or [""])[-1]
            if text.endswith(b"/"):  # a table without rows
                sheets.append((name, (0, 0)))
            else:
                depth = 1
        elif not closing and not text.endswith(b"/"):
            depth += 1
        if len(sheets) > most:
            return sheets
    if depth:  # never closed: up to the end
        sheets.append((name, ods_reach(content[start:])))
    return sheets


def ods_reach(table: bytes) -> Reach:
    """How far the cells of an ods table (the XML inside ``<table:table>``) reach. A table
    inside a cell (calamine skips it) counts its cells in the row around it.

    Examples
    --------
    >>> ods_reach(
    ...     b'<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
    ...     b'<table:table-cell office:value="1"/><table:table-cell '
    ...     b'table:number-columns-repeated="1022"/></table:table-row>'
    ...     b'<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
    ...     b'table:number-columns-repeated="1024"/></table:table-row>'
    ... )
    (2, 2)
    """
    rows = columns = 0
    row, repeat = 0, 1  # where the current row starts, and how often it repeats
    column = reach = 0  # the columns of the current row so far, and up to its last value
    inside = False  # whether a row is open
    depth = 0  # tables inside cells around here
    for closing, name, text in re.findall(_ODS_TOKEN, table):
        if name == b"table":
            depth = max(depth - 1, 0) if closing else depth + (not text.endswith(b"/"))
        elif name == b"table-row" and not depth:
            if inside:  # the row before ends: at its end tag, or at the next row if unclosed
                if reach:
                    rows, columns = row + repeat, max(columns, reach)
                row, inside = row + repeat, False
            if closing:
                continue
            repeat = _repeats(text, b"table:number-rows-repeated") if b"repeated" in text else 1
            column = reach = 0
            if text.endswith(b"/"):  # a row without cells
                row += repeat
            else:
                inside = True
        elif name != b"table-row" and not closing:
            if b"repeated" in text:
                column += _repeats(text, b"table:number-columns-repeated")
            else:
                column += 1
            if (b"value" in text or b"formula" in text) and re.search(_ODS_VALUE, text):
                reach = column
    if inside and reach:
        rows, columns = row + repeat, max(columns, reach)
    return rows, columns


def _repeats(text: bytes, name: bytes) -> int:
    """An element's repeat count, 1 if it has none; the largest if it has two (calamine
    takes one of them, and resolves "&#52;000" in some)."""
    return max([1, *(number(value) for value in attributes(text).get(name, ()))])
