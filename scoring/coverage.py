"""Checks of who scored whom: missing scores, unassigned teams, too few jurors, few teams.

Also the helpers that locate a problem at the cell a mark (or a side-file row) came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import UNREAD, Problem
from scoring.i18n import get_language, ngettext
from scoring.i18n import gettext as _
from scoring.sheets import JuryInput
from scoring.spellings import folded

# Fewer teams than this per juror earns a warning (for normalising methods: min_marks).
FEW_TEAMS = 3
NORMALISING = ("zscore", "judge_effects")


def at(record: pd.Series, severity: str, code: str, message: str, column: bool = True) -> Problem:
    """A problem located where ``record`` (a mark or a side-file row) came from."""
    row = record.get(col.ROW)
    return Problem(
        severity,  # type: ignore[arg-type]
        code,
        message,
        file=none_if_missing(record.get(col.FILE)),
        sheet=none_if_missing(record.get(col.SHEET)),
        row=None if row is None or pd.isna(row) else int(row),
        column=none_if_missing(record.get(col.COLUMN)) if column else None,
    )


def at_juror_cell(problem: Problem, jury: JuryInput) -> Problem:
    """``problem`` moved to the "Juror:" cell of its sheet, if the sheet has one: a juror id
    to correct is written there, not at the first score (the row a mark of the sheet gives)."""
    cells = jury.juror_cells
    if cells is None or problem.file is None:
        return problem
    for cell in rows(cells):
        if (none_if_missing(cell[col.FILE]), none_if_missing(cell[col.SHEET])) == (
            problem.file,
            problem.sheet,
        ):
            return replace(problem, row=int(cell[col.ROW]), column=str(cell[col.COLUMN]))
    return problem


def none_if_missing(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def rows(frame: pd.DataFrame) -> Iterator[pd.Series]:
    return (row for _index, row in frame.iterrows())


def missing(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """Assigned teams left unscored, and teams scored on some criteria but not all.

    A misspelt id is the one problem, not also the scores it seems to leave out: a juror's
    marks under an id spelt like their own (``J3`` for ``j3``, an error of its own with an
    assignments file) count for their assignments; with a teams file, the marks of a team it
    does not list (an error of their own, see :func:`scoring.validate.unknown_teams`) are not
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


def pairs_of(frame: pd.DataFrame, keys: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[keys].astype(object))


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
    keys = [col.JUROR, col.TEAM]
    frame = jury.assignments.drop_duplicates(keys)
    if listed is not None:
        frame = frame[frame[col.TEAM].isin(listed)]
    conflicted = [
        team in config.conflicts.get(juror, frozenset())
        for juror, team in zip(frame[col.JUROR], frame[col.TEAM], strict=True)
    ]
    scored = pairs_of(frame, keys).isin(pairs_of(jury.marks, keys))
    if not scored.all():  # the usual case: every assignment scored under its own ids
        given = {
            (folded(str(juror)), str(team))
            for marks in (jury.marks, respelt)
            if marks is not None and len(marks)
            for juror, team in pairs_of(marks, keys).unique()
        }
        scored |= np.array(
            [
                (folded(str(juror)), str(team)) in given
                for juror, team in zip(frame[col.JUROR], frame[col.TEAM], strict=True)
            ],
            dtype=bool,
        )
    unscored = frame[~scored & ~np.array(conflicted, dtype=bool)]
    # A juror of whom nothing was read (no score, no blank row of a sheet of theirs, under
    # this id or one spelt like it): one problem, not one per assigned team.
    seen = {
        folded(str(juror))
        for frame in (jury.marks, jury.blank_marks, jury.blank_rows)
        if frame is not None and col.JUROR in frame
        for juror in frame[col.JUROR].unique()
    }
    absent = ~unscored[col.JUROR].map(lambda juror: folded(str(juror)) in seen).astype(bool)
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


