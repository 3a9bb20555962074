"""Scores read from cells formatted as percentages: 50% holds 0.5, which a 0-100 scale takes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from scoring.config import Config
from scoring.errors import Problem
from scoring.sheets import read_inputs
from scoring.validate import validate
from tests.scoring.fixtures import rubric, with_entity

# On a 0-100 scale in steps of 0.5, a percent cell's 0.5 is a valid score: nothing else
# would say that the juror typed 50.
PERCENT_SCALE: dict[str, object] = {
    "criteria": [
        {"id": "impact", "label": "Impact", "scale": {"min": 0, "max": 100, "step": 0.5}},
        {"id": "pitch", "label": "Pitch", "scale": {"min": 0, "max": 100, "step": 0.5}},
    ]
}


def config() -> Config:
    from scoring.config import parse_config

    return parse_config({"min_jurors": 1, **PERCENT_SCALE}, source="rubric.toml")


def juror_xlsx(path: Path, formats: dict[str, str]) -> Path:
    """Anna's sheet: T1 marked 0.5 and 80, T2 0.5 and 0.5; cells given in
    ``formats`` (e.g. {"C4": "0%"}) carry that number format."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Marks"
    for row in (["Juror", "anna"], [], ["Team", "Name", "Impact", "Pitch"]):
        sheet.append(row)
    sheet.append(["T1", "Alpha", 0.5, 80])
    sheet.append(["T2", "Beta", 0.5, 0.5])
    for reference, number_format in formats.items():
        sheet[reference].number_format = number_format
    book.save(path)
    return path


def errors(problems: list[Problem]) -> list[tuple[object, ...]]:
    return [
        (p.code, Path(p.file or "").name, p.sheet, p.row, p.column, p.message)
        for p in problems
        if p.severity == "error"
    ]


def test_scores_in_percent_cells_of_an_xlsx_file_are_an_error_naming_the_cells(
    tmp_path: Path,
) -> None:
    path = juror_xlsx(tmp_path / "anna.xlsx", {"C4": "0%", "C5": "0.00%", "D5": "0.0%"})

    problems = validate(read_inputs([path], config()), config())

    assert errors(problems) == [
        (
            "percent_cell",
            "anna.xlsx",
            "Marks",
            4,
            None,
            "cells C4, C5, D5 are formatted as percentages, so each holds a hundredth of what "
            "it shows (50% holds 0.5), and that is the score read; remove the percent format "
            "and type the scores themselves",
        )
    ]


def test_a_percent_sign_shown_as_text_is_not_a_percentage(tmp_path: Path) -> None:
    # '0" %"' shows the number with a % after it, without multiplying by 100.
    path = juror_xlsx(tmp_path / "anna.xlsx", {"C4": '0" %"', "D4": "0.0\\%", "C5": "0.00"})

    assert errors(validate(read_inputs([path], config()), config())) == []


def test_one_percent_cell_is_located_at_its_column(tmp_path: Path) -> None:
    path = juror_xlsx(tmp_path / "anna.xlsx", {"C5": "#,##0.0%"})

    problems = validate(read_inputs([path], config()), config())

    assert [(p.code, p.row, p.column) for p in problems if p.severity == "error"] == [
        ("percent_cell", 5, "C")
    ]
    assert [p.message for p in problems if p.code == "percent_cell"] == [
        "cell C5 is formatted as a percentage, so it holds a hundredth of what it shows (50% "
        "holds 0.5), and that is the score read; remove the percent format and type the score "
        "itself"
    ]


def juror_ods(path: Path) -> Path:
    """Anna's sheet in ods: T2's impact a percentage cell, after a repeated empty row."""
    document = OpenDocumentSpreadsheet()
    table = Table(name="Notes")

    def row(*cells: TableCell, repeated: int = 1) -> None:
        element = TableRow(numberrowsrepeated=repeated) if repeated > 1 else TableRow()
        for cell in cells:
            element.addElement(cell)
        table.addElement(element)

    def text(value: str) -> TableCell:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        return cell

    def number(value: float, kind: str = "float") -> TableCell:
        cell = TableCell(valuetype=kind, value=value)
        cell.addElement(P(text=f"{value * 100:g}%" if kind == "percentage" else str(value)))
        return cell

    row(text("Juror"), text("anna"))
    row(TableCell(), repeated=2)
    row(text("Team"), text("Impact"), text("Pitch"))
    row(text("T1"), number(40), number(60))
    row(text("T2"), number(0.5, "percentage"), number(70))
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def test_scores_in_percent_cells_of_an_ods_file_are_an_error(tmp_path: Path) -> None:
    path = juror_ods(tmp_path / "anna.ods")

    jury = read_inputs([path], config())
    problems = validate(jury, config())

    # The reader's own place of the mark, which the check must agree with.
    percent_mark = jury.marks[jury.marks["score"] == 0.5]
    assert percent_mark[["row", "column"]].values.tolist() == [[6, "B"]]
    assert [(p.code, p.sheet, p.row, p.column) for p in problems if p.severity == "error"] == [
        ("percent_cell", "Notes", 6, "B")
    ]


def test_a_sheet_without_percent_formats_has_no_such_problem(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for values in (["Juror", "ben"], [], ["Team", "Impact", "Pitch"], ["T1", 7, 3]):
        sheet.append(values)
    book.save(tmp_path / "ben.xlsx")

    problems = validate(read_inputs([tmp_path / "ben.xlsx"], rubric()), rubric())

    assert [p.code for p in problems] == ["few_teams"]


def test_a_percent_cell_is_not_also_off_the_scale_s_step(tmp_path: Path) -> None:
    # Found by a review: 80% on a 0-10 scale in steps of 0.5 holds 0.8, and "0.8 is not a
    # step of 0.5" came first, pointing at the wrong fix.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Marks"
    for row in (["Juror", "anna"], [], ["Team", "Impact", "Pitch"], ["T1", 0.8, 3], ["T2", 6, 4]):
        sheet.append(row)
    sheet["B4"].number_format = "0%"
    book.save(tmp_path / "anna.xlsx")
    config = rubric(min_jurors=1)

    problems = validate(read_inputs([tmp_path / "anna.xlsx"], config), config)

    assert [(p.code, p.row, p.column) for p in problems if p.severity == "error"] == [
        ("percent_cell", 4, "B")
    ]


def test_a_file_the_checks_cannot_read_again_is_an_error_not_nothing_found(
    tmp_path: Path,
) -> None:
    # defusedxml refuses the entity; calamine reads the file. The percent and hidden-row
    # checks found "nothing" in it, and said nothing.
    path = juror_xlsx(tmp_path / "anna.xlsx", {"C4": "0%"})
    book = openpyxl.load_workbook(path)
    book["Marks"].row_dimensions[5].hidden = True
    book.save(path)
    with_entity(path)

    problems = validate(read_inputs([path], config()), config())

    assert errors(problems) == [
        (
            "unchecked_file",
            "anna.xlsx",
            None,
            None,
            None,
            "could not be read again to check its cells for percent formats, hidden rows and "
            "formulas without a result (it declares XML entities, which are refused); open it "
            "in your spreadsheet program, save it again and read it again",
        )
    ]


def test_a_workbook_without_styles_has_no_percent_cells_and_no_error(tmp_path: Path) -> None:
    # The styles part is optional: without it no cell has a number format.
    path = juror_xlsx(tmp_path / "anna.xlsx", {"C4": "0%"})
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    del parts["xl/styles.xml"]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    jury = read_inputs([path], config())

    assert (jury.problems, errors(validate(jury, config()))) == ((), [])
