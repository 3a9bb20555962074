"""xlsx formula cells: read as their saved result; without one, told as such, not as a score
the juror forgot."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from scoring.errors import Problem
from scoring.formulas import unsaved
from scoring.sheets import read_inputs
from scoring.validate import validate
from tests.scoring.fixtures import rubric, write_csv, write_xlsx

UNSAVED_ONE = (
    "cell {} holds a formula whose result was not saved in the file (as when a program, not a "
    "spreadsheet app, wrote it), so it reads as empty; open the file in a spreadsheet app, "
    "save it, and read it again"
)
UNSAVED_MANY = (
    "cells {} hold formulas whose results were not saved in the file (as when a program, not "
    "a spreadsheet app, wrote it), so they read as empty; open the file in a spreadsheet app, "
    "save it, and read it again"
)


def located(problems: list[Problem]) -> list[tuple[object, ...]]:
    return [(p.severity, p.code, Path(p.file or "").name, p.row, p.column) for p in problems]


def sheet(path: Path) -> Path:
    """Juror a's sheet (openpyxl writes formulas without a result, as any program does):
    T1 with a formula for impact, T2 with formulas only, T3 with a pitch left blank."""
    return write_xlsx(
        path,
        [
            ["Juror:", "a"],
            ["Team", "Impact", "Pitch"],
            ["T1", "=3+4", 5],
            ["T2", "=6", "=2*2"],
            ["T3", 5, None],
            ["T4", 6, 4],
        ],
    )


def saved(path: Path, results: dict[str, str]) -> Path:
    """``path`` as a spreadsheet app saves it: each formula cell in ``results`` with its
    result."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in results.items():
        xml = re.sub(
            rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/>', rf"\1<f>\2</f><v>{value}</v>", xml
        )
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_formula_with_its_saved_result_reads_as_that_result(tmp_path: Path) -> None:
    path = saved(sheet(tmp_path / "a.xlsx"), {"B3": "7", "B4": "6", "C4": "4"})

    jury = read_inputs([path], rubric())

    assert sorted(
        zip(jury.marks["team"], jury.marks["criterion"], jury.marks["score"], strict=True)
    ) == [
        ("T1", "impact", 7.0),
        ("T1", "pitch", 5.0),
        ("T2", "impact", 6.0),
        ("T2", "pitch", 4.0),
        ("T3", "impact", 5.0),
        ("T4", "impact", 6.0),
        ("T4", "pitch", 4.0),
    ]
    assert unsaved(path, "Scores") == frozenset()


def test_formulas_without_a_result_are_told_at_their_cells_and_rows(tmp_path: Path) -> None:
    path = sheet(tmp_path / "a.xlsx")

    problems = validate(read_inputs([path], rubric()), rubric())

    # T1's impact is a formula; T2's row holds only formulas (without assignments, nothing
    # else would say so: the row would count as a team the juror did not score); T3's pitch
    # is truly blank.
    assert located(problems) == [
        ("error", "unsaved_formula", "a.xlsx", 3, "B"),
        ("error", "unsaved_formula", "a.xlsx", 4, None),
        ("error", "missing_score", "a.xlsx", 5, "C"),
    ]
    assert [p.message for p in problems[:2]] == [
        UNSAVED_ONE.format("B3"),
        UNSAVED_MANY.format("B4, C4"),
    ]
    assert unsaved(path, "Scores") == {(3, "B"), (4, "B"), (4, "C")}


def test_an_assigned_row_of_formulas_is_told_once(tmp_path: Path) -> None:
    path = sheet(tmp_path / "a.xlsx")
    plan = write_csv(
        tmp_path / "plan.csv",
        [["juror", "team"], ["a", "T1"], ["a", "T2"], ["a", "T3"], ["a", "T4"]],
    )

    problems = validate(read_inputs([path, plan], rubric()), rubric())

    assert located(problems) == [
        ("error", "unsaved_formula", "a.xlsx", 3, "B"),
        ("error", "unsaved_formula", "a.xlsx", 4, None),
        ("error", "missing_score", "a.xlsx", 5, "C"),
    ]


def test_the_sheet_is_found_by_name_whatever_the_workbook_calls_its_part(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    second = book.create_sheet("Marks")
    second["B2"] = "=1+1"
    book["Notes"]["A1"] = "=2+2"
    path = tmp_path / "two.xlsx"
    book.save(path)
    # Excel names the parts relative to xl/, openpyxl from the package's root: read both.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    relative = tmp_path / "relative.xlsx"
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    assert 'Target="/xl/worksheets/sheet2.xml"' in rels
    parts["xl/_rels/workbook.xml.rels"] = rels.replace('"/xl/worksheets/', '"worksheets/').encode()
    with zipfile.ZipFile(relative, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    for file in (path, relative):
        assert unsaved(file, "Marks") == {(2, "B")}
        assert unsaved(file, "Notes") == {(1, "A")}
        assert unsaved(file, None) == {(1, "A")}  # the first sheet
        assert unsaved(file, "Missing") == frozenset()


def test_a_file_that_is_not_a_workbook_has_no_formulas(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not really")
    no_book = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(no_book, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")

    assert unsaved(broken, "Scores") == frozenset()
    assert unsaved(no_book, "Scores") == frozenset()
    assert unsaved(tmp_path / "gone.xlsx", "Scores") == frozenset()
