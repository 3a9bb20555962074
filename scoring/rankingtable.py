"""The ranking table: each team's total, its criterion scores, its jurors' spread and its rank.

Teams with equal totals are separated by the rubric's tie-breaks (:mod:`scoring.ranking`),
on the whole ranking and within each challenge; a criterion tie-break whose criterion has no
panel score is left out with a warning. :func:`scoring.aggregate.score` builds the table from
the totals of :mod:`scoring.totals`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.columns import (
    CHALLENGE,
    CRITERION,
    DISAGREEMENT,
    JUROR,
    MAX_TOTAL,
    MIN_TOTAL,
    N_JURORS,
    RANK,
    SCORE,
    TEAM,
    TIE_NOTE,
    TOTAL,
)
from scoring.config import Config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.ranking import rank_with_tie_breaks, tie_break_keys, tie_break_label


def ranking_table(
    totals: pd.Series,
    criteria: pd.DataFrame,
    juror_totals: pd.DataFrame,
    used: pd.DataFrame,
    rubric: pd.DataFrame,
    config: Config,
) -> pd.DataFrame:
    """The ranking of every team, sorted by rank, then team.

    Parameters
    ----------
    totals : Series
        Each team's rounded total, indexed by team.
    criteria : DataFrame
        TEAM, CRITERION, SCORE: the panel score per criterion.
    juror_totals : DataFrame
        JUROR, TEAM, TOTAL: each juror's weighted total (their spread, the tie-breaks).
    used : DataFrame
        The marks used (how many jurors marked each team, and whether there are challenges).
    rubric : DataFrame
        Each team's criteria, with its CHALLENGE.
    config : Config

    Returns
    -------
    DataFrame
        RANK, TEAM, (CHALLENGE,) TOTAL, one column per criterion id, N_JURORS, DISAGREEMENT,
        MIN_TOTAL, MAX_TOTAL, TIE_NOTE.
    """
    wide = _criteria_wide(criteria, config)
    spread = juror_totals.groupby(TEAM)[TOTAL]
    teams = rubric[[TEAM, CHALLENGE]].drop_duplicates(TEAM).set_index(TEAM)
    frame = (
        pd.DataFrame({TOTAL: totals})
        .join(wide)
        .assign(
            **{
                N_JURORS: used.groupby(TEAM)[JUROR].nunique(),
                DISAGREEMENT: spread.std(ddof=1),
                MIN_TOTAL: spread.min(),
                MAX_TOTAL: spread.max(),
            }
        )
    )
    frame[N_JURORS] = frame[N_JURORS].fillna(0).astype(np.int64)
    if CHALLENGE in used.columns:
        frame.insert(0, CHALLENGE, teams[CHALLENGE].reindex(frame.index))
    return _ranked(frame, wide, juror_totals, config)


def _ranked(
    frame: pd.DataFrame, wide: pd.DataFrame, juror_totals: pd.DataFrame, config: Config
) -> pd.DataFrame:
    keys = tie_break_keys(config.tie_breaks, wide.reindex(frame.index), juror_totals)
    labels = {tie_break: tie_break_label(tie_break, config) for tie_break in config.tie_breaks}
    ranks = rank_with_tie_breaks(frame[TOTAL], keys, labels)
    return (
        frame.assign(**{RANK: ranks[RANK], TIE_NOTE: ranks[TIE_NOTE]})
        .rename_axis(TEAM)
        .reset_index()
        .pipe(lambda ranked: ranked[[RANK, *[c for c in ranked.columns if c != RANK]]])
        .sort_values([RANK, TEAM], kind="stable", ignore_index=True)
    )


def _criteria_wide(criteria: pd.DataFrame, config: Config) -> pd.DataFrame:
    order = [criterion.id for criterion in config.all_criteria()]
    return (
        criteria.astype({CRITERION: str})
        .pivot(index=TEAM, columns=CRITERION, values=SCORE)
        .reindex(columns=order)
        .rename_axis(columns=None)
    )


def challenge_rankings(
    ranking: pd.DataFrame, criteria: pd.DataFrame, juror_totals: pd.DataFrame, config: Config
) -> dict[str, pd.DataFrame]:
    """Challenge id -> the teams of ``ranking`` (a :func:`ranking_table`) in that challenge,
    ranked again among themselves (tie-breaks on their jurors' totals only); empty when
    ``ranking`` has no CHALLENGE column."""
    if CHALLENGE not in ranking.columns:
        return {}
    wide = _criteria_wide(criteria, config)
    result = {}
    for challenge, teams in ranking.dropna(subset=[CHALLENGE]).groupby(CHALLENGE, sort=True):
        frame = teams.drop(columns=[RANK, TIE_NOTE]).set_index(TEAM)
        within = juror_totals[juror_totals[TEAM].isin(frame.index)]
        result[str(challenge)] = _ranked(frame, wide, within, config)
    return result


def tie_breaks_left_out(
    used: pd.DataFrame, criteria: pd.DataFrame, config: Config
) -> tuple[Problem, ...]:
    """A warning for each criterion tie-break whose criterion was marked but has no panel
    score (judge_effects, juror-first: a criterion whose marks do not link the jurors): teams
    tied on the total cannot be told apart by it, whatever the tie notes say of it."""
    wanted = {rule.split(":", 1)[1] for rule in config.tie_breaks if rule.startswith("criterion:")}
    if not wanted:
        return ()
    # unique() first: the key columns are categorical, with a row per mark.
    scored = {str(criterion) for criterion in criteria[CRITERION].unique()}
    marked = {str(criterion) for criterion in used[CRITERION].unique()}
    return tuple(
        Problem(
            "warning",
            "tie_break_left_out",
            _(
                "the tie-break on criterion {criterion} is left out: the criterion's column is "
                "empty (see the warning about it), so teams tied on their score are told apart "
                "by the next tie-break, or stay tied"
            ).format(criterion=tie_break.split(":", 1)[1]),
        )
        for tie_break in config.tie_breaks
        if tie_break.startswith("criterion:") and tie_break.split(":", 1)[1] in marked - scored
    )
