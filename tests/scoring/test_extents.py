"""Workbooks whose sheets reach too far are refused before python-calamine builds them."""

from __future__ import annotations

import re
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from scoring.errors import Problem
from scoring.grid import column_letter
from scoring.sheets import read_inputs
from scoring.workbook import read_tables
from scoring.xlsxparts import read_part
from tests.scoring.fixtures import rubric, write_ods, write_xlsx

ROOT = Path(__file__).parents[2]
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROWS = [["Juror:", "a"], ["Team", "Impact", "Pitch"], ["T1", 7, 5], ["T2", 6, 4]]


def far(row: int, column: str) -> str:
    return (
        f"reaches row {row} and column {column}, further than is read (at most 100000 rows, "
        "1000 columns and 2000000 cells, empty ones included); delete what lies below or to "
        "the right of the table, such as a value typed far away, or split the sheet into "
        "several files"
    )


def rewritten(path: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def with_cells(path: Path, cells: str) -> Path:
    """A small jury sheet, with ``cells`` (XML) added at the end of its sheet data."""

    def change(parts: dict[str, bytes]) -> None:
        xml = parts[SHEET].decode()
        parts[SHEET] = xml.replace("</sheetData>", cells + "</sheetData>").encode()

    return rewritten(write_xlsx(path, ROWS), change)


def test_a_value_at_the_last_cell_of_excel_is_refused_not_an_abort(tmp_path: Path) -> None:
    # calamine asked for 512 GiB and the process died (exit 134) with no file named.
    path = with_cells(
        tmp_path / "a.xlsx",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    )
    code = (
        "import sys; from pathlib import Path; from scoring.workbook import read_tables\n"
        "print([(p.code, p.sheet, p.message) for p in read_tables(Path(sys.argv[1]))[1]])\n"
    )

    child = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )

    assert (child.returncode, child.stdout) == (
        0,
        f"[('too_large_sheet', 'Scores', {far(1048576, 'XFD')!r})]\n",
    )


@pytest.mark.parametrize(
    "cells",
    [
        '<row r="9"><c r="ALN9" t="n"><v>1</v></c></row>',  # as Excel writes it
        '<row r="9"><c t="n" s="0" r="ALN9"><v>1</v></c></row>',  # r last
        "<row r='9'><c r = 'aln9'><v>1</v></c></row>",  # quoted, spaced, in lower case
        '<row r="9"><c r="A9" r="ALN9"><v>1</v></c></row>',  # calamine takes the second r
        '<row r="9">' + "<c><v>1</v></c>" * 1002 + "</row>",  # no references: one after another
        '<row r="8"/><row>' + "<c><v>1</v></c>" * 1002 + "</row>",  # no row number either
        f'<x:row xmlns:x="{MAIN}" r="9"><x:c r="ALN9"><x:v>1</x:v></x:c></x:row>',  # a prefix
    ],
)
def test_a_cell_beyond_the_columns_read_is_refused_however_it_is_written(
    tmp_path: Path, cells: str
) -> None:
    path = with_cells(tmp_path / "a.xlsx", cells)

    assert read_tables(path) == (
        [],
        [Problem("error", "too_large_sheet", far(9, "ALN"), str(path), "Scores")],
    )
    assert column_letter(1001) == "ALN"


