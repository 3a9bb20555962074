"""Ids that do not line up: the rubric's conflicts and challenges, and ids spelt two ways."""

from __future__ import annotations

from pathlib import Path

from scoring.errors import Problem
from scoring.sheets import read_inputs
from scoring.validate import validate
from tests.scoring.fixtures import rubric, write_csv

HEADER = ["juror", "team", "criterion", "score"]


def marks(juror: str, *teams: str) -> list[list[object]]:
    return [[juror, team, criterion, "3"] for team in teams for criterion in ("impact", "pitch")]


def check(
    tmp_path: Path, rows: list[list[object]], teams: list[list[str]] | None = None, **rules: object
) -> list[Problem]:
    paths = [write_csv(tmp_path / "marks.csv", [HEADER, *rows])]
    if teams is not None:
        paths.append(write_csv(tmp_path / "teams.csv", teams))
    config = rubric(**rules)
    return validate(read_inputs(paths, config), config)


def summary(problems: list[Problem]) -> list[tuple[object, ...]]:
    return [(p.severity, p.code, p.row, p.message) for p in problems]


def test_a_conflict_written_in_another_case_is_an_error_that_names_the_sheets_id(
    tmp_path: Path,
) -> None:
    # Matched as written, "Anna" would never meet the sheets' "anna": her marks for T1 would
    # count despite the declared conflict.
    rows = marks("anna", "T1", "T2", "T3") + marks("ben", "T1", "T2", "T3")

    problems = check(tmp_path, rows, conflicts={"Anna": ["T1"], "ben": ["t2"]})

    assert summary(problems) == [
        (
            "error",
            "unknown_conflict",
            None,
            "the rubric declares a conflict of interest of juror 'ben' with team 't2', but the "
            "files name 'T2'; write the team's id in [conflicts] as they do",
        ),
        (
            "error",
            "unknown_conflict",
            None,
            "the rubric declares conflicts of interest for juror 'Anna', but the sheets name "
            "'anna'; write the juror's id in [conflicts] as the sheets do",
        ),
    ]


def test_a_conflict_naming_nobody_is_a_warning_until_the_files_list_everybody(
    tmp_path: Path,
) -> None:
    # Without an assignments or a teams file, "ana" may be a juror whose sheet has not come
    # yet: a warning. Once the files list every juror and team, it can only be a slip.
    rows = marks("anna", "T1", "T2", "T3")
    teams = [["team", "name"], ["T1", "a"], ["T2", "b"], ["T3", "c"]]
    plan = tmp_path / "plan.csv"
    write_csv(plan, [["juror", "team"], ["anna", "T1"], ["anna", "T2"], ["anna", "T3"]])
    config = rubric(conflicts={"ana": ["T1"], "anna": ["T9"]})
    messages = [
        "the rubric declares a conflict of interest of juror 'anna' with team 'T9', which no "
        "sheet, teams file or assignment names, so it is not checked; correct the id in "
        "[conflicts], or remove it",
        "the rubric declares conflicts of interest for juror 'ana', whom no sheet or assignment "
        "names, so they are not checked; correct the id in [conflicts], or remove it",
    ]

    alone = check(tmp_path, rows, conflicts={"ana": ["T1"], "anna": ["T9"]})
    write_csv(tmp_path / "teams.csv", teams)
    listed = validate(read_inputs([tmp_path], config), config)

    assert summary(alone) == [("warning", "unknown_conflict", None, m) for m in messages]
    assert summary(listed) == [("error", "unknown_conflict", None, m) for m in messages]


def test_nothing_is_said_of_ids_in_a_file_that_could_not_be_read(tmp_path: Path) -> None:
    # julien's sheet is a web page saved as .ods: its problem says what to do; "remove the
    # conflict" would be wrong advice. A slip of case is still told.
    (tmp_path / "julien.ods").write_text("<html><body>sheet</body></html>", encoding="utf-8")
    write_csv(tmp_path / "marks.csv", [HEADER, *marks("anna", "T1")])
    config = rubric(conflicts={"julien": ["T1"], "Anna": ["T2"]})

    problems = validate(read_inputs([tmp_path], config), config)

    assert [(p.severity, p.code, Path(p.file or "").name) for p in problems] == [
        ("error", "unreadable_file", "julien.ods"),
        ("warning", "few_teams", "marks.csv"),
        ("error", "unknown_conflict", ""),
    ]
    assert "'Anna', but the sheets name 'anna'" in problems[-1].message


def test_a_conflict_with_a_team_known_from_the_teams_file_only_is_fine(tmp_path: Path) -> None:
    rows = marks("anna", "T1", "T2", "T3")
    teams = [["team", "name"], ["T1", "a"], ["T2", "b"], ["T3", "c"], ["T4", "d"]]

    problems = check(tmp_path, rows, teams, conflicts={"anna": ["T4"]})

    # T4 lacks jurors, but the conflict is no problem: the teams file names T4.
    assert [(p.code, p.row) for p in problems] == [("too_few_jurors", 5)]


def challenge_rules() -> dict[str, object]:
    criteria = [{"id": "interop", "weight": 1, "scale": {"min": 0, "max": 10}}]
    return {"challenges": {"cross-border": {"criteria": criteria}}}


