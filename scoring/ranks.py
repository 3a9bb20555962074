"""Ranks with ties and Spearman's correlation in plain numpy.

These replace ``scipy.stats.rankdata`` and ``spearmanr``, whose import alone takes over a
second (``scipy.stats`` loads every distribution): a ranking run would spend more time
importing them than computing. The arithmetic is the same as scipy's, so results are equal
to the last bit: an average rank is ``(first + last) / 2`` of the tied group's positions, and
Spearman's rho is ``numpy.corrcoef`` of the two columns of average ranks.
"""

from __future__ import annotations

import numpy as np


def _sorted_groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort order along the last axis, the 1-based positions, and where a tie group starts."""
    order = np.argsort(values, axis=-1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=-1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    positions = np.broadcast_to(np.arange(1, values.shape[-1] + 1), values.shape)
    return order, positions, starts


def _unsort(order: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    result = np.empty_like(ranked)
    np.put_along_axis(result, order, ranked, axis=-1)
    return result


def min_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, smallest value first; ties share the lowest rank (1, 2, 2, 4).

    Equal infinities tie. Like ``scipy.stats.rankdata(values, method="min", axis=-1)`` for
    values without NaN.

    Examples
    --------
    >>> min_ranks(np.array([[3.0, 1.0, 3.0, np.inf]])).tolist()
    [[2, 1, 2, 4]]
    """
    values = np.asarray(values, dtype=float)
    if values.shape[-1] == 0:
        return np.zeros(values.shape, dtype=int)
    order, positions, starts = _sorted_groups(values)
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=-1)
    return _unsort(order, first)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, smallest value first; ties get the mean of their positions.

    Like ``scipy.stats.rankdata(values, axis=-1)`` (method "average") for values without NaN.

    Examples
    --------
    >>> average_ranks(np.array([[10.0, 20.0, 10.0, 30.0]])).tolist()
    [[1.5, 3.0, 1.5, 4.0]]
    """
    values = np.asarray(values, dtype=float)
    count = values.shape[-1]
    if count == 0:
        return np.zeros(values.shape, dtype=float)
    order, positions, starts = _sorted_groups(values)
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=-1)
    ends = np.ones(starts.shape, dtype=bool)
    ends[..., :-1] = starts[..., 1:]
    last_reversed = np.where(ends, positions, count + 1)[..., ::-1]
    last = np.minimum.accumulate(last_reversed, axis=-1)[..., ::-1]
    return _unsort(order, 0.5 * (first + last))


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of two samples without NaN: Pearson's r of average ranks.

    NaN when either sample is constant or has fewer than two values.

    Examples
    --------
    >>> round(spearman(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 2.0, 4.0])), 12)
    0.8
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    # Columns stacked and rowvar=False, exactly as scipy.stats.spearmanr calls corrcoef.
    ranks = np.column_stack((average_ranks(a), average_ranks(b)))
    return float(np.corrcoef(ranks, rowvar=False)[1, 0])
