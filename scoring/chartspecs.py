"""The charts of a ranking run: which a run draws, under what file name and translated title,
and what each costs to draw (to share them between processes, see :mod:`scoring.chartjobs`).

Listing the charts needs no matplotlib: :mod:`scoring.charts` is loaded only when one is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.i18n import get_language
from scoring.i18n import gettext as _
from scoring.outputs import ranking_table

if TYPE_CHECKING:
    from scoring.aggregate import Scores
    from scoring.outputs import Results

# What drawing a chart costs, in about milliseconds (measured on a run of 200 teams and 100
# jurors, to share the charts between processes): a chart without labels (axes, files), one
# per labelled row or column, one per two dots of the ranking chart, and the colour matrix of
# a grid of MATRIX_CELLS cells or more.
CHART_BASE = 70
MATRIX = 160
MATRIX_CELLS = 10_000


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    draw: Callable[[], Any]  # returns the Axes
    # Rough cost of drawing it (labelled rows and columns): to share charts between processes.
    weight: int = 1


def _charts() -> ModuleType:
    """:mod:`scoring.charts`, loaded when a chart is drawn: listing the charts (and rendering
    the report beside them) needs no matplotlib."""
    from scoring import charts

    return charts


def weighted_criteria(scores: Scores, config: Config) -> pd.DataFrame:
    """TEAM, CRITERION, SCORE: each team's criterion scores times their weight in the team's
    own rubric (a challenge's rubric may weigh an id of the main rubric otherwise), for the
    criteria that count in its total.

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Criterion, Scale
    >>> scale = Scale(Decimal(0), Decimal(10))
    >>> config = Config(criteria=(Criterion("a", {}, Decimal("0.5"), scale),),
    ...                 challenge_criteria={"x": (Criterion("a", {}, Decimal(1), scale),)})
    >>> from scoring.aggregate import score
    >>> marks = pd.DataFrame({"juror": ["j", "j"], "team": ["A", "C"], "criterion": ["a", "a"],
    ...                       "score": [9.0, 8.0], "challenge": [None, "x"]})
    >>> weighted_criteria(score(marks, config), config)["score"].tolist()
    [4.5, 8.0]
    """
    ranking = scores.ranking
    challenges = (
        dict(zip(ranking[col.TEAM], ranking[col.CHALLENGE], strict=True))
        if col.CHALLENGE in ranking
        else {}
    )
    weight: dict[tuple[object, str], float] = {}
    for team in scores.criteria[col.TEAM].unique():
        challenge = challenges.get(team)
        own = None if challenge is None or pd.isna(challenge) else str(challenge)
        for criterion in config.criteria_for(own):
            if not criterion.independent:
                weight[(team, criterion.id)] = float(criterion.weight)
    frame = scores.criteria
    factor = np.array(
        [
            weight.get((team, criterion), np.nan)
            for team, criterion in zip(frame[col.TEAM], frame[col.CRITERION], strict=True)
        ]
    )
    kept = ~np.isnan(factor)
    return frame[kept].assign(**{col.SCORE: frame[col.SCORE].to_numpy()[kept] * factor[kept]})


# The charts of every run, then those of a run with juror statistics and with resamples.
ALWAYS_CHARTS = ("ranking", "criteria", "jurors-teams")


def chart_names(results: Results) -> list[str]:
    """The names of the charts :func:`chart_specs` gives, in its order, without building them."""
    return [
        *ALWAYS_CHARTS,
        *(["leniency"] if results.jurors is not None else []),
        *(["rank-probabilities"] if results.stability is not None else []),
    ]


def chart_specs(results: Results, config: Config) -> list[ChartSpec]:
    """The charts this run can draw, each with its file name and translated title."""
    ranking = _ranking_with_intervals(results, config)
    scores = results.scores
    specs = [
        _ranking_chart(ranking, results.stability is not None),
        _criteria_chart(scores, config, ranking),
        _jurors_teams_chart(scores.juror_totals, ranking),
    ]
    jurors, stable = results.jurors, results.stability
    if jurors is not None:
        specs.append(_leniency_chart(jurors))
    if stable is not None:
        specs.append(_rank_probabilities_chart(stable.probabilities, ranking))
    return specs


def _ranking_with_intervals(results: Results, config: Config) -> pd.DataFrame:
    """The ranking in the contract's columns, with each team's rank interval when the jury
    was resampled."""
    from scoring.stability import RANK_HIGH, RANK_LOW

    scores = results.scores
    ranking = ranking_table(scores.ranking, scores.criteria, config)
    if results.stability is not None:
        summary = results.stability.summary
        interval = summary[[col.TEAM, RANK_LOW, RANK_HIGH]].drop_duplicates(col.TEAM)
        ranking = ranking.merge(interval, on=col.TEAM, how="left")
    return ranking


def _labels(count: int) -> int:
    """The labels drawn along an axis of ``count`` rows or columns."""
    from scoring.chartaxes import MAX_LABELS

    return min(count, MAX_LABELS)


def _matrix(rows: int, columns: int) -> int:
    """What drawing the colour matrix of a grid of ``rows`` by ``columns`` costs."""
    return round(MATRIX * min(1.0, rows * columns / MATRIX_CELLS))


def _ranking_chart(ranking: pd.DataFrame, stable: bool) -> ChartSpec:
    return ChartSpec(
        "ranking",
        _("Ranking and its stability") if stable else _("Ranking"),
        lambda: _charts().plot_ranking(ranking),
        CHART_BASE + _labels(len(ranking)) + len(ranking) // 2,
    )


def _criteria_chart(scores: Scores, config: Config, ranking: pd.DataFrame) -> ChartSpec:
    counted = [c for c in config.every_criterion() if not c.independent]
    language = get_language()
    return ChartSpec(
        "criteria",
        _("Score by criterion"),
        lambda: _charts().plot_criteria(
            weighted_criteria(scores, config),
            # Weighted already, each team by its own rubric's weights.
            weights=dict.fromkeys((c.id for c in counted), 1.0),
            # An id a challenge keeps is named as the main rubric names it.
            labels={c.id: c.label(language) for c in reversed(counted)},
            order=list(ranking[col.TEAM]),
            adds_up=config.method.order == "criterion-first",
        ),
        CHART_BASE + _labels(len(ranking)),
    )


def _jurors_teams_chart(totals: pd.DataFrame, ranking: pd.DataFrame) -> ChartSpec:
    return ChartSpec(
        "jurors-teams",
        _("Marks by juror and team"),
        lambda: _charts().plot_juror_heatmap(totals, order=list(ranking[col.TEAM])),
        CHART_BASE
        + _labels(len(ranking))
        + _labels(totals[col.JUROR].nunique())
        + _matrix(len(ranking), totals[col.JUROR].nunique()),
    )


def _leniency_chart(jurors: pd.DataFrame) -> ChartSpec:
    return ChartSpec(
        "leniency",
        _("Juror leniency"),
        lambda: _charts().plot_leniency(jurors),
        CHART_BASE + _labels(len(jurors)),
    )


def _rank_probabilities_chart(probabilities: pd.DataFrame, ranking: pd.DataFrame) -> ChartSpec:
    from scoring.chartaxes import NUMBER_TICKS

    return ChartSpec(
        "rank-probabilities",
        _("How sure is each rank?"),
        lambda: _charts().plot_rank_probabilities(probabilities),
        CHART_BASE
        + _labels(len(ranking))
        + min(probabilities.shape[1], NUMBER_TICKS)
        + _matrix(*probabilities.shape),
    )


def draw_charts(
    specs: Sequence[ChartSpec], out: Path, *, processes: int = 1
) -> list[tuple[ChartSpec, Path, Path]]:
    """Draw each chart and save it as ``out/<name>.png`` and ``.svg``; with ``processes`` > 1,
    several at once (see :mod:`scoring.chartjobs`)."""
    from scoring.chartjobs import ChartJob

    with ChartJob(specs, out, processes=processes) as job:
        return job.finish()