def test_criteria_for_a_challenge_no_team_is_in_are_an_error(tmp_path: Path) -> None:
    # The teams file says "cross-border-care": the rubric's "cross-border" criteria would
    # silently never apply, and those teams be ranked on the general criteria.
    rows = marks("anna", "T1", "T2", "T3")
    teams = [
        ["team", "name", "challenge"],
        ["T1", "a", "cross-border-care"],
        ["T2", "b", "prevention"],
        ["T3", "c", "prevention"],
    ]

    problems = check(tmp_path, rows, teams, **challenge_rules())

    assert summary(problems) == [
        (
            "error",
            "unknown_challenge",
            None,
            "the rubric has criteria for challenge 'cross-border', but no team is in that "
            "challenge (the teams' challenges: cross-border-care, prevention), so they would "
            "not be used; correct the challenge's name in [challenges], or remove its criteria",
        )
    ]


def test_criteria_for_a_challenge_without_any_team_challenges_are_a_warning(
    tmp_path: Path,
) -> None:
    # No teams file: the challenges may come with it later.
    problems = check(tmp_path, marks("anna", "T1", "T2", "T3"), **challenge_rules())

    assert summary(problems) == [
        (
            "warning",
            "unknown_challenge",
            None,
            "the rubric has criteria for challenge 'cross-border', but no team has a "
            "challenge, so they would not be used; give a teams file with a challenge column, "
            "or remove the challenge's criteria",
        )
    ]


def test_ids_spelt_two_ways_are_a_warning_at_the_rarer_spelling(tmp_path: Path) -> None:
    # Without an assignments or teams file nothing else says that "Anna" is probably "anna"
    # and "t 2" probably "T2": they would count as a fourth juror and a fourth team.
    rows = (
        marks("anna", "T1", "T2", "T3")
        + marks("ben", "T1", "T2", "T3")
        + marks("Anna", "T1", "t 2")
        + marks("carl", "T1", "T2", "T3")
    )

    problems = check(tmp_path, rows)

    assert [(p.severity, p.code, p.row) for p in problems] == [
        ("warning", "few_teams", 14),
        ("warning", "look_alike_ids", 14),
        ("warning", "look_alike_ids", 16),
    ]
    assert [p.message for p in problems if p.code == "look_alike_ids"] == [
        "juror ids 'anna', 'Anna' differ only in upper and lower case, spaces or leading "
        "zeros, so they count as different jurors; if they are one juror, write the id the same "
        "way on every sheet",
        "team ids 'T2', 't 2' differ only in upper and lower case, spaces or leading zeros, so "
        "they count as different teams; if they are one team, write the id the same way "
        "everywhere",
    ]


def named_sheet(path: Path, juror: str, rows: list[tuple[str, str]]) -> Path:
    from tests.scoring.fixtures import write_xlsx

    table: list[list[object]] = [["Juror", juror], [], ["Team", "Name", "Impact", "Pitch"]]
    return write_xlsx(path, table + [[team, name, 6, 3] for team, name in rows])


def test_a_name_the_teams_file_gives_another_team_is_an_error_at_its_row(tmp_path: Path) -> None:
    # Anna sorted the name column alone: T1's row now says Beta, T2's Alpha.
    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "Alpha"], ["T2", "Beta"]])
    sheets = [
        named_sheet(tmp_path / "anna.xlsx", "anna", [("T1", "Beta"), ("T2", "Alpha")]),
        named_sheet(tmp_path / "ben.xlsx", "ben", [("T1", "alpha "), ("T2", "BETA")]),
    ]
    config = rubric(min_jurors=1)

    problems = validate(read_inputs([*sheets, teams], config), config)

    named = [p for p in problems if p.code != "few_teams"]
    assert [(p.code, Path(p.file or "").name, p.row, p.message) for p in named] == [
        (
            "team_name_swapped",
            "anna.xlsx",
            4,
            "this row gives team 'T1' the name 'Beta', which the teams file gives team 'T2'; "
            "check which team these scores are for, and correct the team id or the name",
        ),
        (
            "team_name_swapped",
            "anna.xlsx",
            5,
            "this row gives team 'T2' the name 'Alpha', which the teams file gives team 'T1'; "
            "check which team these scores are for, and correct the team id or the name",
        ),
    ]
    assert [p.severity for p in named] == ["error", "error"]


def test_another_name_is_one_warning_per_team_and_name(tmp_path: Path) -> None:
    teams = write_csv(tmp_path / "teams.csv", [["team", "name"], ["T1", "Alpha"], ["T2", "Beta"]])
    sheets = [
        named_sheet(tmp_path / "anna.xlsx", "anna", [("T1", "Old Alpha"), ("T2", "Beta")]),
        named_sheet(tmp_path / "ben.xlsx", "ben", [("T1", "old alpha"), ("T2", "Beta")]),
    ]
    config = rubric(min_jurors=1)

    problems = validate(read_inputs([*sheets, teams], config), config)

    named = [p for p in problems if p.code != "few_teams"]
    assert [(p.severity, p.code, Path(p.file or "").name, p.row, p.message) for p in named] == [
        (
            "warning",
            "team_name_differs",
            "anna.xlsx",
            4,
            "team 'T1' is named 'Old Alpha' here but 'Alpha' in the teams file; check that "
            "these scores are for that team",
        )
    ]
