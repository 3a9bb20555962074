"""A comment on a team's row without any score: kept in no output, so it is a warning."""

from __future__ import annotations

from pathlib import Path

from scoring.sheets import read_inputs
from tests.scoring.fixtures import rubric, write_csv, write_xlsx

SAID = (
    "has a comment but no score: {!r}; no output keeps it, so read it now: it may say why the "
    "team was not scored (a conflict of interest to declare in the rubric, a team the juror did "
    "not see)"
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


def test_a_long_comment_without_score_is_said_once_per_juror_and_team_and_cut(
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
            ["bo", "T2", "pitch", "", long],
        ],
    )

    jury = read_inputs([path], rubric())

    assert located(jury) == [
        ("warning", "comment_without_scores", 2, "E", SAID.format("did not see the demo")),
        ("warning", "comment_without_scores", 5, "E", SAID.format("x" * 199 + "…")),
    ]
