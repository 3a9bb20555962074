"""The drawing kit behind :mod:`scoring.charts`: a fixed style, figure sizing, tick labels
that fit, collections of bars, and files that are byte-identical for identical input.

Every chart is drawn under ``STYLE`` (DejaVu Sans, which ships with matplotlib, and a fixed SVG
hash salt) and saved without dates or software names, so that rendering the same tables twice,
in two processes, gives the same PNG and SVG bytes.
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colorbar import Colorbar
from matplotlib.figure import Figure

from scoring.chartlayout import arrange

STYLE: dict[Any, Any] = {
    "svg.hashsalt": "hackathon-score",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "image.cmap": "viridis",
}
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
PNG_METADATA = {"Software": None}
ACCENT = "#1f5f8b"
BAR_HEIGHT = 0.6
LABEL_LIMIT = 32  # characters of a team or juror name shown on an axis
ANNOTATE_LIMIT = 20  # cells are labelled with their value up to this many rows and columns
MAX_SIZE = (16.0, 24.0)  # inches (width, height): beyond this, labels shrink or thin out
LABEL_POINTS = (5.0, 9.0)  # smallest and largest tick label size
# Labels per axis at most: each costs about 8 ms to lay out and draw, twice (PNG and SVG).
MAX_LABELS = 100

# Figures made by new_axes, with their colour bar: save_chart lays them out.
_OWNED: weakref.WeakKeyDictionary[Figure, Colorbar | None] = weakref.WeakKeyDictionary()

P = ParamSpec("P")
R = TypeVar("R")


def styled(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` under the fixed style, so fonts resolve the same on every machine."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


@styled
def new_axes(rows: int, *, width: float = 8.0, per_row: float = 0.28, extra: float = 0.0) -> Axes:
    """A single ``Axes`` on a new figure tall enough for ``rows`` labelled rows.

    ``extra`` inches are added for what sits below the plot (e.g. rotated column labels).
    """
    height = min(MAX_SIZE[1], max(2.5, 1.2 + per_row * rows) + extra)
    # No layout engine: save_chart places the parts itself (see scoring.chartlayout).
    figure = Figure(figsize=(min(width, MAX_SIZE[0]), height), layout="none")
    _OWNED[figure] = None
    return figure.add_subplot()


def set_ticks(
    ax: Axes,
    axis: str,
    labels: Sequence[object],
    *,
    rotation: int = 0,
    positions: Sequence[float] | np.ndarray | None = None,
) -> None:
    """Tick labels sized to the room the figure has; every k-th one when even the smallest
    readable size does not fit, or when there are more than ``MAX_LABELS`` (a jury of 200
    teams still gets a readable chart; the tables list every team)."""
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    width, height = figure.get_size_inches()
    room = (height if axis == "y" else width) - 1.5
    points = 0.8 * 72 * room / max(1, len(labels))
    step = 1 if points >= LABEL_POINTS[0] else math.ceil(LABEL_POINTS[0] / points)
    step = max(step, math.ceil(len(labels) / MAX_LABELS))
    size = min(LABEL_POINTS[1], max(LABEL_POINTS[0], points))
    where = np.arange(len(labels)) if positions is None else np.asarray(positions)
    texts = [short(label) for label in labels]
    setter = ax.set_yticks if axis == "y" else ax.set_xticks
    setter(where[::step], texts[::step], fontsize=size, rotation=rotation)


def short(label: object, limit: int = LABEL_LIMIT) -> str:
    """``label`` as text, cut to ``limit`` characters with an ellipsis, so a long name cannot
    squeeze the plot."""
    text = str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_room(labels: Sequence[object]) -> float:
    """Inches needed below a plot for column labels rotated by 90 degrees."""
    longest = max((len(short(label)) for label in labels), default=0)
    return min(3.0, 0.075 * longest)


@styled
def save_chart(axes: Axes, stem: Path) -> tuple[Path, Path]:
    """Write ``stem``.png and ``stem``.svg; identical input gives identical bytes."""
    figure = axes.get_figure(root=True)
    assert isinstance(figure, Figure)
    if figure in _OWNED:
        arrange(axes, _OWNED[figure])
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    figure.savefig(png, format="png", metadata=PNG_METADATA)
    figure.savefig(svg, format="svg", metadata=SVG_METADATA)
    return png, svg


def bars(
    ax: Axes,
    y: np.ndarray,
    widths: np.ndarray,
    *,
    left: np.ndarray | None = None,
    color: Any = ACCENT,
    label: str = "",
) -> PolyCollection:
    """Horizontal bars as one collection: like ``barh``, without an artist per bar (a stacked
    chart of 200 teams × 6 criteria would otherwise build and draw 1200 of them). ``color``
    is one colour or one per bar."""
    left = np.zeros(len(y)) if left is None else left
    low, high = y - BAR_HEIGHT / 2, y + BAR_HEIGHT / 2
    right = left + widths
    corners = np.stack(
        [
            np.column_stack(pair)
            for pair in ((left, low), (right, low), (right, high), (left, high))
        ],
        axis=1,
    )
    colors = list(color) if isinstance(color, list | np.ndarray) else [color]
    collection = PolyCollection(list(corners), facecolors=colors, edgecolors="none", label=label)
    collection.sticky_edges.x.append(0.0)  # bars start at zero, as with barh
    ax.add_collection(collection, autolim=True)
    return collection


def legend(ax: Axes, *, columns: int) -> None:
    """Legend below the plot when the chart owns its figure, else inside the axes."""
    figure = ax.get_figure()
    if isinstance(figure, Figure) and len(figure.axes) == 1:
        handles, labels = ax.get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False)
    else:
        ax.legend(loc="best", fontsize="small")


def matrix(
    ax: Axes, grid: pd.DataFrame, label: str, *, fmt: str, rotation: int = 90, **scale: Any
) -> None:
    """Draw ``grid`` as a colour matrix with labelled axes; values written in small grids."""
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", interpolation="nearest", **scale)
    set_ticks(ax, "x", list(grid.columns), rotation=rotation)
    set_ticks(ax, "y", list(grid.index))
    ax.spines[:].set_visible(False)
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    if figure in _OWNED:  # placed by save_chart, beside the plot
        _OWNED[figure] = figure.colorbar(image, cax=figure.add_axes((0, 0, 1, 1)), label=label)
    else:
        figure.colorbar(image, ax=ax, label=label, shrink=0.8)
    if max(grid.shape) <= ANNOTATE_LIMIT:
        for (row, column), cell in np.ndenumerate(values):
            if np.isfinite(cell):
                # viridis is dark at the low end: light text there, dark text on the bright end.
                colour = "white" if np.asarray(image.norm(cell)) < 0.5 else "black"
                ax.text(
                    column,
                    row,
                    fmt.format(cell),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=colour,
                )
