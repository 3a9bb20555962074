"""Weighted totals: each juror's per team, and each team's, in the rubric's order of combination.

A juror's total is the weighted sum of their raw marks on the counted criteria, only where
they marked every one. A team's total is, criterion-first, the sum of weight x panel score in
exact decimals; juror-first (always for Borda and Copeland), the method's aggregate of the
jurors' totals. Both are rounded at stage "total", with a warning when rounding leaves too few
different scores to rank by. :func:`scoring.aggregate.score` puts them together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.columns import CRITERION, JUROR, SCORE, TEAM, TOTAL
from scoring.config import RANK_METHODS, Config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.i18n import ngettext
from scoring.methods import aggregate_marks, comparable
from scoring.rounding import round_stage, weighted_sum
from scoring.rubric import INDEPENDENT, WEIGHT, per_mark

# The pseudo-criterion under which juror-first aggregates the jurors' totals.
TOTAL_CRITERION = "\x00total"
# Jurors' totals carry at most this many decimals (marks and weights have far fewer).
TOTAL_DECIMALS = 12


def weighted_totals(used: pd.DataFrame, rubric: pd.DataFrame) -> pd.DataFrame:
    """Each juror's weighted total per team; only where they marked every counted criterion."""
    counted = ~rubric[INDEPENDENT].astype(bool)
    weight = per_mark(rubric[WEIGHT].where(counted), rubric, used)
    needed = rubric[counted].groupby(TEAM, observed=False).size()
    sums = (
        used.assign(_points=weight * used[SCORE].to_numpy(), _counted=~np.isnan(weight))
        .groupby([JUROR, TEAM], observed=True, sort=True)
        .agg(_total=("_points", "sum"), _marks=("_counted", "sum"))
        .reset_index()
    )
    marks = sums["_marks"].to_numpy()
    complete = (marks == needed.to_numpy()[sums[TEAM].cat.codes.to_numpy()]) & (marks > 0)
    return (
        sums.loc[complete, [JUROR, TEAM, "_total"]]
        # The float nearest the exact decimal sum: 0.3 * 7.5 + 0.2 * 8 shows as 3.85, and
        # equal totals compare equal in tie-breaks.
        .assign(_total=lambda frame: frame["_total"].round(TOTAL_DECIMALS))
        .rename(columns={"_total": TOTAL})
        .reset_index(drop=True)
    )


def team_totals(
    criteria: pd.DataFrame, juror_totals: pd.DataFrame, rubric: pd.DataFrame, config: Config
) -> tuple[pd.Series, tuple[Problem, ...], pd.Series | None]:
    """Each team's total, the method's warnings, and (juror-first) each juror total as the
    method used it, aligned with ``juror_totals``."""
    adjusted = None
    if config.method.name in RANK_METHODS or config.method.order == "juror-first":
        pooled = juror_totals.assign(**{CRITERION: TOTAL_CRITERION})
        result = aggregate_marks(pooled, config.method)
        totals = result.panel.set_index(TEAM)[SCORE]
        problems = tuple(_rename_total(p) for p in result.problems)
        adjusted = result.normalised
        if config.method.name in RANK_METHODS:
            problems += _not_compared(totals, config.method.name)
    else:
        totals, problems = _criterion_first_totals(criteria, rubric, config), ()
    teams = rubric[TEAM].drop_duplicates()
    unrounded = totals.reindex(teams).rename(TOTAL)
    totals = round_stage(unrounded, config.rounding, "total")
    return totals, problems + _rounded_away(unrounded, totals, config), adjusted


def _rounded_away(unrounded: pd.Series, rounded: pd.Series, config: Config) -> tuple[Problem, ...]:
    """A warning when rounding the totals leaves fewer than half as many different scores
    as there were different totals: the rubric's decimals are too few for its scores (Borda's
    0 to 1 to whole numbers, tiny weights to hundredths), and ranks then come from the
    tie-breaks or are shared."""
    before = comparable(unrounded.dropna()).nunique()
    after = comparable(rounded.dropna()).nunique()
    if config.rounding.decimals is None or before < 2 or after * 2 > before:
        return ()
    message = ngettext(
        "rounding the totals to {decimals} decimals leaves one score for {before} different "
        "totals, so the ranks come from the tie-breaks or are shared; check that the rubric's "
        "decimals suit the range of its scores",
        "rounding the totals to {decimals} decimals leaves {after} different scores for "
        "{before} different totals, so most ranks come from the tie-breaks or are shared; "
        "check that the rubric's decimals suit the range of its scores",
        after,
    ).format(decimals=config.rounding.decimals, after=after, before=before)
    return (Problem("warning", "rounded_away", message),)


def _criterion_first_totals(
    criteria: pd.DataFrame, rubric: pd.DataFrame, config: Config
) -> pd.Series:
    """Per team: sum of weight x panel score over counted criteria, in exact decimals."""
    counted = rubric[~rubric[INDEPENDENT].astype(bool)]
    weighted = counted.merge(criteria, on=[TEAM, CRITERION], how="left")
    weights: dict[object, list[float]] = {}
    values: dict[object, list[float]] = {}
    for team, weight, value in zip(weighted[TEAM], weighted[WEIGHT], weighted[SCORE], strict=True):
        weights.setdefault(team, []).append(weight)
        values.setdefault(team, []).append(value)
    return pd.Series(
        {team: weighted_sum(weights[team], values[team], config.rounding) for team in weights},
        dtype=float,
    )


def _not_compared(totals: pd.Series, method: str) -> tuple[Problem, ...]:
    """A warning for each team a rank method could not score: each of its jurors scored it
    alone, so no juror placed it above or below another team."""
    return tuple(
        Problem(
            "warning",
            "not_compared",
            _(
                "team {team} has no {method} score: each juror who scored it scored no other "
                "team, so nobody placed it above or below another; it is ranked last; have a "
                "juror who scored other teams score it too"
            ).format(team=team, method=method),
        )
        for team in totals.index[totals.isna()]
    )


def _rename_total(problem: Problem) -> Problem:
    message = problem.message.replace(TOTAL_CRITERION, _("the weighted total"))
    return Problem(problem.severity, problem.code, message)
