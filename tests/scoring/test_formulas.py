"""xlsx formula cells: read as their saved result; without one, told as such, not as a score
the juror forgot."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from scoring.errors import Problem
from scoring.formulas import unsaved
from scoring.sheets import read_inputs
from scoring.validate import validate
from scoring.xlsxparts import Unreadable
from tests.scoring.fixtures import rubric, with_entity, write_csv, write_xlsx

SHEET = "xl/worksheets/sheet1.xml"
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


def rewritten(path: Path, change: Callable[[str], str]) -> Path:
    """``path`` with the XML of its first sheet changed by ``change``."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[SHEET] = change(parts[SHEET].decode()).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def saved(path: Path, results: dict[str, str], kind: str = "") -> Path:
    """``path`` as a spreadsheet app saves it: each formula cell in ``results`` with its
    result (of type ``kind``: "str" for a text)."""
    typed = f' t="{kind}"' if kind else ""

    def change(xml: str) -> str:
        for cell, value in results.items():
            pattern = rf'<c r="{cell}"([^>]*)><f>([^<]*)</f><v\s*/>'
            xml = re.sub(pattern, rf'<c r="{cell}"\1{typed}><f>\2</f><v>{value}</v>', xml)
        return xml

    return rewritten(path, change)


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


def test_a_file_that_cannot_be_read_again_is_an_error_not_no_formulas(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not really")
    no_book = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(no_book, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    gone = tmp_path / "gone.xlsx"

    problems = {}
    for path in (broken, no_book, gone):
        with pytest.raises(Unreadable) as raised:
            unsaved(path, "Scores")
        problems[path.name] = (raised.value.problem.code, raised.value.problem.message)

    assert problems == {
        "broken.xlsx": (
            "unreadable_file",
            "is not a valid xlsx file (it is not a zip archive); open it in your spreadsheet "
            "program and save it again as xlsx",
        ),
        "empty.xlsx": (
            "unchecked_file",
            "could not be read again to check its cells for percent formats, hidden rows and "
            "formulas without a result (its part xl/workbook.xml is missing); open it in your "
            "spreadsheet program, save it again and read it again",
        ),
        "gone.xlsx": (
            "unreadable_file",
            "could not be read (No such file or directory); check the file and read it again",
        ),
    }


def test_a_formula_saved_with_an_empty_text_is_an_empty_score(tmp_path: Path) -> None:
    # =IF(...;"";...) as a spreadsheet app saves it: t="str" with an empty value. The score is
    # truly missing; saving the file again would change nothing.
    path = saved(sheet(tmp_path / "a.xlsx"), {"B3": "7", "B4": "6", "C4": "4"})
    path = rewritten(
        path,
        lambda xml: xml.replace('<c r="C5"/>', "").replace(
            "<v>5</v></c></row>",
            '<v>5</v></c><c r="C5" t="str"><f>IF(1,"",1)</f><v></v></c></row>',
            1,
        ),
    )

    problems = validate(read_inputs([path], rubric()), rubric())

    assert unsaved(path, "Scores") == frozenset()
    assert located(problems) == [("error", "missing_score", "a.xlsx", 5, "C")]


def test_cells_without_references_are_placed_by_their_order(tmp_path: Path) -> None:
    # References are optional (ECMA-376): a cell's place is then the one after the cell
    # before it, a row's the one after the row before it.
    path = rewritten(
        sheet(tmp_path / "a.xlsx"),
        lambda xml: re.sub(r'<row r="[0-9]+"', "<row", re.sub(r'<c r="[A-Z]+[0-9]+"', "<c", xml)),
    )

    assert unsaved(path, "Scores") == {(3, "B"), (4, "B"), (4, "C")}


def test_only_score_cells_are_looked_at(tmp_path: Path) -> None:
    # Formulas in an ignored total column and in a comment, beside a team row left blank
    # and a criterion the sheet has no column for: the blank row is no problem (nothing is
    # assigned), and the missing criterion is told as missing.
    path = write_xlsx(
        tmp_path / "b.xlsx",
        [
            ["Juror:", "a"],
            ["Team", "Impact", "Total", "Comment"],
            ["T1", 7, "=B3*2", '=CONCAT("good ","work")'],
            ["T2", 6, "=B4*2"],
            ["T3", None, "=B5*2", '=CONCAT("con","flict")'],
        ],
    )

    problems = validate(read_inputs([path], rubric()), rubric())

    assert unsaved(path, "Scores") == {(3, "C"), (3, "D"), (4, "C"), (5, "C"), (5, "D")}
    assert located(problems) == [
        ("warning", "ignored_column", "b.xlsx", 2, "C"),
        ("error", "missing_score", "b.xlsx", 3, None),
        ("warning", "few_teams", "b.xlsx", 3, None),
        ("error", "missing_score", "b.xlsx", 4, None),
    ]
    assert [p.message for p in problems if p.code == "missing_score"] == [
        f"juror 'a' gave no score for criterion 'Pitch' (pitch) of team '{team}'; add the score"
        for team in ("T1", "T2")
    ]


def test_an_assignments_workbook_with_formulas_changes_nothing(tmp_path: Path) -> None:
    marks = write_xlsx(
        tmp_path / "a.xlsx", [["Juror:", "a"], ["Team", "Impact", "Pitch"], ["T1", 7, 5]]
    )
    plan = write_xlsx(
        tmp_path / "plan.xlsx",
        [["juror", "team", "language"], ["a", "T1", '=IF(1,"en","de")'], ["a", "T2", "=C2"]],
        title="Plan",
    )

    problems = validate(read_inputs([marks, plan], rubric()), rubric())

    assert [(p.code, p.row, p.column) for p in problems if p.severity == "error"] == [
        ("missing_score", 3, None)
    ]
    assert problems[-1].message == (
        "juror 'a' was assigned team 'T2' but gave no score for it; "
        "score the team or remove the assignment"
    )


def test_a_long_table_of_formulas_is_told_at_each_score(tmp_path: Path) -> None:
    table = write_xlsx(
        tmp_path / "long.xlsx",
        [
            ["juror", "team", "criterion", "score"],
            ["a", "T1", "impact", 5],
            ["a", "T1", "pitch", 3],
            ["a", "T2", "impact", "=2+3"],
            ["a", "T2", "pitch", "=1+1"],
            ["a", "T3", "impact", "=4"],
            ["a", "T3", "pitch", 2],
            ["a", "T4", "impact", 6],
            ["a", "T4", "pitch", 2],
        ],
        title="A&B",
    )
    plan = write_csv(
        tmp_path / "plan.csv",
        [["juror", "team"], ["a", "T1"], ["a", "T2"], ["a", "T3"], ["a", "T4"]],
    )
    expected = [
        ("error", "unsaved_formula", "long.xlsx", 4, "D"),
        ("error", "unsaved_formula", "long.xlsx", 5, "D"),
        ("error", "unsaved_formula", "long.xlsx", 6, "D"),
    ]

    alone = validate(read_inputs([table], rubric()), rubric())
    # With the plan, "T2 assigned but not scored" is what these formulas already say.
    planned = validate(read_inputs([table, plan], rubric()), rubric())

    assert located(alone) == expected
    assert located(planned) == expected
    assert [p.message for p in alone] == [UNSAVED_ONE.format(c) for c in ("D4", "D5", "D6")]


def test_a_sheet_of_formulas_only_is_not_called_blank(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "i.xlsx",
        [["Juror:", "a"], ["Team", "Impact", "Pitch"], ["T1", "=3+4", "=5"], ["T2", "=6", "=4"]],
    )

    problems = validate(read_inputs([path], rubric()), rubric())

    # Without the formulas, this sheet gets the warning empty_sheet ("every score cell of
    # their sheet is empty"): its cells are not empty, their results were not saved. That no
    # score could be read at all stays true.
    assert located(problems) == [
        ("error", "unsaved_formula", "i.xlsx", 3, None),
        ("error", "unsaved_formula", "i.xlsx", 4, None),
        ("error", "no_scores", "", None, None),
    ]


def test_a_sheet_that_changed_since_it_was_read_is_an_error(tmp_path: Path) -> None:
    path = sheet(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as archive:
        entry = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    start = entry.header_offset + 30 + len(entry.filename.encode()) + len(entry.extra)
    for i in range(start + 5, start + 40):  # the compressed sheet, garbled
        data[i] ^= 0x55
    path.write_bytes(bytes(data))

    with pytest.raises(Unreadable) as raised:
        unsaved(path, "Scores")

    problem = raised.value.problem
    assert (problem.code, problem.file) == ("unchecked_file", str(path))
    assert problem.message.startswith("could not be read again to check its cells")


def test_formulas_that_cannot_be_looked_for_are_an_error(tmp_path: Path) -> None:
    # An entity declared in workbook.xml: defusedxml refuses it, calamine reads the file.
    path = with_entity(sheet(tmp_path / "a.xlsx"))

    problems = validate(read_inputs([path], rubric()), rubric())

    # T2's row of formulas only would pass without a word, were the file not an error.
    assert located(problems) == [
        ("error", "unchecked_file", "a.xlsx", None, None),
        ("error", "missing_score", "a.xlsx", 3, "B"),
        ("error", "missing_score", "a.xlsx", 5, "C"),
    ]
