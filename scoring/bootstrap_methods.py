"""The aggregation methods of :mod:`scoring.methods`, vectorised over bootstrap resamples.

A resample is a vector of *multiplicities*: how many times each juror was drawn. Each method
becomes a :class:`Vectorised` whose ``totals(counts)`` maps counts of shape (resamples,
jurors) to team totals of shape (resamples, teams). With ``counts`` all ones it reproduces
``scoring.aggregate.score(marks, config).ranking`` totals (the tests check every method).
Rounding stages are deliberately ignored: the bootstrap measures how much the order depends
on who sat on the jury, and rounding would only add ties.

The marks become a dense array ``values[juror, team, criterion]`` (NaN where missing) once;
each method precomputes what does not depend on the resample (value histograms, z-scores,
pairwise preferences), so a resample costs a few matrix products.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.columns import CHALLENGE, CRITERION, JUROR, SCORE, TEAM
from scoring.config import RANK_METHODS, Config, Method

Location = Callable[[np.ndarray], np.ndarray]  # counts (B, J) -> (B, T, criteria)


@dataclass(frozen=True)
class Design:
    """The marks as a dense array, with the labels of each axis and the criteria weights.

    ``weights[team, criterion]`` is the criterion's weight in that team's rubric (its
    challenge's), 0 where the criterion does not count for the team.
    """

    jurors: tuple[str, ...]
    teams: tuple[str, ...]
    criteria: tuple[str, ...]
    values: np.ndarray  # (jurors, teams, criteria), NaN where no mark
    weights: np.ndarray  # (teams, criteria)

    def weighted_total(self, location: np.ndarray) -> np.ndarray:
        """Σ weight × score over the counted criteria (..., T, C) -> (..., T); NaN if one is."""
        counted = self.weights > 0
        missing = (np.isnan(location) & counted).any(axis=-1)
        total = (np.where(counted, np.nan_to_num(location), 0.0) * self.weights).sum(axis=-1)
        return np.where(missing, np.nan, total)

    @property
    def juror_totals(self) -> np.ndarray:
        """(jurors, teams): each juror's weighted total, NaN unless every criterion is marked."""
        return self.weighted_total(self.values)


@dataclass(frozen=True)
class Vectorised:
    """``totals(counts)``, and the bytes one resample needs (to size the chunks)."""

    totals: Callable[[np.ndarray], np.ndarray]
    bytes_per_resample: int


def build_design(marks: pd.DataFrame, config: Config) -> Design:
    """Dense juror × team × criterion array of the marks, with each team's rubric weights.

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Criterion, Scale
    >>> rubric = (Criterion("idea", {}, Decimal(2), Scale(Decimal(0), Decimal(10))),)
    >>> marks = pd.DataFrame({"juror": ["a", "b"], "team": ["x", "y"],
    ...                       "criterion": "idea", "score": [7.0, 5.0]})
    >>> design = build_design(marks, Config(criteria=rubric))
    >>> design.values[:, :, 0].tolist(), design.weights.tolist()
    ([[7.0, nan], [nan, 5.0]], [[2.0], [2.0]])
    """
    marks = marks[marks[SCORE].notna()]
    jurors = tuple(sorted(marks[JUROR].unique()))
    teams = tuple(sorted(marks[TEAM].unique()))
    rubric = dict(_challenges(marks))
    rubrics = [config.criteria_for(rubric[team]) for team in teams]
    ids = tuple(dict.fromkeys(c.id for criteria in rubrics for c in criteria))
    used = marks[marks[CRITERION].isin(ids)]
    values = np.full((len(jurors), len(teams), len(ids)), np.nan)
    j = pd.Index(jurors).get_indexer(used[JUROR])
    t = pd.Index(teams).get_indexer(used[TEAM])
    c = pd.Index(ids).get_indexer(used[CRITERION])
    values[j, t, c] = used[SCORE].to_numpy(dtype=float)
    applies, weights = _rubric_weights(rubrics, ids)
    # A criterion outside the team's rubric is not part of the aggregation at all.
    values[:, ~applies] = np.nan
    return Design(jurors, teams, ids, values, weights)


def _rubric_weights(rubrics: list, ids: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(teams, criteria) masks of the criteria in each team's rubric, and their weights."""
    applies = np.zeros((len(rubrics), len(ids)), dtype=bool)
    weights = np.zeros((len(rubrics), len(ids)))
    for t, criteria in enumerate(rubrics):
        for criterion in criteria:
            applies[t, ids.index(criterion.id)] = True
            if not criterion.independent:
                weights[t, ids.index(criterion.id)] = float(criterion.weight)
    return applies, weights


def _challenges(marks: pd.DataFrame) -> list[tuple[str, str | None]]:
    """(team, challenge) with the team's first non-missing challenge, as ``score`` uses."""
    if CHALLENGE not in marks.columns:
        return [(team, None) for team in marks[TEAM].unique()]
    first = marks.dropna(subset=[CHALLENGE]).groupby(TEAM)[CHALLENGE].first()
    return [
        (team, None if pd.isna(first.get(team)) else str(first.get(team)))
        for team in marks[TEAM].unique()
    ]


def vectorise(design: Design, method: Method) -> Vectorised:
    """The vectorised totals of ``method`` (and its order) for this design.

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Criterion, Scale
    >>> rubric = (Criterion("idea", {}, Decimal(1), Scale(Decimal(0), Decimal(10))),)
    >>> marks = pd.DataFrame({"juror": ["a", "a", "b", "b"], "team": ["x", "y"] * 2,
    ...                       "criterion": "idea", "score": [8.0, 4.0, 6.0, 5.0]})
    >>> design = build_design(marks, Config(criteria=rubric))
    >>> counts = np.array([[1.0, 1.0], [2.0, 0.0]])  # the whole jury; juror a twice
    >>> vectorise(design, Method(name="mean")).totals(counts).tolist()
    [[7.0, 4.5], [8.0, 4.0]]
    """
    from scoring.bootstrap_models import borda_location, copeland_location, judge_effects_location

    juror_first = method.order == "juror-first" or method.name in RANK_METHODS
    per_juror = design.juror_totals[:, :, None] if juror_first else design.values
    builders: dict[str, Callable[[np.ndarray, Method], tuple[Location, int]]] = {
        "mean": mean_location,
        "median": order_statistic_location,
        "trimmed_mean": order_statistic_location,
        "zscore": zscore_location,
        "judge_effects": judge_effects_location,
        "borda": borda_location,
        "copeland": copeland_location,
    }
    location, size = builders[method.name](per_juror, method)

    def totals(counts: np.ndarray) -> np.ndarray:
        found = location(counts)
        return found[:, :, 0] if juror_first else design.weighted_total(found)

    return Vectorised(totals, size + 8 * per_juror[0].size)


def mean_location(values: np.ndarray, method: Method) -> tuple[Location, int]:
    """Mean of the drawn jurors' marks per team and criterion."""
    jurors, teams, criteria = values.shape
    flat = values.reshape(jurors, -1)
    present = (~np.isnan(flat)).astype(float)
    filled = np.nan_to_num(flat)

    def location(counts: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            found = (counts @ filled) / (counts @ present)
        return found.reshape(len(counts), teams, criteria)

    return location, 16 * flat.shape[1]


def order_statistic_location(values: np.ndarray, method: Method) -> tuple[Location, int]:
    """Median, or mean without the ``trim`` lowest and highest marks, with multiplicities.

    Marks take few distinct values per team and criterion, so a resample is summarised by a
    histogram over those values (one matrix product for all resamples); the cumulative
    histogram says which value holds the r-th mark, so nothing is sorted per resample.
    A team left with fewer than ``2 * trim + 1`` marks in a resample gets the plain mean
    (``scoring.methods.trimmed_mean`` refuses such a jury outright).
    """
    jurors, teams, criteria = values.shape
    distinct, onehot = _distinct_values(values.reshape(jurors, -1))
    columns, levels = distinct.shape
    filled = np.nan_to_num(distinct)
    median, trim = method.name == "median", method.trim

    def location(counts: np.ndarray) -> np.ndarray:
        histogram = (counts.astype(np.float32) @ onehot).reshape(len(counts), columns, levels)
        cumulative = np.cumsum(histogram, axis=2)
        n = cumulative[:, :, -1]
        if median:
            low = _value_of_rank(cumulative, (n + 1) // 2, filled)
            high = _value_of_rank(cumulative, n // 2 + 1, filled)
            found = np.where(n > 0, (low + high) / 2, np.nan)
        else:
            found = _trimmed(histogram, cumulative, n, filled, trim)
        return found.reshape(len(counts), teams, criteria)

    return location, 4 * 4 * columns * levels


def _distinct_values(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column, its sorted distinct values (NaN-padded) and a juror × (column, value) one-hot."""
    jurors, columns = flat.shape
    order = np.argsort(flat, axis=0)  # NaN sort last
    ordered = np.take_along_axis(flat, order, axis=0)
    present = ~np.isnan(ordered)
    new = present.copy()
    new[1:] &= ordered[1:] != ordered[:-1]
    slot = np.cumsum(new, axis=0) - 1
    levels = max(1, int(new.sum(axis=0).max(initial=0)))
    distinct = np.full((columns, levels), np.nan)
    column_of = np.broadcast_to(np.arange(columns), flat.shape)
    distinct[column_of[new], slot[new]] = ordered[new]
    onehot = np.zeros((jurors, columns, levels), dtype=np.float32)
    onehot[order[present], column_of[present], slot[present]] = 1.0
    return distinct, onehot.reshape(jurors, columns * levels)


def _value_of_rank(cumulative: np.ndarray, rank: np.ndarray, filled: np.ndarray) -> np.ndarray:
    level = np.minimum((cumulative < rank[:, :, None]).sum(axis=2), filled.shape[1] - 1)
    return np.take_along_axis(filled[None, :, :], level[:, :, None], axis=2)[:, :, 0]


def _trimmed(histogram, cumulative, n, filled, trim: int) -> np.ndarray:
    # float32 throughout: counts are small integers, exact in float32, and half the memory.
    cut = np.where(n > 2 * trim, trim, 0).astype(np.float32)[:, :, None]
    kept = np.minimum(cumulative, n[:, :, None] - cut)
    kept -= np.maximum(cumulative - histogram, cut)
    np.maximum(kept, 0, out=kept)
    denominator = n - 2 * cut[:, :, 0]
    sums = np.einsum("bkv,kv->bk", kept, filled)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, sums / denominator, np.nan)


def zscore_location(values: np.ndarray, method: Method) -> tuple[Location, int]:
    """``scoring.methods.zscore``: juror z-scores mapped back with the resample's panel.

    A juror's own mean and sd (over their marks on a criterion) do not change when the juror
    is drawn several times, so z is computed once; only the panel's mean and sd (over all
    drawn marks, counted with multiplicity) depend on the resample.
    """
    jurors, teams, criteria = values.shape
    present = ~np.isnan(values)
    n = present.sum(axis=1)  # (J, C)
    with np.errstate(invalid="ignore", divide="ignore"):
        own_mean = np.nansum(values, axis=1) / n
        own_sd = np.sqrt(np.nansum((values - own_mean[:, None, :]) ** 2, axis=1) / (n - 1))
        z = np.where(own_sd[:, None, :] > 0, (values - own_mean[:, None, :]) / own_sd[:, None], 0)
    raw = (n < method.min_marks)[:, None, :] & present
    standardised = ~raw & present
    # Shifting every mark by one constant keeps the sd and keeps Σx² - n·mean² accurate.
    centre = np.nanmean(values) if present.any() else 0.0
    shifted = np.where(present, values - centre, 0.0)
    sums, squares = shifted.sum(axis=1), (shifted**2).sum(axis=1)  # (J, C)
    # One product gives, per team and criterion: Σ raw marks, number standardised, Σ z, marks.
    parts = [np.where(raw, values, 0.0), standardised, np.where(standardised, z, 0.0), present]
    stacked = np.concatenate([part.reshape(jurors, -1).astype(float) for part in parts], axis=1)

    def location(counts: np.ndarray) -> np.ndarray:
        marks = counts @ n
        with np.errstate(invalid="ignore", divide="ignore"):
            panel_mean = (counts @ sums) / marks
            variance = ((counts @ squares) - marks * panel_mean**2) / (marks - 1)
        panel_sd = np.nan_to_num(np.sqrt(np.clip(variance, 0, None)))
        found = (counts @ stacked).reshape(len(counts), 4, teams, criteria)
        raw_sum, mapped, z_sum, count = found.transpose(1, 0, 2, 3)
        numerator = raw_sum + mapped * (panel_mean + centre)[:, None, :] + z_sum * panel_sd[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            return numerator / count

    return location, 5 * 8 * teams * criteria
