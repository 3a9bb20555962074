"""Checks of the teams and jurors against the side files: a team the teams file lists twice
or does not list, a juror the assignments file does not name, a team whose challenge has no
rubric.

An id the side file does not know is an error of its own, said once per row or sheet; its
message names the listed id spelt like it, if there is one.
"""

from __future__ import annotations

from collections.abc import Iterable

from scoring import columns as col
from scoring.config import Config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.i18n import ngettext
from scoring.identities import look_alike
from scoring.places import at, at_juror_cell, first_per, none_if_missing, rows
from scoring.sheets import JuryInput
from scoring.spellings import folded

SHOWN = 8  # teams named in one problem


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
    challenge_of = _challenges(jury)
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
            yield at(row, "error", "no_rubric", _no_rubric(team, challenge, given), column=False)


def _challenges(jury: JuryInput) -> dict[str, str]:
    """Each team's challenge (by the team id folded): its marks', else the teams file's."""
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
    return challenge_of


def _no_rubric(team: str, challenge: str | None, given: str) -> str:
    """The message of a team without a rubric: ``challenge`` is its challenge, if it has one;
    ``given``, the challenges the rubric gives criteria for."""
    if challenge is None:
        return _(
            "team {team!r} has no challenge, and the rubric gives criteria only for "
            "challenges ({challenges}); give the team its challenge in the teams file, "
            "or add [[criteria]] for teams without one"
        ).format(team=team, challenges=given)
    return _(
        "team {team!r} is in challenge {challenge!r}, for which the rubric gives no "
        "criteria (it gives criteria for {challenges}); correct the challenge, or "
        "add [[criteria]] for the other teams"
    ).format(team=team, challenge=challenge, challenges=given)


def unknown_teams(jury: JuryInput) -> Iterable[Problem]:
    """Marks and assignments of teams the teams file does not list (nothing without one)."""
    if jury.teams is None:
        return
    known = {str(team) for team in jury.teams[col.TEAM]}
    unknown = jury.marks[~jury.marks[col.TEAM].isin(known)]
    for mark in rows(first_per(unknown, [col.FILE, col.SHEET, col.ROW, col.TEAM])):
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


def unknown_jurors(jury: JuryInput) -> Iterable[Problem]:
    """Sheets of jurors the assignments file does not name (nothing without one), at the
    sheet's "Juror:" cell if it has one."""
    if jury.assignments is None:
        return
    assigned = {str(juror) for juror in jury.assignments[col.JUROR].dropna().unique()}
    unknown = jury.marks[~jury.marks[col.JUROR].isin(assigned)]
    for mark in rows(first_per(unknown, [col.FILE, col.SHEET, col.JUROR])):
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
