"""A small, fast XLSX writer for result tables: values only, never a formula.

openpyxl builds an object per cell and writes about 50 000 cells a second; the marks of a
large jury (100 jurors × 200 teams × 6 criteria) are over a million cells. This writer emits
the SpreadsheetML directly, one column at a time, with a fixed zip timestamp so that the same
tables give the same bytes. Numbers are written as numbers (``<v>``), text as inline strings
(a shared-strings table); there is no code path that writes an ``<f>`` (formula) element.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.partfiles import replacing

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
ROWS_PER_CHUNK = 5000
COMPRESS_LEVEL = 1
EMPTY = "<c/>"
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
    '</font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill>'
    '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
# Object columns whose values (missing ones aside) share one type can be factorised safely.
_ONE_TYPE = {"string", "empty", "floating", "integer", "boolean"}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` safe inside an XML element; characters XML cannot carry become U+FFFD."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _XML_ILLEGAL.sub("\ufffd", text)


class SharedStrings:
    """The workbook's table of distinct texts; cells refer to a text by its index.

    ``text`` (e.g. formula neutralisation) is applied once per distinct value.
    """

    def __init__(self, text: Callable[[str], str]) -> None:
        self.text = text
        self.indices: dict[str, int] = {}

    def index(self, value: object) -> int:
        key = str(value)
        found = self.indices.get(key)
        if found is None:
            found = self.indices[key] = len(self.indices)
        return found

    def xml(self) -> str:
        items = []
        for raw in self.indices:
            shown = str(self.text(raw))
            space = ' xml:space="preserve"' if shown != shown.strip() else ""
            items.append(f"<si><t{space}>{escape(shown)}</t></si>")
        return f'{HEAD}<sst xmlns="{MAIN}" uniqueCount="{len(items)}">{"".join(items)}</sst>'


def column_cells(series: pd.Series, strings: SharedStrings) -> np.ndarray:
    """The XML of every cell of one column, top to bottom, as an object array of str.

    Numbers become ``<v>`` values, booleans ``t="b"``, everything else a shared string;
    missing values, NaN and infinities are empty cells. Cells carry no ``r`` reference (it is
    optional; position follows order), so equal values share one string and a column of a
    few distinct values costs a dictionary look-up per cell.
    """
    if series.dtype != object or pd.api.types.infer_dtype(series, skipna=True) in _ONE_TYPE:
        # One type per column: build each distinct value's cell once, then index (in C).
        codes, distinct = pd.factorize(series, use_na_sentinel=True)
        table = [_cell(value, strings) for value in distinct.tolist()] + [EMPTY]
        return np.asarray(table, dtype=object)[codes]
    # A mixed column: 1, 1.0 and True are equal keys, so the type joins the key.
    cache: dict[object, str] = {}
    cells = []
    for value in series.tolist():
        key = (type(value), value)
        cell = cache.get(key)
        if cell is None:
            cell = cache[key] = _cell(value, strings)
        cells.append(cell)
    return np.asarray(cells, dtype=object)


def _cell(value: Any, strings: SharedStrings) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return EMPTY
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, float):
        return f"<c><v>{value!r}</v></c>" if math.isfinite(value) else EMPTY
    return f'<c t="s"><v>{strings.index(value)}</v></c>'


def sheet_rows(frame: pd.DataFrame, strings: SharedStrings) -> Iterator[str]:
    """The ``<row>`` elements of a sheet, header first (bold), in chunks of text.

    The cells of each column are built once (a factorisation per column); each chunk is
    then one ``str.join`` over the cells laid out row by row in a flat array (row tag, the
    row's cells, end tag): no Python loop per row or per cell.
    """
    header = "".join(f'<c t="s" s="1"><v>{strings.index(name)}</v></c>' for name in frame.columns)
    yield f'<row r="1">{header}</row>'
    columns = [column_cells(frame.iloc[:, i], strings) for i in range(frame.shape[1])]
    width = frame.shape[1] + 2
    for start in range(0, len(frame), ROWS_PER_CHUNK):
        stop = min(start + ROWS_PER_CHUNK, len(frame))
        flat = np.empty((stop - start, width), dtype=object)
        flat[:, 0] = [f'<row r="{number}">' for number in range(start + 2, stop + 2)]
        for i, cells in enumerate(columns, start=1):
            flat[:, i] = cells[start:stop]
        flat[:, -1] = "</row>"
        yield "".join(flat.ravel().tolist())


def _worksheet(frame: pd.DataFrame, strings: SharedStrings) -> Iterator[str]:
    yield (
        f'{HEAD}<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews><sheetData>"
    )
    yield from sheet_rows(frame, strings)
    yield "</sheetData></worksheet>"


def _package(titles: Sequence[str], files: Sequence[int]) -> dict[str, str]:
    """The workbook's parts besides its sheets: ``titles`` in the workbook's order, each
    stored in ``xl/worksheets/sheet<n>.xml`` with n from ``files``."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{DOC_TYPE}.worksheet+xml"/>'
        for n in sorted(files)
    )
    sheets = "".join(
        f'<sheet name="{escape(title)}" sheetId="{n}" r:id="rId{n}"/>'
        for title, n in zip(titles, files, strict=True)
    )
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in sorted(files)
    )
    count = len(files)
    return {
        "[Content_Types].xml": (
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{DOC_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{DOC_TYPE}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{DOC_TYPE}.sharedStrings+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{sheets}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}">{links}<Relationship '
            f'Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/><Relationship '
            f'Id="rId{count + 2}" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": STYLES,
    }


def write_workbook(
    sheets: Iterable[tuple[str, pd.DataFrame]],
    path: Path,
    *,
    text: Callable[[str], str] = str,
    last: Collection[str] = (),
) -> Path:
    """Write ``sheets`` ((valid, unique title, frame) pairs) as an .xlsx file at ``path``.

    Each sheet is written as soon as ``sheets`` yields it, so a generator can hand over the
    large sheets first and wait for data still being computed before yielding the rest. In
    the workbook, sheets keep the order they came in, except those titled in ``last``, which
    follow the others. ``text`` is applied to every text cell and header before it is written
    (e.g. formula neutralisation). The zip entries carry a fixed date, so equal input gives
    equal bytes; the file is written beside ``path`` and renamed, so that a run interrupted
    while writing leaves no truncated workbook.
    """

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        # ZipFile.open(info, "w") ignores the archive's compresslevel and uses the ZipInfo's
        # own (public as compress_level from Python 3.13); unset, zlib runs at level 6,
        # three times slower than level 1 for a file barely smaller.
        level = "compress_level" if hasattr(info, "compress_level") else "_compresslevel"
        setattr(info, level, COMPRESS_LEVEL)
        return info

    strings = SharedStrings(text)
    written: list[tuple[str, int]] = []
    # zlib releases the GIL: one chunk is compressed and written by a helper thread while
    # the next is built here, so a large marks sheet costs little more than building it.
    with (
        replacing(path) as part,
        zipfile.ZipFile(part, "w", compresslevel=COMPRESS_LEVEL) as archive,
        ThreadPoolExecutor(1) as pool,
    ):
        for title, frame in sheets:
            number = len(written) + 1
            with archive.open(entry(f"xl/worksheets/sheet{number}.xml"), "w") as stream:
                pending: Future[int] | None = None
                for chunk in _worksheet(frame, strings):
                    data = chunk.encode("utf-8")
                    if pending is not None:
                        pending.result()  # one writer at a time, in order
                    pending = pool.submit(stream.write, data)
                if pending is not None:
                    pending.result()
            written.append((title, number))
        ordered = sorted(written, key=lambda sheet: sheet[0] in last)  # stable
        package = _package([t for t, _n in ordered], [n for _t, n in ordered])
        for name, content in package.items():
            archive.writestr(entry(name), content)
        archive.writestr(entry("xl/sharedStrings.xml"), strings.xml())
    return path
