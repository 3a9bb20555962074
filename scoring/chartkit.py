"""The drawing kit behind :mod:`scoring.charts`: a fixed style, figure sizing, tick labels
that fit, collections of bars, and files that are byte-identical for identical input.

Every chart is drawn under ``STYLE`` (DejaVu Sans, which ships with matplotlib, and a fixed SVG
hash salt) and saved without dates or software names, so that rendering the same tables twice,
in two processes, gives the same PNG and SVG bytes. Teams and jurors along an axis are texts
placed by :func:`label_categories`; the PNG writer draws them with Pillow (see
:mod:`scoring.chartlabels`).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colorbar import Colorbar
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from scoring import chartlabels
from scoring.chartaxes import (
    in_view,
    label_categories,
    name_labels,
    name_texts,
    number_axis,
    out_of_view_hidden,
    own,
    owned,
)
from scoring.chartlayout import arrange
from scoring.chartnumbers import LocalNumbers
from scoring.partfiles import replacing
from scoring.png import write_png

STYLE: dict[Any, Any] = {
    "svg.hashsalt": "hackathon-score",
    # Text as text: selectable, found by search and read by screen readers, smaller, and
    # written several times faster than glyphs as paths. The files name DejaVu Sans; a viewer
    # without it shows its own sans-serif.
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    # Glyphs as designed, not snapped to pixels: about twice as fast to lay out and draw
    # (1.1 ms a label against 2.4 ms), and as legible at the sizes of our labels.
    "text.hinting": "no_hinting",
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "image.cmap": "viridis",
    # A title at a fixed height: matplotlib would otherwise measure every tick label of the
    # chart again, at each save, to check that none reaches above the plot (ours never do).
    "axes.titley": 1.0,
    # The figure as laid out, whatever the user's setting: save_chart writes the names at
    # the places the layout gives them (a "tight" crop would move everything else).
    "savefig.bbox": "standard",
}
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
ACCENT = "#1f5f8b"
BAR_HEIGHT = 0.6
ANNOTATE_LIMIT = 20  # cells are labelled with their value up to this many rows and columns
BAND_ROWS = 25  # rows of a colour matrix drawn as one image (see _bands)
MAX_SIZE = (16.0, 24.0)  # inches (width, height): beyond this, labels shrink or thin out
# The path codes of one closed rectangle.
_RECTANGLE = [MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO, MplPath.LINETO, MplPath.CLOSEPOLY]

# The colour bar of a figure made by new_axes, placed by save_chart; weak, as the colour bar
# refers to its figure (a strong one would keep every figure alive).
_COLORBARS: weakref.WeakKeyDictionary[Figure, weakref.ref[Colorbar]] = weakref.WeakKeyDictionary()

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
    # matplotlib's Figure.__init__ documents and accepts layout="none", but its stub lists only
    # the engines' names; layout=None would instead follow the user's figure.autolayout setting.
    figure = Figure(
        figsize=(min(width, MAX_SIZE[0]), height),
        layout="none",  # type: ignore[arg-type]
    )
    own(figure)
    return figure.add_subplot()


@styled
def save_chart(axes: Axes, stem: Path) -> tuple[Path, Path]:
    """Write ``stem``.png and ``stem``.svg; identical input gives identical bytes."""
    figure = axes.get_figure(root=True)
    assert isinstance(figure, Figure)
    canvas = FigureCanvasAgg(figure)
    if owned(figure):
        # The names as the files show them (see scoring.chartlabels); other texts measured
        # with the renderer that draws the PNG, which keeps their sizes for drawing.
        sizes = {
            axis: chartlabels.extent(names, figure.dpi)
            for axis in ("x", "y")
            if (names := [text for text in name_labels(axes, axis) if in_view(text)])
        }
        colorbar = _COLORBARS[figure]() if figure in _COLORBARS else None
        arrange(axes, colorbar, label_sizes=sizes, renderer=canvas.get_renderer())
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    labels = name_texts(figure)
    # The labels are drawn into both files by scoring.chartlabels, not by matplotlib; those of
    # rows or columns scrolled out of view by neither. Files are written beside, then renamed:
    # a run killed mid-chart leaves no truncated file.
    with (
        out_of_view_hidden(labels),
        chartlabels.hidden(labels) as mine,
    ):
        with replacing(png) as part:
            placed = _save_png(canvas, part, mine)
        with replacing(svg) as part:
            document = io.BytesIO()
            figure.savefig(document, format="svg", metadata=SVG_METADATA)
            # The PNG is a whole number of pixels high, its bottom rows cut: the SVG's y from
            # the top is longer by what was cut.
            cut = figure.bbox.height - canvas.get_width_height()[1]
            placed = [dataclasses.replace(label, y=label.y + cut) for label in placed]
            part.write_bytes(chartlabels.svg(document.getvalue(), placed, figure.dpi))
    return png, svg


def _save_png(
    canvas: FigureCanvasAgg, path: Path, labels: Sequence[Text]
) -> list[chartlabels.Placed]:
    """The canvas's figure as an RGB PNG (see :mod:`scoring.png`), ``labels`` drawn by
    Pillow; where they were placed.

    Our figures are opaque: without the alpha channel that matplotlib draws, the PNG is
    compressed faster and is smaller.
    """
    from PIL import Image

    canvas.draw()
    # Pillow drops the alpha channel in C, about 7 times as fast as a numpy copy of the
    # strided RGB view (25 ms less for a 1600 × 2400 chart).
    image = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")
    dpi = canvas.figure.dpi
    placed = chartlabels.place(labels, dpi, image.height)
    chartlabels.draw(image, placed)
    write_png(path, np.asarray(image), dpi)
    return placed


def bars(
    ax: Axes,
    y: np.ndarray,
    widths: np.ndarray,
    *,
    left: np.ndarray | None = None,
    color: Any = ACCENT,
    label: str = "",
) -> list[PathPatch]:
    """Horizontal bars as one path per colour: like ``barh``, without an artist per bar (a
    stacked chart of 200 teams × 6 criteria would otherwise build and draw 1200 of them, and
    its SVG file would hold 1200 elements). ``color`` is one colour or one per bar; the
    patches, in the order their colours first appear, the first one carrying ``label``."""
    left = np.zeros(len(y)) if left is None else np.asarray(left, dtype=float)
    low, high = y - BAR_HEIGHT / 2, y + BAR_HEIGHT / 2
    right = left + widths
    colours = list(color) if isinstance(color, list | np.ndarray) else [color] * len(y)
    groups: dict[Any, list[int]] = {}
    for index, colour in enumerate(colours):
        groups.setdefault(colour, []).append(index)
    patches = []
    for number, (colour, indices) in enumerate(groups.items()):
        rows = np.array(indices)
        corners = [(left, low), (right, low), (right, high), (left, high), (left, low)]
        vertices = np.stack([np.column_stack((x[rows], v[rows])) for x, v in corners], axis=1)
        codes = np.tile(_RECTANGLE, len(rows))
        patch = PathPatch(
            MplPath(vertices.reshape(-1, 2), codes),
            facecolor=colour,
            edgecolor="none",
            label=label if number == 0 else "_nolegend_",
        )
        patch.sticky_edges.x.append(0.0)  # bars start at zero, as with barh
        # add_patch would find the limits curve by curve, in Python: slower than drawing.
        ax.add_artist(patch)
        ax.update_datalim(vertices.reshape(-1, 2))
        patches.append(patch)
    return patches


def legend(ax: Axes, *, columns: int) -> None:
    """Legend below the plot when the chart owns its figure, else inside the axes."""
    figure = ax.get_figure()
    if isinstance(figure, Figure) and len(figure.axes) == 1:
        handles, labels = ax.get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False)
    else:
        ax.legend(loc="best", fontsize="small")


def _bands(ax: Axes, values: np.ma.MaskedArray, **scale: Any) -> AxesImage:
    """``values`` as images of ``BAND_ROWS`` rows each, sharing one colour scale; the first.

    matplotlib resamples an image through buffers the size of the image on screen: for a
    matrix filling a large figure about 130 MB at once; band by band, a tenth of that, with
    the same pixels. "none": SVG gets each band itself, one pixel per cell, instead of a
    resampled bitmap (PNG output is the same as "nearest").
    """
    norm = Normalize(scale.get("vmin"), scale.get("vmax"))
    norm.autoscale_None(values)
    rows, columns = values.shape
    images = [
        ax.imshow(
            values[start : start + BAND_ROWS],
            norm=norm,
            extent=(-0.5, columns - 0.5, min(start + BAND_ROWS, rows) - 0.5, start - 0.5),
            aspect="auto",
            interpolation="none",
        )
        for start in range(0, rows, BAND_ROWS)
    ]
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    return images[0]


def matrix(
    ax: Axes,
    grid: pd.DataFrame,
    label: str,
    *,
    fmt: Callable[[float], str],
    rotation: int = 90,
    **scale: Any,
) -> None:
    """Draw ``grid`` as a colour matrix with labelled axes; values written in small grids.

    An empty grid (no juror marked anything, no bootstrap sample) leaves the plot empty,
    without a colour bar: matplotlib would warn about the singular limits of an empty image.
    """
    values = grid.to_numpy(dtype=float)
    if values.size == 0:
        ax.set_xlim(-0.5, 0.5)
        ax.set_ylim(0.5, -0.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.spines[:].set_visible(False)
        return
    image = _bands(ax, np.ma.masked_invalid(values), **scale)
    if not number_axis(ax, list(grid.columns)):
        label_categories(ax, "x", list(grid.columns), rotation=rotation)
    label_categories(ax, "y", list(grid.index))
    ax.spines[:].set_visible(False)
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    if owned(figure):  # placed by save_chart, beside the plot
        colorbar = figure.colorbar(image, cax=figure.add_axes((0, 0, 1, 1)), label=label)
        _COLORBARS[figure] = weakref.ref(colorbar)
    else:
        colorbar = figure.colorbar(image, ax=ax, label=label, shrink=0.8)
    colorbar.formatter = LocalNumbers()
    colorbar.update_ticks()
    if max(grid.shape) <= ANNOTATE_LIMIT:
        for (row, column), cell in np.ndenumerate(values):
            if np.isfinite(cell):
                # viridis is dark at the low end: light text there, dark text on the bright end.
                colour = "white" if np.asarray(image.norm(cell)) < 0.5 else "black"
                ax.text(
                    column,
                    row,
                    fmt(float(cell)),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=colour,
                )
