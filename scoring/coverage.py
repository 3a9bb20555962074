"""Checks of who scored whom: assignments left unscored, criteria left without a score, teams
scored without being assigned.

A missing score is pointed at where the juror would have written it (their blank row, the
criterion's column of a wide sheet) where that is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import UNREAD, Problem
from scoring.i18n import get_language, ngettext
from scoring.i18n import gettext as _
from scoring.places import at, criterion_columns, none_if_missing, pairs_of, rows
from scoring.sheets import JuryInput
from scoring.spellings import folded


def missing(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """Assigned teams left unscored, and teams scored on some criteria but not all.

    A misspelt id is the one problem, not also the scores it seems to leave out: a juror's
    marks under an id spelt like their own (``J3`` for ``j3``, an error of its own with an
    assignments file) count for their assignments; with a teams file, the marks of a team it
    does not list (an error of their own, see :func:`scoring.teamchecks.unknown_teams`) are not
    checked for missing criteria, and count for the listed team spelt like them (``t1`` for
    ``T1``). Without a teams file nothing says ``t1`` is misspelt: its team ``T1`` stays
    unscored, an error.
    """
    listed, respelt, ids = jury.marks, None, None
    if jury.teams is not None:
        ids = {str(team) for team in jury.teams[col.TEAM]}
        known = listed[col.TEAM].isin(ids)
        listed, others = listed[known], listed[~known]
        if len(others):
            by_fold = {folded(team): team for team in sorted(ids)}
            respelt = others.assign(
                **{col.TEAM: others[col.TEAM].map(lambda t: by_fold.get(folded(str(t))))}
            ).dropna(subset=[col.TEAM])
    yield from _unscored_assignments(jury, config, respelt, ids)
    yield from _missing_criteria(replace(jury, marks=listed), config, respelt)


def _unscored_assignments(
    jury: JuryInput,
    config: Config,
    respelt: pd.DataFrame | None = None,
    listed: set[str] | None = None,
) -> Iterable[Problem]:
    """Assignments without a mark of the juror for the team, under the juror's id or one
    spelt like it, and under the team's id or, in ``respelt`` (see :func:`missing`), one
    spelt like it; one problem for a juror of whom nothing was read. An assignment of a team
    the teams file does not list (``listed``) is an error of its own (unknown_teams)."""

    if jury.assignments is None:
        return
    unscored = _unscored(jury.assignments, jury.marks, config, respelt, listed)
    # A juror of whom nothing was read (no score, no blank row of a sheet of theirs, under
    # this id or one spelt like it): one problem, not one per assigned team.
    absent = _nothing_read_of(jury, unscored)
    unread = any(p.code in UNREAD and p.severity == "error" for p in jury.problems)
    for _juror, teams in unscored[absent].groupby(col.JUROR, sort=False, observed=True):
        yield _no_score_read(teams, unread)
    unscored = unscored[~absent]
    blank = _blank_rows(jury, unscored) if len(unscored) else {}
    for row in rows(unscored):
        yield at(
            blank.get((row[col.JUROR], row[col.TEAM]), row),
            "error",
            "missing_score",
            _(
                "juror {juror!r} was assigned team {team!r} but gave no score for it; score "
                "the team or remove the assignment"
            ).format(juror=row[col.JUROR], team=row[col.TEAM]),
            column=False,
        )


def _unscored(
    assignments: pd.DataFrame,
    marks: pd.DataFrame,
    config: Config,
    respelt: pd.DataFrame | None,
    listed: set[str] | None,
) -> pd.DataFrame:
    """The ``assignments`` (once each) of ``listed`` teams that no mark scores, but those of a
    declared conflict of interest (no score is expected for them)."""
    keys = [col.JUROR, col.TEAM]
    frame = assignments.drop_duplicates(keys)
    if listed is not None:
        frame = frame[frame[col.TEAM].isin(listed)]
    conflicted = [
        team in config.conflicts.get(juror, frozenset())
        for juror, team in zip(frame[col.JUROR], frame[col.TEAM], strict=True)
    ]
    scored = pairs_of(frame, keys).isin(pairs_of(marks, keys))
    if not scored.all():  # the usual case: every assignment scored under its own ids
        scored |= _scored_as_spelt(frame, marks, respelt)
    return frame[~scored & ~np.array(conflicted, dtype=bool)]


def _scored_as_spelt(
    frame: pd.DataFrame, marks: pd.DataFrame, respelt: pd.DataFrame | None
) -> np.ndarray:
    """For each assignment of ``frame``, whether ``marks`` or ``respelt`` score its team
    under an id of the juror spelt like theirs."""
    keys = [col.JUROR, col.TEAM]
    given = {
        (folded(str(juror)), str(team))
        for found in (marks, respelt)
        if found is not None and len(found)
        for juror, team in pairs_of(found, keys).unique()
    }
    return np.array(
        [
            (folded(str(juror)), str(team)) in given
            for juror, team in zip(frame[col.JUROR], frame[col.TEAM], strict=True)
        ],
        dtype=bool,
    )


def _nothing_read_of(jury: JuryInput, unscored: pd.DataFrame) -> pd.Series:
    """For each of the ``unscored`` assignments, whether nothing was read of its juror (see
    :func:`_unscored_assignments`)."""
    seen = {
        folded(str(juror))
        for frame in (jury.marks, jury.blank_marks, jury.blank_rows)
        if frame is not None and col.JUROR in frame
        for juror in frame[col.JUROR].unique()
    }
    return ~unscored[col.JUROR].map(lambda juror: folded(str(juror)) in seen).astype(bool)


def _no_score_read(teams: pd.DataFrame, unread: bool) -> Problem:
    """The problem of a juror assigned ``teams`` (their rows of the assignments file) of whom
    no score was read; ``unread``: a file could not be read, which may be theirs."""
    juror, count = teams[col.JUROR].iloc[0], len(teams)
    listed = ", ".join(repr(str(team)) for team in teams[col.TEAM])
    if unread:
        message = ngettext(
            "juror {juror!r} was assigned team {teams}, but no score of theirs was read; if "
            "their file is one that could not be read (see above), correct it first",
            "juror {juror!r} was assigned {n} teams ({teams}), but no score of theirs was read; "
            "if their file is one that could not be read (see above), correct it first",
            count,
        )
    else:
        message = ngettext(
            "juror {juror!r} was assigned team {teams}, but no score of theirs was found; add "
            "their sheet, or remove the assignment",
            "juror {juror!r} was assigned {n} teams ({teams}), but no score of theirs was found; "
            "add their sheet, or remove their assignments",
            count,
        )
    text = message.format(juror=juror, n=count, teams=listed)
    return at(teams.iloc[0], "error", "missing_score", text, column=False)


def _blank_rows(jury: JuryInput, unscored: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    """The juror's own row for each ``unscored`` (juror, team) left blank: a better place to
    point than the plan. In a wide sheet, the team's row without any score; in a long table,
    the first row that names the juror and the team with an empty score. Only the pairs
    asked for are looked at: a long table may have thousands of empty rows."""
    keys = [col.JUROR, col.TEAM]
    wanted = pairs_of(unscored, keys)
    places: dict[tuple[str, str], pd.Series] = {}
    for frame in (jury.blank_marks, jury.blank_rows):  # a wide sheet's row wins
        if frame is not None and len(frame):
            first = frame[pairs_of(frame, keys).isin(wanted)].drop_duplicates(keys)
            places.update(((row[col.JUROR], row[col.TEAM]), row) for row in rows(first))
    return places


def _missing_criteria(
    jury: JuryInput, config: Config, respelt: pd.DataFrame | None = None
) -> Iterable[Problem]:
    """(juror, team) pairs times their rubric's criteria, minus the marks given (and the
    marks ``respelt``, given under a misspelt team id); each located at the team's row and,
    in a wide sheet, at the criterion's column; in a long table, at the row that names the
    mark with an empty score, if there is one."""
    marks = jury.marks
    keys = [col.JUROR, col.TEAM, col.CRITERION]
    blanks = _blank_scores(jury, keys)
    given = pairs_of(marks, keys)
    if respelt is not None and len(respelt):
        given = given.append(pairs_of(respelt, keys))
    firsts = marks.drop_duplicates([col.JUROR, col.TEAM])
    columns: dict[tuple[str | None, str | None, str], str] | None = None
    language = get_language()
    for challenge, group in firsts.groupby(col.CHALLENGE, dropna=False, sort=False):
        rubric = config.criteria_for(none_if_missing(challenge))
        ids = [c.id for c in rubric]
        # As the juror's sheet names the criterion, with its id.
        named = {c.id: c.named(language) for c in rubric}
        expected = group.loc[group.index.repeat(len(ids))].assign(
            **{col.CRITERION: np.tile(np.array(ids, dtype=object), len(group))}
        )
        for mark in rows(expected[~pairs_of(expected, keys).isin(given)]):
            message = _no_score(mark, named)
            blank = blanks.get((mark[col.JUROR], mark[col.TEAM], mark[col.CRITERION]))
            if blank is not None and jury.blank_marks is not None:  # the empty score's row
                yield at(jury.blank_marks.loc[blank], "error", "missing_score", message)
                continue
            # Built on the first missing mark only: complete sheets never pay for it.
            if columns is None:
                columns = criterion_columns(marks, jury.criterion_columns)
            problem = at(mark, "error", "missing_score", message, column=False)
            where = (problem.file, problem.sheet, str(mark[col.CRITERION]))
            yield replace(problem, column=columns.get(where))


def _blank_scores(jury: JuryInput, keys: list[str]) -> dict[tuple[object, ...], object]:
    """(juror, team, criterion) -> the index in ``jury.blank_marks`` of the first row of a
    long table that names that mark with an empty score."""
    # Where each empty score of a long table is, by key (the first such row); the row itself
    # is made only for a missing mark: a long table may have thousands of empty rows.
    blanks: dict[tuple[object, ...], object] = {}
    if jury.blank_marks is not None:
        named = jury.blank_marks[keys].itertuples(index=False, name=None)
        for key, index in zip(named, jury.blank_marks.index, strict=True):
            blanks.setdefault(key, index)
    return blanks


def _no_score(mark: pd.Series, named: dict[str, str]) -> str:
    """The message of the missing ``mark``; ``named``: criterion id -> its name."""
    return _(
        "juror {juror!r} gave no score for criterion {criterion} of team {team!r}; add the score"
    ).format(juror=mark[col.JUROR], team=mark[col.TEAM], criterion=named[mark[col.CRITERION]])


def not_assigned(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """Marks for a team the juror was not assigned (only jurors the assignments know), but
    for one they declared a conflict with: those scores are an error of their own, and do not
    count (see scoring.conflicts)."""
    if jury.assignments is None:
        return
    keys = [col.JUROR, col.TEAM]
    marks = jury.marks.drop_duplicates(keys)
    known = marks[col.JUROR].isin(set(jury.assignments[col.JUROR]))
    unassigned = known & ~pairs_of(marks, keys).isin(pairs_of(jury.assignments, keys))
    conflicts = [(juror, team) for juror, teams in config.conflicts.items() for team in teams]
    if conflicts:
        declared = pd.MultiIndex.from_tuples(conflicts, names=keys)
        unassigned &= ~pairs_of(marks, keys).isin(declared)
    for mark in rows(marks[unassigned]):
        yield at(
            mark,
            "warning",
            "not_assigned",
            _(
                "juror {juror!r} scored team {team!r} without being assigned to it, and these "
                "scores count in the ranking; if they should not, delete them, else add the "
                "assignment or correct the team id"
            ).format(juror=mark[col.JUROR], team=mark[col.TEAM]),
            column=False,
        )
