"""``template`` run again into a folder: blank sheets are replaced, a juror's work never is."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from scoring import columns as col
from scoring.errors import InputError
from scoring.partfiles import part_path
from scoring.sheets import read_inputs
from scoring.sheetwords import HEADER_ROW
from scoring.template import write_templates
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


def test_sheets_of_challenge_rubrics_in_every_language_are_replaced_until_one_is_filled(
    tmp_path: Path,
) -> None:
    config = rubric(challenges={"x": {"criteria": [{"id": "care", "scale": {"min": 0, "max": 4}}]}})
    teams = TEAMS.assign(**{col.CHALLENGE: ["x", None, "y"]})
    both = pd.DataFrame({col.JUROR: ["al", "al"], col.TEAM: ["T1", "T2"]})
    out = tmp_path / "sheets"
    for language in ("de", "fr", "en", "lb"):  # each run replaces the last one's sheet
        write_templates(config, teams, both, out, language=language)
    book = openpyxl.load_workbook(out / "al.xlsx")
    assert len(book.worksheets) == 2
    book.worksheets[1].cell(HEADER_ROW + 1, 3).value = 7  # a score on the second sheet
    book.save(out / "al.xlsx")

    with pytest.raises(InputError) as raised:
        write_templates(config, teams, both, out)

    assert [p.file for p in raised.value.problems] == [str(out / "al.xlsx")]


def edit(path: Path, change: Callable[[Worksheet], None]) -> None:
    book = openpyxl.load_workbook(path)
    change(book.worksheets[0])
    book.save(path)


@pytest.mark.parametrize(
    "change",
    [
        # What a program writes into the score cells: formulas whose results were not saved
        # (read as empty cells, yet taken for scores by validate).
        lambda sheet: setattr(sheet.cell(HEADER_ROW + 1, 3), "value", "=7+1"),
        # A note above the table, beside the instructions.
        lambda sheet: setattr(sheet["D1"], "value", "I have a conflict with T1"),
        # Marks written into the name column.
        lambda sheet: setattr(sheet.cell(HEADER_ROW + 1, 2), "value", "Alpha: 8/10, very good"),
        # A cell note, which the reader does not read.
        lambda sheet: setattr(sheet.cell(HEADER_ROW + 1, 3), "comment", Comment("8", "al")),
    ],
    ids=["formula", "note above", "name column", "cell note"],
)
def test_work_the_reader_may_not_see_is_kept_too(
    tmp_path: Path, change: Callable[[Worksheet], None]
) -> None:
    out = tmp_path / "sheets"
    write_templates(rubric(), TEAMS, FIRST, out)
    edit(out / "al.xlsx", change)
    before = contents(out)

    with pytest.raises(InputError) as raised:
        write_templates(rubric(), TEAMS, FIRST, out)

    assert [p.file for p in raised.value.problems] == [str(out / "al.xlsx")]
    assert contents(out) == before


def test_a_folder_or_a_link_under_a_sheet_s_name_is_in_the_way(tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    (out / "al.xlsx").mkdir(parents=True)
    blank = write_templates(rubric(), TEAMS, FIRST.iloc[1:2], tmp_path / "blank")[0]
    (out / "bo.xlsx").symlink_to(blank)  # a blank sheet, but writing would follow the link

    with pytest.raises(InputError) as raised:
        write_templates(rubric(), TEAMS, FIRST, out)

    assert [p.file for p in raised.value.problems] == [str(out / "al.xlsx"), str(out / "bo.xlsx")]
    assert sorted(path.name for path in out.iterdir()) == ["al.xlsx", "bo.xlsx"]


def test_part_files_of_a_killed_run_are_removed_and_others_kept(tmp_path: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # its id is no running process's
    dead_pid = ended.pid
    out = tmp_path / "sheets"
    out.mkdir()
    killed = part_path(out / "al.xlsx", dead_pid)
    running = part_path(out / "bo.xlsx", os.getppid())  # a running process's
    others = [out / ".notes.part", part_path(out / "zed.xlsx", dead_pid)]  # not sheets of the run
    for path in (killed, running, *others):
        path.write_bytes(b"half a sheet")

    write_templates(rubric(), TEAMS, FIRST, out)

    assert sorted(path.name for path in out.iterdir()) == sorted(
        ["al.xlsx", "bo.xlsx", "cy.xlsx", running.name, *(path.name for path in others)]
    )
