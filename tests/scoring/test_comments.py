"""A comment on a team's row without any score: kept in no output, so it is a warning."""

from __future__ import annotations

from pathlib import Path

from scoring.sheets import read_inputs
from tests.scoring.fixtures import rubric, write_csv, write_xlsx

SAID = (
    "has a comment but no score: {!r}; it is kept only in this warning, so read it now: it may "
    "say why the team was not scored (a conflict of interest, a team the juror did not see)"
)


def located(jury: object) -> list[tuple[object, ...]]:
    return [
        (p.severity, p.code, p.row, p.column, p.message)
        for p in jury.problems  # type: ignore[attr-defined]
    ]


def test_a_wide_row_with_a_comment_and_no_score_is_a_warning_at_the_comment(
    tmp_path: Path,
) -> None:
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [
            ["Juror:", "anna"],
            [],
            ["Team", "Name", "Impact", "Pitch", "Comment"],
            ["T1", "Alpha", 7, 6, "strong"],  # scored: the comment is kept with the marks
            ["T2", "Beta", None, None, "my cousin is in this team"],
            ["T3", "Gamma", None, None, None],  # blank: nothing to say here
        ],
    )

    jury = read_inputs([path], rubric())

    assert located(jury) == [
        ("warning", "comment_without_scores", 5, "E", SAID.format("my cousin is in this team"))
    ]
    assert jury.marks["comment"].tolist() == ["strong", "strong"]


def test_a_long_table_s_comment_is_said_once_for_a_team_its_juror_did_not_score(
    tmp_path: Path,
) -> None:
    long = "x" * 250
    path = write_csv(
        tmp_path / "marks.csv",
        [
            ["juror", "team", "criterion", "score", "comment"],
            ["bo", "T1", "impact", "", "did not see the demo"],
            ["bo", "T1", "pitch", "", "did not see the demo"],  # the same comment again
            ["bo", "T2", "impact", "5", ""],
            ["bo", "T2", "pitch", "", long],  # T2 is scored, on impact: yet not this comment
            ["bo", "T3", "impact", "6", "solid team"],
            ["bo", "T3", "pitch", "", "solid team"],  # T3 is scored: the comment is kept
        ],
    )

    jury = read_inputs([path], rubric())

    assert located(jury) == [
        ("warning", "comment_without_scores", 2, "E", SAID.format("did not see the demo"))
    ]
    assert jury.marks["comment"].tolist() == [None, "solid team"]


def test_a_long_comment_is_cut_in_the_warning(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "marks.csv",
        [["juror", "team", "criterion", "score", "comment"], ["bo", "T1", "pitch", "", "x" * 250]],
    )

    jury = read_inputs([path], rubric())

    assert located(jury) == [
        ("warning", "comment_without_scores", 2, "E", SAID.format("x" * 199 + "…"))
    ]
