"""Charts of a jury's results: plot_*(frame, ax=None, ...) -> Axes, object-oriented matplotlib only.

No pyplot and no global state: each chart draws on the ``Axes`` it is given (or on a new
``Figure``), so charts can be embedded in any page. ``save_chart`` writes PNG and SVG files that
are byte-identical for identical input (fixed SVG hash salt, fixed font, no dates or creator).
``category_labels(ax, "y")`` gives the names along an axis (see :mod:`scoring.chartaxes`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from scoring import columns as col
from scoring.chartaxes import category_labels, fit_rows, label_categories, label_room, literal
from scoring.chartkit import ACCENT, bars, legend, matrix, new_axes, save_chart, styled
from scoring.chartnumbers import local_numbers
from scoring.i18n import gettext as _
from scoring.numbers import decimal_text, percent_text

__all__ = [
    "category_labels",
    "plot_criteria",
    "plot_juror_heatmap",
    "plot_leniency",
    "plot_rank_probabilities",
    "plot_ranking",
    "save_chart",
]


@styled
def plot_ranking(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    low: str = "rank_low",
    high: str = "rank_high",
    title: str | None = None,
) -> Axes:
    """Official rank of each team (dot) with its bootstrap rank interval (whisker), best on top.

    ``frame`` has TEAM and RANK in rank order, and the interval columns ``low`` and ``high``
    when a bootstrap was run.

    Examples
    --------
    >>> frame = pd.DataFrame({"team": ["a", "b"], "rank": [1, 2],
    ...                       "rank_low": [1, 1], "rank_high": [2, 2]})
    >>> plot_ranking(frame).get_xlabel()
    'Rank (1 is best)'
    """
    ax = ax or new_axes(len(frame))
    y = np.arange(len(frame))[::-1]
    ranks = frame[col.RANK].to_numpy(dtype=float)
    if low in frame and high in frame:
        # astype: missing (pandas' Int64, a team no resample judged) becomes NaN, not drawn.
        lows, highs = frame[low].astype(float).to_numpy(), frame[high].astype(float).to_numpy()
        ax.hlines(
            y,
            lows,
            highs,
            color=ACCENT,
            alpha=0.45,
            linewidth=5,
            label=_("bootstrap rank interval"),
        )
    ax.plot(ranks, y, "o", color=ACCENT, label=_("official rank"))
    label_categories(ax, "y", list(frame[col.TEAM]), positions=y)
    fit_rows(ax, len(frame))
    last = max(len(frame), int(np.nanmax(ranks, initial=1)))
    ax.set_xlim(0.5, last + 0.5)
    ax.set_xticks(rank_ticks(last))
    ax.set_xlabel(_("Rank (1 is best)"))
    stable = low in frame and high in frame
    ax.set_title(title or (_("Ranking and its stability") if stable else _("Ranking")))
    legend(ax, columns=2)
    ax.grid(axis="x", alpha=0.3)
    return ax


@styled
def plot_juror_heatmap(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    value: str = col.TOTAL,
    order: Sequence[str] | None = None,
) -> Axes:
    """Each juror's total for each team (long frame: juror, team, ``value``); blanks not marked.

    ``order`` lists the teams top to bottom (rank order); default: sorted by name.

    Examples
    --------
    >>> frame = pd.DataFrame({"juror": ["j1", "j1"], "team": ["a", "b"], "score": [7.0, 5.0]})
    >>> plot_juror_heatmap(frame).get_xlabel()
    'Juror'
    """
    grid = frame.pivot_table(
        index=col.TEAM, columns=col.JUROR, values=value, aggfunc="mean", sort=True
    )
    if order is not None:
        grid = grid.reindex([team for team in order if team in grid.index])
    ax = ax or new_axes(
        len(grid), width=max(6.0, 2.5 + 0.3 * grid.shape[1]), extra=label_room(grid.columns)
    )
    matrix(ax, grid, _("Juror total"), fmt=lambda value: decimal_text(value, 1))
    ax.set_xlabel(_("Juror"))
    ax.set_ylabel(_("Team"))
    ax.set_title(_("Marks by juror and team"))
    return ax


def rank_ticks(last: int) -> list[int]:
    """Ticks for ranks 1 to ``last``: 1, the winner's, then every 2nd, 5th, 10th, ... rank,
    about ten in all (matplotlib's own would start at 0 or 3, leaving rank 1 unlabelled).

    Examples
    --------
    >>> rank_ticks(6), rank_ticks(24), rank_ticks(200)[:4]
    ([1, 2, 3, 4, 5, 6], [1, 5, 10, 15, 20], [1, 20, 40, 60])
    """
    step = next(
        size for size in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9) if last / size <= 10
    )
    return [1, *range(max(step, 2), last + 1, step)] if step > 1 else list(range(1, last + 1))


@styled
def plot_criteria(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    weights: Mapping[str, float],
    labels: Mapping[str, str] | None = None,
    order: Sequence[str] | None = None,
    adds_up: bool = True,
) -> Axes:
    """Each team's panel score split into weighted criterion contributions (stacked bars).

    ``frame`` is long (team, criterion, score); a contribution is score × weight, so the bar
    of a team adds up to its weighted total (the rubric's weights are used as given).
    ``order`` lists the teams top to bottom (rank order); default: as they first appear.
    ``adds_up`` False: the score is not the sum of the criterion scores (juror-first, Borda,
    Copeland), and the axis says that the bars are for information.

    Examples
    --------
    >>> frame = pd.DataFrame({"team": ["a", "a"], "criterion": ["x", "y"], "score": [8.0, 4.0]})
    >>> plot_criteria(frame, weights={"x": 3, "y": 1}).get_xlabel()
    'Weighted contribution to the score'
    """
    wide = frame.pivot_table(
        index=col.TEAM, columns=col.CRITERION, values=col.TOTAL, aggfunc="mean", sort=False
    )
    teams = list(order) if order is not None else list(wide.index)
    criteria = [criterion for criterion in weights if criterion in wide.columns]
    ax = ax or new_axes(len(teams))
    y = np.arange(len(teams))[::-1]
    # Positive contributions stack rightwards from 0, negative ones (Copeland, adjusted
    # scores) leftwards: stacked on one running sum, a negative part would be drawn back
    # over the parts before it and hide them.
    right, left = np.zeros(len(teams)), np.zeros(len(teams))
    palette = matplotlib.colormaps["tab10"]
    for index, criterion in enumerate(criteria):
        share = wide.reindex(teams)[criterion].fillna(0).to_numpy(dtype=float)
        share = share * float(weights[criterion])
        label = literal((labels or {}).get(criterion, criterion))
        start = np.where(share >= 0, right, left)
        bars(ax, y, share, left=start, color=palette(index % 10), label=label)
        right, left = right + np.maximum(share, 0), left + np.minimum(share, 0)
    if (left < 0).any():
        ax.axvline(0, color="0.3", linewidth=0.8)
    ax.autoscale_view()
    fit_rows(ax, len(teams))
    label_categories(ax, "y", teams, positions=y)
    local_numbers(ax.xaxis)
    if adds_up:
        ax.set_xlabel(_("Weighted contribution to the score"))
    else:
        ax.set_xlabel(_("Weighted criterion scores, for information: the score is not their sum"))
    ax.set_title(_("Score by criterion"))
    legend(ax, columns=min(4, len(criteria) or 1))
    return ax


@styled
def plot_leniency(frame: pd.DataFrame, ax: Axes | None = None, *, value: str = "leniency") -> Axes:
    """How far each juror marks above (+) or below (−) the rest of the panel, per team judged.

    Examples
    --------
    >>> frame = pd.DataFrame({"juror": ["j1", "j2"], "leniency": [0.8, -0.8]})
    >>> plot_leniency(frame).get_xlabel()
    'Mean difference from the rest of the panel'
    """
    ordered = frame.sort_values([value, col.JUROR], ascending=[False, True], kind="stable")
    ax = ax or new_axes(len(ordered))
    y = np.arange(len(ordered))[::-1]
    values = ordered[value].to_numpy(dtype=float)
    colours = np.where(values >= 0, ACCENT, "#b5523b")
    bars(ax, y, np.nan_to_num(values), color=list(colours))
    ax.autoscale_view()
    fit_rows(ax, len(ordered))
    ax.axvline(0, color="black", linewidth=0.8)
    label_categories(ax, "y", list(ordered[col.JUROR]), positions=y)
    local_numbers(ax.xaxis)
    ax.set_xlabel(_("Mean difference from the rest of the panel"))
    ax.set_title(_("Juror leniency"))
    return ax


@styled
def plot_rank_probabilities(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Probability of each team (rows) reaching each rank (columns) over bootstrap samples.

    Examples
    --------
    >>> frame = pd.DataFrame([[0.9, 0.1], [0.1, 0.9]], index=["a", "b"], columns=[1, 2])
    >>> plot_rank_probabilities(frame).get_xlabel()
    'Rank'
    """
    ax = ax or new_axes(len(frame), width=max(6.0, 2.5 + 0.3 * frame.shape[1]))
    matrix(ax, frame, _("Probability"), fmt=percent_text, rotation=0, vmin=0.0, vmax=1.0)
    ax.set_xlabel(_("Rank"))
    ax.set_ylabel(_("Team"))
    ax.set_title(_("How sure is each rank?"))
    return ax
