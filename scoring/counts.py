"""Checks of how many: jurors per team, teams per juror, scores on a juror's sheets, challenges
per team.

A team scored by fewer jurors than min_jurors is an error; a juror who scored few teams, or
whose sheets hold no score at all, a warning; a team in another challenge on a sheet than in
the teams file, or in several, an error.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.i18n import ngettext
from scoring.places import at, rows
from scoring.sheets import JuryInput

# Fewer teams than this per juror earns a warning (for normalising methods: min_marks).
FEW_TEAMS = 3
NORMALISING = ("zscore", "judge_effects")


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