def criterion_columns(
    marks: pd.DataFrame, headers: pd.DataFrame | None = None
) -> dict[tuple[str | None, str | None, str], str]:
    """(file, sheet, criterion) -> the column of that criterion, for wide sheets.

    ``headers`` (FILE, SHEET, CRITERION, COLUMN, as in ``JuryInput.criterion_columns``) holds
    what the header rows of the wide sheets name: a criterion's column is known even where no
    juror wrote anything in it. Sheets it does not cover (marks that came without their header
    rows) are learnt from the marks they hold: in a wide sheet each criterion has its own
    column. A long table keeps every criterion in one score column, so its sheets (several
    criteria sharing a column) are left out: there the missing mark has no cell to point at.

    Examples
    --------
    >>> wide = pd.DataFrame({"file": ["a.xlsx"] * 3, "sheet": ["S"] * 3, "row": [3, 3, 4],
    ...                      "criterion": ["impact", "pitch", "impact"],
    ...                      "column": ["B", "C", "B"]})
    >>> criterion_columns(wide)
    {('a.xlsx', 'S', 'impact'): 'B', ('a.xlsx', 'S', 'pitch'): 'C'}
    >>> header = pd.DataFrame({"file": ["a.xlsx"] * 3, "sheet": ["S"] * 3,
    ...                        "criterion": ["impact", "pitch", "demo"],
    ...                        "column": ["B", "C", "D"]})
    >>> criterion_columns(wide, header)[("a.xlsx", "S", "demo")]
    'D'
    """
    named = _named_columns(headers)
    sheets = {(f, s) for f, s, _c in named}
    learnt = {
        key: column
        for key, column in _learnt_columns(marks).items()
        if (key[0], key[1]) not in sheets
    }
    return {**named, **learnt}


def _named_columns(headers: pd.DataFrame | None) -> dict[tuple[str | None, str | None, str], str]:
    if headers is None:
        return {}
    cells = headers.loc[:, [col.FILE, col.SHEET, col.CRITERION, col.COLUMN]].astype(object)
    return {
        (none_if_missing(f), none_if_missing(s), str(c)): str(column)
        for f, s, c, column in cells.itertuples(index=False, name=None)
    }


def _learnt_columns(marks: pd.DataFrame) -> dict[tuple[str | None, str | None, str], str]:
    if col.COLUMN not in marks.columns or marks.empty:
        return {}
    sheet_keys = [col.FILE, col.SHEET]
    cells = (
        marks.loc[:, [*sheet_keys, col.CRITERION, col.COLUMN]]
        .dropna(subset=[col.COLUMN])
        .astype(object)
        .drop_duplicates()
    )
    shared = cells.duplicated([*sheet_keys, col.CRITERION], keep=False) | cells.duplicated(
        [*sheet_keys, col.COLUMN], keep=False
    )
    ambiguous = pairs_of(cells[shared], sheet_keys).unique()
    wide = cells[~pairs_of(cells, sheet_keys).isin(ambiguous)]
    return {
        (none_if_missing(f), none_if_missing(s), str(c)): str(column)
        for f, s, c, column in wide.itertuples(index=False, name=None)
    }


def _missing_criteria(
    jury: JuryInput, config: Config, respelt: pd.DataFrame | None = None
) -> Iterable[Problem]:
    """(juror, team) pairs times their rubric's criteria, minus the marks given (and the
    marks ``respelt``, given under a misspelt team id); each located at the team's row and,
    in a wide sheet, at the criterion's column; in a long table, at the row that names the
    mark with an empty score, if there is one."""
    marks = jury.marks
    keys = [col.JUROR, col.TEAM, col.CRITERION]
    # Where each empty score of a long table is, by key (the first such row); the row itself
    # is made only for a missing mark: a long table may have thousands of empty rows.
    blanks: dict[tuple[object, ...], object] = {}
    if jury.blank_marks is not None:
        named = jury.blank_marks[keys].itertuples(index=False, name=None)
        for key, index in zip(named, jury.blank_marks.index, strict=True):
            blanks.setdefault(key, index)
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
            message = _(
                "juror {juror!r} gave no score for criterion {criterion} of team {team!r}; "
                "add the score"
            ).format(
                juror=mark[col.JUROR], team=mark[col.TEAM], criterion=named[mark[col.CRITERION]]
            )
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


