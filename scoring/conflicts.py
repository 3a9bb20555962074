"""Conflicts of interest declared in the rubric: a juror's scores for such a team are an
error, an assignment of it a warning (no score is expected for it).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.places import at, first_per, pairs_of, rows
from scoring.sheets import JuryInput


def conflicts_of_interest(jury: JuryInput, config: Config) -> Iterable[Problem]:
    """An error for each row scoring a team its juror declared a conflict of interest with,
    a warning for each assignment of such a team."""
    declared = sorted((j, t) for j, teams in config.conflicts.items() for t in teams)
    if not declared:
        return
    keys = [col.JUROR, col.TEAM]
    pairs = pd.MultiIndex.from_tuples(declared, names=keys)
    hit = jury.marks[pairs_of(jury.marks, keys).isin(pairs)]
    for mark in rows(first_per(hit, [col.FILE, col.SHEET, col.ROW])):
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
