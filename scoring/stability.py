"""How stable the ranking is under a change of jury: a bootstrap over the jurors.

Each resample draws as many jurors as the jury has, with replacement
(``numpy.random.default_rng(config.bootstrap.seed)``), and ranks the teams with the *same*
method and order as the official ranking (``config.method``), vectorised over resamples in
:mod:`scoring.bootstrap_methods`. Neither rounding nor the rubric's tie-breaks are applied
inside the bootstrap.

Rules worth knowing when reading the result:

* ties within a resample share the best rank (1, 2, 2, 4); totals within 1e-9 tie, as in
  :mod:`scoring.ranking`;
* a team none of whose jurors was drawn has no total in that resample and is ranked below every
  team that has one (so that the others' ranks are among the teams judged); that rank is no
  placing of its own: ``p_unjudged`` is how often it happened, the team's median rank and
  interval are over the resamples that judged it, and ``p_first``, ``p_top3`` and the rank
  probabilities count only those (they are shares of all resamples: a team's probabilities
  add up to 1 - p_unjudged);
* teams are ranked all together, like ``Scores.ranking`` (each team scored with its
  challenge's rubric), or with ``by_challenge=True`` within their challenge, like
  ``Scores.by_challenge``; with a CHALLENGE column the summary carries it;
* ``rank_low`` and ``rank_high`` are the (1 - interval) / 2 and (1 + interval) / 2 quantiles
  of the team's ranks, taken as ranks that occurred (the one below and the one above), so a
  90% interval holds at least 90% of the resamples;
* the resamples depend only on the seed and the number of jurors (jurors in sorted order),
  not on how they are split into chunks to bound memory.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.bootstrap_methods import Vectorised, build_design, vectorise
from scoring.columns import CHALLENGE, TEAM
from scoring.config import Bootstrap, Config
from scoring.methods import comparable
from scoring.ranks import min_ranks

MEDIAN_RANK = "median_rank"
RANK_LOW = "rank_low"
RANK_HIGH = "rank_high"
P_FIRST = "p_first"
P_TOP3 = "p_top3"
P_UNJUDGED = "p_unjudged"

# Working memory of one chunk of resamples; the methods say how much one resample needs.
CHUNK_BYTES = 32 * 2**20
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Stability:
    """Bootstrap rank stability of each team.

    ``summary``: TEAM, median_rank, rank_low, rank_high (the ``config.bootstrap.interval``
    central interval of the rank), p_first, p_top3, p_unjudged; sorted by median rank.
    ``probabilities``: index TEAM (same order), columns rank 1..n, values P(rank).
    """

    summary: pd.DataFrame
    probabilities: pd.DataFrame


def stability(
    marks: pd.DataFrame,
    config: Config,
    *,
    progress: Progress | None = None,
    by_challenge: bool = False,
) -> Stability:
    """Bootstrap the jurors and rank the teams again with ``config.method`` each time.

    Parameters
    ----------
    marks : DataFrame
        Long marks frame: JUROR, TEAM, CRITERION, SCORE (and optionally CHALLENGE), the same
        frame :func:`scoring.aggregate.score` takes.
    config : Config
        Method, criteria weights and ``bootstrap`` settings (samples, seed, interval).
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk of resamples.
    by_challenge : bool
        Rank the teams within their challenge (as ``Scores.by_challenge``) instead of all
        together (as ``Scores.ranking``); the summary is then sorted by challenge first.

    Returns
    -------
    Stability

    Examples
    --------
    >>> from scoring.config import Criterion, Scale
    >>> from decimal import Decimal
    >>> rubric = (Criterion("idea", {"en": "Idea"}, Decimal(1), Scale(Decimal(0), Decimal(10))),)
    >>> marks = pd.DataFrame({"juror": list("aabb"), "team": list("xyxy"),
    ...                       "criterion": "idea", "score": [9.0, 1.0, 8.0, 2.0]})
    >>> stability(marks, Config(criteria=rubric)).summary["p_first"].tolist()
    [1.0, 0.0]
    """
    design = build_design(marks, config)
    if not design.jurors:
        return _empty(marks)
    method = vectorise(design, config.method)
    groups = _groups(marks, design.teams) if by_challenge else [np.arange(len(design.teams))]
    ranks, unjudged = _bootstrap_ranks(
        len(design.jurors), method, config.bootstrap, groups, progress
    )
    summary = _summarise(ranks, unjudged, design.teams, config.bootstrap.interval).pipe(
        _with_challenges, marks
    )
    if by_challenge and CHALLENGE in summary.columns:
        summary = summary.sort_values(CHALLENGE, kind="stable", ignore_index=True)
    width = max(len(group) for group in groups)
    probabilities = _rank_probabilities(ranks, unjudged, design.teams, width)
    probabilities = probabilities.loc[summary[TEAM]]
    return Stability(summary, probabilities)


def in_ranking_order(stable: Stability, teams: Sequence[str]) -> Stability:
    """``stable`` with its teams in the order of ``teams`` (the official ranking), so that its
    rows line up with the ranking's; teams not in ``teams`` last, as they were.

    Examples
    --------
    >>> summary = pd.DataFrame({"team": ["b", "a"], "median_rank": [1.0, 2.0]})
    >>> probabilities = pd.DataFrame({1: [0.6, 0.4], 2: [0.4, 0.6]}, index=["b", "a"])
    >>> ordered = in_ranking_order(Stability(summary, probabilities), ["a", "b"])
    >>> ordered.summary["team"].tolist(), ordered.probabilities.index.tolist()
    (['a', 'b'], ['a', 'b'])
    """
    position = {team: index for index, team in enumerate(teams)}
    key = stable.summary[TEAM].map(position).fillna(len(position))
    summary = stable.summary.iloc[np.argsort(key.to_numpy(), kind="stable")]
    summary = summary.reset_index(drop=True)
    return Stability(summary, stable.probabilities.loc[summary[TEAM]])


def _with_challenges(summary: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The team's challenge (its first non-missing one, as ``score`` takes) after TEAM."""
    if CHALLENGE not in marks.columns:
        return summary
    first = marks.dropna(subset=[CHALLENGE]).groupby(TEAM)[CHALLENGE].first()
    columns = [TEAM, CHALLENGE, *summary.columns[1:]]
    return summary.assign(**{CHALLENGE: first.reindex(summary[TEAM]).to_numpy()})[columns]