def not_assigned(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """Marks for a team the juror was not assigned (only jurors the assignments know), but
    for one they declared a conflict with: those scores are an error of their own, and do not
    count (see validate's conflicts)."""
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


def too_few_jurors(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """Teams (of the teams file, else those scored) with fewer jurors than ``min_jurors``."""
    counts = jury.marks.groupby(col.TEAM)[col.JUROR].nunique()
    # Located at the team's row of the teams file, else at its first mark.
    source = jury.teams if jury.teams is not None else jury.marks
    for team in rows(source.drop_duplicates(col.TEAM)):
        count = int(counts.get(team[col.TEAM], 0))
        if count == 0:  # min_jurors cannot go below 1: the team is to be scored or removed
            message = _(
                "team {team!r} was scored by no juror; have jurors score it, or remove it from "
                "the teams file if it withdrew"
            ).format(team=team[col.TEAM])
        elif count < config.min_jurors:
            message = ngettext(
                "team {team!r} was scored by {count} juror, fewer than min_jurors = {least}; "
                "have more jurors score it, or lower min_jurors in the rubric",
                "team {team!r} was scored by {count} jurors, fewer than min_jurors = {least}; "
                "have more jurors score it, or lower min_jurors in the rubric",
                count,
            ).format(team=team[col.TEAM], count=count, least=config.min_jurors)
        else:
            continue
        yield at(team, "error", "too_few_jurors", message, column=False)


def few_teams(marks: pd.DataFrame, config: Config) -> Iterable[Problem]:
    """Jurors who scored so few teams that their marks say little (or cannot be normalised)."""
    least = config.method.min_marks if config.method.name in NORMALISING else FEW_TEAMS
    counts = marks.groupby(col.JUROR)[col.TEAM].nunique()
    for juror, count in counts.items():
        if count < least:
            first = marks[marks[col.JUROR] == juror].iloc[0]
            yield at(
                first,
                "warning",
                "few_teams",
                ngettext(
                    "juror {juror!r} scored only {count} team (fewer than {least}); their "
                    "scores carry little information, check that the whole sheet was sent",
                    "juror {juror!r} scored only {count} teams (fewer than {least}); their "
                    "scores carry little information, check that the whole sheet was sent",
                    count,
                ).format(juror=juror, count=count, least=least),
                column=False,
            )


def empty_sheets(jury: JuryInput) -> Iterable[Problem]:
    """Jurors whose sheets name teams but hold no score at all: most likely the blank sheet
    was sent back instead of the filled-in one (with assignments, each missing score is
    already an error; without them, nothing else would say it)."""
    if jury.assignments is not None or jury.blank_rows is None or jury.blank_rows.empty:
        return
    scored = set(jury.marks.loc[jury.marks[col.SCORE].notna(), col.JUROR])
    for row in rows(jury.blank_rows.drop_duplicates(col.JUROR)):
        if row[col.JUROR] not in scored:
            yield at(
                row,
                "warning",
                "empty_sheet",
                _(
                    "juror {juror!r} gave no score at all: every score cell of their sheet is "
                    "empty; check that the filled-in sheet was sent"
                ).format(juror=row[col.JUROR]),
                column=False,
            )


def challenge_mismatch(jury: JuryInput) -> Iterable[Problem]:
    """A challenge written on a sheet that contradicts the teams file; without one, a team
    given several challenges by the sheets (the first would otherwise win: the team ranked,
    and with challenge rubrics scored, in a challenge most rows do not name)."""
    marks = jury.marks.drop_duplicates([col.FILE, col.SHEET, col.ROW])
    if jury.teams is None:
        yield from _several_challenges(marks)
        return
    known = jury.teams.drop_duplicates(col.TEAM).set_index(col.TEAM)[col.CHALLENGE]
    expected = marks[col.TEAM].map(known)
    differs = expected.notna() & marks[col.CHALLENGE].notna() & expected.ne(marks[col.CHALLENGE])
    for mark, wanted in zip(rows(marks[differs]), expected[differs], strict=True):
        yield at(
            mark,
            "error",
            "challenge_mismatch",
            _(
                "team {team!r} is in challenge {expected!r} in the teams file, not "
                "{written!r}; correct the challenge"
            ).format(team=mark[col.TEAM], expected=wanted, written=mark[col.CHALLENGE]),
            column=False,
        )


def _several_challenges(marks: pd.DataFrame) -> Iterable[Problem]:
    named = marks.dropna(subset=[col.CHALLENGE])
    if named.empty:
        return
    counts = named.groupby(col.TEAM, sort=False)[col.CHALLENGE].nunique()
    for team in counts.index[counts > 1]:
        rows_of = named[named[col.TEAM] == team]
        challenges = list(dict.fromkeys(str(c) for c in rows_of[col.CHALLENGE]))
        # At the first row of each challenge but the first seen.
        for challenge in challenges[1:]:
            first = rows_of[rows_of[col.CHALLENGE].astype(str) == challenge].iloc[0]
            yield at(
                first,
                "error",
                "several_challenges",
                _(
                    "team {team!r} is in challenge {written!r} here but {first!r} elsewhere "
                    "(challenges: {all}); give each team one challenge, written the same way "
                    "everywhere"
                ).format(
                    team=team, written=challenge, first=challenges[0], all=", ".join(challenges)
                ),
                column=False,
            )
