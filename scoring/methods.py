"""Panel scores from jurors' marks, one function per aggregation method.

Every method takes *long* marks, one row per (juror, team, criterion) with columns JUROR,
TEAM, CRITERION and SCORE (no missing scores), and aggregates each (team, criterion) group
across jurors. The same functions serve the juror-first order: there the "criterion" is the
jurors' weighted total. :func:`aggregate_marks` picks the method named in the rubric.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from scoring.columns import CRITERION, JUROR, SCORE, TEAM
from scoring.config import Method
from scoring.errors import MethodError, Problem
from scoring.i18n import gettext as _
from scoring.i18n import join_items, ngettext

GROUP = [TEAM, CRITERION]
Numbers = TypeVar("Numbers", pd.Series, pd.DataFrame, np.ndarray)
# Marks closer than this are equal: float noise must not decide an order.
DECIMALS_COMPARED = 9


@dataclass(frozen=True)
class Aggregated:
    """What a method returns.

    panel : TEAM, CRITERION, SCORE, one row per (team, criterion) group.
    normalised : per mark, aligned with the input's index: the mark as the method used it.
    problems : warnings about the marks (e.g. a juror who could not be standardised).
    """

    panel: pd.DataFrame
    normalised: pd.Series
    problems: tuple[Problem, ...] = ()


def _panel(marks: pd.DataFrame, values: pd.Series, how: str = "mean") -> pd.DataFrame:
    return (
        marks[GROUP]
        .assign(**{SCORE: values})
        .groupby(GROUP, sort=True)[SCORE]
        .agg(how)
        .reset_index()
    )


def mean(marks: pd.DataFrame, method: Method) -> Aggregated:
    """Arithmetic mean of the marks of each team and criterion.

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": ["a", "b"], "team": ["T", "T"],
    ...                       "criterion": ["impact"] * 2, "score": [7.0, 8.0]})
    >>> mean(marks, Method()).panel.to_dict("records")
    [{'team': 'T', 'criterion': 'impact', 'score': 7.5}]
    """
    return Aggregated(_panel(marks, marks[SCORE]), marks[SCORE])


def median(marks: pd.DataFrame, method: Method) -> Aggregated:
    """Median of the marks of each team and criterion (mean of the middle two when even).

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": list("abc"), "team": ["T"] * 3,
    ...                       "criterion": ["impact"] * 3, "score": [2.0, 9.0, 7.0]})
    >>> median(marks, Method(name="median")).panel[SCORE].tolist()
    [7.0]
    """
    return Aggregated(_panel(marks, marks[SCORE], "median"), marks[SCORE])


def trimmed_mean(marks: pd.DataFrame, method: Method) -> Aggregated:
    """Drop the ``trim`` highest and ``trim`` lowest marks of each group, average the rest.

    This is the rule of sports judging (ski-jumping style marks, diving, figure skating).
    Equal marks at the edge are interchangeable, so which copy is dropped does not matter.

    Raises
    ------
    MethodError
        When a team has fewer than ``2 * trim + 1`` marks on a criterion; the message names
        every such team and how many marks it has.

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": list("abcde"), "team": ["T"] * 5,
    ...                       "criterion": ["style"] * 5, "score": [18.5, 19, 18.5, 17, 19.5]})
    >>> trimmed_mean(marks, Method(name="trimmed_mean", trim=1)).panel[SCORE].tolist()
    [18.666666666666668]
    """
    trim = method.trim
    ordered = marks.sort_values([*GROUP, SCORE], kind="stable")
    groups = ordered.groupby(GROUP, sort=False)
    position = groups.cumcount()
    count = groups[SCORE].transform("size")
    _refuse_short_groups(ordered.assign(count=count), trim)
    kept = ordered[(position >= trim) & (position < count - trim)]
    return Aggregated(_panel(kept, kept[SCORE]), marks[SCORE])


def _refuse_short_groups(counted: pd.DataFrame, trim: int) -> None:
    short = counted.loc[counted["count"] < 2 * trim + 1, [*GROUP, "count"]].drop_duplicates()
    if short.empty:
        return
    listed = join_items(
        ngettext(
            "{team} ({criterion}: {count} mark)",
            "{team} ({criterion}: {count} marks)",
            row["count"],
        ).format(team=row[TEAM], criterion=row[CRITERION], count=row["count"])
        for row in short.to_dict("records")
    )
    raise MethodError(
        _(
            "trimmed_mean with trim = {trim} needs at least {needed} marks per team and "
            "criterion; these teams have fewer: {teams}. Lower trim or choose another method."
        ).format(trim=trim, needed=2 * trim + 1, teams=listed)
    )


def zscore(marks: pd.DataFrame, method: Method) -> Aggregated:
    """Standardise each juror's marks per criterion, map them back with the panel's spread.

    ``normalised = panel_mean + panel_sd * (mark - juror_mean) / juror_sd``, where the
    juror's mean and standard deviation are over that juror's marks on the criterion and
    the panel's over *all* marks on the criterion; both standard deviations are sample
    ones (ddof = 1). The team's score is the mean of its normalised marks. A juror with
    fewer than ``min_marks`` marks on the criterion keeps the raw marks; a juror with no
    spread gets z = 0 (the panel mean). Both cases are reported as warnings.

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": ["a", "a", "b", "b"], "team": ["S", "T"] * 2,
    ...                       "criterion": ["impact"] * 4, "score": [6.0, 8.0, 2.0, 3.0]})
    >>> zscore(marks, Method(name="zscore", min_marks=2)).panel[SCORE].round(6).tolist()
    [2.80278, 6.69722]
    """
    by_juror = marks.groupby([JUROR, CRITERION], sort=False)[SCORE]
    by_criterion = marks.groupby(CRITERION, sort=False)[SCORE]
    juror_sd = by_juror.transform("std").fillna(0.0)
    count = by_juror.transform("size")
    z = ((marks[SCORE] - by_juror.transform("mean")) / juror_sd.where(juror_sd > 0)).fillna(0.0)
    mapped = by_criterion.transform("mean") + z * by_criterion.transform("std").fillna(0.0)
    too_few = count < method.min_marks
    normalised = marks[SCORE].where(too_few, mapped)
    problems = _zscore_problems(
        marks.assign(count=count), too_few, ~too_few & (juror_sd == 0), method.min_marks
    )
    return Aggregated(_panel(marks, normalised), normalised, problems)


def _zscore_problems(
    marks: pd.DataFrame, too_few: pd.Series, flat: pd.Series, min_marks: int
) -> tuple[Problem, ...]:
    """The warnings of :func:`zscore`: jurors with too few marks first, then jurors with no
    spread; ``marks`` carries each mark's juror's number of marks in column "count"."""
    return _too_few_marks(marks, too_few, min_marks) + _zero_spread(marks, flat)


def _too_few_marks(marks: pd.DataFrame, too_few: pd.Series, min_marks: int) -> tuple[Problem, ...]:
    # One warning per juror and number of marks (usually one per juror), naming its criteria:
    # a juror with too few teams has too few marks on every criterion.
    few = (
        marks.loc[too_few, [JUROR, CRITERION, "count"]]
        .drop_duplicates()
        .astype({CRITERION: str})
        .groupby([JUROR, "count"], sort=False, observed=True)[CRITERION]
        .agg(", ".join)
        .reset_index()
        .to_dict("records")
    )
    return tuple(
        Problem(
            "warning",
            "zscore-too-few-marks",
            ngettext(
                "Juror {juror} has {count} mark on {criterion}, fewer than min_marks = "
                "{min_marks}: their raw marks were used, not standardised.",
                "Juror {juror} has {count} marks on {criterion}, fewer than min_marks = "
                "{min_marks}: their raw marks were used, not standardised.",
                row["count"],
            ).format(min_marks=min_marks, **row),
        )
        for row in few
    )


def _zero_spread(marks: pd.DataFrame, flat: pd.Series) -> tuple[Problem, ...]:
    same = marks.loc[flat, [JUROR, CRITERION, "count"]].drop_duplicates().to_dict("records")
    return tuple(
        Problem(
            "warning",
            "zscore-zero-spread",
            _(
                "Juror {juror} gave every team the same mark on {criterion}: their marks were "
                "standardised to z = 0 (the panel mean)."
            ).format(**row),
        )
        for row in same
    )


def aggregate_marks(marks: pd.DataFrame, method: Method, *, shown_only: bool = False) -> Aggregated:
    """Aggregate long marks with the method the rubric names; ``shown_only`` when the
    result is shown beside a ranking that does not rest on it (the criteria of the
    juror-first order), so that a criterion the method cannot score is left out with a
    warning rather than refused (see :func:`scoring.effects.judge_effects`).

    Parameters
    ----------
    marks : DataFrame
        JUROR, TEAM, CRITERION, SCORE; rows with a missing score are dropped first.
    method : Method
        The rubric's method settings.

    Returns
    -------
    Aggregated
        Panel scores per team and criterion, the normalised marks and any warnings.

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": ["a", "b"], "team": ["T", "T"],
    ...                       "criterion": ["impact"] * 2, "score": [7.0, float("nan")]})
    >>> aggregate_marks(marks, Method(name="median")).panel[SCORE].tolist()
    [7.0]
    """
    # Imported here: those modules build on Aggregated and comparable from this one.
    from scoring.effects import judge_effects
    from scoring.preferences import borda, copeland

    methods: dict[str, Callable[[pd.DataFrame, Method], Aggregated]] = {
        "mean": mean,
        "median": median,
        "trimmed_mean": trimmed_mean,
        "zscore": zscore,
        "judge_effects": partial(judge_effects, shown_only=shown_only),
        "borda": borda,
        "copeland": copeland,
    }
    if method.name not in methods:
        raise MethodError(
            _("Unknown method {name}; choose one of {names}.").format(
                name=method.name, names=", ".join(methods)
            )
        )
    present = marks[marks[SCORE].notna()]
    result = methods[method.name](present.assign(**{SCORE: present[SCORE].astype(float)}), method)
    return Aggregated(result.panel, result.normalised.reindex(marks.index), result.problems)


def comparable(values: Numbers) -> Numbers:
    """Values rounded to 9 decimals, and to 12 significant digits past 1000, so that float
    noise cannot make equal values unequal (a weight of 1000000 makes totals of 833333.33…
    whose last digits are noise).

    Examples
    --------
    >>> bool(comparable(0.1 + 0.2) == comparable(0.3)), bool(0.1 + 0.2 == 0.3)
    (True, False)
    >>> a, b = 833333.333333334, 833333.333333333  # equal totals, summed in another order
    >>> bool(comparable(a) == comparable(b)), float(comparable(a))
    (True, 833333.333333)
    """
    array = np.asarray(values, dtype=float)
    size = np.abs(np.where(np.isfinite(array), array, 0.0))  # inf and NaN stay as they are
    big = size > 1000
    if not big.any():  # the usual case: scores up to 1000
        return cast(Numbers, np.round(values, DECIMALS_COMPARED))
    # Decimals kept: 9 up to 1000 (12 significant digits there), fewer above.
    digits = np.ceil(np.log10(np.where(big, size, 1.0)))
    decimals = np.where(big, DECIMALS_COMPARED - (digits - 3), DECIMALS_COMPARED)
    scale = 10.0**decimals
    rounded = np.round(array * scale) / scale
    if isinstance(values, pd.Series):
        return cast(Numbers, pd.Series(rounded, index=values.index, name=values.name))
    if isinstance(values, pd.DataFrame):
        return cast(Numbers, pd.DataFrame(rounded, index=values.index, columns=values.columns))
    return cast(Numbers, rounded if np.ndim(values) else float(rounded))
