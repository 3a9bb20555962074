"""Scores in rows the spreadsheet app hides: read, and said to be (found by a review)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from scoring.errors import Problem
from scoring.i18n import set_language
from scoring.sheets import read_inputs
from scoring.validate import validate
from tests.scoring.fixtures import rubric


def juror_xlsx(path: Path, hidden: tuple[int, ...]) -> Path:
    """Anna's sheet, teams T1-T3 in rows 4-6; ``hidden`` rows hidden (as a filter does)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Marks"
    for row in (["Juror", "anna"], [], ["Team", "Impact", "Pitch"]):
        sheet.append(row)
    for team, impact, pitch in (("T1", 7, 3), ("T2", 6, 4), ("T3", 5, 2)):
        sheet.append([team, impact, pitch])
    for row in hidden:
        sheet.row_dimensions[row].hidden = True
    book.save(path)
    return path


def warnings(problems: list[Problem]) -> list[tuple[object, ...]]:
    return [
        (p.code, Path(p.file or "").name, p.sheet, p.row, p.message)
        for p in problems
        if p.code == "hidden_rows"
    ]


def test_scores_in_hidden_rows_of_an_xlsx_sheet_are_read_with_a_warning(tmp_path: Path) -> None:
    path = juror_xlsx(tmp_path / "anna.xlsx", hidden=(2, 5, 6))  # row 2 holds no score

    jury = read_inputs([path], rubric(min_jurors=1))
    problems = validate(jury, rubric(min_jurors=1))

    assert sorted(jury.marks["team"].unique()) == ["T1", "T2", "T3"]  # read, and they count
    assert warnings(problems) == [
        (
            "hidden_rows",
            "anna.xlsx",
            "Marks",
            5,
            "rows 5, 6 are hidden in the spreadsheet app (or filtered out), and their scores "
            "are read and count; show the rows to check them",
        )
    ]


def test_a_sheet_without_hidden_rows_has_no_such_warning(tmp_path: Path) -> None:
    path = juror_xlsx(tmp_path / "anna.xlsx", hidden=())

    assert warnings(validate(read_inputs([path], rubric(min_jurors=1)), rubric(min_jurors=1))) == []


def test_scores_in_a_hidden_row_of_an_ods_sheet_are_read_with_a_warning(tmp_path: Path) -> None:
    # LibreOffice writes a hidden row as table:visibility="collapse" (a filter: "filter"); the
    # repeated empty rows before it must count in its number.
    document = OpenDocumentSpreadsheet()
    table = Table(name="Notes")

    def row(*values: object, repeated: int = 1, visibility: str | None = None) -> None:
        element = TableRow(numberrowsrepeated=repeated) if repeated > 1 else TableRow()
        if visibility:
            element.setAttribute("visibility", visibility)
        for value in values:
            cell = (
                TableCell(valuetype="float", value=value)
                if isinstance(value, int)
                else (TableCell(valuetype="string"))
            )
            cell.addElement(P(text=str(value)))
            element.addElement(cell)
        table.addElement(element)

    row("Juror", "anna")
    row(repeated=2)
    row("Team", "Impact", "Pitch")
    row("T1", 7, 3)
    row("T2", 6, 4, visibility="filter")
    document.spreadsheet.addElement(table)
    path = tmp_path / "anna.ods"
    document.save(str(path))

    set_language("de")
    try:
        problems = validate(read_inputs([path], rubric(min_jurors=1)), rubric(min_jurors=1))
    finally:
        set_language("en")

    assert [(code, name, sheet, row) for code, name, sheet, row, _m in warnings(problems)] == [
        ("hidden_rows", "anna.ods", "Notes", 6)
    ]
    assert warnings(problems)[0][4] == (
        "diese Zeile ist im Tabellenprogramm ausgeblendet (oder weggefiltert), und ihre "
        "Punkte werden gelesen und zählen; blenden Sie die Zeile ein, um sie zu prüfen"
    )


def test_hidden_rows_are_numbered_without_row_references_and_in_collapsed_ods_rows() -> None:
    # xlsx may leave out a row's r (the rows then follow one another); LibreOffice writes a
    # hidden row as "collapse", after rows repeated.
    import io
    import zipfile

    from scoring.hiddenrows import Hidden, _ods, _xlsx

    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<cols><col collapsed="false" hidden="true" max="3" min="3"/></cols>'  # LibreOffice's
        b'<sheetData><row/><row r="4"/><row hidden="1"/><row/><row hidden="true"/>'
        b"</sheetData></worksheet>"
    )
    book = (
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="Marks" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    links = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>'
    )
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    content = (
        f'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{table}"><office:body><office:spreadsheet><table:table table:name="N">'
        '<table:table-row table:number-rows-repeated="3"/><table:table-row/>'
        '<table:table-row table:visibility="collapse" table:number-rows-repeated="2"/>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    ).encode()
    archives = []
    for parts in (
        {
            "xl/workbook.xml": book,
            "xl/_rels/workbook.xml.rels": links,
            "xl/worksheets/sheet1.xml": sheet,
        },
        {"content.xml": content},
    ):
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w") as archive:
            for name, part in parts.items():
                archive.writestr(name, part)
        archives.append(zipfile.ZipFile(data))

    assert _xlsx(archives[0]) == {"Marks": Hidden(rows={5, 7}, columns={"C"})}
    assert _ods(archives[1]) == {"N": Hidden(rows={5, 6})}


def test_scores_in_a_hidden_criterion_column_are_read_with_a_warning(tmp_path: Path) -> None:
    # Found by a review: a hidden column hides a criterion's scores as a hidden row a team's.
    path = juror_xlsx(tmp_path / "anna.xlsx", hidden=())
    book = openpyxl.load_workbook(path)
    book.active.column_dimensions["B"].hidden = True
    book.save(path)

    problems = validate(read_inputs([path], rubric(min_jurors=1)), rubric(min_jurors=1))

    assert [
        (p.code, p.sheet, p.row, p.column, p.message)
        for p in problems
        if p.code.startswith("hidden")
    ] == [
        (
            "hidden_columns",
            "Marks",
            None,
            "B",
            "column B is hidden in the spreadsheet app, and its scores are read and count; show "
            "the column to check them",
        )
    ]
