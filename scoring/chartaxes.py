"""What goes along a chart's axes: the names of teams and jurors, and ranks.

On a figure this package lays out itself (made by :func:`scoring.chartkit.new_axes`, see
:func:`own`), names are plain texts placed where matplotlib puts tick labels, without tick
marks: a matplotlib tick is five artists (two marks, a grid line, two labels) styled one
setting at a time, and building a hundred of them took longer than drawing the chart; the
files are then written with :mod:`scoring.chartlabels`. On any other figure (a chart drawn on
the caller's own Axes) they are ordinary tick labels, so that matplotlib's layout engines,
axis labels and limits treat them as usual.
"""

from __future__ import annotations

import math
import unicodedata
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # matplotlib is loaded by the functions that draw: the constants need none
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

LABEL_LIMIT = 32  # characters of a team or juror name shown on an axis
LABEL_POINTS = (5.0, 9.0)  # smallest and largest label size
# Labels per axis at most (every other team of 200): each costs about 1 ms to make, measure and
# draw in the PNG and the SVG.
MAX_LABELS = 100
# Columns that are ranks 1..n: beyond this many, a numeric axis with about this many ticks.
NUMBER_TICKS = 25
_ROUND_STEPS = [m * 10**e for e in range(7) for m in (1, 2, 5)]

# Figures laid out by this package; the axis ("x" or "y") each name text labels. Both weak:
# a chart no longer used is freed with everything on it.
_OWNED: weakref.WeakSet[Figure] = weakref.WeakSet()
_AXIS_OF: weakref.WeakKeyDictionary[Text, str] = weakref.WeakKeyDictionary()


def own(figure: Figure) -> None:
    """Mark ``figure`` as laid out by this package (see the module's description)."""
    _OWNED.add(figure)


def owned(figure: Figure) -> bool:
    """Whether ``figure`` is laid out by this package (see :func:`own`)."""
    return figure in _OWNED


def label_categories(
    ax: Axes,
    axis: str,
    labels: Sequence[object],
    *,
    rotation: int = 0,
    positions: Sequence[float] | np.ndarray | None = None,
) -> list[Text]:
    """Label rows (``axis`` "y") or columns ("x") of ``ax`` with ``labels``, sized to the room
    the figure has; every k-th one when even the smallest readable size does not fit, or when
    there are more than ``MAX_LABELS`` (a jury of 200 teams still gets a readable chart; the
    tables list every team). The labels drawn, also found by :func:`category_labels`.
    """
    from matplotlib.figure import Figure

    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    where, texts, size = _every_kth(figure, axis, labels, positions)
    setter = ax.set_yticks if axis == "y" else ax.set_xticks
    if not owned(figure):
        setter(where, [literal(t) for t in texts], fontsize=size, rotation=rotation)
        return category_labels(ax, axis)
    for old in name_labels(ax, axis):  # labelled again: the new labels replace the old
        old.remove()
    setter([])
    drawn = _names_placed(ax, figure, axis, where, texts, size=size, rotation=rotation)
    for label in drawn:
        _AXIS_OF[label] = axis
    return drawn


def _every_kth(
    figure: Figure,
    axis: str,
    labels: Sequence[object],
    positions: Sequence[float] | np.ndarray | None,
) -> tuple[np.ndarray, list[str], float]:
    """Where the labels go, their texts and their size: every k-th label when even the
    smallest readable size does not fit the figure's room, or past ``MAX_LABELS``."""
    width, height = figure.get_size_inches()
    room = (height if axis == "y" else width) - 1.5
    points = 0.8 * 72 * room / max(1, len(labels))
    step = 1 if points >= LABEL_POINTS[0] else math.ceil(LABEL_POINTS[0] / points)
    step = max(step, math.ceil(len(labels) / MAX_LABELS))
    size = min(LABEL_POINTS[1], max(LABEL_POINTS[0], points))
    where = (np.arange(len(labels)) if positions is None else np.asarray(positions))[::step]
    return where, [short(label) for label in labels][::step], size


