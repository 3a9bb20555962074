"""``template`` run again into a folder: blank sheets are replaced, a juror's work never is."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scoring import columns as col
from scoring.errors import InputError
from scoring.sheets import read_inputs
from scoring.template import HEADER_ROW, write_templates
from tests.scoring.fixtures import rubric

TEAMS = pd.DataFrame({col.TEAM: ["T1", "T2", "T3"], col.TEAM_NAME: ["Alpha", "Beta", "Gamma"]})
FIRST = pd.DataFrame({col.JUROR: ["al", "bo", "cy"], col.TEAM: ["T1", "T1", "T2"]})


def fill(path: Path, cell: str, value: object) -> None:
    """Write ``value`` into ``cell`` of the sheet's first table, as a juror does."""
    book = openpyxl.load_workbook(path)
    book.worksheets[0][cell] = value
    book.save(path)


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_a_second_run_replaces_the_blank_sheets_with_the_new_assignments(tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    write_templates(rubric(), TEAMS, FIRST, out)
    fill(out / "al.xlsx", "B1", "al")  # the juror's id, filled in again: still blank
    later = pd.DataFrame({col.JUROR: ["al", "bo", "cy"], col.TEAM: ["T1", "T3", "T2"]})

    paths = write_templates(rubric(), TEAMS, later, out)

    assert [path.name for path in paths] == ["al.xlsx", "bo.xlsx", "cy.xlsx"]
    assert sorted(path.name for path in out.iterdir()) == ["al.xlsx", "bo.xlsx", "cy.xlsx"]
    bo = openpyxl.load_workbook(out / "bo.xlsx").worksheets[0]
    assert bo.cell(HEADER_ROW + 1, 1).value == "T3"


def test_files_holding_work_stop_the_run_all_named_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    write_templates(rubric(), TEAMS, FIRST, out)
    row = HEADER_ROW + 1
    fill(out / "al.xlsx", f"C{row}", 7)  # a score
    fill(out / "bo.xlsx", f"E{row}", "ask about the data licence")  # a comment, no score
    (out / "cy.xlsx").unlink()
    (out / "cy.xlsx").write_text("the chair's notes", encoding="utf-8")  # not a jury sheet
    later = pd.DataFrame({col.JUROR: ["al", "bo", "cy", "di"], col.TEAM: ["T1", "T1", "T2", "T3"]})
    before = contents(out)

    with pytest.raises(InputError) as raised:
        write_templates(rubric(), TEAMS, later, out)

    assert [(p.severity, p.code, p.file) for p in raised.value.problems] == [
        ("error", "not_a_blank_sheet", str(out / name))
        for name in ("al.xlsx", "bo.xlsx", "cy.xlsx")
    ]
    assert contents(out) == before  # di.xlsx not written either
    jury = read_inputs([out / "al.xlsx"], rubric())
    assert jury.marks[[col.TEAM, col.CRITERION, col.SCORE]].values.tolist() == [
        ["T1", "impact", 7.0]
    ]


def test_a_folder_or_a_link_under_a_sheet_s_name_is_in_the_way(tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    (out / "al.xlsx").mkdir(parents=True)
    blank = write_templates(rubric(), TEAMS, FIRST.iloc[1:2], tmp_path / "blank")[0]
    (out / "bo.xlsx").symlink_to(blank)  # a blank sheet, but writing would follow the link

    with pytest.raises(InputError) as raised:
        write_templates(rubric(), TEAMS, FIRST, out)

    assert [p.file for p in raised.value.problems] == [str(out / "al.xlsx"), str(out / "bo.xlsx")]
    assert sorted(path.name for path in out.iterdir()) == ["al.xlsx", "bo.xlsx"]
