"""From jurors' marks to team scores and rankings: the one entry point is :func:`score`.

Order of combination:

* ``criterion-first``: each criterion is aggregated across jurors (the method's panel
  score, rounded at stage "criterion"), multiplied by its weight (rounded at "weighted")
  and summed over the counted criteria (rounded at "total").
* ``juror-first``: each juror's weighted total is computed from their raw marks, then the
  method aggregates those totals across jurors (rounded at "total"). The per-criterion
  columns are still the method applied per criterion, shown for information and used by
  ``criterion:<id>`` tie-breaks. Borda and Copeland are always juror-first.

The weighted total is the plain sum of weight x criterion score over the criteria that
count: weights are used as the rubric gives them, not normalised to sum to one, because the
published rubric's weights are what teams were promised. Independent criteria are scored
and shown but never counted. A team missing a panel score on a counted criterion, and a
juror missing a mark on one, get no total (validation reports the missing marks).

The totals are computed in :mod:`scoring.totals`, the ranking table with its tie-breaks in
:mod:`scoring.rankingtable`; this module holds the order of work and what it returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.columns import CRITERION, JUROR, NORMALISED, SCORE, TEAM
from scoring.config import RANK_METHODS, Config
from scoring.errors import Problem
from scoring.methods import aggregate_marks
from scoring.rankingtable import challenge_rankings, ranking_table, tie_breaks_left_out
from scoring.rounding import round_stage
from scoring.rubric import WEIGHT, per_mark, team_rubric
from scoring.totals import team_totals, weighted_totals


@dataclass(frozen=True)
class Scores:
    """Everything :func:`score` computes; see the module docstring for the order of work.

    criteria : TEAM, CRITERION, SCORE: panel score per criterion, after rounding
        (independent criteria included; ``Criterion.independent`` says which).
    ranking : RANK, TEAM, (CHALLENGE,) TOTAL, one column per criterion id, N_JURORS,
        DISAGREEMENT, MIN_TOTAL, MAX_TOTAL, TIE_NOTE; sorted by rank, then team.
    by_challenge : challenge id -> the same columns, ranked within the challenge.
    normalised : the marks used (original index and columns) with a NORMALISED column: the
        mark itself for mean, median, trimmed_mean, borda and copeland, the z-mapped mark
        for zscore, mark - juror effect for judge_effects; per criterion in both orders.
    juror_totals : JUROR, TEAM, TOTAL: each juror's weighted total from their raw marks; in
        the juror-first order (always for borda and copeland), also NORMALISED: the total as
        the method used it (z-mapped for zscore, less the juror effect for judge_effects).
    problems : warnings (e.g. a juror who could not be standardised).
    """

    criteria: pd.DataFrame
    ranking: pd.DataFrame
    by_challenge: Mapping[str, pd.DataFrame]
    normalised: pd.DataFrame
    juror_totals: pd.DataFrame
    problems: tuple[Problem, ...] = field(default=())


def score(marks: pd.DataFrame, config: Config) -> Scores:
    """Aggregate jurors' marks into team scores and rankings, as the rubric says.

    Parameters
    ----------
    marks : DataFrame
        One row per mark: JUROR, TEAM, CRITERION, SCORE, optionally CHALLENGE. Missing
        scores, and marks on criteria outside the team's rubric, are ignored.
    config : Config
        Criteria with weights, method, rounding and tie-breaks.

    Returns
    -------
    Scores

    Raises
    ------
    MethodError
        When the method cannot be applied (too few marks to trim, jurors who share no teams).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Criterion, Scale
    >>> scale = Scale(Decimal(0), Decimal(10))
    >>> config = Config(criteria=(Criterion("impact", {}, Decimal(2), scale),
    ...                           Criterion("design", {}, Decimal(1), scale)))
    >>> marks = pd.DataFrame({"juror": ["a", "a", "b", "b"], "team": ["T"] * 4,
    ...                       "criterion": ["impact", "design"] * 2,
    ...                       "score": [8.0, 6.0, 6.0, 7.0]})
    >>> score(marks, config).ranking[["rank", "team", "score"]].to_dict("records")
    [{'rank': 1, 'team': 'T', 'score': 20.5}]
    """
    # Categorical keys: every groupby below works on integer codes, not on strings.
    coded = marks[marks[SCORE].notna()].astype(
        {JUROR: "category", TEAM: "category", CRITERION: "category", SCORE: float}
    )
    rubric = team_rubric(coded, config)
    coded = coded.astype({CRITERION: rubric[CRITERION].dtype})
    used = coded[~np.isnan(per_mark(rubric[WEIGHT], rubric, coded))]
    # Rank methods score each criterion by rank too, so the criterion columns stay comparable.
    juror_first = config.method.name in RANK_METHODS or config.method.order == "juror-first"
    per_criterion = aggregate_marks(used, config.method, shown_only=juror_first)
    criteria = per_criterion.panel.assign(
        **{SCORE: lambda frame: round_stage(frame[SCORE], config.rounding, "criterion")}
    )
    juror_totals = weighted_totals(used, rubric)
    totals, problems, adjusted = team_totals(criteria, juror_totals, rubric, config)
    if adjusted is not None:
        juror_totals = juror_totals.assign(**{NORMALISED: adjusted})
    ranking = ranking_table(totals, criteria, juror_totals, used, rubric, config)
    return Scores(
        criteria=_plain(criteria),
        ranking=_plain(ranking),
        by_challenge={
            key: _plain(frame)
            for key, frame in challenge_rankings(ranking, criteria, juror_totals, config).items()
        },
        normalised=marks.loc[used.index].assign(**{NORMALISED: per_criterion.normalised}),
        juror_totals=_plain(juror_totals),
        problems=per_criterion.problems + problems + tie_breaks_left_out(used, criteria, config),
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical key columns back to the dtype of their values, for callers."""
    return frame.astype(
        {
            column: frame[column].cat.categories.dtype
            for column in frame.columns
            if isinstance(frame[column].dtype, pd.CategoricalDtype)
        }
    )
