"""Where the parts of a chart go, computed once from the sizes of its texts.

Matplotlib's layout engines (constrained, tight, ``bbox_inches="tight"``) find the margins by
drawing the figure and asking every text for its extent, several times over; a chart of 200
teams spends seconds there. Our charts have one plot, optionally a colour bar beside it and a
legend below it, so the margins follow from a handful of measurements: the widest tick label
on each side, the axis labels, the title and the legend. Each text is measured once, with the
font metrics of a tiny Agg renderer, and the axis labels are pinned where the measurements say,
so that drawing does not measure the tick labels again to place them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colorbar import Colorbar
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.typing import RcKeyType

EDGE = 0.1  # inches left free at each edge of the figure
GAP = 0.06  # inches between a text and what it labels
COLORBAR_WIDTH = 0.18  # inches
COLORBAR_GAP = 0.25  # inches between the plot and its colour bar
COLORBAR_SHRINK = 0.8  # the colour bar's height as a share of the plot's
# The rcParams keys of each axis's tick mark size and label pad, spelt out so that each key is
# one of matplotlib's known settings rather than a string put together at run time.
TICK_SETTINGS: dict[str, tuple[RcKeyType, RcKeyType]] = {
    "x": ("xtick.major.size", "xtick.major.pad"),
    "y": ("ytick.major.size", "ytick.major.pad"),
}


def _renderer(figure: Figure) -> RendererAgg:
    # Text metrics depend on the font and the dpi only, not on the canvas size.
    return RendererAgg(1, 1, figure.dpi)


def _size(text: Text, renderer: RendererAgg) -> tuple[float, float]:
    """Width and height in inches of ``text`` as drawn (rotation included), measured by
    matplotlib's own text layout, which keeps the sizes per renderer for drawing."""
    if not text.get_visible() or not text.get_text():
        return 0.0, 0.0
    box = text.get_window_extent(renderer)
    return box.width / renderer.dpi, box.height / renderer.dpi


def _widest(texts: Iterable[Text], renderer: RendererAgg) -> tuple[float, float]:
    sizes = [_size(text, renderer) for text in texts]
    return max((w for w, _h in sizes), default=0.0), max((h for _w, h in sizes), default=0.0)


def tick_room(axis: Literal["x", "y"]) -> float:
    """Inches taken by a tick mark and the pad between it and its label: how far from the
    plot its tick labels start."""
    size, pad = TICK_SETTINGS[axis]
    return float(matplotlib.rcParams[size] + matplotlib.rcParams[pad]) / 72


def _colorbar_room(colorbar: Colorbar, renderer: RendererAgg) -> float:
    """Inches right of the plot for the colour bar, its tick labels and its label."""
    cax = colorbar.ax
    values = cax.yaxis.get_major_locator()()
    low, high = sorted(cax.get_ylim())
    shown = [v for v in values if low - 1e-9 <= v <= high + 1e-9]
    labels = cax.yaxis.get_major_formatter().format_ticks(shown)
    sample = cax.yaxis.get_majorticklabels()[:1]
    font = sample[0].get_fontproperties() if sample else None
    widths = [
        renderer.get_text_width_height_descent(label, font, ismath=False)[0] / renderer.dpi
        for label in labels
        if font is not None
    ]
    label_width = _size(cax.yaxis.label, renderer)[0]
    return (
        COLORBAR_GAP
        + COLORBAR_WIDTH
        + tick_room("y")
        + max(widths, default=0.0)
        + (GAP + label_width if label_width else 0.0)
    )


def arrange(
    ax: Axes,
    colorbar: Colorbar | None = None,
    *,
    label_sizes: Mapping[str, tuple[float, float]] | None = None,
    renderer: RendererAgg | None = None,
) -> None:
    """Place ``ax`` (and its ``colorbar``, and the figure's legend) on its figure so that
    every label fits, with the axis labels pinned next to the tick labels.

    ``label_sizes``: the width and height in inches of the widest and tallest label along the
    "x" or "y" axis, when measured already (else the axis's tick labels are). Texts are
    measured with ``renderer`` (pass the one that will draw the figure: the sizes are kept).
    """
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    renderer = renderer or _renderer(figure)
    width, height = (float(v) for v in figure.get_size_inches())
    sizes = dict(label_sizes or {})
    for axis, ticks in (("x", ax.xaxis), ("y", ax.yaxis)):
        if axis not in sizes:
            sizes[axis] = _widest(ticks.get_majorticklabels(), renderer)
    y_ticks, x_ticks = sizes["y"][0], sizes["x"][1]
    y_label = _size(ax.yaxis.label, renderer)[0]
    x_label = _size(ax.xaxis.label, renderer)[1]
    title = _size(ax.title, renderer)[1]
    legend_height = 0.0
    for legend in figure.legends:
        legend_height += legend.get_window_extent(renderer).height / renderer.dpi + GAP
    left = EDGE + (y_label + GAP if y_label else 0.0) + y_ticks + tick_room("y")
    bottom = EDGE + legend_height + (x_label + GAP if x_label else 0.0) + x_ticks
    bottom += tick_room("x")
    top = EDGE + (title + float(matplotlib.rcParams["axes.titlepad"]) / 72 if title else 0.0)
    right = EDGE + (_colorbar_room(colorbar, renderer) if colorbar is not None else 0.1)
    plot_width = max(0.5, width - left - right)
    plot_height = max(0.5, height - bottom - top)
    ax.set_position((left / width, bottom / height, plot_width / width, plot_height / height))
    ax.yaxis.set_label_coords(-(y_ticks + tick_room("y") + GAP) / plot_width, 0.5)
    ax.xaxis.set_label_coords(0.5, -(x_ticks + tick_room("x") + GAP) / plot_height)
    for legend in figure.legends:
        legend.set_bbox_to_anchor((0.5, EDGE / height), transform=figure.transFigure)
    if colorbar is not None:
        bar_height = COLORBAR_SHRINK * plot_height
        colorbar.ax.set_position(
            (
                (left + plot_width + COLORBAR_GAP) / width,
                (bottom + (plot_height - bar_height) / 2) / height,
                COLORBAR_WIDTH / width,
                bar_height / height,
            )
        )
