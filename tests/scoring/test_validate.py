"""Validation: every kind of problem, located at the cell the user must fix."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scoring import columns as col
from scoring.config import Config, load_config
from scoring.errors import InputError, Problem
from scoring.i18n import set_language
from scoring.places import criterion_columns
from scoring.sheets import read_inputs
from scoring.validate import valid_marks, validate
from tests.scoring.fixtures import rubric, write_csv, write_xlsx

SAMPLE = Path(__file__).parents[2] / "data" / "sample-jury"
HEADER = ["juror", "team", "criterion", "score"]


def full(juror: str, *teams: str, impact: str = "5", pitch: str = "3") -> list[list[object]]:
    """Complete marks of ``juror`` for ``teams`` (impact and pitch)."""
    return [
        row
        for team in teams
        for row in ([juror, team, "impact", impact], [juror, team, "pitch", pitch])
    ]


def check(
    tmp_path: Path,
    rows: list[list[object]],
    config: Config | None = None,
    teams: list[str] | None = None,
    plan: list[list[str]] | None = None,
) -> list[Problem]:
    paths = [write_csv(tmp_path / "marks.csv", [HEADER, *rows])]
    if teams is not None:
        paths.append(
            write_csv(tmp_path / "teams.csv", [["team", "name"], *[[t, t] for t in teams]])
        )
    if plan is not None:
        paths.append(write_csv(tmp_path / "plan.csv", [["juror", "team"], *plan]))
    config = config or rubric()
    return validate(read_inputs(paths, config), config)


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An xlsx file of ``sheets`` (title -> rows), in that order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def located(problems: list[Problem]) -> list[tuple[object, ...]]:
    return [
        (p.severity, p.code, Path(p.file).name if p.file else None, p.sheet, p.row, p.column)
        for p in problems
    ]


def test_validate_clean_input_has_no_problem(tmp_path: Path) -> None:
    assert check(tmp_path, full("a", "T1", "T2", "T3"), teams=["T1", "T2", "T3"]) == []


def test_validate_unknown_team_when_teams_file_given(tmp_path: Path) -> None:
    problems = check(tmp_path, full("a", "T1", "T2", "TX"), teams=["T1", "T2"])

    assert located(problems) == [
        ("error", "unknown_team", "marks.csv", None, 6, None),
        ("error", "unknown_team", "marks.csv", None, 7, None),
    ]
    assert problems[0].message == (
        "team 'TX' is not in the teams file; correct the team id or add the team to the teams file"
    )


def test_validate_unknown_team_in_assignments(tmp_path: Path) -> None:
    problems = check(
        tmp_path,
        full("a", "T1", "T2", "T3"),
        teams=["T1", "T2", "T3"],
        plan=[["a", "T1"], ["a", "T2"], ["a", "T3"], ["a", "T4"]],
    )

    assert ("error", "unknown_team", "plan.csv", None, 5, None) in located(problems)


def test_validate_unknown_juror_when_assignments_given(tmp_path: Path) -> None:
    problems = check(
        tmp_path,
        full("a", "T1", "T2", "T3") + full("zed", "T1"),
        plan=[["a", "T1"], ["a", "T2"], ["a", "T3"]],
    )

    assert located(problems) == [
        ("error", "unknown_juror", "marks.csv", None, 8, None),
        ("warning", "few_teams", "marks.csv", None, 8, None),
    ]
    assert problems[0].message == (
        "juror 'zed' is not in the assignments file; correct the juror "
        "id on this sheet or add the juror's teams to the assignments "
        "file"
    )


def test_validate_a_juror_id_to_correct_is_located_at_the_juror_cell(tmp_path: Path) -> None:
    # The id is written in B1 (and, on the second sheet, in the label's own cell A2); the
    # problems pointed at the first score row, where nothing is to be changed.
    plan = write_csv(
        tmp_path / "plan.csv", [["juror", "team"], *[["anna", t] for t in ["T1", "T2", "T3"]]]
    )
    rows = [["Team", "Impact", "Pitch"], ["T1", 5, 3], ["T2", 6, 4], ["T3", 7, 5]]
    sheets = [
        write_xlsx(tmp_path / "a.xlsx", [["Juror:", "Anna"], [], *rows]),
        write_xlsx(tmp_path / "b.xlsx", [["Jury sheet"], ["Juror: bert"], *rows]),
    ]

    problems = validate(read_inputs([*sheets, plan], rubric()), rubric())

    assert [(p.code, Path(p.file or "").name, p.row, p.column) for p in problems] == [
        ("unknown_juror", "a.xlsx", 1, "B"),
        ("unknown_juror", "b.xlsx", 2, "A"),
    ]
    assert problems[0].message == (
        "juror 'Anna' is not in the assignments file, which names 'anna'; write the juror id on "
        "this sheet as the assignments file does"
    )


def test_validate_a_juror_id_spelt_two_ways_is_located_at_the_rarer_one_s_cell(
    tmp_path: Path,
) -> None:
    rows = [["Team", "Impact", "Pitch"], ["T1", 5, 3], ["T2", 6, 4], ["T3", 7, 5]]
    sheets = [
        write_xlsx(tmp_path / "a.xlsx", [["Juror:", "anna"], [], *rows]),
        write_xlsx(tmp_path / "b.xlsx", [[], ["", "Juror:", "ANNA"], *rows[:3]]),
    ]

    problems = validate(read_inputs(sheets, rubric()), rubric())

    assert [(p.code, Path(p.file or "").name, p.row, p.column) for p in problems] == [
        ("look_alike_ids", "b.xlsx", 2, "C"),
        ("few_teams", "b.xlsx", 4, None),
    ]


def test_validate_unknown_criterion_in_long_sheet(tmp_path: Path) -> None:
    problems = check(tmp_path, [*full("a", "T1", "T2", "T3"), ["a", "T1", "style", "4"]])

    # The row, not the mark's column: in a long table that is the score's (D), not the
    # criterion's.
    assert located(problems) == [("error", "unknown_criterion", "marks.csv", None, 8, None)]
    assert (
        problems[0].message == "'style' is not a criterion of the rubric; use one of: impact, pitch"
    )


def test_validate_out_of_scale_and_off_step(tmp_path: Path) -> None:
    rows = [*full("a", "T1", "T2"), ["a", "T3", "impact", "10,5"], ["a", "T3", "pitch", "2.5"]]

    problems = check(tmp_path, rows)

    assert located(problems) == [
        ("error", "out_of_scale", "marks.csv", None, 6, "D"),
        ("error", "off_step", "marks.csv", None, 7, "D"),
    ]
    assert [p.message for p in problems] == [
        "10.5 is outside the scale of 'Impact' (impact), from 0 to 10; correct the score",
        "2.5 is not a step of 1 on the scale of 'Pitch' (pitch), which starts at 1; round it to "
        "a step",
    ]


def test_validate_scale_errors_write_numbers_as_the_language_does(tmp_path: Path) -> None:
    # German sheets and messages write 7,5: the errors quoted the juror's 10,5 as "10.5".
    rows = [*full("a", "T1", "T2"), ["a", "T3", "impact", "10,25"], ["a", "T3", "pitch", "2,5"]]
    set_language("de")
    try:
        problems = check(tmp_path, rows)
    finally:
        set_language("en")

    assert [p.message for p in problems] == [
        "10,25 liegt außerhalb der Skala von 'Wirkung' (impact), von 0 bis 10; korrigieren Sie "
        "die Punktzahl",
        "2,5 ist kein Schritt von 1 auf der Skala von 'Präsentation' (pitch), die bei 1 beginnt; "
        "runden Sie auf einen Schritt",
    ]


def test_validate_includes_not_a_number_from_reading(tmp_path: Path) -> None:
    problems = check(tmp_path, full("a", "T1", "T2") + full("a", "T3", pitch="drei"))

    assert located(problems) == [("error", "not_a_number", "marks.csv", None, 7, "D")]


def test_validate_duplicate_score_points_at_both(tmp_path: Path) -> None:
    problems = check(tmp_path, [*full("a", "T1", "T2", "T3"), ["a", "T2", "pitch", "4"]])

    assert located(problems) == [("error", "duplicate_score", "marks.csv", None, 8, "D")]
    assert problems[0].message == (
        f"juror 'a' scored team 'T2' on 'Pitch' (pitch) twice, 4 here and 3 at "
        f"{tmp_path / 'marks.csv'}, row 5, column D; delete the wrong one"
    )


def test_validate_missing_score_for_assigned_team(tmp_path: Path) -> None:
    problems = check(
        tmp_path,
        full("a", "T1", "T2", "T3"),
        plan=[["a", "T1"], ["a", "T2"], ["a", "T3"], ["a", "T4"]],
    )

    assert located(problems) == [("error", "missing_score", "plan.csv", None, 5, None)]
    assert problems[0].message == (
        "juror 'a' was assigned team 'T4' but gave no score for it; "
        "score the team or remove the assignment"
    )


def test_validate_a_juror_of_whom_nothing_was_read_is_one_error(tmp_path: Path) -> None:
    # One error per assigned team (five for a juror of five teams) said five times what one
    # sentence says; after a file that could not be read, it may be that juror's file.
    plan = [["a", "T1"], ["a", "T2"], ["b", "T1"], ["b", "T2"], ["b", "T3"]]

    problems = check(tmp_path, full("a", "T1", "T2"), plan=plan)
    (tmp_path / "b.csv").write_bytes(
        "juror,team,criterion,score\nb,T1,impact,Überall\n".encode("cp1252")
    )
    paths = [tmp_path / name for name in ("marks.csv", "plan.csv", "b.csv")]
    unread = validate(read_inputs(paths, rubric()), rubric())

    assert located(problems)[-1:] == [("error", "missing_score", "plan.csv", None, 4, None)]
    assert problems[-1].message == (
        "juror 'b' was assigned 3 teams ('T1', 'T2', 'T3'), but no score of theirs was found; add "
        "their sheet, or remove their assignments"
    )
    assert [p.code for p in unread if p.severity == "error"] == ["not_utf8", "missing_score"]
    assert unread[-1].message.endswith(
        "but no score of theirs was read; if their file is one that could not be read (see "
        "above), correct it first"
    )


def test_validate_missing_score_for_one_criterion(tmp_path: Path) -> None:
    problems = check(tmp_path, [*full("a", "T1", "T2"), ["a", "T3", "impact", "4"]])

    assert located(problems) == [("error", "missing_score", "marks.csv", None, 6, None)]
    assert problems[0].message == (
        "juror 'a' gave no score for criterion 'Pitch' (pitch) of team 'T3'; add the score"
    )


def test_validate_conflict_of_interest_in_marks_and_assignments(tmp_path: Path) -> None:
    config = rubric(conflicts={"a": ["T2"]})

    problems = check(
        tmp_path,
        full("a", "T1", "T2", "T3"),
        config=config,
        plan=[["a", "T1"], ["a", "T2"], ["a", "T3"]],
    )

    assert located(problems) == [
        ("error", "conflict_of_interest", "marks.csv", None, 4, None),
        ("error", "conflict_of_interest", "marks.csv", None, 5, None),
        ("warning", "conflicted_assignment", "plan.csv", None, 3, None),
    ]
    assert problems[0].message == (
        "juror 'a' declared a conflict of interest with team 'T2' but "
        "scored it; delete these scores"
    )


def test_validate_scores_of_an_unassigned_conflicted_team_are_the_conflict_error_only(
    tmp_path: Path,
) -> None:
    # They were also "scored team 'T2' without being assigned to it, and these scores count
    # in the ranking", which the error contradicts: rank refuses them.
    config = rubric(conflicts={"a": ["T2"]})

    problems = check(
        tmp_path, full("a", "T1", "T2", "T3"), config=config, plan=[["a", "T1"], ["a", "T3"]]
    )

    assert located(problems) == [
        ("error", "conflict_of_interest", "marks.csv", None, 4, None),
        ("error", "conflict_of_interest", "marks.csv", None, 5, None),
    ]


def test_validate_a_mistyped_team_id_is_one_error_naming_the_listed_id(tmp_path: Path) -> None:
    # A team id typed 't2 ' on a challenge team's row: the row used to be checked against the
    # main rubric too (its challenge unknown), with an error per criterion that blamed the
    # headers, a missing main criterion, an unassigned warning and a look-alike warning.
    config = rubric(
        min_jurors=1,
        challenges={"x": {"criteria": [{"id": "idea", "scale": {"min": 1, "max": 25}}]}},
    )
    marks = write_csv(
        tmp_path / "marks.csv",
        [HEADER, ["a", "T1", "idea", "5"], ["a", "t2 ", "idea", "6"], ["a", "T3", "idea", "7"]],
    )
    teams = write_csv(
        tmp_path / "teams.csv",
        [["team", "name", "challenge"], ["T1", "A", "x"], ["T2", "B", "x"], ["T3", "C", "x"]],
    )
    # T2 is assigned to a: its scores under 't2 ' are not also "missing" (a review found it).
    plan = write_csv(
        tmp_path / "plan.csv", [["juror", "team"], ["a", "T1"], ["a", "T2"], ["a", "T3"]]
    )

    problems = validate(read_inputs([marks, teams, plan], config), config)

    assert located(problems) == [
        ("error", "unknown_team", "marks.csv", None, 3, None),
        ("error", "too_few_jurors", "teams.csv", None, 3, None),  # T2 itself has no score
    ]
    assert problems[0].message == (
        "team 't2' is not in the teams file, which lists 'T2'; write the team id as the teams "
        "file does"
    )


def test_validate_a_juror_id_spelt_otherwise_on_the_sheet_is_one_error(tmp_path: Path) -> None:
    # 'A' on the sheet, 'a' in the assignments: not also "assigned but gave no score" for
    # each team, nor "nothing of theirs was read".
    problems = check(tmp_path, full("A", "T1", "T2", "T3"), plan=[["a", "T1"], ["a", "T2"]])

    assert [(p.severity, p.code) for p in problems] == [("error", "unknown_juror")]


def test_validate_without_main_rubric_takes_the_challenge_the_sheets_give(
    tmp_path: Path,
) -> None:
    # The teams file lists the teams without their challenge; the long table gives it.
    from scoring.config import parse_config

    config = parse_config(
        {
            "min_jurors": 1,
            "challenges": {"x": {"criteria": [{"id": "idea", "scale": {"min": 0, "max": 10}}]}},
        },
        source="rubric.toml",
    )
    marks = [
        ["juror", "team", "criterion", "score", "challenge"],
        ["a", "T1", "idea", "5", "x"],
        ["a", "t2", "idea", "6", "x"],
        ["a", "T3", "idea", "7", "x"],
        ["a", "Q9", "idea", "4", ""],
    ]
    teams = [["team", "name"], ["T1", "A"], ["T2", "B"], ["T3", "C"]]
    paths = [write_csv(tmp_path / "marks.csv", marks), write_csv(tmp_path / "teams.csv", teams)]

    problems = validate(read_inputs(paths, config), config)

    # 't2' and 'Q9' are not listed: their errors say so, not that they (or T2) have no rubric.
    assert [(p.code, Path(p.file or "").name, p.row) for p in problems] == [
        ("unknown_team", "marks.csv", 3),
        ("unknown_team", "marks.csv", 5),
        ("too_few_jurors", "teams.csv", 3),  # T2 itself has no score
    ]


def test_validate_a_misspelt_team_id_beside_the_listed_one_is_not_also_a_look_alike(
    tmp_path: Path,
) -> None:
    # With a teams file, the unknown-team error names the listed id; the look-alike warning
    # ("'T1', 't1' count as different teams") said the same again.
    problems = check(tmp_path, [*full("a", "T1"), *full("b", "t1")], teams=["T1"])

    codes = [(p.severity, p.code) for p in problems if p.code != "few_teams"]  # 1 team each
    assert codes == [("error", "unknown_team")] * 2


def test_validate_scores_of_an_unassigned_team_count_and_the_warning_says_so(
    tmp_path: Path,
) -> None:
    problems = check(
        tmp_path,
        full("a", "T1", "T2", "T3"),
        plan=[["a", "T1"], ["a", "T2"]],
    )

    assert located(problems) == [("warning", "not_assigned", "marks.csv", None, 6, None)]
    assert problems[0].message == (
        "juror 'a' scored team 'T3' without being assigned to it, and these scores count in the "
        "ranking; if they should not, delete them, else add the assignment or correct the team id"
    )
    jury = read_inputs([tmp_path / "marks.csv", tmp_path / "plan.csv"], rubric())
    counted = valid_marks(jury, rubric())
    assert sorted(counted["team"]) == ["T1", "T1", "T2", "T2", "T3", "T3"]


def test_validate_without_main_rubric_a_team_of_no_rubric_is_one_error(tmp_path: Path) -> None:
    # Its marks are not checked against an empty rubric ("not a criterion; use one of: ").
    from scoring.config import parse_config

    config = parse_config(
        {
            "min_jurors": 1,
            "challenges": {"x": {"criteria": [{"id": "idea", "scale": {"min": 0, "max": 10}}]}},
        },
        source="rubric.toml",
    )
    marks = [HEADER, ["a", "T1", "idea", "5"], ["a", "T2", "idea", "6"], ["a", "T3", "idea", "7"]]
    teams = [["team", "name", "challenge"], ["T1", "A", "x"], ["T2", "B", "y"], ["T3", "C", ""]]
    paths = [write_csv(tmp_path / "marks.csv", marks), write_csv(tmp_path / "teams.csv", teams)]

    problems = validate(read_inputs(paths, config), config)

    assert located(problems) == [
        ("error", "no_rubric", "teams.csv", None, 3, None),
        ("error", "no_rubric", "teams.csv", None, 4, None),
    ]
    assert [p.message for p in problems] == [
        "team 'T2' is in challenge 'y', for which the rubric gives no criteria (it gives "
        "criteria for x); correct the challenge, or add [[criteria]] for the other teams",
        "team 'T3' has no challenge, and the rubric gives criteria only for challenges (x); "
        "give the team its challenge in the teams file, or add [[criteria]] for teams without "
        "one",
    ]


def test_validate_a_conflicted_assignment_left_unscored_is_a_warning(tmp_path: Path) -> None:
    # `template` leaves the team off the juror's sheet with a warning; validate refused the
    # same assignments file with an error, so the run stopped on what template had accepted.
    config = rubric(conflicts={"a": ["T2"]})

    problems = check(
        tmp_path,
        [*full("a", "T1", "T3", "T4"), *full("b", "T1", "T2", "T3", "T4")],
        config=config,
        plan=[[juror, team] for juror in "ab" for team in ("T1", "T2", "T3", "T4")],
    )

    assert located(problems) == [("warning", "conflicted_assignment", "plan.csv", None, 3, None)]
    assert problems[0].message == (
        "juror 'a' is assigned team 'T2', with which they declared a conflict of interest, so no "
        "score is expected from them for it (a score would be an error); assign the team to "
        "another juror if it needs one more"
    )


def test_validate_team_with_fewer_jurors_without_teams_file_points_at_its_first_mark(
    tmp_path: Path,
) -> None:
    rows = full("a", "T1", "T2", "T3") + full("b", "T1", "T2", "T3") + full("c", "T1", "T2")

    problems = check(tmp_path, rows, config=rubric(min_jurors=3))

    # T3 first appears on row 6 of marks.csv (juror a's third team).
    assert located(problems) == [
        ("error", "too_few_jurors", "marks.csv", None, 6, None),
        ("warning", "few_teams", "marks.csv", None, 14, None),
    ]


def test_validate_team_with_fewer_jurors_than_minimum(tmp_path: Path) -> None:
    rows = full("a", "T1", "T2", "T3") + full("b", "T1", "T2", "T3") + full("c", "T1", "T2")

    problems = check(tmp_path, rows, config=rubric(min_jurors=3), teams=["T1", "T2", "T3", "T4"])

    assert located(problems) == [
        ("warning", "few_teams", "marks.csv", None, 14, None),
        ("error", "too_few_jurors", "teams.csv", None, 4, None),
        ("error", "too_few_jurors", "teams.csv", None, 5, None),
    ]
    assert [p.message for p in problems[1:]] == [
        "team 'T3' was scored by 2 jurors, fewer than min_jurors = 3; have more jurors score "
        "it, or lower min_jurors in the rubric",
        # min_jurors cannot be lowered below 1: scored by nobody, the team is to be removed.
        "team 'T4' was scored by no juror; have jurors score it, or remove it from the teams "
        "file if it withdrew",
    ]


def test_validate_warns_about_juror_with_few_teams(tmp_path: Path) -> None:
    problems = check(tmp_path, full("a", "T1", "T2", "T3") + full("b", "T1"))

    assert located(problems) == [("warning", "few_teams", "marks.csv", None, 8, None)]


def test_validate_few_teams_threshold_is_min_marks_for_zscore(tmp_path: Path) -> None:
    config = rubric(method={"name": "zscore", "min_marks": 4})

    problems = check(tmp_path, full("a", "T1", "T2", "T3"), config=config)

    assert [(p.code, p.message) for p in problems] == [
        (
            "few_teams",
            "juror 'a' scored only 3 teams (fewer than 4); their scores carry little "
            "information, check that the whole sheet was sent",
        )
    ]


def test_validate_warns_about_unassigned_team(tmp_path: Path) -> None:
    problems = check(tmp_path, full("a", "T1", "T2", "T3"), plan=[["a", "T1"], ["a", "T2"]])

    assert located(problems) == [("warning", "not_assigned", "marks.csv", None, 6, None)]


def test_validate_challenge_on_sheet_contradicting_teams_file(tmp_path: Path) -> None:
    sheet = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["Juror:", "a"],
            ["Team", "Challenge", "Impact", "Pitch"],
            ["T1", "diabetes", 5, 3],
            ["T2", "elderly", 5, 3],
            ["T3", "diabetes", 5, 3],
        ],
    )
    teams = write_csv(
        tmp_path / "teams.csv",
        [
            ["team", "name", "challenge"],
            ["T1", "A", "diabetes"],
            ["T2", "B", "diabetes"],
            ["T3", "C", "diabetes"],
        ],
    )

    problems = validate(read_inputs([sheet, teams], rubric()), rubric())

    assert located(problems) == [("error", "challenge_mismatch", "a.xlsx", "Scores", 4, None)]


def test_validate_sorts_by_file_then_row(tmp_path: Path) -> None:
    rows = [["a", "T1", "impact", "11"], *full("a", "T2", "T3"), ["a", "T1", "pitch", "9"]]

    problems = check(tmp_path, rows)

    assert [(p.code, p.row) for p in problems] == [("out_of_scale", 2), ("out_of_scale", 7)]


def test_valid_marks_raises_with_every_problem(tmp_path: Path) -> None:
    config = rubric()
    path = write_csv(tmp_path / "m.csv", [HEADER, *full("a", "T1", "T2", impact="12")])

    with pytest.raises(InputError) as caught:
        valid_marks(read_inputs([path], config), config)

    assert [(p.code, p.row) for p in caught.value.problems] == [
        ("few_teams", 2),
        ("out_of_scale", 2),
        ("out_of_scale", 4),
    ]
    assert str(caught.value) == (
        "2 errors in the input; each problem says where it is and what to fix"
    )


def test_valid_marks_of_the_sample_jury() -> None:
    config = load_config(SAMPLE / "rubric.toml")
    jury = read_inputs([SAMPLE], config)

    marks = valid_marks(jury, config)

    assert validate(jury, config) == []
    assert marks.columns.tolist() == [col.JUROR, col.TEAM, col.CRITERION, col.SCORE, col.CHALLENGE]
    assert len(marks) == 9 * 84 // 9 * 5
    assert marks.groupby(col.TEAM)[col.JUROR].nunique().value_counts().to_dict() == {4: 12, 3: 12}
    assert not ((marks[col.JUROR] == "julien.roux") & (marks[col.TEAM] == "T07")).any()


def test_validate_a_juror_s_second_sheet_is_one_problem_not_one_per_score(
    tmp_path: Path,
) -> None:
    # A corrected copy sent beside the first: 6 scores given twice, 1 of them changed. One
    # mark repeated on one sheet is still told at its cell.
    rows = [["Juror:", "a"], ["Team", "Impact", "Pitch"], ["T1", 5, 3], ["T2", 6, 4], ["T3", 7, 5]]
    first = write_xlsx(tmp_path / "a.xlsx", rows)
    corrected = write_xlsx(tmp_path / "a2.xlsx", [*rows[:4], ["T3", 7, 4]])
    once = write_xlsx(
        tmp_path / "b.xlsx",
        [
            ["Juror:", "b"],
            ["Team", "Impact", "Pitch"],
            ["T1", 5, 3],
            ["T2", 6, 4],
            ["T3", 7, 5],
            ["T3", 7, 5],
            ["T2", 6.5, 4],
            ["T1", 5],
        ],
    )

    problems = validate(read_inputs([first, corrected, once], rubric()), rubric())

    # A row given twice on one sheet is one problem with the scores of both (one per
    # criterion before, which did not say which score differed).
    assert located(problems) == [
        ("error", "duplicate_score", "a2.xlsx", "Scores", None, None),
        ("error", "duplicate_score", "b.xlsx", "Scores", 6, None),
        ("error", "duplicate_score", "b.xlsx", "Scores", 7, None),
        ("error", "duplicate_score", "b.xlsx", "Scores", 8, None),
    ]
    assert [p.message for p in problems[1:]] == [
        f"juror 'b' scored team 'T3' twice, here and at {once}, sheet Scores, row 5, with the "
        "same scores; delete one of the two rows",
        f"juror 'b' scored team 'T2' twice, here and at {once}, sheet Scores, row 4, with one "
        "score different ('Impact' (impact): 6 there, 6.5 here); delete the wrong row",
        # Its one score is as in row 3, which has both: deleting row 3 would lose one.
        f"juror 'b' scored team 'T1' twice, here and at {once}, sheet Scores, row 3, with the "
        "same scores where both rows give one, but one row leaves some criteria empty; keep the "
        "complete row and delete the other",
    ]
    assert problems[0].message == (
        f"juror 'a' gave 6 scores both here and at {first}, sheet Scores, 1 of them different; "
        "keep one of the two sheets, or delete the scores given twice"
    )
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(first.read_bytes())
    same = validate(read_inputs([first, copy], rubric()), rubric())
    assert [(p.file, p.message) for p in same] == [
        (
            str(tmp_path / "copy.xlsx"),
            f"juror 'a' gave the same 6 scores both here and at {tmp_path / 'a.xlsx'}, sheet "
            "Scores; keep one of the two sheets",
        )
    ]


def test_validate_a_file_that_could_not_be_read_comes_first(tmp_path: Path) -> None:
    # Its missing marks make "assigned but not scored" errors at the plan's rows, which
    # sort before it by name: the cause is listed before its consequences.
    write_csv(tmp_path / "zoe.csv", [HEADER, ["zoé", "T1", "impact", "5"]], encoding="cp1252")
    write_csv(tmp_path / "ben.csv", [HEADER, *full("ben", "T1", "T2", "T3")])
    plan = [["juror", "team"], ["zoé", "T1"], *(["ben", team] for team in ("T1", "T2", "T3"))]
    write_csv(tmp_path / "a-plan.csv", plan)

    problems = validate(read_inputs([tmp_path], rubric()), rubric())

    assert [(p.code, Path(p.file or "").name, p.row) for p in problems] == [
        ("not_utf8", "zoe.csv", 2),
        ("missing_score", "a-plan.csv", 2),
    ]


def test_validate_missing_score_points_at_the_blank_row_of_the_jurors_sheet(
    tmp_path: Path,
) -> None:
    sheet = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["Juror:", "a"],
            ["Team", "Impact", "Pitch"],
            ["T1", 5, 3],
            ["T2", None, None],
            ["T3", 5, 3],
            ["T4", 5, 3],
        ],
    )
    plan = write_csv(
        tmp_path / "plan.csv",
        [["juror", "team"], ["a", "T1"], ["a", "T2"], ["a", "T3"], ["a", "T4"]],
    )

    problems = validate(read_inputs([sheet, plan], rubric()), rubric())

    assert located(problems) == [("error", "missing_score", "a.xlsx", "Scores", 4, None)]
    assert problems[0].message == (
        "juror 'a' was assigned team 'T2' but gave no score for it; "
        "score the team or remove the assignment"
    )


def test_validate_missing_score_points_at_the_empty_rows_of_a_long_table(
    tmp_path: Path,
) -> None:
    # Juror a named team T2 in the long table but left both of its scores empty: the
    # assignment is not scored, and the first of those rows is where to add the scores.
    table = write_csv(
        tmp_path / "long.csv",
        [
            ["juror", "team", "criterion", "score"],
            ["a", "T1", "impact", "5"],
            ["a", "T1", "pitch", "3"],
            ["a", "T2", "impact", ""],
            ["a", "T2", "pitch", ""],
        ],
    )
    plan = write_csv(tmp_path / "plan.csv", [["juror", "team"], ["a", "T1"], ["a", "T2"]])

    problems = validate(read_inputs([table, plan], rubric()), rubric())

    assert located(problems) == [
        ("warning", "few_teams", "long.csv", None, 2, None),  # one team scored
        ("error", "missing_score", "long.csv", None, 4, None),
    ]
    assert problems[1].message == (
        "juror 'a' was assigned team 'T2' but gave no score for it; "
        "score the team or remove the assignment"
    )


def test_validate_missing_score_in_a_wide_sheet_names_the_criterion_column(
    tmp_path: Path,
) -> None:
    sheet = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["Juror:", "a"],
            ["Team", "Impact", "Pitch"],
            ["T1", 5, 3],
            ["T2", None, 3],
            ["T3", 5, None],
        ],
    )

    problems = validate(read_inputs([sheet], rubric()), rubric())

    assert located([p for p in problems if p.code == "missing_score"]) == [
        ("error", "missing_score", "a.xlsx", "Scores", 4, "B"),
        ("error", "missing_score", "a.xlsx", "Scores", 5, "C"),
    ]


def test_validate_missing_score_names_the_column_of_a_criterion_nobody_scored(
    tmp_path: Path,
) -> None:
    # The Pitch column is blank in every row: no mark tells where it is, its header does.
    sheet = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["Juror:", "a"],
            ["Team", "Impact", "Pitch"],
            ["T1", 5, None],
            ["T2", 6, None],
            ["T3", 7, None],
        ],
    )

    problems = validate(read_inputs([sheet], rubric()), rubric())

    assert located(problems) == [
        ("error", "missing_score", "a.xlsx", "Scores", 3, "C"),
        ("error", "missing_score", "a.xlsx", "Scores", 4, "C"),
        ("error", "missing_score", "a.xlsx", "Scores", 5, "C"),
    ]
    assert [p.message for p in problems] == [
        f"juror 'a' gave no score for criterion 'Pitch' (pitch) of team {team!r}; add the score"
        for team in ("T1", "T2", "T3")
    ]


def test_validate_missing_score_in_a_long_sheet_names_no_column(tmp_path: Path) -> None:
    # The long table has no cell for the missing mark: its score column holds every criterion.
    problems = check(tmp_path, [*full("a", "T1", "T2"), ["a", "T3", "impact", "4"]])

    assert [p.column for p in problems] == [None]


def test_criterion_columns_leaves_out_sheets_where_criteria_share_a_column() -> None:
    marks = pd.DataFrame(
        {
            col.FILE: ["w.xlsx", "w.xlsx", "l.csv", "l.csv"],
            col.SHEET: ["S", "S", None, None],
            col.ROW: [3, 3, 2, 3],
            col.CRITERION: ["impact", "pitch", "impact", "pitch"],
            col.COLUMN: ["B", "C", "D", "D"],
        }
    )

    assert criterion_columns(marks) == {
        ("w.xlsx", "S", "impact"): "B",
        ("w.xlsx", "S", "pitch"): "C",
    }


def test_problem_location_is_in_the_current_language() -> None:
    problem = Problem("error", "x", "", file="a.xlsx", sheet="Jury", row=4, column="D")

    texts = {}
    for language in ("en", "de", "fr", "lb"):
        set_language(language)
        texts[language] = problem.location()
    set_language("en")

    assert texts == {
        "en": "a.xlsx, sheet Jury, row 4, column D",
        "de": "a.xlsx, Blatt Jury, Zeile 4, Spalte D",
        "fr": "a.xlsx, feuille Jury, ligne 4, colonne D",
        "lb": "a.xlsx, Blat Jury, Zeil 4, Kolonn D",
    }


def test_validate_input_without_any_score_is_an_error(tmp_path: Path) -> None:
    # A sheet with the header row only: nothing to rank, so nothing may be written.
    path = write_xlsx(tmp_path / "jury.xlsx", [HEADER])

    problems = validate(read_inputs([path], rubric()), rubric())

    assert problems == [
        Problem(
            "warning",
            "no_rows",
            "has a header row but no team below it; check that the filled-in sheet was sent",
            str(path),
            "Scores",
            1,
        ),
        Problem(
            "error",
            "no_scores",
            "no scores were found in the 1 file read; check that the jury sheets were given "
            "and that the scores are in the score column or the criterion columns",
        ),
    ]


def test_validate_missing_input_is_one_problem_not_also_an_empty_jury(tmp_path: Path) -> None:
    # Nothing could be read: the missing path says why, "no scores were found" would add nothing.
    missing = tmp_path / "nowhere"

    problems = validate(read_inputs([missing], rubric()), rubric())

    assert [(p.code, p.file, p.message) for p in problems] == [
        ("no_such_file", str(missing), "does not exist; check the path")
    ]


def test_a_sheet_sent_back_blank_or_without_teams_is_a_warning(tmp_path: Path) -> None:
    # Without assignments nothing else says that a juror's marks are missing altogether.
    marks = write_csv(tmp_path / "marks.csv", [HEADER, *full("a", "T1", "T2", "T3", "T4", "T5")])
    blank = write_xlsx(
        tmp_path / "ben.xlsx", [["Juror:", "ben"], ["Team", "Impact", "Pitch"], ["T1"], ["T2"]]
    )
    headers_only = write_xlsx(tmp_path / "cleo.xlsx", [["Juror:", "cleo"], ["Team", "Impact"]])

    problems = validate(read_inputs([marks, blank, headers_only], rubric()), rubric())
    planned = [["ben", "T1"], ["ben", "T2"], ["a", "T1"]]
    plan = write_csv(tmp_path / "plan.csv", [["juror", "team"], *planned])
    assigned = validate(read_inputs([marks, blank, plan], rubric()), rubric())

    assert located(problems) == [
        ("warning", "empty_sheet", "ben.xlsx", "Scores", 3, None),
        ("warning", "no_rows", "cleo.xlsx", "Scores", 2, None),
    ]
    assert problems[0].message == (
        "juror 'ben' gave no score at all: every score cell of their sheet is empty; check that "
        "the filled-in sheet was sent"
    )
    # With assignments, each of ben's missing scores is an error of its own instead.
    assert "empty_sheet" not in {p.code for p in assigned}
    assert {(p.code, p.row) for p in assigned if Path(p.file or "").name == "ben.xlsx"} == {
        ("missing_score", 3),
        ("missing_score", 4),
    }


def test_a_score_left_empty_in_a_long_table_is_located_at_its_own_row(tmp_path: Path) -> None:
    rows = [*full("a", "T1"), ["a", "T2", "impact", "4"], ["a", "T2", "pitch", ""]]

    problems = check(tmp_path, rows)

    # Row 5 holds T2's pitch with its score (column D) empty; T2's first mark is on row 4.
    assert [(p.code, p.row, p.column) for p in problems if p.severity == "error"] == [
        ("missing_score", 5, "D")
    ]


RANGES = {
    # Challenge x's own rubric: care 0-10 and reach 0-20 give totals 0-30, against the main
    # rubric's 1-25 (impact x 2 on 0-10, pitch on 1-5); care alone on 1-25 gives the same.
    "unequal": [
        {"id": "care", "scale": {"min": 0, "max": 10}},
        {"id": "reach", "scale": {"min": 0, "max": 20}},
    ],
    "equal": [{"id": "care", "scale": {"min": 1, "max": 25}}],
}


@pytest.mark.parametrize("kind", ["unequal", "equal"])
def test_rubrics_whose_totals_span_different_ranges_are_a_warning(
    tmp_path: Path, kind: str
) -> None:
    config = rubric(challenges={"x": {"criteria": RANGES[kind]}}, min_jurors=1)
    marks = [["juror", "team", "criterion", "score"], ["a", "T1", "impact", "5"]]
    marks += [["a", "T1", "pitch", "3"]]
    marks += [["a", "T2", criterion["id"], "5"] for criterion in RANGES[kind]]
    teams = [["team", "name", "challenge"], ["T1", "A", "main"], ["T2", "B", "x"]]
    paths = [write_csv(tmp_path / "marks.csv", marks), write_csv(tmp_path / "teams.csv", teams)]

    problems = validate(read_inputs(paths, config), config)

    warned = [p.message for p in problems if p.code == "unequal_ranges"]
    assert warned == (
        [
            "the rubrics give totals on different ranges (main rubric: 1–25; challenge x: "
            "0–30), so the overall ranking compares teams on unequal footing; use the ranking "
            "of each challenge, or weight the rubrics to the same range"
        ]
        if kind == "unequal"
        else []
    )
    if kind == "unequal":  # French puts a space before the colon of each range
        set_language("fr")
        try:
            french = [p.message for p in validate(read_inputs(paths, config), config)]
        finally:
            set_language("en")
        assert "(grille principale : 1–25 ; défi x : 0–30)" in " ".join(french)


def test_validate_only_side_files_is_one_error_not_every_team_unscored(tmp_path: Path) -> None:
    # The jury sheets were not given: that is the error, not 3 teams and 3 assignments unscored.
    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "A"], ["T2", "B"]])
    plan = write_csv(tmp_path / "plan.csv", [["juror", "team"], ["a", "T1"], ["a", "T2"]])

    problems = validate(read_inputs([teams, plan], rubric(conflicts={"a": ["T9"]})), rubric())

    assert [(p.severity, p.code) for p in problems] == [("error", "no_scores")]
    assert problems[0].message.startswith("no scores were found in the 2 files read;")


def test_validate_the_side_files_alone_still_checks_them_and_the_rubric(tmp_path: Path) -> None:
    # A chair checking the plan before the event: its errors, beside the one "no scores".
    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "A"], ["T2", "B"]])
    plan = write_csv(
        tmp_path / "plan.csv", [["juror", "team"], ["a", "T1"], ["a", "T2"], ["a", "T9"]]
    )
    config = rubric(conflicts={"a": ["T2"]})

    problems = validate(read_inputs([teams, plan], config), config)

    assert [(p.code, Path(p.file or "").name, p.row) for p in problems] == [
        ("conflicted_assignment", "plan.csv", 3),
        ("unknown_team", "plan.csv", 4),
        ("no_scores", "", None),
    ]


def test_validate_a_team_given_two_challenges_by_the_sheets_is_an_error(tmp_path: Path) -> None:
    # Without a teams file the first row's challenge won: T2 ranked in "mobility" only.
    marks = [["juror", "team", "criterion", "score", "challenge"]]
    marks += [["a", "T1", c, "5", "health"] for c in ("impact", "pitch")]
    marks += [["a", "T2", "impact", "5", "mobility"], ["a", "T2", "pitch", "3", "health"]]
    marks += [["b", "T2", c, "4", "Health"] for c in ("impact", "pitch")]
    path = write_csv(tmp_path / "marks.csv", marks)

    problems = validate(read_inputs([path], rubric()), rubric())

    assert [(p.code, p.row, p.message) for p in problems if p.severity == "error"] == [
        (
            "several_challenges",
            row,
            f"team 'T2' is in challenge {written!r} here but 'mobility' elsewhere (challenges: "
            "mobility, health, Health); give each team one challenge, written the same way "
            "everywhere",
        )
        for row, written in ((5, "health"), (6, "Health"))
    ]


def test_validate_marks_split_over_two_files_that_overlap_say_which_to_delete(
    tmp_path: Path,
) -> None:
    # p1 holds T1 and T2, p2 holds T2 and T3: keeping one of the two files would lose a team.
    first = write_csv(tmp_path / "p1.csv", [HEADER, *full("a", "T1", "T2")])
    second = write_csv(tmp_path / "p2.csv", [HEADER, *full("a", "T2", "T3")])

    problems = validate(read_inputs([first, second], rubric()), rubric())

    assert [(p.code, Path(p.file or "").name, p.message) for p in problems] == [
        (
            "duplicate_score",
            "p2.csv",
            f"juror 'a' gave 2 scores both here and at {first} (0 of them different), and "
            "other scores on each; delete the scores given twice, of team 'T2', from one of "
            "the two",
        )
    ]


def test_validate_a_juror_spelt_otherwise_than_in_the_assignments_is_named(
    tmp_path: Path,
) -> None:
    marks = write_csv(tmp_path / "marks.csv", [HEADER, *full("Anna.Weber", "T1", "T2", "T3")])
    plan = [["juror", "team"], *(["anna.weber", team] for team in ("T1", "T2", "T3"))]
    paths = [marks, write_csv(tmp_path / "plan.csv", plan)]

    problems = validate(read_inputs(paths, rubric()), rubric())

    assert [p.message for p in problems if p.code == "unknown_juror"] == [
        "juror 'Anna.Weber' is not in the assignments file, which names 'anna.weber'; write "
        "the juror id on this sheet as the assignments file does"
    ]


def test_validate_a_file_that_could_not_be_read_is_not_also_an_empty_jury(tmp_path: Path) -> None:
    # The one file given is in Windows-1252: its error says why nothing was read.
    path = write_csv(
        tmp_path / "zoe.csv", [HEADER, ["zoé", "T1", "impact", "5"]], encoding="cp1252"
    )

    problems = validate(read_inputs([path], rubric()), rubric())

    assert [p.code for p in problems] == ["not_utf8"]


def test_validate_a_team_listed_in_two_teams_files_is_an_error(tmp_path: Path) -> None:
    # Found by a review: the first file read won, silently (T1's name "Other", and the
    # challenges of the second file gone).
    marks = write_csv(tmp_path / "marks.csv", [HEADER, *full("a", "T1", "T2", "T3")])
    plain = write_csv(tmp_path / "a_teams.csv", [["team", "name"], ["T1", "Other"], ["T2", "B"]])
    full_list = [["team", "name", "challenge"], ["T1", "A", "x"], ["T2", "B", "x"]]
    teams = write_csv(tmp_path / "teams.csv", [*full_list, ["T3", "C", "x"], ["T3", "C", "x"]])
    config = rubric(min_jurors=1)

    problems = validate(read_inputs([marks, plain, teams], config), config)

    assert [(p.code, Path(p.file or "").name, p.row, p.message) for p in problems] == [
        (
            "team_listed_twice",
            "teams.csv",
            2,
            "teams 'T1', 'T2' are listed twice in the teams files (also in "
            f"{tmp_path / 'a_teams.csv'}); keep one row for each",
        ),
        (
            "team_listed_twice",
            "teams.csv",
            5,
            f"team 'T3' is listed twice in the teams files (also at {tmp_path / 'teams.csv'}, "
            "row 4); keep one row for it",
        ),
    ]


def test_validate_a_juror_s_own_list_of_teams_is_not_the_teams_file(tmp_path: Path) -> None:
    # A juror added an overview sheet (team, name, total) to their workbook: it was read as a
    # teams file ahead of teams.csv, and its teams lost their challenges, silently.
    workbook(
        tmp_path / "anna.xlsx",
        {
            "Scores": [
                ["Juror", "anna"],
                [],
                ["Team", "Impact", "Pitch"],
                ["T1", 7, 3],
                ["T2", 6, 4],
            ],
            "Overview": [["Team", "Teamname", "Total"], ["T1", "Mine", 17], ["T2", "Yours", 16]],
        },
    )
    teams = write_csv(
        tmp_path / "teams.csv", [["team", "name", "challenge"], ["T1", "A", "x"], ["T2", "B", "x"]]
    )
    config = rubric(min_jurors=1)

    jury = read_inputs([tmp_path / "anna.xlsx", teams], config)
    problems = validate(jury, config)

    assert jury.teams is not None and jury.teams["name"].tolist() == ["A", "B"]
    assert sorted(jury.marks["challenge"].unique()) == ["x"]
    assert [(p.code, p.sheet, p.message) for p in problems if p.code != "few_teams"] == [
        (
            "not_teams_file",
            "Overview",
            "was not read as the teams file: it lists teams beside one juror's scores (their "
            "own overview, say); give the teams file as a file of its own",
        )
    ]


def test_validate_a_chair_s_workbook_of_every_juror_s_marks_and_the_teams_is_read_whole(
    tmp_path: Path,
) -> None:
    # A long table of several jurors' marks and a teams sheet in one workbook: the teams sheet
    # is the event's teams file (a juror's own overview sits beside one juror's scores).
    workbook(
        tmp_path / "jury.xlsx",
        {
            "marks": [HEADER, *full("a", "T1", "T2"), *full("b", "T1", "T2")],
            "teams": [["team", "name", "challenge"], ["T1", "A", "x"], ["T2", "B", "x"]],
        },
    )
    config = rubric(min_jurors=1)

    jury = read_inputs([tmp_path / "jury.xlsx"], config)

    assert jury.teams is not None and jury.teams["name"].tolist() == ["A", "B"]
    assert [p.code for p in validate(jury, config) if p.code != "few_teams"] == []


def test_validate_without_teams_file_a_misspelt_assigned_team_stays_unscored(
    tmp_path: Path,
) -> None:
    # Found by a code review: 't1' counted for the assignment of T1, so validate passed and
    # rank ranked a phantom team 't1' beside T1 scored by one juror.
    rows = [["a", "t1", "impact", "5"], ["a", "t1", "pitch", "3"], *full("a", "T2")]
    problems = check(
        tmp_path, [*rows, *full("b", "T1", "T2")], plan=[["a", "T1"], ["a", "T2"], ["b", "T1"]]
    )

    assert [(p.code, p.row) for p in problems if p.severity == "error"] == [("missing_score", 2)]


def test_validate_a_juror_spelt_otherwise_still_owes_their_unscored_teams(tmp_path: Path) -> None:
    # 'A' on the sheet for 'a': the sheet was read, so T2 is "not scored", not "nothing read".
    problems = check(tmp_path, full("A", "T1"), plan=[["a", "T1"], ["a", "T2"]])

    assert [p.message for p in problems if p.code == "missing_score"] == [
        "juror 'a' was assigned team 'T2' but gave no score for it; score the team or remove "
        "the assignment"
    ]


def test_validate_a_criterion_scored_under_a_misspelt_team_id_is_not_missing(
    tmp_path: Path,
) -> None:
    rows = [["a", "T1", "impact", "5"], ["a", "t1", "pitch", "3"]]

    problems = check(tmp_path, rows, teams=["T1"], config=rubric(min_jurors=1))

    assert [(p.code, p.row) for p in problems if p.severity == "error"] == [("unknown_team", 3)]


def test_validate_a_team_listed_three_times_is_named_once(tmp_path: Path) -> None:
    marks = write_csv(tmp_path / "marks.csv", [HEADER, *full("a", "T1")])
    listed = [["team", "name"], ["T1", "A"], ["T1", "A"], ["T1", "A"]]
    teams = write_csv(tmp_path / "teams.csv", listed)
    config = rubric(min_jurors=1)

    problems = validate(read_inputs([marks, teams], config), config)

    assert [p.message for p in problems if p.code == "team_listed_twice"] == [
        f"team 'T1' is listed twice in the teams files (also at {teams}, row 2); keep one row "
        "for it"
    ]


def test_validate_a_juror_s_overview_beside_their_id_spelt_two_ways_is_still_theirs(
    tmp_path: Path,
) -> None:
    # 'anna' and 'Anna' in one file are one juror (a look-alike warning says so): their
    # overview was read as a second teams file, and the advice was to delete teams.csv rows.
    workbook(
        tmp_path / "anna.xlsx",
        {
            "marks": [HEADER, *full("anna", "T1"), *full("Anna", "T2")],
            "overview": [["team", "name"], ["T1", "Mine"], ["T2", "Yours"]],
        },
    )
    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "A"], ["T2", "B"]])
    config = rubric(min_jurors=1)

    problems = validate(read_inputs([tmp_path / "anna.xlsx", teams], config), config)

    assert "team_listed_twice" not in {p.code for p in problems}
    assert "not_teams_file" in {p.code for p in problems}


def test_validate_an_assignment_of_a_misspelt_team_is_one_error(tmp_path: Path) -> None:
    # 't1' in the assignments for the teams file's 'T1': not also "gave no score for it".
    problems = check(
        tmp_path,
        full("a", "T1", "T2"),
        teams=["T1", "T2"],
        plan=[["a", "t1"], ["a", "T2"]],
        config=rubric(min_jurors=1),
    )

    errors = [(p.code, Path(p.file or "").name, p.row) for p in problems if p.severity == "error"]
    assert errors == [("unknown_team", "plan.csv", 2)]