def _names_placed(
    ax: Axes,
    figure: Figure,
    axis: str,
    where: np.ndarray,
    texts: list[str],
    *,
    size: float,
    rotation: int,
) -> list[Text]:
    """The names as texts of ``ax``, where matplotlib would put its tick labels."""
    from matplotlib.transforms import ScaledTranslation

    from scoring.chartlayout import tick_room

    gap = tick_room("y" if axis == "y" else "x")  # where matplotlib puts its tick labels
    if axis == "y":
        transform = ax.get_yaxis_transform() + ScaledTranslation(-gap, 0, figure.dpi_scale_trans)
        ha, va = "right", "center_baseline"
        places = [(0.0, float(y)) for y in where]
    else:
        transform = ax.get_xaxis_transform() + ScaledTranslation(0, -gap, figure.dpi_scale_trans)
        ha, va = "center", "top"
        places = [(float(x), 0.0) for x in where]
    return [
        # parse_math=False: a name with two dollar signs is a name, not a formula.
        ax.text(
            x,
            y,
            text,
            transform=transform,
            fontsize=size,
            rotation=rotation,
            ha=ha,
            va=va,
            parse_math=False,
        )
        for (x, y), text in zip(places, texts, strict=True)
    ]


def category_labels(ax: Axes, axis: str) -> list[Text]:
    """The labels :func:`label_categories` put along ``axis`` ("x" or "y") of ``ax`` as
    texts, else the axis's own tick labels."""
    return name_labels(ax, axis) or list(
        (ax.yaxis if axis == "y" else ax.xaxis).get_majorticklabels()
    )


def name_labels(ax: Axes, axis: str) -> list[Text]:
    """The names :func:`label_categories` placed as texts along ``axis`` of ``ax``."""
    return [text for text in ax.texts if _AXIS_OF.get(text) == axis]


def name_texts(figure: Figure) -> list[Text]:
    """Every name :func:`label_categories` placed as a text on ``figure``'s axes."""
    return [text for ax in figure.axes for text in ax.texts if text in _AXIS_OF]


def in_view(text: Text) -> bool:
    """Whether a name :func:`label_categories` placed stands at a row or column within its
    axes' current limits: one scrolled out of view (``set_ylim``, ``set_xlim``) is not shown,
    as matplotlib shows no tick label there."""
    ax = text.axes
    if ax is None:
        return False
    x, y = text.get_unitless_position()
    axis = _AXIS_OF.get(text)
    low, high = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
    return bool(low <= (y if axis == "y" else x) <= high)


@contextmanager
def out_of_view_hidden(texts: Sequence[Text]) -> Iterator[None]:
    """Within the block, those of the names ``texts`` scrolled out of view (see
    :func:`in_view`) are hidden."""
    outside = [text for text in texts if text.get_visible() and not in_view(text)]
    for text in outside:
        text.set_visible(False)
    try:
        yield
    finally:
        for text in outside:
            text.set_visible(True)


def fit_rows(ax: Axes, count: int) -> None:
    """Rows at 0 .. ``count`` - 1 fill the plot, with most of a row free at each end
    (matplotlib's margin of 5% would leave ten empty rows at each end of 200 teams)."""
    ax.set_ylim(-0.7, max(count, 1) - 0.3)


def number_axis(ax: Axes, columns: Sequence[object]) -> bool:
    """Label a long run of consecutive whole-number columns (ranks 1..n) like a numeric axis:
    1 and every multiple of a round step, about ``NUMBER_TICKS`` of them. Returns whether it
    did (a short run, or columns that are not such a run, get one label per column)."""
    n = len(columns)
    numbers = [int(c) for c in columns if isinstance(c, int | np.integer)]
    if n <= NUMBER_TICKS or len(numbers) != n or numbers != list(range(numbers[0], numbers[0] + n)):
        return False
    first = numbers[0]
    step = next(s for s in _ROUND_STEPS if n / s <= NUMBER_TICKS)
    # 1, 10, 20, ... with a round step; 1, 3, 5, ... with a step of 2 (1, 2, 4 would crowd).
    multiples = range((first // step + 1) * step, first + n, step)
    values = list(range(first, first + n, step)) if step < 5 else [first, *multiples]
    positions = np.array(values) - first
    ax.set_xticks(positions, [str(v) for v in values])
    return True


def literal(text: str) -> str:
    """``text`` to be shown as written: matplotlib reads text between two dollar signs as
    mathematics (and fails on a name such as "x$^$y")."""
    return text.replace("$", r"\$")


def short(label: object, limit: int = LABEL_LIMIT) -> str:
    """``label`` as one line of text, cut to ``limit`` characters with an ellipsis, so a
    long name cannot squeeze the plot; line breaks, tabs and other control characters in a
    name become single spaces."""
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in str(label))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_room(labels: Sequence[object]) -> float:
    """Inches needed below a plot for column labels rotated by 90 degrees."""
    longest = max((len(short(label)) for label in labels), default=0)
    return min(3.0, 0.075 * longest)
