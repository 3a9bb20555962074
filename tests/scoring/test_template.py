"""Juror templates: content, protection, validation, and a lossless round trip."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine

from scoring import columns as col
from scoring.errors import InputError
from scoring.sheets import read_inputs
from scoring.sheetwords import HEADER_ROW
from scoring.template import write_templates
from tests.scoring.fixtures import rubric

TEAMS = pd.DataFrame(
    {col.TEAM: ["T1", "T2", "T3"], col.TEAM_NAME: ["Alpha", '=HYPERLINK("x")', "Gamma"]}
)


def plan(*rows: tuple[str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[col.JUROR, col.TEAM, "language"])


def grid(path: Path) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)


def test_write_templates_one_file_per_juror_without_conflicted_teams(tmp_path: Path) -> None:
    config = rubric(conflicts={"bo": ["T2"]})
    assignments = plan(("bo", "T1", "fr"), ("bo", "T2", "fr"), ("al", "T3", None))

    paths = write_templates(config, TEAMS, assignments, tmp_path / "out")

    assert paths == [tmp_path / "out" / "al.xlsx", tmp_path / "out" / "bo.xlsx"]
    rows = grid(paths[1])
    assert rows[0][:2] == ["Juré :", "bo"]
    assert rows[HEADER_ROW - 1] == ["Équipe", "Nom", "Impact", "Présentation", "Commentaire"]
    assert rows[HEADER_ROW:] == [["T1", "Alpha", "", "", ""]]


def test_write_templates_language_argument_for_jurors_without_one(tmp_path: Path) -> None:
    paths = write_templates(rubric(), TEAMS, plan(("al", "T3", None)), tmp_path, language="de")

    assert grid(paths[0])[HEADER_ROW - 1] == [
        "Team",
        "Name",
        "Wirkung",
        "Präsentation",
        "Kommentar",
    ]


def test_write_templates_without_assignments_one_blank_sheet_for_all_teams(tmp_path: Path) -> None:
    paths = write_templates(rubric(), TEAMS, None, tmp_path)

    rows = grid(paths[0])
    assert paths == [tmp_path / "jury-sheet.xlsx"]
    assert rows[0][:2] == ["Juror:", ""]
    assert [row[0] for row in rows[HEADER_ROW:]] == ["T1", "T2", "T3"]


def test_the_sheet_for_every_juror_takes_the_jurors_id_and_reads_back(tmp_path: Path) -> None:
    # Without assignments one sheet serves every juror: its id cell must be writable on the
    # protected sheet, or no juror could say whose marks these are.
    path = write_templates(rubric(), TEAMS, None, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    sheet = book.active
    instructions = [sheet.cell(row, 1).value for row in range(2, HEADER_ROW)]
    locked = [sheet.cell(1, j).protection.locked for j in (1, 2)]
    sheet.cell(1, 2, "carla")
    sheet.cell(HEADER_ROW + 2, 3, 8)
    book.save(path)

    jury = read_inputs([path], rubric())

    assert (sheet.protection.sheet, locked) == (True, [True, False])
    assert (
        "Write your juror id in the white cell at the top; do not change the team ids or the "
        "column headers." in instructions
    )
    assert jury.problems == ()
    assert jury.marks[[col.JUROR, col.TEAM, col.SCORE]].values.tolist() == [["carla", "T2", 8.0]]


def test_write_templates_needs_teams_or_assignments(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        write_templates(rubric(), None, None, tmp_path)

    assert [p.code for p in caught.value.problems] == ["no_teams"]


def test_write_templates_locks_all_but_score_cells_and_validates_scales(tmp_path: Path) -> None:
    path = write_templates(rubric(), TEAMS, plan(("al", "T1", "en"), ("al", "T2", "en")), tmp_path)[
        0
    ]

    sheet = openpyxl.load_workbook(path).active
    rules = sheet.data_validations.dataValidation
    assert sheet.protection.sheet is True
    assert [sheet.cell(HEADER_ROW + 1, j).protection.locked for j in range(1, 6)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert sheet.cell(HEADER_ROW, 3).protection.locked is True
    # Impact: 0 to 10 in steps of 0.5 (a formula, relative to the column's first cell, so
    # that 7.3 is refused as it is typed); pitch: 1 to 5 in steps of 1 (whole numbers).
    first = f"C{HEADER_ROW + 1}"
    steps = f"ROUND(({first}-0)/0.5,9)"
    assert [(r.type, r.operator, r.formula1, r.formula2, str(r.sqref)) for r in rules] == [
        (
            "custom",
            None,
            f"AND(ISNUMBER({first}),{first}>=0,{first}<=10,{steps}=INT({steps}))",
            None,
            f"C{HEADER_ROW + 1}:C{HEADER_ROW + 2}",
        ),
        ("whole", "between", "1", "5", f"D{HEADER_ROW + 1}:D{HEADER_ROW + 2}"),
    ]
    assert [r.error for r in rules] == [
        "Enter a number from 0 to 10 in steps of 0.5.",
        "Enter a number from 1 to 5 in steps of 1.",
    ]


def test_write_templates_formula_like_names_stay_text(tmp_path: Path) -> None:
    path = write_templates(rubric(), TEAMS, plan(("al", "T2", "en")), tmp_path)[0]

    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert grid(path)[HEADER_ROW][:2] == ["T2", '=HYPERLINK("x")']


@pytest.mark.parametrize("language", ["de", "fr", "en", "lb"])
def test_write_templates_filled_in_reads_back_exactly(tmp_path: Path, language: str) -> None:
    config = rubric()
    path = write_templates(
        config, TEAMS, plan(("al", "T1", language), ("al", "T3", language)), tmp_path
    )[0]
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.cell(HEADER_ROW + 1, 3, 7.5)
    sheet.cell(HEADER_ROW + 1, 4, 4)
    sheet.cell(HEADER_ROW + 1, 5, "ok")
    sheet.cell(HEADER_ROW + 2, 3, "6,5")
    book.save(path)

    jury = read_inputs([path], config)

    assert jury.problems == ()
    fields = [col.JUROR, col.TEAM, col.CRITERION, col.SCORE, col.COMMENT, col.ROW, col.COLUMN]
    assert [
        tuple(None if pd.isna(v) else v for v in row)
        for row in jury.marks[fields].itertuples(index=False)
    ] == [
        ("al", "T1", "impact", 7.5, "ok", HEADER_ROW + 1, "C"),
        ("al", "T1", "pitch", 4.0, "ok", HEADER_ROW + 1, "D"),
        ("al", "T3", "impact", 6.5, None, HEADER_ROW + 2, "C"),
    ]


def test_write_templates_unfilled_reads_back_with_no_marks_and_no_problem(tmp_path: Path) -> None:
    paths = write_templates(rubric(), TEAMS, plan(("al", "T1", "lb"), ("bo", "T2", "fr")), tmp_path)

    jury = read_inputs(paths, rubric())

    assert (jury.problems, len(jury.marks)) == ((), 0)


def test_write_templates_from_files_reads_the_side_files(tmp_path: Path) -> None:
    from scoring.template import write_templates_from_files
    from tests.scoring.fixtures import write_csv

    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "Alpha"]])
    plan_file = write_csv(
        tmp_path / "plan.csv", [["juror", "team", "language"], ["al", "T1", "de"]]
    )

    paths, warnings = write_templates_from_files(
        rubric(), tmp_path / "out", teams=teams, assignments=plan_file
    )

    assert (paths, warnings) == ([tmp_path / "out" / "al.xlsx"], [])
    assert grid(paths[0])[HEADER_ROW] == ["T1", "Alpha", "", "", ""]


def test_write_templates_from_files_refuses_a_team_the_teams_file_does_not_list(
    tmp_path: Path,
) -> None:
    # validate refuses the plan: a sheet would get a row for T9 without a name.
    from scoring.template import write_templates_from_files
    from tests.scoring.fixtures import write_csv

    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "Alpha"]])
    plan_file = write_csv(tmp_path / "plan.csv", [["juror", "team"], ["al", "T1"], ["al", "T9"]])

    with pytest.raises(InputError) as caught:
        write_templates_from_files(rubric(), tmp_path / "out", teams=teams, assignments=plan_file)

    assert [(p.code, Path(p.file or "").name, p.row) for p in caught.value.problems] == [
        ("unknown_team", "plan.csv", 3)
    ]
    assert not (tmp_path / "out").exists()


def test_write_templates_from_files_refuses_unreadable_side_files(tmp_path: Path) -> None:
    from scoring.template import write_templates_from_files

    with pytest.raises(InputError) as caught:
        write_templates_from_files(rubric(), tmp_path, teams=tmp_path / "missing.csv")

    assert [p.code for p in caught.value.problems] == ["no_such_file"]


@pytest.mark.parametrize(
    ("language", "scales"),
    [
        (
            "fr",
            "Échelles : Impact : 0–10 (par pas de 0,5) ; Présentation : 1–5 (par pas de 1). "
            "Écrivez les décimales comme votre tableur les affiche (7,5 ou 7.5).",
        ),
        (
            "de",
            "Skalen: Wirkung: 0–10 (in Schritten von 0,5); Präsentation: 1–5 (in Schritten von "
            "1). Schreiben Sie Dezimalzahlen so, wie Ihr Tabellenprogramm sie anzeigt (7,5 oder "
            "7.5).",
        ),
    ],
)
def test_write_templates_lists_the_scales_with_the_punctuation_of_the_language(
    language: str, scales: str, tmp_path: Path
) -> None:
    path = write_templates(rubric(), TEAMS, plan(("al", "T1", language)), tmp_path)[0]

    assert grid(path)[3][0] == scales


def test_write_templates_a_sheet_per_rubric_named_and_announced(tmp_path: Path) -> None:
    # T1 is in challenge "x", which has a rubric of its own; T2 and T3 use the main one.
    config = rubric(challenges={"x": {"criteria": [{"id": "care", "scale": {"min": 0, "max": 4}}]}})
    teams = TEAMS.assign(**{col.CHALLENGE: ["x", None, "y"]})

    path = write_templates(config, teams, plan(("al", "T1", None), ("al", "T2", None)), tmp_path)[0]

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Scores x", "Scores"]
    line = "This file has 2 sheets, one for each set of criteria: Scores x, Scores; fill in each."
    assert [sheet["A7"].value for sheet in book.worksheets] == [line, line]
    # Filled in, both sheets read back: care for T1 on the first, impact for T2 on the second.
    book["Scores x"].cell(HEADER_ROW + 1, 3).value = 3
    book["Scores"].cell(HEADER_ROW + 1, 3).value = 7
    book.save(path)
    teams_file = tmp_path / "teams.csv"
    teams.to_csv(teams_file, index=False)
    jury = read_inputs([path, teams_file], config)
    marks = jury.marks[[col.TEAM, col.CRITERION, col.SCORE, col.SHEET]]
    assert marks.to_numpy().tolist() == [
        ["T1", "care", 3.0, "Scores x"],
        ["T2", "impact", 7.0, "Scores"],
    ]


def test_templates_of_a_challenge_that_keeps_an_id_with_labels_of_its_own_read_back(
    tmp_path: Path,
) -> None:
    # Challenge x keeps the id "impact" with its own label: its sheet is headed with that
    # label, which the reader must know as impact too (it knew the main rubric's labels only).
    own = {
        "id": "impact",
        "label": {"en": "Cross-border impact", "de": "Grenznutzen"},
        "scale": {"min": 0, "max": 10},
    }
    config = rubric(challenges={"x": {"criteria": [own]}})
    teams = TEAMS.assign(**{col.CHALLENGE: ["x", None, None]})

    path = write_templates(config, teams, plan(("al", "T1", "de")), tmp_path)[0]
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.cell(HEADER_ROW, 3).value == "Grenznutzen"
    sheet.cell(HEADER_ROW + 1, 3).value = 6
    book.save(path)
    teams_file = tmp_path / "teams.csv"
    teams.to_csv(teams_file, index=False)

    jury = read_inputs([path, teams_file], config)

    assert jury.problems == ()
    assert jury.marks[[col.TEAM, col.CRITERION, col.SCORE]].to_numpy().tolist() == [
        ["T1", "impact", 6.0]
    ]


def test_write_templates_sheet_names_are_distinct_and_valid(tmp_path: Path) -> None:
    # Two long challenge ids that meet once cut to Excel's 31 characters; one quoted, one
    # with a control character; "same" keeps the main rubric's ids at another scale, so its
    # score cells need a rule of their own.
    long = "a-very-long-challenge-identifier"

    def own(top: int) -> dict[str, object]:  # a rubric of its own, told apart by its scale
        return {"criteria": [{"id": "care", "scale": {"min": 0, "max": top}}]}

    other = {"criteria": [{"id": "impact", "scale": {"min": 0, "max": 5}}]}
    names = (f"{long}-one", f"{long}-two", "'quoted'", "bell\x07x")
    challenges = {name: own(top) for top, name in enumerate(names, start=2)}
    config = rubric(challenges={**challenges, "same": other})
    teams = pd.DataFrame(
        {
            col.TEAM: ["T1", "T2", "T3", "T4", "T5", "T6"],
            col.TEAM_NAME: ["A", "B\x07", "C", "D", "E", "F"],
            col.CHALLENGE: [f"{long}-one", f"{long}-two", "'quoted'", "bell\x07x", "same", None],
        }
    )
    assignments = plan(*((("al", team, None)) for team in teams[col.TEAM]))

    path = write_templates(config, teams, assignments, tmp_path)[0]

    names = openpyxl.load_workbook(path).sheetnames
    assert names == [
        "Scores a-very-long-challenge-id",
        "Scores a-very-long-challeng (2)",
        "Scores 'quoted",
        "Scores bellx",
        "Scores same",
        "Scores",
    ]
    assert max(map(len, names)) == 31


def test_conflicted_teams_are_left_out_with_a_warning_and_a_juror_left_without_teams_gets_no_sheet(
    tmp_path: Path,
) -> None:
    from scoring.template import write_templates_from_files
    from tests.scoring.fixtures import write_csv

    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "A"], ["T2", "B"]])
    plan_file = write_csv(
        tmp_path / "plan.csv",
        [["juror", "team"], ["al", "T1"], ["al", "T2"], ["bo", "T1"], ["cy", "T2"]],
    )
    config = rubric(conflicts={"al": ["T2"], "bo": ["T1"]})

    paths, warnings = write_templates_from_files(
        config, tmp_path / "out", teams=teams, assignments=plan_file
    )

    assert [path.name for path in paths] == ["al.xlsx", "cy.xlsx"]
    assert [row[0] for row in grid(paths[0])[HEADER_ROW:]] == ["T1"]
    assert [(p.severity, p.code, Path(p.file or "").name, p.row, p.message) for p in warnings] == [
        (
            "warning",
            "conflicted_assignment",
            "plan.csv",
            3,
            "juror 'al' is assigned team T2, with which the rubric declares a conflict of "
            "interest: it is left out of their sheet",
        ),
        (
            "warning",
            "conflicted_assignment",
            "plan.csv",
            4,
            "juror 'bo' is assigned only team T1, with which the rubric declares a conflict of "
            "interest: no sheet is written for them; assign them other teams",
        ),
    ]


def test_a_juror_s_language_in_capitals_or_given_twice(tmp_path: Path) -> None:
    from scoring.template import write_templates_from_files
    from tests.scoring.fixtures import write_csv

    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "A"], ["T2", "B"]])
    plan_file = write_csv(
        tmp_path / "plan.csv",
        [
            ["juror", "team", "language"],
            ["al", "T1", "FR"],
            ["cy", "T1", "fr"],
            ["cy", "T2", "de"],
        ],
    )

    paths, warnings = write_templates_from_files(
        rubric(), tmp_path / "out", teams=teams, assignments=plan_file
    )

    assert [grid(path)[0][0] for path in paths] == ["Juré :", "Juré :"]
    assert [(p.code, Path(p.file or "").name, p.row, p.message) for p in warnings] == [
        (
            "several_languages",
            "plan.csv",
            3,
            "juror 'cy' has several languages in the assignments (fr, de): their sheet is in "
            "fr, the first",
        ),
    ]


def test_a_language_the_sheets_do_not_speak_gets_the_default_with_a_warning(
    tmp_path: Path,
) -> None:
    # The reader refuses such a file; a caller may still pass its own frame.
    from scoring.templateplan import assignment_warnings

    assignments = plan(("al", "T1", "german"))

    paths = write_templates(rubric(), TEAMS, assignments, tmp_path, language="DE")

    assert [grid(path)[0][0] for path in paths] == ["Juror:"]
    assert grid(paths[0])[HEADER_ROW - 1][3] == "Präsentation"
    assert [
        (p.code, p.message) for p in assignment_warnings(rubric(), TEAMS, assignments, "de")
    ] == [
        (
            "unknown_language",
            "juror 'al' has the language 'german', which is none of de, fr, en, lb: their "
            "sheet is in de",
        )
    ]


def test_template_refuses_a_rubric_for_a_challenge_no_team_is_in(tmp_path: Path) -> None:
    # "cross-border" for the teams file's "cross-border-care": its teams would get sheets with
    # the main rubric's criteria, and their own criteria would never be scored.
    from scoring.template import write_templates_from_files
    from tests.scoring.fixtures import write_csv

    teams = write_csv(
        tmp_path / "teams.csv", [["team", "name", "challenge"], ["T1", "A", "cross-border-care"]]
    )
    own = [{"id": "interop", "scale": {"min": 0, "max": 10}}]
    config = rubric(challenges={"cross-border": {"criteria": own}})

    with pytest.raises(InputError) as caught:
        write_templates_from_files(config, tmp_path / "out", teams=teams)

    assert [(p.severity, p.code) for p in caught.value.problems] == [("error", "unknown_challenge")]
    assert not (tmp_path / "out").exists()


def test_template_of_challenge_rubrics_alone_refuses_a_team_without_one(tmp_path: Path) -> None:
    # Without [[criteria]], a team of no challenge (or of one without criteria) would get a
    # sheet without a criterion.
    from scoring.config import parse_config
    from scoring.template import write_templates_from_files
    from tests.scoring.fixtures import write_csv

    scale = {"min": 0, "max": 10}
    config = parse_config(
        {"challenges": {"care": {"criteria": [{"id": "reach", "scale": scale}]}}}, source="r.toml"
    )
    listed = [["team", "name", "challenge"], ["T1", "A", "care"], ["T2", "B", ""]]
    teams = write_csv(tmp_path / "teams.csv", listed)
    good = write_csv(tmp_path / "good.csv", listed[:2])

    with pytest.raises(InputError) as caught:
        write_templates_from_files(config, tmp_path / "out", teams=teams)
    written, warnings = write_templates_from_files(config, tmp_path / "ok", teams=good)

    assert [(p.code, p.row) for p in caught.value.problems] == [("no_rubric", 3)]
    assert not (tmp_path / "out").exists()
    assert (written, warnings) == ([tmp_path / "ok" / "jury-sheet.xlsx"], [])
    sheet = openpyxl.load_workbook(written[0]).active
    assert [cell.value for cell in sheet[HEADER_ROW]][:3] == ["Team", "Name", "reach"]


def test_template_refuses_a_team_listed_twice(tmp_path: Path) -> None:
    from scoring.template import write_templates_from_files
    from tests.scoring.fixtures import write_csv

    listed = [["team", "name"], ["T1", "A"], ["T2", "B"], ["T1", "C"]]
    teams = write_csv(tmp_path / "teams.csv", listed)

    with pytest.raises(InputError) as caught:
        write_templates_from_files(rubric(), tmp_path / "out", teams=teams)

    assert [(p.code, p.row) for p in caught.value.problems] == [("team_listed_twice", 4)]
    assert not (tmp_path / "out").exists()


def test_template_file_names_are_distinct_without_case_and_safe_on_windows(
    tmp_path: Path,
) -> None:
    # Anna.xlsx and anna.xlsx are one file on macOS and Windows; CON.xlsx, NUL.xlsx and
    # COM1.xlsx are devices there; 300 characters are more than a disk's 255 bytes.
    jurors = ["Anna", "anna", "CON", "NUL", "COM1", "j" * 300, "tom"]
    assignments = plan(*((juror, "T1", None) for juror in jurors))

    paths = write_templates(rubric(), TEAMS, assignments, tmp_path)

    def sha(text: str) -> str:  # the suffix the README gives
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    assert [path.name for path in paths] == [
        f"Anna~{sha('Anna')}.xlsx",
        f"COM1~{sha('COM1')}.xlsx",
        f"CON~{sha('CON')}.xlsx",
        f"NUL~{sha('NUL')}.xlsx",
        f"anna~{sha('anna')}.xlsx",
        f"{'j' * 55}~{sha('j' * 300)}.xlsx",
        "tom.xlsx",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    # Each sheet still names its juror in full, as the reader reads it back.
    assert [grid(path)[0][1] for path in paths] == sorted(jurors)


def test_template_sheet_names_are_distinct_without_case(tmp_path: Path) -> None:
    # A spreadsheet app takes "Scores Diabetes" and "Scores diabetes" for one sheet: openpyxl
    # renamed the second "Scores diabetes1", which the instructions did not name.
    config = rubric(
        challenges={
            "Diabetes": {"criteria": [{"id": "care", "scale": {"min": 0, "max": 4}}]},
            "diabetes": {"criteria": [{"id": "care", "scale": {"min": 0, "max": 5}}]},
        }
    )
    teams = TEAMS.assign(**{col.CHALLENGE: ["Diabetes", "diabetes", None]})

    path = write_templates(config, teams, plan(("al", "T1", None), ("al", "T2", None)), tmp_path)[0]

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Scores Diabetes", "Scores diabetes (2)"]
    line = (
        "This file has 2 sheets, one for each set of criteria: Scores Diabetes, "
        "Scores diabetes (2); fill in each."
    )
    assert [sheet["A7"].value for sheet in book.worksheets] == [line, line]
