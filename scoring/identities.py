"""Ids that do not line up across the jury's files and the rubric.

A conflict of interest declared for a juror or team id that no sheet uses is never enforced,
and criteria for a challenge no team is in are never applied: both would pass unseen, so each
is an error naming what to correct in the rubric. Two ids that differ only in upper and lower
case, in spaces or in leading zeros (``Anna.Weber`` and ``anna.weber``, ``07`` and ``7``)
count as two jurors or teams; without an assignments or teams file nothing else would say so,
so they get a warning (with one, see :mod:`scoring.teamids`). A team row whose name is
another team's in the teams file (a name column sorted on its own) is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import UNREAD, Problem
from scoring.headers import normalise
from scoring.i18n import gettext as _
from scoring.places import at, at_juror_cell, none_if_missing, rows
from scoring.sheets import JuryInput, team_values
from scoring.spellings import folded


def rubric_references(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """The rubric's conflicts and challenge rubrics that name no juror, team or challenge of
    the jury: an error when the jury spells the id otherwise (case, spaces), or when the
    assignments (jurors) or the teams file (teams, challenges) list them all; else a warning
    (a juror whose sheet has not come yet). Nothing is said of ids a file that could not be
    read may hold: that file's problem comes first."""
    unread = any(p.code in UNREAD and p.severity == "error" for p in jury.problems)
    jurors = _ids(col.JUROR, jury.marks, jury.assignments)
    teams = _ids(col.TEAM, jury.marks, jury.assignments, jury.teams)
    challenges = _ids(col.CHALLENGE, jury.marks, jury.teams)
    listed = (
        jury.assignments is not None,
        jury.teams is not None,
        jury.teams is not None and bool(_ids(col.CHALLENGE, jury.teams)),
    )
    found = [
        *(
            (juror, None, look_alike(juror, jurors), listed[0])
            for juror in sorted(config.conflicts)
            if juror not in jurors
        ),
        *(
            (juror, team, look_alike(team, teams), listed[1])
            for juror, declared in sorted(config.conflicts.items())
            for team in sorted(declared - teams)
        ),
    ]
    for juror, team, like, complete in found:
        if like is not None or not unread:
            severity = "error" if like is not None or complete else "warning"
            yield _unknown_conflict(severity, juror, team, like)
    for challenge in sorted(set(config.challenge_criteria) - challenges):
        like = look_alike(challenge, challenges)
        if like is not None or not unread:
            severity = "error" if like is not None or listed[2] else "warning"
            yield _unknown_challenge(severity, challenge, challenges)


def look_alikes(jury: JuryInput) -> Iterable[Problem]:
    """A warning for each juror or team id spelt in more than one way (case, spaces), at the
    first mark of each rarer spelling. Team ids of which a spelling is not in the teams file
    are left to :func:`scoring.teamchecks.unknown_teams`: its error names the listed one."""
    listed = None if jury.teams is None else {str(team) for team in jury.teams[col.TEAM]}
    for key in (col.JUROR, col.TEAM):
        spellings = jury.marks[key].dropna().astype(str)
        counts = spellings.value_counts(sort=False)
        groups: dict[str, list[str]] = {}
        for spelling in sorted(counts.index, key=lambda s: (-counts[s], s)):
            groups.setdefault(folded(spelling), []).append(spelling)
        alike = [group for group in groups.values() if len(group) > 1]
        if key == col.TEAM and listed is not None:
            alike = [group for group in alike if listed.issuperset(group)]
        if not alike:
            continue
        # The first mark of each spelling, found once (not one search of the marks each).
        present = np.flatnonzero(jury.marks[key].notna().to_numpy())
        new = ~spellings.duplicated().to_numpy()
        row_of = dict(zip(spellings.to_numpy()[new], present[new], strict=True))
        for same in alike:
            ids = ", ".join(repr(spelling) for spelling in same)
            for rarer in same[1:]:
                first = jury.marks.iloc[row_of[rarer]]
                found = at(first, "warning", "look_alike_ids", _look_alike(key, ids), column=False)
                yield at_juror_cell(found, jury) if key == col.JUROR else found


def _look_alike(key: str, ids: str) -> str:
    if key == col.JUROR:
        return _(
            "juror ids {ids} differ only in upper and lower case, spaces or leading zeros, so "
            "they count as different jurors; if they are one juror, write the id the same way on "
            "every sheet"
        ).format(ids=ids)
    return _(
        "team ids {ids} differ only in upper and lower case, spaces or leading zeros, so they "
        "count as different teams; if they are one team, write the id the same way everywhere"
    ).format(ids=ids)