def test_cells_without_a_value_and_a_lying_dimension_reach_nowhere(tmp_path: Path) -> None:
    # A self-closed cell holds no value, in calamine as here; the dimension tag is not read.
    path = with_cells(tmp_path / "a.xlsx", '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    lie = b'<dimension ref="A1:XFD1048576"/>'
    path = rewritten(
        path, lambda parts: parts.update({SHEET: re.sub(rb"<dimension [^>]*>", lie, parts[SHEET])})
    )
    with zipfile.ZipFile(path) as archive:
        assert lie in archive.read(SHEET)

    jury = read_inputs([path], rubric())

    assert jury.problems == ()
    assert sorted(zip(jury.marks["team"], jury.marks["score"], strict=True)) == [
        ("T1", 5.0),
        ("T1", 7.0),
        ("T2", 4.0),
        ("T2", 6.0),
    ]


def test_a_part_shown_as_two_sheets_is_refused(tmp_path: Path) -> None:
    # 50 sheets of one 4 MB part took 31 s; no spreadsheet program writes such a file.
    def change(parts: dict[str, bytes]) -> None:
        book = parts["xl/workbook.xml"].decode()
        start = book.index("<sheet ")
        end = book.index("/>", start) + 2
        second = (
            book[start:end]
            .replace('name="Scores"', 'name="Copy"')
            .replace('sheetId="1"', 'sheetId="2"')
        )
        parts["xl/workbook.xml"] = (book[:end] + second + book[end:]).encode()

    path = rewritten(write_xlsx(tmp_path / "a.xlsx", ROWS), change)

    assert read_tables(path)[1] == [
        Problem(
            "error",
            "shared_sheet_part",
            "shows sheets 'Scores' and 'Copy' from one part of the file, which no spreadsheet "
            "program writes; open it in your spreadsheet program and save it again",
            str(path),
        )
    ]


def test_two_parts_of_one_name_are_refused(tmp_path: Path) -> None:
    # Which of the two a reader takes is anybody's guess (calamine and zipfile: the last).
    path = write_xlsx(tmp_path / "a.xlsx", ROWS)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(SHEET.upper(), b"<worksheet/>")

    assert read_tables(path)[1] == [
        Problem(
            "error",
            "damaged_file",
            f"holds two parts named {SHEET}, which no spreadsheet program writes; open it in "
            "your spreadsheet program and save it again",
            str(path),
        )
    ]


def ods_with(path: Path, rows: str, tables: int = 1) -> Path:
    """A small ods jury sheet with ``rows`` (XML) added to its table, and more tables."""
    write_ods(path, ROWS, title="Scores")

    def change(parts: dict[str, bytes]) -> None:
        content = parts["content.xml"].decode()
        end = content.index("</table:table>")
        extra = "".join(f'<table:table table:name="S{i}"/>' for i in range(2, tables + 1))
        rest = content[end + len("</table:table>") :]
        parts["content.xml"] = (content[:end] + rows + "</table:table>" + extra + rest).encode()

    return rewritten(path, change)


def test_an_ods_value_repeated_beyond_the_columns_read_is_refused(tmp_path: Path) -> None:
    # One value repeated 4,000 × 4,000 took 24 s and 1.7 GB, and gave 24,000 messages.
    path = ods_with(
        tmp_path / "a.ods",
        '<table:table-row table:number-rows-repeated="2"><table:table-cell '
        'table:number-columns-repeated="1001" office:value-type="float" office:value="1"/>'
        "</table:table-row>",
    )

    assert read_tables(path) == (
        [],
        [Problem("error", "too_large_sheet", far(6, "ALM"), str(path), "Scores")],
    )


def test_the_empty_cells_libreoffice_repeats_after_the_table_cost_nothing(
    tmp_path: Path,
) -> None:
    path = ods_with(
        tmp_path / "a.ods",
        '<table:table-row table:number-rows-repeated="1048572"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>',
    )

    jury = read_inputs([path], rubric())

    assert jury.problems == ()
    assert len(jury.marks) == 4


def test_more_sheets_than_are_read_are_refused(tmp_path: Path) -> None:
    path = ods_with(tmp_path / "a.ods", "", tables=101)

    assert read_tables(path)[1] == [
        Problem(
            "error",
            "too_many_sheets",
            "has more than 100 sheets, more than are read; delete the sheets that are not "
            "needed, or split the file",
            str(path),
        )
    ]


def test_sheets_that_together_hold_too_many_cells_are_refused(tmp_path: Path) -> None:
    # Three sheets of 800 rows × 900 columns each: each within the limits, not together.
    block = (
        '<table:table-row table:number-rows-repeated="800"><table:table-cell '
        'table:number-columns-repeated="900" office:value-type="float" office:value="1"/>'
        "</table:table-row>"
    )
    path = ods_with(tmp_path / "a.ods", block)
    rewritten(
        path,
        lambda parts: parts.update(
            {
                "content.xml": parts["content.xml"].replace(
                    b"</office:spreadsheet>",
                    b"".join(
                        b'<table:table table:name="S%d">%s</table:table>' % (i, block.encode())
                        for i in (2, 3)
                    )
                    + b"</office:spreadsheet>",
                )
            }
        ),
    )

    assert read_tables(path)[1] == [
        Problem(
            "error",
            "too_many_cells",
            "holds more than 2000000 cells (rows × columns up to the last cell with a value, "
            "empty cells included), more than is read; delete what is not needed (empty rows or "
            "columns, old sheets), or split it into several files",
            str(path),
        )
    ]


def test_a_part_larger_than_its_archive_says_is_not_unpacked_whole(tmp_path: Path) -> None:
    # zipfile unpacked 400 MB said to be 4 KB before noticing (1.5 s, 900 MB).
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SHEET, b" " * (50 * 2**20))
    data = bytearray(path.read_bytes())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # the sizes in both headers: 4 KB
        at = data.index(header)
        offset = 22 if header == b"PK\x03\x04" else 24
        data[at + offset : at + offset + 4] = (4096).to_bytes(4, "little")
    path.write_bytes(data)

    tracemalloc.start()
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile, match="CRC"):
        read_part(archive, SHEET)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert peak < 2**20
