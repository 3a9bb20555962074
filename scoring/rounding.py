"""Round half up with exact decimal arithmetic, at the stages a rubric names.

Official results (sports judging, published rubrics) round half up on the *decimal* value:
2.675 with two decimals is 2.68. Binary floats cannot hold 2.675 exactly (the double nearest
to it is 2.67499999999999982236431605997495353221893310546875), so ``round(2.675, 2)`` and
numpy give 2.67. We therefore round the decimal the float stands for: the float written with
15 significant digits (the precision a double guarantees to round-trip), then
``Decimal.quantize(..., ROUND_HALF_UP)``. Using 15 digits rather than ``repr`` also absorbs
arithmetic noise of a few units in the last place, e.g. ``8.025 / 3`` is
2.6750000000000003 and ``(2.6 + 2.75) / 2`` may land a hair below 2.675; both are taken as
the decimal 2.675. Marks carry few decimals, so no genuine value is affected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from scoring.config import Rounding, RoundingStage

SIGNIFICANT_DIGITS = 15


def round_half_up(value: float, decimals: int) -> float:
    """Round ``value`` to ``decimals`` places, halves away from zero, on its decimal value.

    Parameters
    ----------
    value : float
        The number to round; NaN and infinities are returned unchanged.
    decimals : int
        Number of decimal places to keep (0 or more).

    Returns
    -------
    float
        The float nearest to the rounded decimal.

    Examples
    --------
    >>> round_half_up(2.675, 2)
    2.68
    >>> round_half_up(0.125, 2)
    0.13
    >>> round_half_up(8.025 / 3, 2)
    2.68
    """
    if not math.isfinite(value):
        return value
    return float(quantize_half_up(to_decimal(value), decimals))


def to_decimal(value: float) -> Decimal:
    """The decimal a finite float stands for: the float written with 15 significant digits.

    Examples
    --------
    >>> to_decimal(0.1 + 0.2), to_decimal(2.675), to_decimal(96.0)
    (Decimal('0.3'), Decimal('2.675'), Decimal('96'))
    """
    return Decimal(format(value, f".{SIGNIFICANT_DIGITS}g"))


def quantize_half_up(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, halves away from zero.

    Examples
    --------
    >>> quantize_half_up(Decimal("3.625"), 2), quantize_half_up(Decimal("3.625"), 1)
    (Decimal('3.63'), Decimal('3.6'))
    """
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def weighted_sum(weights: Iterable[float], scores: Iterable[float], rounding: Rounding) -> float:
    """``sum(weight * score)`` in exact decimal arithmetic, each product rounded at "weighted".

    Exact decimals keep a total of rounded products exact: 3.6 + 4.1 is 7.7, not the float
    7.699999999999999. A missing score makes the sum missing (NaN).

    Examples
    --------
    >>> weighted_sum([0.5, 0.5], [7.25, 8.25], Rounding(decimals=1, stages=("weighted",)))
    7.7
    >>> weighted_sum([2.0, 1.0], [7.0, float("nan")], Rounding())
    nan
    """
    total = Decimal(0)
    for weight, score in zip(weights, scores, strict=True):
        if not math.isfinite(score):
            return math.nan
        product = to_decimal(weight) * to_decimal(score)
        if rounding.decimals is not None and "weighted" in rounding.stages:
            product = quantize_half_up(product, rounding.decimals)
        total += product
    return float(total)


def round_series(values: pd.Series, decimals: int) -> pd.Series:
    """Round every value of a series half up (see :func:`round_half_up`).

    Examples
    --------
    >>> round_series(pd.Series([2.675, 1.005, float("nan")]), 2).tolist()
    [2.68, 1.01, nan]
    """
    return values.astype(float).map(lambda value: round_half_up(value, decimals))


def round_stage(values: pd.Series, rounding: Rounding, stage: RoundingStage) -> pd.Series:
    """Round ``values`` if the rubric asks for rounding at ``stage``; otherwise return them.

    Examples
    --------
    >>> rule = Rounding(decimals=1, stages=("total",))
    >>> round_stage(pd.Series([7.25]), rule, "total").tolist()
    [7.3]
    >>> round_stage(pd.Series([7.25]), rule, "criterion").tolist()
    [7.25]
    """
    if rounding.decimals is None or stage not in rounding.stages:
        return values
    return round_series(values, rounding.decimals)
