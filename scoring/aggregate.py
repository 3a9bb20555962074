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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
    NORMALISED,
    RANK,
    SCORE,
    TEAM,
    TIE_NOTE,
    TOTAL,
)
from scoring.config import RANK_METHODS, Config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.i18n import ngettext
from scoring.methods import aggregate_marks, comparable
from scoring.ranking import rank_with_tie_breaks, tie_break_keys, tie_break_label
from scoring.rounding import round_stage, weighted_sum
from scoring.rubric import INDEPENDENT, WEIGHT, per_mark, team_rubric

# The pseudo-criterion under which juror-first aggregates the jurors' totals.
TOTAL_CRITERION = "\x00total"
# Jurors' totals carry at most this many decimals (marks and weights have far fewer).
TOTAL_DECIMALS = 12


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
    juror_totals = _juror_totals(used, rubric)
    totals, problems, adjusted = _team_totals(criteria, juror_totals, rubric, config)
    if adjusted is not None:
        juror_totals = juror_totals.assign(**{NORMALISED: adjusted})
    ranking = _ranking(totals, criteria, juror_totals, used, rubric, config)
    return Scores(
        criteria=_plain(criteria),
        ranking=_plain(ranking),
        by_challenge={
            key: _plain(frame)
            for key, frame in _by_challenge(ranking, criteria, juror_totals, config).items()
        },
        normalised=marks.loc[used.index].assign(**{NORMALISED: per_criterion.normalised}),
        juror_totals=_plain(juror_totals),
        problems=per_criterion.problems + problems + _tie_breaks_left_out(used, criteria, config),
    )


def _tie_breaks_left_out(
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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical key columns back to the dtype of their values, for callers."""
    return frame.astype(
        {
            column: frame[column].cat.categories.dtype
            for column in frame.columns
            if isinstance(frame[column].dtype, pd.CategoricalDtype)
        }
    )


def _juror_totals(used: pd.DataFrame, rubric: pd.DataFrame) -> pd.DataFrame:
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


def _team_totals(
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


def _ranking(
    totals: pd.Series,
    criteria: pd.DataFrame,
    juror_totals: pd.DataFrame,
    used: pd.DataFrame,
    rubric: pd.DataFrame,
    config: Config,
) -> pd.DataFrame:
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


def _by_challenge(
    ranking: pd.DataFrame, criteria: pd.DataFrame, juror_totals: pd.DataFrame, config: Config
) -> dict[str, pd.DataFrame]:
    if CHALLENGE not in ranking.columns:
        return {}
    wide = _criteria_wide(criteria, config)
    result = {}
    for challenge, teams in ranking.dropna(subset=[CHALLENGE]).groupby(CHALLENGE, sort=True):
        frame = teams.drop(columns=[RANK, TIE_NOTE]).set_index(TEAM)
        within = juror_totals[juror_totals[TEAM].isin(frame.index)]
        result[str(challenge)] = _ranked(frame, wide, within, config)
    return result
