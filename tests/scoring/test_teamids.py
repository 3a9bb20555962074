"""Team ids that a spreadsheet kept without their leading zeros (a typed 07 kept as 7)."""

from __future__ import annotations

from pathlib import Path

from scoring.errors import Problem
from scoring.sheets import read_inputs
from scoring.validate import validate
from tests.scoring.fixtures import rubric, write_csv, write_xlsx

TEAMS = [["team", "name"], ["07", "Alpha"], ["012", "Beta"], ["T3", "Gamma"]]


def juror_sheet(path: Path, juror: str, *teams: object) -> Path:
    """A wide sheet: the juror's id above the table; team cells as given (numbers stay numbers)."""
    rows: list[list[object]] = [["Juror", juror], [], ["Team", "Impact", "Pitch"]]
    rows += [[team, 6, 3] for team in teams]
    return write_xlsx(path, rows)


def summary(problems: list[Problem] | tuple[Problem, ...]) -> list[tuple[object, ...]]:
    return [(p.severity, p.code, Path(p.file).name if p.file else None, p.row) for p in problems]


def test_numbers_in_team_cells_are_read_as_the_teams_file_writes_them(tmp_path: Path) -> None:
    paths = [
        juror_sheet(tmp_path / "anna.xlsx", "anna", 7, 12, "T3"),
        juror_sheet(tmp_path / "ben.xlsx", "ben", "T3", 12, 7),
        write_csv(tmp_path / "teams.csv", TEAMS),
    ]
    config = rubric(min_jurors=2)

    jury = read_inputs(paths, config)
    problems = validate(jury, config)

    assert sorted(set(jury.marks["team"])) == ["012", "07", "T3"]
    assert summary(problems) == [("warning", "team_zeros", "anna.xlsx", 4)]
    assert problems[0].message == (
        "some team ids differ from the teams file's only in leading zeros (a spreadsheet keeps "
        "a typed 07 as the number 7); they were read as the teams file writes them: 7 → 07, "
        "12 → 012"
    )


def test_a_conflict_with_a_team_written_as_a_number_is_still_enforced(tmp_path: Path) -> None:
    # Read as "7", anna's marks for team 07 would have escaped her declared conflict.
    paths = [
        juror_sheet(tmp_path / "anna.xlsx", "anna", 7, 12, "T3"),
        juror_sheet(tmp_path / "ben.xlsx", "ben", 7, 12, "T3"),
        write_csv(tmp_path / "teams.csv", TEAMS),
    ]
    config = rubric(conflicts={"anna": ["07"]})

    problems = validate(read_inputs(paths, config), config)

    assert summary(problems) == [
        ("error", "conflict_of_interest", "anna.xlsx", 4),
        ("warning", "team_zeros", "anna.xlsx", 4),
    ]


def test_a_teams_file_that_lost_its_zeros_keeps_its_own_ids(tmp_path: Path) -> None:
    # The other way round: the teams file went through a spreadsheet, the sheets are text.
    paths = [
        write_csv(
            tmp_path / "marks.csv",
            [["juror", "team", "criterion", "score"], ["anna", "007", "impact", "5"]],
        ),
        write_xlsx(tmp_path / "teams.xlsx", [["team", "name"], [7, "Alpha"]]),
    ]
    config = rubric()

    jury = read_inputs(paths, config)

    assert list(jury.marks["team"]) == ["7"]
    assert summary(jury.problems) == [("warning", "team_zeros", "marks.csv", 2)]
    assert jury.problems[0].message.endswith("as the teams file writes them: 007 → 7")


def test_without_a_teams_file_the_assignments_give_the_ids(tmp_path: Path) -> None:
    paths = [
        juror_sheet(tmp_path / "anna.xlsx", "anna", 7),
        write_csv(tmp_path / "plan.csv", [["juror", "team"], ["anna", "07"]]),
    ]
    config = rubric(min_jurors=1)

    jury = read_inputs(paths, config)
    problems = validate(jury, config)

    assert list(jury.marks["team"].unique()) == ["07"]
    assert [p.code for p in problems] == ["few_teams", "team_zeros"]
    assert problems[1].message == (
        "some team ids differ from the assignments file's only in leading zeros (a spreadsheet "
        "keeps a typed 07 as the number 7); they were read as the assignments file writes "
        "them: 7 → 07"
    )


def test_a_number_that_two_listed_ids_equal_stays_unknown(tmp_path: Path) -> None:
    paths = [
        juror_sheet(tmp_path / "anna.xlsx", "anna", 7),
        write_csv(tmp_path / "teams.csv", [["team", "name"], ["07", "A"], ["007", "B"]]),
    ]
    config = rubric(min_jurors=1)

    jury = read_inputs(paths, config)

    assert list(jury.marks["team"].unique()) == ["7"]
    assert [(p.code, p.row) for p in validate(jury, config) if p.severity == "error"] == [
        ("unknown_team", 4),
        ("too_few_jurors", 2),
        ("too_few_jurors", 3),
    ]


def test_without_side_files_ids_that_differ_in_leading_zeros_are_look_alikes(
    tmp_path: Path,
) -> None:
    paths = [
        juror_sheet(tmp_path / "anna.xlsx", "anna", "07", "08", "09"),
        juror_sheet(tmp_path / "ben.xlsx", "ben", 7, "08", "09"),
    ]
    config = rubric(min_jurors=1)

    problems = validate(read_inputs(paths, config), config)

    assert summary(problems) == [("warning", "look_alike_ids", "ben.xlsx", 4)]
    assert problems[0].message.startswith(
        "team ids '07', '7' differ only in upper and lower case, spaces or leading zeros"
    )


def test_with_a_teams_file_the_assignments_ids_are_restored_too(tmp_path: Path) -> None:
    # The assignments went through a spreadsheet (7), the teams file and the sheet did not.
    paths = [
        juror_sheet(tmp_path / "anna.xlsx", "anna", "07", "012"),
        write_csv(tmp_path / "teams.csv", [["team", "name"], ["07", "A"], ["012", "B"]]),
        write_csv(tmp_path / "plan.csv", [["juror", "team"], ["anna", "7"], ["anna", "12"]]),
    ]
    config = rubric(min_jurors=1)

    jury = read_inputs(paths, config)
    problems = validate(jury, config)

    assert jury.assignments is not None
    assert list(jury.assignments["team"]) == ["07", "012"]
    assert summary(problems) == [
        ("warning", "few_teams", "anna.xlsx", 4),
        ("warning", "team_zeros", "plan.csv", 2),
    ]