def _empty(marks: pd.DataFrame) -> Stability:
    columns = [TEAM, MEDIAN_RANK, RANK_LOW, RANK_HIGH, P_FIRST, P_TOP3, P_UNJUDGED]
    if CHALLENGE in marks.columns:
        columns.insert(1, CHALLENGE)
    probabilities = pd.DataFrame(index=pd.Index([], name=TEAM), columns=pd.RangeIndex(1, 1))
    return Stability(pd.DataFrame(columns=columns), probabilities.rename_axis(columns="rank"))


def _groups(marks: pd.DataFrame, teams: tuple[str, ...]) -> list[np.ndarray]:
    """Column positions of the teams of each challenge (teams without one form a group)."""
    if CHALLENGE not in marks.columns:
        return [np.arange(len(teams))]
    first = marks.dropna(subset=[CHALLENGE]).groupby(TEAM)[CHALLENGE].first()
    challenge = first.reindex(list(teams)).astype(object).fillna("")
    return [np.flatnonzero(challenge.to_numpy() == c) for c in challenge.unique()]


def _bootstrap_ranks(
    jurors: int,
    method: Vectorised,
    settings: Bootstrap,
    groups: list[np.ndarray],
    progress: Progress | None,
) -> tuple[np.ndarray, np.ndarray]:
    """(samples, teams) ranks and whether the team had no drawn juror, chunk by chunk."""
    samples = settings.samples
    chunk = max(1, min(samples, CHUNK_BYTES // max(1, method.bytes_per_resample)))
    rng = np.random.default_rng(settings.seed)
    ranks, unjudged = [], []
    for start in range(0, samples, chunk):
        size = min(chunk, samples - start)
        drawn = rng.integers(0, jurors, size=(size, jurors))
        rows = np.repeat(np.arange(size), jurors)
        counts = np.bincount(rows * jurors + drawn.ravel(), minlength=size * jurors)
        totals = method.totals(counts.reshape(size, jurors).astype(float))
        chunk_ranks = np.empty(totals.shape, dtype=int)
        for group in groups:
            chunk_ranks[:, group] = rank_descending(totals[:, group])
        ranks.append(chunk_ranks)
        unjudged.append(np.isnan(totals))
        if progress is not None:
            progress(start + size, samples)
    return np.concatenate(ranks), np.concatenate(unjudged)


def rank_descending(totals: np.ndarray) -> np.ndarray:
    """Rank each row, highest total first; ties share the best rank; NaN ranks last.

    Examples
    --------
    >>> rank_descending(np.array([[3.0, 5.0, 3.0, np.nan]])).tolist()
    [[2, 1, 2, 4]]
    """
    keys = np.where(np.isnan(totals), np.inf, -comparable(totals))
    return min_ranks(keys)


def _summarise(
    ranks: np.ndarray, unjudged: np.ndarray, teams: tuple[str, ...], interval: float
) -> pd.DataFrame:
    tail = (1 - interval) / 2
    judged = np.where(unjudged, np.nan, ranks.astype(float))  # no placing when unjudged
    # numpy's NaN-aware statistics are 4 times slower: only when some team went unjudged.
    median, quantile, average = (
        (np.nanmedian, np.nanquantile, np.nanmean)
        if unjudged.any()
        else (np.median, np.quantile, np.mean)
    )
    with warnings.catch_warnings():  # a team never judged: NaN, which is what it is
        warnings.simplefilter("ignore", RuntimeWarning)
        middle = median(judged, axis=0)
        low = quantile(judged, tail, axis=0, method="lower")
        high = quantile(judged, 1 - tail, axis=0, method="higher")
        mean = average(judged, axis=0)
    summary = pd.DataFrame(
        {
            TEAM: list(teams),
            MEDIAN_RANK: middle,
            RANK_LOW: _whole(low),
            RANK_HIGH: _whole(high),
            P_FIRST: ((ranks == 1) & ~unjudged).mean(axis=0),
            P_TOP3: ((ranks <= 3) & ~unjudged).mean(axis=0),
            P_UNJUDGED: unjudged.mean(axis=0),
            "_mean_rank": mean,
        }
    )
    return (
        summary.sort_values([MEDIAN_RANK, "_mean_rank", TEAM], kind="stable", na_position="last")
        .drop(columns="_mean_rank")
        .reset_index(drop=True)
    )


def _whole(ranks: np.ndarray) -> pd.Series:
    """Ranks as whole numbers; missing (pandas' Int64) only for a team never judged."""
    if np.isnan(ranks).any():
        return pd.Series(ranks).astype("Int64")
    return pd.Series(ranks.astype(int))


def _rank_probabilities(
    ranks: np.ndarray, unjudged: np.ndarray, teams: tuple[str, ...], width: int
) -> pd.DataFrame:
    """Team × rank (1..width, the largest group's size) -> share of resamples."""
    samples, n = ranks.shape
    cells = (np.arange(n)[None, :] * width + ranks - 1)[~unjudged]  # placings only
    counts = np.bincount(cells, minlength=n * width).reshape(n, width)
    return pd.DataFrame(
        counts / samples,
        index=pd.Index(teams, name=TEAM),
        columns=pd.RangeIndex(1, width + 1, name="rank"),
    )
