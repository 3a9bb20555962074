"""How the report shows numbers: each cell of a result table with the decimals it needs.

Scores get the rubric's decimals, or as many more as it takes for scores that differ to print
differently (two teams on different ranks never show the same score); the jurors' totals, which
the rubric does not round, as they are; statistics with two decimals, or none when whole. The
notation is the current language's (see :mod:`scoring.numbers`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from scoring.i18n import gettext as _
from scoring.numbers import decimal_text

if TYPE_CHECKING:
    from scoring.reporttables import Table

# Decimals shown when the rubric sets no rounding, and the most ever shown for a score.
DEFAULT_DECIMALS = 2
MAX_DECIMALS = 6


def format_number(value: Any, decimals: int = 2) -> str:
    """A value as the report shows it: numbers rounded half up in the current language's
    notation ("7,50" in German, see :mod:`scoring.numbers`), booleans as yes/no, missing
    values as a dash.

    Examples
    --------
    >>> format_number(2.675), format_number(3), format_number(True)
    ('2.68', '3', 'yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "–"
        return decimal_text(value, 0 if isinstance(value, int) else decimals)
    return str(value)


def score_decimals(values: Iterable[Any], least: int) -> int:
    """The fewest decimals, ``least`` or more, at which scores that differ print differently.

    Two teams on different ranks must never show the same score: 7.614 and 7.606 both read
    7.61 with two decimals. Scores within 1e-9 of each other count as equal, as in the ranking.
    Never more than MAX_DECIMALS.

    Examples
    --------
    >>> score_decimals([7.614, 7.606, 7.5], 2), score_decimals([7.5, 8.25], 2)
    (3, 2)
    >>> score_decimals([8.0, 7.0], 0), score_decimals([0.1 + 0.2, 0.3], 2)
    (0, 2)
    """
    from scoring.rounding import quantize_half_up, to_decimal

    distinct = {
        quantize_half_up(to_decimal(float(value)), 9)
        for value in values
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    }
    for decimals in range(least, MAX_DECIMALS):
        if len({quantize_half_up(value, decimals) for value in distinct}) == len(distinct):
            return decimals
    return max(least, MAX_DECIMALS)


def exact_decimals(values: Iterable[Any], least: int) -> int:
    """``least`` decimals (the scores'), or more where a value needs them to print as it is
    (within 1e-9): a juror's total of 12.5 must not read 13 beside scores rounded to whole
    numbers; values that no decimals up to MAX_DECIMALS show exactly (a weight of 1/3) get
    :func:`score_decimals`.

    Examples
    --------
    >>> exact_decimals([11.5, 12.0, 12.5], 0), exact_decimals([16.625, 15.0], 2)
    (1, 3)
    >>> exact_decimals([7.0, 8.0], 2), exact_decimals([1 / 3, 2 / 3], 2)
    (2, 2)
    """
    numbers = [
        float(value)
        for value in values
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    ]
    for decimals in range(least, MAX_DECIMALS + 1):
        if all(abs(number - round(number, decimals)) <= 1e-9 for number in numbers):
            return decimals
    return score_decimals(numbers, least)


def statistic_decimals(values: Iterable[Any]) -> int:
    """Decimals for a column of statistics: none when every value is whole (ranks, counts),
    else two, or more (up to MAX_DECIMALS) while a value other than 0 would print as 0.

    Examples
    --------
    >>> statistic_decimals([1.0, 24.0]), statistic_decimals([0.25, 1.0])
    (0, 2)
    >>> statistic_decimals([0.001, 0.5, 0.0]), statistic_decimals([-0.14, -2.2e-16, 0.14])
    (3, 2)
    """
    # Within 1e-9 of a whole number is that number, as scores are compared (float noise:
    # a leniency of exactly 0 computed as -2.2e-16).
    numbers = [
        round(float(value), 9)
        for value in values
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    ]
    if all(number.is_integer() for number in numbers):
        return 0
    smallest = min((abs(number) for number in numbers if number), default=1.0)
    decimals = DEFAULT_DECIMALS
    while decimals < MAX_DECIMALS and round(smallest, decimals) == 0:
        decimals += 1
    return decimals


def table_cells(table: Table, least: int) -> list[list[tuple[Any, int]]]:
    """Each row of ``table`` as (cell, decimals to show) pairs.

    Score columns get ``least`` decimals (the rubric's, else two) or as many more as they
    need (:func:`score_decimals`); other numbers (statistics, which the rubric does not
    round) as :func:`statistic_decimals` says.
    """
    exact = exact_decimals(
        [value for name in table.exact_columns for value in table.frame[name]], least
    )
    decimals = [
        exact
        if name in table.exact_columns
        else score_decimals(
            table.frame[name],
            max(least, DEFAULT_DECIMALS) if name in table.unrounded_columns else least,
        )
        if name in table.score_columns
        else statistic_decimals(table.frame[name])
        for name in table.frame.columns
    ]
    return [
        [
            # pandas' missing whole number (Int64) as the float NaN: a number cell, a dash.
            (
                _plain(
                    math.nan if cell is pd.NA else cell.item() if hasattr(cell, "item") else cell
                ),
                places,
            )
            for cell, places in zip(row, decimals, strict=True)
        ]
        for row in table.frame.itertuples(index=False, name=None)
    ]


def _plain(cell: Any) -> Any:
    """A number within 1e-9 of 0 as 0: float noise would print as "-0.00"."""
    if isinstance(cell, float) and abs(cell) < 1e-9:
        return 0.0
    return cell
