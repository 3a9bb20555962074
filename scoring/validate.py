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
from decimal import Decimal

import pandas as pd

from scoring import columns as col
from scoring.config import Config, Criterion
from scoring.coverage import (
    at,
    at_juror_cell,
    challenge_mismatch,
    empty_sheets,
    few_teams,
    missing,
    none_if_missing,
    not_assigned,
    pairs_of,
    rows,
    too_few_jurors,
)
from scoring.duplicates import duplicates
from scoring.errors import UNREAD, InputError, Problem
from scoring.formulas import explain
from scoring.hiddenrows import hidden_rows
from scoring.i18n import get_language, ngettext
from scoring.i18n import gettext as _
from scoring.identities import look_alike, look_alikes, rubric_references, team_names
from scoring.numbers import exact_text
from scoring.percents import percent_hits, percent_problems
from scoring.rubric import unequal_ranges
from scoring.sheets import JuryInput
from scoring.spellings import folded

SHOWN = 8  # teams named in one problem


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
    # A mark of a team the teams file does not list is an error of its own (unknown_teams):
    # its columns are not checked against a rubric, nor its team counted as unassigned (nor,
    # see coverage.missing, its criteria as missing). A mistyped id would otherwise bring the
    # main rubric's verdict on every criterion of the team's challenge, as if the headers
    # were wrong.
    listed = jury
    if jury.teams is not None:
        listed = replace(jury, marks=marks[marks[col.TEAM].isin(set(jury.teams[col.TEAM]))])
    # No score at all (the sheets not given, or a chair checking the side files before the
    # event): say so once, not that every team and every assignment went unscored; the
    # checks of the teams and assignments files and of the rubric still run.
    scored = not numbers.empty
    percents, unchecked = percent_hits(jury)
    checks = (
        unknown_teams(jury),
        teams_listed_twice(jury),
        teams_without_rubric(jury, config),
        _unknown_jurors(jury),
        _criteria_and_scales(
            listed.marks[listed.marks[col.SCORE].notna()], config, _wide_sheets(jury)
        ),
        duplicates(marks, config),
        percent_problems(percents),
        unchecked,
        hidden_rows(jury),
        _conflicts(jury, config),
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
    found = explain([*jury.problems, *(p for check in checks for p in check)], jury)
    return sorted(dict.fromkeys(_percent_first(found, percents)), key=_order)


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


def teams_listed_twice(jury: JuryInput) -> Iterable[Problem]:
    """An error for the rows that list a team the teams file (or another teams file) lists
    already, one per pair of tables (a teams file given twice is one error): which name and
    challenge would hold would depend on the order of the files."""
    if jury.teams is None:
        return
    teams = jury.teams.reset_index(drop=True)
    repeated = teams[col.TEAM].duplicated()
    if not repeated.any():
        return
    first = teams[~repeated].set_index(col.TEAM)
    again = teams[repeated]
    places = [col.FILE, col.SHEET]
    earlier = first.loc[again[col.TEAM], places].to_numpy()
    groups = again.assign(_first_file=earlier[:, 0], _first_sheet=earlier[:, 1])
    for _key, group in groups.groupby(
        [col.FILE, col.SHEET, "_first_file", "_first_sheet"], sort=False, dropna=False
    ):
        ids = list(dict.fromkeys(str(team) for team in group[col.TEAM]))  # once, if thrice
        shown = ", ".join(repr(team) for team in ids[:SHOWN]) + (", …" if len(ids) > SHOWN else "")
        listed = first.loc[ids[0]]  # the other place: its row for one team, else its sheet
        where = at(listed if len(ids) == 1 else listed.drop(col.ROW), "", "", "").location()
        message = ngettext(
            "team {teams} is listed twice in the teams files (also at {where}); keep one row "
            "for it",
            "teams {teams} are listed twice in the teams files (also in {where}); keep one row "
            "for each",
            len(ids),
        ).format(teams=shown, where=where)
        yield at(group.iloc[0], "error", "team_listed_twice", message, column=False)


def teams_without_rubric(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """With no main rubric (no [[criteria]]), an error for each team whose challenge has no
    rubric of its own, at its row of the teams file, else at its first mark or assignment:
    nothing says what it is scored on. A team's challenge is its marks' (the sheets' own, else
    the teams file's), else the teams file's; a team the teams file does not list is left to
    :func:`unknown_teams`."""
    if config.criteria:
        return

    listed = None if jury.teams is None else {str(team) for team in jury.teams[col.TEAM]}
    # By the id folded (see spellings.folded): the challenge of a team whose marks were all
    # given under a misspelt id is still known, and that id is the one problem.
    challenge_of: dict[str, str] = {}
    for frame in (jury.marks, jury.teams):
        if frame is not None and col.CHALLENGE in frame:
            pairs = frame[[col.TEAM, col.CHALLENGE]].drop_duplicates()  # not every mark
            for team, value in zip(pairs[col.TEAM], pairs[col.CHALLENGE], strict=True):
                challenge = none_if_missing(value)
                if challenge is not None:
                    challenge_of.setdefault(folded(str(team)), challenge)
    given = ", ".join(sorted(config.challenge_criteria))
    seen: set[str] = set()  # each team once, where the chair fixes it: the teams file first
    for frame in (jury.teams, jury.marks, jury.assignments):
        if frame is None or frame.empty:
            continue
        for row in rows(frame.drop_duplicates(col.TEAM)):
            team = str(row[col.TEAM])
            if team in seen or (listed is not None and team not in listed):
                continue
            seen.add(team)
            challenge = challenge_of.get(folded(team))
            if challenge in config.challenge_criteria:
                continue
            if challenge is None:
                message = _(
                    "team {team!r} has no challenge, and the rubric gives criteria only for "
                    "challenges ({challenges}); give the team its challenge in the teams file, "
                    "or add [[criteria]] for teams without one"
                ).format(team=team, challenges=given)
            else:
                message = _(
                    "team {team!r} is in challenge {challenge!r}, for which the rubric gives no "
                    "criteria (it gives criteria for {challenges}); correct the challenge, or "
                    "add [[criteria]] for the other teams"
                ).format(team=team, challenge=challenge, challenges=given)
            yield at(row, "error", "no_rubric", message, column=False)


def _first_per(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One mark per group (its first), so a wrong team in a wide row is reported once."""
    return frame.drop_duplicates(keys)


def unknown_teams(jury: JuryInput) -> Iterable[Problem]:
    """Marks and assignments of teams the teams file does not list (nothing without one)."""
    if jury.teams is None:
        return
    known = {str(team) for team in jury.teams[col.TEAM]}
    unknown = jury.marks[~jury.marks[col.TEAM].isin(known)]
    for mark in rows(_first_per(unknown, [col.FILE, col.SHEET, col.ROW, col.TEAM])):
        yield at(
            mark, "error", "unknown_team", _unknown_team(str(mark[col.TEAM]), known), column=False
        )
    if jury.assignments is not None:
        for row in rows(jury.assignments[~jury.assignments[col.TEAM].isin(known)]):
            yield at(
                row, "error", "unknown_team", _unknown_team(str(row[col.TEAM]), known), column=False
            )


def _unknown_team(team: str, known: set[str]) -> str:
    like = look_alike(team, known)
    if like is not None:
        return _(
            "team {team!r} is not in the teams file, which lists {like!r}; write the team id "
            "as the teams file does"
        ).format(team=team, like=like)
    return _(
        "team {team!r} is not in the teams file; correct the team id or add the team to the "
        "teams file"
    ).format(team=team)


def _unknown_jurors(jury: JuryInput) -> Iterable[Problem]:
    if jury.assignments is None:
        return
    assigned = {str(juror) for juror in jury.assignments[col.JUROR].dropna().unique()}
    unknown = jury.marks[~jury.marks[col.JUROR].isin(assigned)]
    for mark in rows(_first_per(unknown, [col.FILE, col.SHEET, col.JUROR])):
        like = look_alike(str(mark[col.JUROR]), assigned)
        if like is not None:
            message = _(
                "juror {juror!r} is not in the assignments file, which names {like!r}; write "
                "the juror id on this sheet as the assignments file does"
            ).format(juror=mark[col.JUROR], like=like)
        else:
            message = _(
                "juror {juror!r} is not in the assignments file; correct the juror id on this "
                "sheet or add the juror's teams to the assignments file"
            ).format(juror=mark[col.JUROR])
        yield at_juror_cell(at(mark, "error", "unknown_juror", message, column=False), jury)


def _wide_sheets(jury: JuryInput) -> set[tuple[str | None, str | None]]:
    """(file, sheet) of each wide sheet: there a mark's column is its criterion's."""
    headers = jury.criterion_columns
    if headers is None:
        return set()
    return {
        (none_if_missing(f), none_if_missing(s))
        for f, s in zip(headers[col.FILE], headers[col.SHEET], strict=True)
    }


def _criteria_and_scales(
    numbers: pd.DataFrame, config: Config, wide: set[tuple[str | None, str | None]]
) -> Iterable[Problem]:
    groups = numbers.groupby([col.CHALLENGE, col.CRITERION], dropna=False, sort=False)
    for (challenge_value, criterion_id), group in groups:
        challenge = none_if_missing(challenge_value)
        rubric = {c.id: c for c in config.criteria_for(challenge)}
        if not rubric:
            continue  # a team without a rubric: teams_without_rubric says so
        criterion = rubric.get(str(criterion_id))
        if criterion is None:
            message = _(
                "{criterion!r} is not a criterion of the rubric{for_challenge}; use one of: {known}"
            ).format(
                criterion=criterion_id,
                known=", ".join(rubric),
                for_challenge=_(" for challenge {c}").format(c=challenge)
                if challenge in config.challenge_criteria
                else "",
            )
            for mark in rows(group):
                # In a long table the mark's column is its score's: the row alone is said.
                sheet = (none_if_missing(mark[col.FILE]), none_if_missing(mark[col.SHEET]))
                yield at(mark, "error", "unknown_criterion", message, column=sheet in wide)
        else:
            # Floats find the few suspects fast; exact decimals then decide for each of them.
            for mark in rows(group[_suspect(group[col.SCORE], criterion)]):
                yield from _scale_problems(mark, criterion)


def _suspect(scores: pd.Series, criterion: Criterion) -> pd.Series:
    scale = criterion.scale
    outside = (scores < float(scale.min)) | (scores > float(scale.max))
    if scale.step is None:
        return outside
    steps = (scores - float(scale.min)) / float(scale.step)
    return outside | ((steps - steps.round()).abs() > 1e-6)


def _scale_problems(mark: pd.Series, criterion: Criterion) -> Iterable[Problem]:
    scale, score = criterion.scale, Decimal(repr(float(mark[col.SCORE])))
    if not scale.min <= score <= scale.max:
        yield at(
            mark,
            "error",
            "out_of_scale",
            _(
                "{score} is outside the scale of {criterion}, from {low} to {high}; correct the "
                "score"
            ).format(
                score=exact_text(score),
                criterion=criterion.named(get_language()),
                low=exact_text(scale.min),
                high=exact_text(scale.max),
            ),
        )
    elif scale.step is not None and (score - scale.min) % scale.step != 0:
        yield at(
            mark,
            "error",
            "off_step",
            _(
                "{score} is not a step of {step} on the scale of {criterion}, which starts at "
                "{low}; round it to a step"
            ).format(
                score=exact_text(score),
                step=exact_text(scale.step),
                criterion=criterion.named(get_language()),
                low=exact_text(scale.min),
            ),
        )


def _conflicts(jury: JuryInput, config: Config) -> Iterable[Problem]:
    declared = sorted((j, t) for j, teams in config.conflicts.items() for t in teams)
    if not declared:
        return
    keys = [col.JUROR, col.TEAM]
    pairs = pd.MultiIndex.from_tuples(declared, names=keys)
    hit = jury.marks[pairs_of(jury.marks, keys).isin(pairs)]
    for mark in rows(_first_per(hit, [col.FILE, col.SHEET, col.ROW])):
        yield at(
            mark,
            "error",
            "conflict_of_interest",
            _(
                "juror {juror!r} declared a conflict of interest with team {team!r} but scored it; "
                "delete these scores"
            ).format(juror=mark[col.JUROR], team=mark[col.TEAM]),
            column=False,
        )
    if jury.assignments is not None:
        # As `template` does with it: no score is expected for it (see coverage.missing), a
        # score given is the error above; the team may be left with too few jurors.
        frame = jury.assignments
        for row in rows(frame[pairs_of(frame, keys).isin(pairs)]):
            yield at(
                row,
                "warning",
                "conflicted_assignment",
                _(
                    "juror {juror!r} is assigned team {team!r}, with which they declared a "
                    "conflict of interest, so no score is expected from them for it (a score "
                    "would be an error); assign the team to another juror if it needs one more"
                ).format(juror=row[col.JUROR], team=row[col.TEAM]),
                column=False,
            )
