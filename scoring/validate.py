"""Cross-file checks of the jury's marks: every problem at once, each saying what to do.

Errors (the scores cannot be aggregated until they are fixed): unknown team, juror or
criterion, a score off the scale or off its step, not a number, a duplicate score, a score in
a cell formatted as a percentage, a missing score, a mark despite a declared conflict of
interest, a team with too few jurors, no score at all.
Warnings (worth a look, not blocking): a juror with very few teams, a juror scoring a team
that was not assigned to them, ignored columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.conflicts import conflicts_of_interest
from scoring.counts import challenge_mismatch, empty_sheets, few_teams, too_few_jurors
from scoring.coverage import missing, not_assigned
from scoring.duplicates import duplicates
from scoring.errors import UNREAD, InputError, Problem
from scoring.formulas import explain
from scoring.hiddenrows import hidden_rows
from scoring.i18n import ngettext
from scoring.identities import look_alikes, rubric_references, team_names
from scoring.percents import percent_hits, percent_problems
from scoring.rubric import unequal_ranges
from scoring.scales import criteria_and_scales, wide_sheets
from scoring.sheets import JuryInput
from scoring.teamchecks import (
    teams_listed_twice,
    teams_without_rubric,
    unknown_jurors,
    unknown_teams,
)


def validate(jury: JuryInput, config: Config) -> list[Problem]:
    """Every problem of the jury's input: reading problems plus cross-file checks.

    Parameters
    ----------
    jury : JuryInput
        What :func:`scoring.sheets.read_inputs` returned.
    config : Config
        The rubric: criteria, scales, conflicts, minimum jurors.

    Returns
    -------
    list of Problem
        Sorted by file, sheet, row and column; problems without a file come last.

    Examples
    --------
    >>> from pathlib import Path
    >>> from scoring.config import load_config
    >>> from scoring.sheets import read_inputs
    >>> config = load_config("data/sample-jury/rubric.toml")
    >>> jury = read_inputs([Path("data/sample-jury")], config)
    >>> problems = validate(jury, config)
    >>> [p for p in problems if p.severity == "error"]
    []
    """
    jury = replace(jury, marks=_coded(jury.marks))
    marks = jury.marks
    numbers = marks[marks[col.SCORE].notna()]
    listed = _listed(jury)
    # No score at all (the sheets not given, or a chair checking the side files before the
    # event): say so once, not that every team and every assignment went unscored; the
    # checks of the teams and assignments files and of the rubric still run.
    scored = not numbers.empty
    percents, unchecked = percent_hits(jury)
    checks = _checks(jury, listed, config, scored, percents, unchecked)
    found = explain([*jury.problems, *(p for check in checks for p in check)], jury)
    return sorted(dict.fromkeys(_percent_first(found, percents)), key=_order)


def _listed(jury: JuryInput) -> JuryInput:
    """``jury`` with the marks of teams the teams file lists (all of them without one)."""
    marks = jury.marks
    # A mark of a team the teams file does not list is an error of its own (unknown_teams):
    # its columns are not checked against a rubric, nor its team counted as unassigned (nor,
    # see coverage.missing, its criteria as missing). A mistyped id would otherwise bring the
    # main rubric's verdict on every criterion of the team's challenge, as if the headers
    # were wrong.
    listed = jury
    if jury.teams is not None:
        listed = replace(jury, marks=marks[marks[col.TEAM].isin(set(jury.teams[col.TEAM]))])
    return listed


def _checks(
    jury: JuryInput,
    listed: JuryInput,
    config: Config,
    scored: bool,
    percents: dict[tuple[str, str], list[tuple[int, str]]],
    unchecked: Iterable[Problem],
) -> tuple[Iterable[Problem], ...]:
    """The problems of each cross-file check, in the order they are told; ``listed``: the
    marks of listed teams (see :func:`_listed`); ``scored``: some mark has a score."""
    marks = jury.marks
    return (
        unknown_teams(jury),
        teams_listed_twice(jury),
        teams_without_rubric(jury, config),
        unknown_jurors(jury),
        criteria_and_scales(
            listed.marks[listed.marks[col.SCORE].notna()], config, wide_sheets(jury)
        ),
        duplicates(marks, config),
        percent_problems(percents),
        unchecked,
        hidden_rows(jury),
        conflicts_of_interest(jury, config),
        missing(jury, config) if scored else (),
        not_assigned(listed, config),
        too_few_jurors(jury, config) if scored else (),
        few_teams(marks, config) if scored else (),
        empty_sheets(jury),
        challenge_mismatch(jury),
        rubric_references(jury, config),
        look_alikes(jury),
        team_names(jury),
        unequal_ranges(marks, config),
        () if scored else _no_scores(jury),
    )


def _percent_first(
    problems: list[Problem], hits: dict[tuple[str, str], list[tuple[int, str]]]
) -> list[Problem]:
    """``problems`` without the scale errors of scores read from cells formatted as
    percentages (``hits``): 80% holds 0.8, "not a step of 0.5" was true of that but misled;
    the percent error says what to fix."""
    if not hits:
        return problems
    return [
        p
        for p in problems
        if not (
            p.code in _SCALE
            and (p.row, p.column) in set(hits.get((p.file or "", p.sheet or ""), ()))
        )
    ]


_SCALE = frozenset({"out_of_scale", "off_step"})


def valid_marks(jury: JuryInput, config: Config) -> pd.DataFrame:
    """The marks ready for aggregation, or :class:`InputError` listing every problem.

    Returns
    -------
    DataFrame
        Columns JUROR, TEAM, CRITERION, SCORE, CHALLENGE.

    Examples
    --------
    >>> from pathlib import Path
    >>> from scoring.config import load_config
    >>> from scoring.sheets import read_inputs
    >>> config = load_config("data/sample-jury/rubric.toml")
    >>> jury = read_inputs([Path("data/sample-jury")], config)
    >>> valid_marks(jury, config).columns.tolist()
    ['juror', 'team', 'criterion', 'score', 'challenge']
    """
    problems = validate(jury, config)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return jury.marks.loc[
        :, [col.JUROR, col.TEAM, col.CRITERION, col.SCORE, col.CHALLENGE]
    ].reset_index(drop=True)


def _coded(marks: pd.DataFrame) -> pd.DataFrame:
    """``marks`` with juror, team, criterion and file as categories: the checks group, join
    and look for duplicates on them a dozen times, on integer codes rather than hashing texts
    (the problems they find read the same)."""
    keys = [key for key in (col.JUROR, col.TEAM, col.CRITERION, col.FILE) if key in marks]
    return marks.astype(dict.fromkeys(keys, "category"))


def _order(problem: Problem) -> tuple[object, ...]:
    # A file that could not be read comes first: other problems may follow from its marks
    # being missing (assigned teams "not scored", teams short of jurors).
    return (
        problem.code not in UNREAD,
        problem.file is None,
        problem.file or "",
        problem.sheet or "",
        problem.row or 0,
        problem.column or "",
        problem.severity != "error",
        problem.code,
        problem.message,
    )


def _no_scores(jury: JuryInput) -> Iterable[Problem]:
    # Without this, an empty folder or a header-only sheet passes and yields an empty ranking.
    if not jury.files and any(p.severity == "error" for p in jury.problems):
        return  # nothing could be read, and the reading problems already say why
    unread = {p.file for p in jury.problems if p.code in UNREAD and p.severity == "error"}
    if jury.files and all(str(path) in unread for path in jury.files):
        return  # every file given failed to read (a CSV in another character set, say)
    yield Problem(
        "error",
        "no_scores",
        ngettext(
            "no scores were found in the {n} file read; check that the jury sheets were given "
            "and that the scores are in the score column or the criterion columns",
            "no scores were found in the {n} files read; check that the jury sheets were given "
            "and that the scores are in the score column or the criterion columns",
            len(jury.files),
        ).format(n=len(jury.files)),
    )