def _ids(key: str, *frames: pd.DataFrame | None) -> set[str]:
    found: set[str] = set()
    for frame in frames:
        if frame is not None and key in frame:
            found.update(str(v) for v in frame[key].unique() if none_if_missing(v) is not None)
    return found


def look_alike(name: str, known: set[str]) -> str | None:
    """The id of ``known`` spelt like ``name`` but for case, spaces and leading zeros, if any."""
    return next((k for k in sorted(known) if folded(k) == folded(name)), None)


def _unknown_conflict(severity: str, juror: str, team: str | None, like: str | None) -> Problem:
    if team is None and like is not None:
        message = _(
            "the rubric declares conflicts of interest for juror {juror!r}, but the sheets "
            "name {like!r}; write the juror's id in [conflicts] as the sheets do"
        ).format(juror=juror, like=like)
    elif team is None:
        message = _(
            "the rubric declares conflicts of interest for juror {juror!r}, whom no sheet or "
            "assignment names, so they are not checked; correct the id in [conflicts], or "
            "remove it"
        ).format(juror=juror)
    elif like is not None:
        message = _(
            "the rubric declares a conflict of interest of juror {juror!r} with team {team!r}, "
            "but the files name {like!r}; write the team's id in [conflicts] as they do"
        ).format(juror=juror, team=team, like=like)
    else:
        message = _(
            "the rubric declares a conflict of interest of juror {juror!r} with team {team!r}, "
            "which no sheet, teams file or assignment names, so it is not checked; correct the "
            "id in [conflicts], or remove it"
        ).format(juror=juror, team=team)
    return Problem(severity, "unknown_conflict", message)  # type: ignore[arg-type]


def _unknown_challenge(severity: str, challenge: str, challenges: set[str]) -> Problem:
    if challenges:
        message = _(
            "the rubric has criteria for challenge {challenge!r}, but no team is in that "
            "challenge (the teams' challenges: {known}), so they would not be used; correct "
            "the challenge's name in [challenges], or remove its criteria"
        ).format(challenge=challenge, known=", ".join(sorted(challenges)))
    else:
        message = _(
            "the rubric has criteria for challenge {challenge!r}, but no team has a challenge, "
            "so they would not be used; give a teams file with a challenge column, or remove "
            "the challenge's criteria"
        ).format(challenge=challenge)
    return Problem(severity, "unknown_challenge", message)  # type: ignore[arg-type]


def team_names(jury: JuryInput) -> Iterator[Problem]:
    """Team rows of wide sheets whose name is not the teams file's name for their id.

    A name that the teams file gives another team is an error at its row: a name column
    sorted on its own gives each id another team's name, and a juror who scored by the names
    scored other teams than the ids say. Any other name is a warning, once per id and name
    as written (at its first row): a team renamed since, or a typo. Names are compared
    without case, accents, spaces and punctuation.
    """
    names = jury.team_names
    listed = team_values(jury.teams, col.TEAM_NAME)
    if names is None or names.empty or not listed:
        return
    owners: dict[str, set[str]] = {}
    for team, name in listed.items():
        owners.setdefault(normalise(name), set()).add(team)
    keys = {name: normalise(name) for name in names[col.TEAM_NAME].unique()}
    written = names[col.TEAM_NAME].map(keys)
    expected = names[col.TEAM].map({team: normalise(name) for team, name in listed.items()})
    differ = names[expected.notna() & (written != expected)]
    seen: dict[tuple[str, str], int] = {}
    for row in rows(differ):
        team, name = str(row[col.TEAM]), str(row[col.TEAM_NAME])
        others = owners.get(keys[name], set()) - {team}
        if len(others) == 1:
            other = others.pop()
            message = _(
                "this row gives team {team!r} the name {name!r}, which the teams file gives "
                "team {other!r}; check which team these scores are for, and correct the team "
                "id or the name"
            ).format(team=team, name=name, other=other)
            yield at(row, "error", "team_name_swapped", message, column=False)
        else:
            seen[(team, keys[name])] = seen.get((team, keys[name]), 0) + 1
            if seen[(team, keys[name])] == 1:
                message = _(
                    "team {team!r} is named {name!r} here but {listed!r} in the teams file; "
                    "check that these scores are for that team"
                ).format(team=team, name=name, listed=listed[team])
                yield at(row, "warning", "team_name_differs", message, column=False)
