"""Charts: object-oriented matplotlib, labels in the chosen language, byte-identical files."""

from __future__ import annotations

import errno
import gc
import io
import os
import re
import select
import signal
import subprocess
import sys
import threading
import warnings
import weakref
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from defusedxml import ElementTree
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath
from PIL import Image
from rich.console import Console

from scoring import chartkit, charts
from scoring.aggregate import score
from scoring.chartjobs import ChartJob, shares
from scoring.chartspecs import ChartSpec, draw_charts
from scoring.forks import fork_warning_ignored
from scoring.i18n import set_language
from scoring.progress import Steps
from tests.scoring.fixtures import no_children_left

RENDER = """
import sys
from decimal import Decimal
from pathlib import Path
import pandas as pd
from scoring import charts

out = Path(sys.argv[1])
ranking = pd.DataFrame({"team": ["T2", "T1", "T3"], "rank": [1, 2, 3],
                        "rank_low": [1, 1, 2], "rank_high": [2, 3, 3]})
totals = pd.DataFrame({"juror": ["j1", "j1", "j2", "j2"], "team": ["T1", "T2", "T1", "T2"],
                       "score": [7.0, 8.5, 6.0, 9.0]})
criteria = pd.DataFrame({"team": ["T1", "T1", "T2", "T2"], "criterion": ["a", "b", "a", "b"],
                         "score": [7.0, 6.0, 8.0, 9.0]})
jurors = pd.DataFrame({"juror": ["j1", "j2"], "leniency": [0.5, -0.5]})
probabilities = pd.DataFrame([[0.7, 0.3], [0.3, 0.7]], index=["T2", "T1"], columns=[1, 2])
drawn = {
    "ranking": charts.plot_ranking(ranking),
    "heatmap": charts.plot_juror_heatmap(totals),
    "criteria": charts.plot_criteria(criteria, weights={"a": 2, "b": 1}),
    "leniency": charts.plot_leniency(jurors),
    "probabilities": charts.plot_rank_probabilities(probabilities),
}
for name, ax in drawn.items():
    charts.save_chart(ax, out / name)
"""
NAMES = ("ranking", "heatmap", "criteria", "leniency", "probabilities")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def _labels(ax: Axes, axis: str) -> list[str]:
    """The texts along ``axis``: teams, jurors or ranks."""
    return [label.get_text() for label in charts.category_labels(ax, axis)]


def _cells(ax: Axes) -> list[str]:
    """The values written in the cells of a colour matrix (the texts that label nothing)."""
    labels = {id(label) for axis in ("x", "y") for label in charts.category_labels(ax, axis)}
    return [text.get_text() for text in ax.texts if id(text) not in labels]


def render(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    subprocess.run([sys.executable, "-c", RENDER, str(folder)], check=True)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], ...]:
    """The five charts rendered twice, each time in a fresh Python process."""
    folder = tmp_path_factory.mktemp("charts")
    return render(folder / "first"), render(folder / "second")


def test_charts_are_byte_identical_across_processes(
    rendered: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    first, second = rendered

    assert sorted(first) == sorted(f"{name}.{ext}" for name in NAMES for ext in ("png", "svg"))
    assert [name for name in first if first[name] != second[name]] == []


def test_chart_files_carry_no_date_or_software(
    rendered: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    files = rendered[0]

    assert [name for name, data in files.items() if b"<dc:date>" in data] == []
    assert [name for name, data in files.items() if b"Software" in data] == []
    assert [name for name, data in files.items() if b"matplotlib.org" in data] == []


def test_svg_text_is_text(rendered: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    svg = rendered[0]["ranking.svg"].decode("utf-8")

    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert {"T1", "T2", "T3", "Ranking and its stability", "Rank (1 is best)"} <= set(texts)
    assert "DejaVu Sans" in svg
    assert 'id="DejaVuSans-' not in svg  # no glyphs drawn as paths


def test_plot_ranking_labels_the_winner_s_rank() -> None:
    # matplotlib's ticks for 24 teams were 3, 6, 9, ...: rank 1 had no number.
    frame = pd.DataFrame({"team": [f"T{i}" for i in range(1, 25)], "rank": range(1, 25)})

    ax = charts.plot_ranking(frame)

    assert list(ax.get_xticks()) == [1, 5, 10, 15, 20]


def test_plot_ranking_labels_teams_in_rank_order() -> None:
    frame = pd.DataFrame(
        {"team": ["T2", "T1"], "rank": [1, 2], "rank_low": [1, 1], "rank_high": [2, 2]}
    )

    ax = charts.plot_ranking(frame)

    assert _labels(ax, "y") == ["T2", "T1"]
    assert [label.get_position()[1] for label in charts.category_labels(ax, "y")] == [1, 0]
    assert list(ax.get_yticks()) == []  # texts, not matplotlib ticks
    assert ax.get_ylim() == (-0.7, 1.7)  # no empty rows above or below the teams
    assert (ax.get_xlabel(), ax.get_title()) == ("Rank (1 is best)", "Ranking and its stability")


def test_plot_draws_on_the_axes_it_is_given() -> None:
    figure = Figure()
    ax = figure.add_subplot()
    frame = pd.DataFrame({"juror": ["j1", "j2"], "leniency": [0.2, -0.1]})

    assert charts.plot_leniency(frame, ax=ax) is ax
    assert list(ax.get_yticks()) == [1, 0]  # on the caller's figure, names are tick labels
    assert _labels(ax, "y") == [
        "j1",
        "j2",
    ]  # most lenient first


def test_plot_criteria_stacks_weighted_contributions() -> None:
    frame = pd.DataFrame({"team": ["T1", "T1"], "criterion": ["a", "b"], "score": [7.0, 6.0]})

    ax = charts.plot_criteria(frame, weights={"a": 2, "b": 1}, labels={"a": "Alpha", "b": "Beta"})

    spans = [
        (float(bar.get_path().vertices[:, 0].min()), float(bar.get_path().vertices[:, 0].max()))
        for bar in ax.patches
    ]
    assert spans == [(0.0, 14.0), (14.0, 20.0)]  # Alpha 2 × 7, then Beta 1 × 6 on top
    assert ax.get_xlim()[0] == 0.0  # the bars start at zero
    legend = ax.get_figure().legends[0]
    assert [text.get_text() for text in legend.get_texts()] == ["Alpha", "Beta"]


def test_plot_criteria_stacks_negative_contributions_left_of_zero() -> None:
    # Copeland's criterion scores can be negative: stacked on one running sum, T1's negative
    # a bar was drawn back from 0 and Beta's bar then covered it entirely.
    frame = pd.DataFrame(
        {"team": ["T1"] * 3, "criterion": ["a", "b", "c"], "score": [-0.5, 3.0, -1.0]}
    )

    ax = charts.plot_criteria(frame, weights={"a": 2, "b": 1, "c": 1})

    spans = [
        (float(bar.get_path().vertices[:, 0].min()), float(bar.get_path().vertices[:, 0].max()))
        for bar in ax.patches
    ]
    assert spans == [(-1.0, 0.0), (0.0, 3.0), (-2.0, -1.0)]  # a, b, c: no overlap


def test_criteria_chart_of_a_juror_first_run_says_its_bars_are_not_the_score() -> None:
    # Median of the jurors' totals: a team's bars (weighted criterion medians) need not add up
    # to its score, and the axis may not say they do.
    from scoring.chartspecs import chart_specs
    from scoring.config import Config, Criterion, Method, Scale
    from scoring.outputs import Results

    scale = Scale(Decimal(0), Decimal(10))
    criteria = tuple(Criterion(c, {"en": c}, Decimal(1), scale) for c in ("a", "b"))
    marks = pd.DataFrame(
        [(j, "T1", c, s) for j, c, s in [("j1", "a", 9.0), ("j1", "b", 1.0), ("j2", "a", 5.0),
                                          ("j2", "b", 5.0), ("j3", "a", 1.0), ("j3", "b", 9.0)]],
        columns=["juror", "team", "criterion", "score"],
    )  # fmt: skip
    labels = {}
    for order in ("criterion-first", "juror-first"):
        config = Config(criteria=criteria, method=Method("median", order=order))
        results = Results(marks=marks, scores=score(marks, config))
        spec = next(s for s in chart_specs(results, config) if s.name == "criteria")
        labels[order] = spec.draw().get_xlabel()

    assert labels == {
        "criterion-first": "Weighted contribution to the score",
        "juror-first": "Weighted criterion scores, for information: the score is not their sum",
    }


def test_criteria_chart_weighs_each_team_by_its_own_rubric() -> None:
    # Challenge x keeps the id "a" at weight 1, the main rubric weighs it 0.5: C's bar is its
    # score, 1 x 8, not 0.5 x 8 (shorter than A's 0.5 x 9 though C ranks first).
    from scoring.chartspecs import chart_specs
    from scoring.config import Config, Criterion, Scale
    from scoring.outputs import Results

    scale = Scale(Decimal(0), Decimal(10))
    config = Config(
        criteria=(Criterion("a", {"en": "A"}, Decimal("0.5"), scale),),
        challenge_criteria={"x": (Criterion("a", {"en": "A of x"}, Decimal(1), scale),)},
    )
    marks = pd.DataFrame(
        {"juror": ["j", "j"], "team": ["A", "C"], "criterion": ["a", "a"], "score": [9.0, 8.0],
         "challenge": [None, "x"]}
    )  # fmt: skip
    results = Results(marks=marks, scores=score(marks, config))

    ax = next(s for s in chart_specs(results, config) if s.name == "criteria").draw()

    ends = sorted(float(x) for x in ax.patches[0].get_path().vertices[:, 0] if x > 0)
    assert set(ends) == {4.5, 8.0}
    legend = ax.get_figure(root=True).legends[0]
    assert [text.get_text() for text in legend.get_texts()] == ["A"]  # the main rubric's


def test_bars_of_one_colour_are_one_path() -> None:
    # One path per criterion (per sign for leniency), not one artist per bar: a jury of 200
    # teams × 6 criteria drew 1200 bars, one SVG element each.
    frame = pd.DataFrame({"juror": ["j1", "j2", "j3", "j4"], "leniency": [0.5, 0.25, -0.5, 0.0]})

    ax = charts.plot_leniency(frame)

    shapes = [
        (bar.get_facecolor(), int((bar.get_path().codes == MplPath.MOVETO).sum()))
        for bar in ax.patches
    ]
    assert shapes == [(to_rgba(chartkit.ACCENT), 3), (to_rgba("#b5523b"), 1)]
    assert ax.get_ylim() == (-0.7, 3.7)


def test_plot_juror_heatmap_orders_teams_as_asked() -> None:
    frame = pd.DataFrame(
        {"juror": ["j1", "j1", "j2"], "team": ["A", "B", "B"], "score": [5.0, 7.0, 6.0]}
    )

    ax = charts.plot_juror_heatmap(frame, order=["B", "A"])

    assert _labels(ax, "y") == ["B", "A"]
    assert _labels(ax, "x") == ["j1", "j2"]
    assert _cells(ax) == ["7.0", "6.0", "5.0"]


def test_names_with_dollar_signs_are_drawn_as_written(tmp_path: Path) -> None:
    # matplotlib reads "$...$" as mathematics: "x$^$y" used to end the run with a parse error.
    names = ["Cash $ and $ Co", "x$^$y"]
    ranking = pd.DataFrame({"team": names, "rank": [1, 2], "rank_low": [1, 1], "rank_high": [2, 2]})
    criteria = pd.DataFrame({"team": names, "criterion": ["cost", "cost"], "score": [7.0, 5.0]})
    weights, labels = {"cost": 1.0}, {"cost": "Cost in $ ($)"}

    charts.save_chart(charts.plot_ranking(ranking), tmp_path / "ranking")
    charts.save_chart(
        charts.plot_criteria(criteria, weights=weights, labels=labels), tmp_path / "criteria"
    )

    texts = set(re.findall(r"<text [^>]*>([^<]*)</text>", (tmp_path / "ranking.svg").read_text()))
    assert set(names) <= texts
    legend = re.findall(r"<text [^>]*>([^<]*)</text>", (tmp_path / "criteria.svg").read_text())
    assert "Cost in $ ($)" in legend


def test_names_with_markup_characters_are_written_as_text(tmp_path: Path) -> None:
    names = ['<b>Team</b> & "Co"', "L'équipe <3"]
    ranking = pd.DataFrame({"team": names, "rank": [1, 2], "rank_low": [1, 1], "rank_high": [2, 2]})

    charts.save_chart(charts.plot_ranking(ranking), tmp_path / "ranking")

    root = ElementTree.parse(tmp_path / "ranking.svg").getroot()  # well-formed XML
    texts = {element.text for element in root.iter("{http://www.w3.org/2000/svg}text")}
    assert set(names) <= texts


def test_names_are_shown_on_one_line(tmp_path: Path) -> None:
    # A line break in a cell (Alt+Enter in a spreadsheet) or a stray control character.
    names = ["Team\nNewline", "Tab\there\x07"]
    ranking = pd.DataFrame({"team": names, "rank": [1, 2], "rank_low": [1, 1], "rank_high": [2, 2]})

    ax = charts.plot_ranking(ranking)
    charts.save_chart(ax, tmp_path / "ranking")

    assert _labels(ax, "y") == ["Team Newline", "Tab here"]
    root = ElementTree.parse(tmp_path / "ranking.svg").getroot()
    texts = {element.text for element in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Team Newline", "Tab here"} <= texts


def test_rows_scrolled_out_of_view_are_not_labelled(tmp_path: Path) -> None:
    # As matplotlib shows no tick label outside the view: here the best five teams only (the
    # best on top, at rows 9 down to 5).
    names = [f"Team {n:02d}" for n in range(1, 11)]
    ranking = pd.DataFrame({"team": names, "rank": range(1, 11)})
    ax = charts.plot_ranking(ranking)
    bottom, top = ax.get_ylim()
    ax.set_ylim(4.5, 9.5)

    charts.save_chart(ax, tmp_path / "top")
    ax.set_ylim(bottom, top)
    charts.save_chart(ax, tmp_path / "all")

    def teams(stem: str) -> list[str]:
        texts = re.findall(r"<text [^>]*>([^<]*)</text>", (tmp_path / f"{stem}.svg").read_text())
        return [text for text in texts if text.startswith("Team ")]

    assert (teams("top"), teams("all")) == (names[:5], names)


def test_saved_charts_are_freed(tmp_path: Path) -> None:
    # Nothing of the package keeps a chart alive once its caller lets go of it.
    ranking = pd.DataFrame({"team": ["T1", "T2"], "rank": [1, 2]})
    totals = pd.DataFrame({"juror": ["j1", "j2"], "team": ["T1", "T2"], "score": [7.0, 6.0]})
    figures = []
    for name, ax in (
        ("ranking", charts.plot_ranking(ranking)),
        ("heatmap", charts.plot_juror_heatmap(totals)),
    ):
        charts.save_chart(ax, tmp_path / name)
        figures.append(weakref.ref(ax.get_figure(root=True)))
    del ax

    gc.collect()

    assert [figure() for figure in figures] == [None, None]


def test_a_users_tight_bounding_box_setting_changes_nothing(tmp_path: Path) -> None:
    ranking = pd.DataFrame({"team": ["T1", "T2"], "rank": [1, 2]})
    charts.save_chart(charts.plot_ranking(ranking), tmp_path / "plain")

    with matplotlib.rc_context({"savefig.bbox": "tight"}):
        charts.save_chart(charts.plot_ranking(ranking), tmp_path / "tight")

    for suffix in (".png", ".svg"):
        plain = (tmp_path / "plain").with_suffix(suffix).read_bytes()
        assert plain == (tmp_path / "tight").with_suffix(suffix).read_bytes()


def _ink_runs(image: Image.Image, box: tuple[int, int, int, int], axis: int) -> list[range]:
    """Runs of rows (``axis`` 1) or columns (0) of ``box`` in ``image`` holding dark pixels."""
    pixels = np.asarray(image.convert("L").crop(box)) < 128
    inked = pixels.any(axis=axis)
    runs, start = [], None
    for index, dark in enumerate([*inked, False]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append(range(start, index))
            start = None
    return runs


def _close(ours: list[range], theirs: list[range], pixels: int) -> bool:
    return len(ours) == len(theirs) and all(
        abs(a.start - b.start) <= pixels and abs(a.stop - b.stop) <= pixels
        for a, b in zip(ours, theirs, strict=True)
    )


def test_png_labels_are_drawn_where_matplotlib_draws_them(tmp_path: Path) -> None:
    # The PNG's labels are drawn by Pillow (scoring.chartlabels); matplotlib draws the same
    # texts when it renders the figure itself. Their ink must land on the same pixels, give or
    # take one (two across turned names: the two rasterisers round a glyph's edge apart): rows
    # of team names left of the plot, juror names turned by 90 degrees below it.
    teams = [f"Team {n}" for n in range(1, 9)]
    jurors = ["ada", "Bertrand", "j3", "Øyvind Qj"]
    totals = pd.DataFrame(
        [(juror, team, 5.0) for juror in jurors for team in teams],
        columns=["juror", "team", "score"],
    )
    ax = charts.plot_juror_heatmap(totals, order=teams)

    charts.save_chart(ax, tmp_path / "heatmap")

    ours = Image.open(tmp_path / "heatmap.png")
    labels = [*charts.category_labels(ax, "x"), *charts.category_labels(ax, "y")]
    assert [label.get_visible() for label in labels] == [True] * 12  # shown again for the SVG
    canvas = FigureCanvasAgg(ax.get_figure(root=True))
    with matplotlib.rc_context(chartkit.STYLE):
        canvas.draw()
    theirs = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw")
    assert ours.size == theirs.size
    plot = ax.get_window_extent()
    height = ours.size[1]
    top, bottom = round(height - plot.y1), round(height - plot.y0)
    axis_label = ax.yaxis.label.get_window_extent()
    left_margin = (round(axis_label.x1) + 1, top, round(plot.x0) - 2, bottom)  # team names
    rows = [_ink_runs(image, left_margin, 1) for image in (ours, theirs)]
    assert len(rows[0]) == len(teams)
    assert _close(*rows, pixels=1)
    columns = [_ink_runs(image, left_margin, 0)[-1] for image in (ours, theirs)]
    assert abs(columns[0].stop - columns[1].stop) <= 1  # right-aligned at the same place
    below = (round(plot.x0), bottom + 2, round(plot.x1), bottom + 70)
    turned = [_ink_runs(image, below, 0) for image in (ours, theirs)]
    assert len(turned[0]) == len(jurors)
    assert _close(*turned, pixels=2)
    tops = [_ink_runs(image, below, 1)[0].start for image in (ours, theirs)]
    assert abs(tops[0] - tops[1]) <= 1


_TEXT = r'<text style="([^"]*)" ([^>]*)>([^<]*)</text>'
_NUMBER = r"(-?[\d.]+)"


def _svg_texts(document: str) -> dict[str, tuple[str, str]]:
    """Each text of an SVG document: its style and its other attributes."""
    return {words: (style, rest) for style, rest, words in re.findall(_TEXT, document)}


def _numbers(pattern: str, text: str) -> tuple[float, float]:
    found = re.search(pattern.format(n=_NUMBER), text)
    assert found is not None, text
    x, y = found.groups()
    return float(x), float(y)


def _ours_and_matplotlibs(ax: Axes, stem: Path) -> tuple[dict[str, tuple[str, str]], ...]:
    """The texts of our SVG file of ``ax``'s chart, and of matplotlib's own."""
    charts.save_chart(ax, stem)
    document = io.BytesIO()
    with matplotlib.rc_context(chartkit.STYLE):
        ax.get_figure(root=True).savefig(document, format="svg")
    return _svg_texts(stem.with_suffix(".svg").read_text()), _svg_texts(
        document.getvalue().decode()
    )


def test_svg_labels_are_placed_where_matplotlib_places_them(tmp_path: Path) -> None:
    # The SVG's labels are written by scoring.chartlabels; matplotlib writes the same texts
    # when it saves the figure itself. Team names (right-aligned rows, one made taller by an
    # accented capital) and ranks (columns) are anchored at the same points on the same
    # baselines; turned juror names on the same baseline, their end where matplotlib's ends
    # (within half a point: matplotlib measures the glyphs' ink, the SVG viewer their advance).
    teams, jurors = ["Team 1", "Team 2", "Équipe 3"], ["ada", "Bertrand"]
    totals = pd.DataFrame(
        [(juror, team, 5.0) for juror in jurors for team in teams],
        columns=["juror", "team", "score"],
    )
    ranks = pd.DataFrame(1 / 3, index=teams, columns=[1, 2, 3])
    heatmap = _ours_and_matplotlibs(
        charts.plot_juror_heatmap(totals, order=teams), tmp_path / "heatmap"
    )
    probabilities = _ours_and_matplotlibs(
        charts.plot_rank_probabilities(ranks), tmp_path / "probabilities"
    )

    for (ours, theirs), words, anchor in (
        (heatmap, teams, "end"),
        (probabilities, teams, "end"),
        (probabilities, ["1", "2", "3"], "middle"),
    ):
        for word in words:
            (style, where), (their_style, their_where) = ours[word], theirs[word]
            x, y = _numbers('x="{n}" y="{n}"', where)
            their_x, their_y = _numbers('x="{n}" y="{n}"', their_where)
            assert style.endswith(f"text-anchor: {anchor}") and their_style.endswith(anchor)
            assert (word, round(x - their_x, 2), round(y - their_y, 2)) == (word, 0, 0)
    ours, theirs = heatmap
    font = FontProperties(family="DejaVu Sans", size=9)
    for juror in jurors:
        (style, where), (_their_style, their_where) = ours[juror], theirs[juror]
        x, y = _numbers('x="{n}" y="{n}" transform="rotate', where)
        start_x, start_y = _numbers(r"translate\({n} {n}\)", their_where)  # read upwards
        length = TextToPath().get_text_width_height_descent(juror, font, ismath=False)[0]
        assert style.endswith("text-anchor: end")  # the end, read upwards, at the top
        assert (round(x - start_x, 2), abs(y - (start_y - length)) <= 0.5) == (0, True)


def test_long_names_are_shortened_on_axes() -> None:
    name = "A team with a remarkably long and winding name indeed"
    frame = pd.DataFrame({"juror": [name], "leniency": [0.0]})

    ax = charts.plot_leniency(frame)

    assert _labels(ax, "y") == [name[:31] + "…"]


def test_many_teams_keep_the_figure_bounded_and_labels_thinned() -> None:
    teams = [f"T{i:03d}" for i in range(200)]
    probabilities = pd.DataFrame(0.005, index=teams, columns=range(1, 201))

    ax = charts.plot_rank_probabilities(probabilities)

    assert list(ax.get_figure().get_size_inches()) == [16.0, 24.0]
    assert len(_labels(ax, "y")) == 100  # every other team
    assert _labels(ax, "x") == [
        "1",
        *[str(rank) for rank in range(10, 201, 10)],
    ]  # ranks as a numeric axis
    assert _cells(ax) == []  # no cell annotations on a large grid


def test_rank_probabilities_label_every_rank_of_a_small_jury() -> None:
    teams = [f"T{i:02d}" for i in range(24)]
    probabilities = pd.DataFrame(1 / 24, index=teams, columns=range(1, 25))

    ax = charts.plot_rank_probabilities(probabilities)

    assert _labels(ax, "x") == [str(r) for r in range(1, 25)]


def test_empty_charts_are_drawn_without_warnings(tmp_path: Path) -> None:
    # pytest turns warnings into errors: matplotlib warns about the limits of an empty image.
    no_marks = pd.DataFrame({"juror": [], "team": [], "score": []})
    no_samples = pd.DataFrame(index=pd.Index([], name="team"), columns=pd.RangeIndex(1, 1))

    heatmap = charts.plot_juror_heatmap(no_marks)
    probabilities = charts.plot_rank_probabilities(no_samples)
    written = [
        *charts.save_chart(heatmap, tmp_path / "heatmap"),
        *charts.save_chart(probabilities, tmp_path / "probabilities"),
    ]

    assert [path.name for path in written] == [
        "heatmap.png",
        "heatmap.svg",
        "probabilities.png",
        "probabilities.svg",
    ]
    assert (len(heatmap.images), len(probabilities.images)) == (0, 0)


def test_chart_labels_follow_the_language() -> None:
    frame = pd.DataFrame({"team": ["T1"], "rank": [1], "rank_low": [1], "rank_high": [2]})
    set_language("de")

    ax = charts.plot_ranking(frame)
    plain = charts.plot_ranking(frame[["team", "rank"]])  # no bootstrap: no stability claimed

    assert (ax.get_xlabel(), ax.get_title(), plain.get_title()) == (
        "Rang (1 ist am besten)",
        "Rangliste und ihre Stabilität",
        "Rangliste",
    )


def test_chart_numbers_are_written_in_the_language_s_notation() -> None:
    set_language("de")
    jurors = pd.DataFrame({"juror": ["j1", "j2"], "leniency": [1.0, -0.5]})
    probabilities = pd.DataFrame([[0.7, 0.3], [0.3, 0.7]], index=["T2", "T1"], columns=[1, 2])

    leniency = charts.plot_leniency(jurors)
    matrix = charts.plot_rank_probabilities(probabilities)
    for ax in (leniency, matrix):
        FigureCanvasAgg(ax.get_figure(root=True)).draw()  # tick labels are made when drawn
    colorbar = matrix.get_figure(root=True).axes[1]

    assert [t.get_text() for t in leniency.xaxis.get_majorticklabels()] == [
        "−0,6", "−0,4", "−0,2", "0,0", "0,2", "0,4", "0,6", "0,8", "1,0", "1,2",
    ]  # fmt: skip
    assert [t.get_text() for t in colorbar.yaxis.get_majorticklabels()] == [
        "0,0",
        "0,2",
        "0,4",
        "0,6",
        "0,8",
        "1,0",
    ]


def test_numbers_in_chart_cells_follow_the_language_and_round_half_up() -> None:
    set_language("de")
    totals = pd.DataFrame({"juror": ["j1", "j2"], "team": ["T1", "T1"], "score": [7.25, 11.5]})
    probabilities = pd.DataFrame([[0.575, 0.425]], index=["T1"], columns=[1, 2])

    heatmap = charts.plot_juror_heatmap(totals)
    matrix = charts.plot_rank_probabilities(probabilities)

    # 7.25 half up is 7,3 (Python's "{:.1f}" would write 7.2); German writes "58 %".
    assert [
        t.get_text()
        for t in heatmap.texts
        if t not in charts.category_labels(heatmap, "y")
        and t not in charts.category_labels(heatmap, "x")
    ] == ["7,3", "11,5"]
    percents = [t.get_text() for t in matrix.texts if t.get_text().endswith("%")]
    assert percents == ["58\xa0%", "43\xa0%"]


def test_tick_numbers_follow_the_language_when_drawn_and_a_caller_s_formatter_stays() -> None:
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    jurors = pd.DataFrame({"juror": ["j1", "j2"], "leniency": [1.0, -0.5]})
    ax = charts.plot_leniency(jurors)
    own = Figure().add_subplot()
    own.xaxis.set_major_formatter(PercentFormatter())

    charts.plot_leniency(jurors, ax=own)
    set_language("fr")
    FigureCanvasAgg(ax.get_figure(root=True)).draw()

    assert "0,2" in [t.get_text() for t in ax.xaxis.get_majorticklabels()]
    assert isinstance(own.xaxis.get_major_formatter(), PercentFormatter)


def chart_spec(name: str, draw: Callable[[], Axes]) -> ChartSpec:
    return ChartSpec(name, name, draw)


def small_specs() -> list[ChartSpec]:
    ranking = pd.DataFrame({"team": ["T2", "T1"], "rank": [1, 2]})
    jurors = pd.DataFrame({"juror": ["j1", "j2"], "leniency": [0.5, -0.5]})
    probabilities = pd.DataFrame([[0.7, 0.3], [0.3, 0.7]], index=["T2", "T1"], columns=[1, 2])
    return [
        chart_spec("ranking", lambda: charts.plot_ranking(ranking)),
        chart_spec("leniency", lambda: charts.plot_leniency(jurors)),
        chart_spec("probabilities", lambda: charts.plot_rank_probabilities(probabilities)),
    ]


def test_charts_drawn_by_helper_processes_are_the_same_files(tmp_path: Path) -> None:
    alone = draw_charts(small_specs(), tmp_path / "alone", processes=1)
    with ChartJob(small_specs(), tmp_path / "shared", processes=3) as job:
        forked = len(job.helpers)
        shared = job.finish()

    assert forked == 2
    assert [(spec.name, png.name, svg.name) for spec, png, svg in shared] == [
        ("ranking", "ranking.png", "ranking.svg"),
        ("leniency", "leniency.png", "leniency.svg"),
        ("probabilities", "probabilities.png", "probabilities.svg"),
    ]
    assert [
        path.name
        for (_a, *paths), (_s, *copies) in zip(alone, shared, strict=True)
        for path, copy in zip(paths, copies, strict=True)
        if path.read_bytes() != copy.read_bytes()
    ] == []


def test_a_chart_that_fails_in_a_helper_fails_the_run(tmp_path: Path) -> None:
    def broken() -> Axes:
        raise ValueError("no such column")

    specs = [*small_specs(), chart_spec("broken", broken)]

    with (
        pytest.raises(ValueError, match="no such column"),
        ChartJob(specs, tmp_path, processes=2) as job,
    ):
        helpers = [[spec.name for spec in share] for _pid, share in job.helpers]
        job.finish()
    assert helpers == [["leniency", "broken"]]  # redrawn here after the helper failed
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "leniency.png",
        "leniency.svg",
        "probabilities.png",
        "probabilities.svg",
        "ranking.png",
        "ranking.svg",
    ]


def test_chart_shares_balance_the_weights() -> None:
    specs = [
        ChartSpec(name, name, nothing, weight)
        for name, weight in (("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 2))
    ]

    split = shares(specs, 2, head_start=1)

    assert [[spec.name for spec in share] for share in split] == [["b", "c"], ["a", "d", "e"]]


def test_chart_shares_are_evened_out_beyond_heaviest_first() -> None:
    # Measured costs of a 200-team run (ms); this process also writes the report (180).
    weights = (("ranking", 270), ("criteria", 170), ("heat", 430), ("leniency", 170), ("prob", 351))
    specs = [ChartSpec(name, name, nothing, weight) for name, weight in weights]

    split = shares(specs, 2, head_start=180)

    # Heaviest first alone gives 180 + 351 + 170 = 701 against 430 + 270 + 170 = 870.
    assert [[spec.name for spec in share] for share in split] == [
        ["criteria", "heat"],  # 180 + 170 + 430 = 780
        ["ranking", "leniency", "prob"],  # 270 + 170 + 351 = 791
    ]


def nothing() -> None:
    return None


def test_helpers_are_forked_only_from_a_single_threaded_process(tmp_path: Path) -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)

    with ChartJob(small_specs(), tmp_path / "alone", processes=2) as job:
        alone = len(job.helpers)
        job.finish()
    other.start()
    try:
        with ChartJob(small_specs(), tmp_path / "threaded", processes=2) as job:
            threaded = len(job.helpers)
            drawn = job.finish()
    finally:
        release.set()
        other.join()

    assert (alone, threaded) == (1, 0)
    assert [png.exists() and svg.exists() for _spec, png, svg in drawn] == [True] * 3


def test_paused_progress_bar_runs_no_thread() -> None:
    threads = threading.active_count()
    console = Console(file=io.StringIO(), force_terminal=True)

    with Steps(2, console=console) as steps:
        steps.step("first")
        running = threading.active_count()
        with steps.paused():
            paused = threading.active_count()
        steps.step("second")
    ended = threading.active_count()  # stopped with the bar, not left to end some time later

    assert (running, paused, ended) == (threads + 1, threads, threads)


def waiting_for(fd: int, name: str) -> ChartSpec:
    """A chart that is drawn once ``fd`` can be read (after 30 s at the latest)."""
    jurors = pd.DataFrame({"juror": ["j1"], "leniency": [0.0]})

    def draw() -> Axes:
        select.select([fd], [], [], 30)
        return charts.plot_leniency(jurors)

    return chart_spec(name, draw)


def test_a_failed_fork_leaves_its_share_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks = []
    fork = os.fork

    def fork_once() -> int:  # the second fork fails as it does without free processes
        forks.append(len(forks))
        if len(forks) > 1:
            raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        return fork()

    monkeypatch.setattr(os, "fork", fork_once)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    frozen = gc.get_freeze_count()

    with ChartJob(small_specs(), tmp_path, processes=3) as job:
        forked = len(job.helpers)
        drawn = job.finish()

    assert (len(forks), forked) == (2, 1)
    assert [png.exists() and svg.exists() for _spec, png, svg in drawn] == [True] * 3
    assert no_children_left()
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, frozen)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask


def test_a_freeze_of_the_host_process_is_left_in_place(tmp_path: Path) -> None:
    host = [object()]  # frozen below, as a pre-forking server freezes its own objects
    gc.freeze()
    try:
        with ChartJob(small_specs(), tmp_path, processes=2) as job:
            forked = len(job.helpers)
            job.finish()
        # gc.get_objects() lists every tracked object but the frozen ones
        thawed = any(obj is host for obj in gc.get_objects())
    finally:
        gc.unfreeze()

    assert (forked, thawed) == (1, False)
    assert any(obj is host for obj in gc.get_objects())


def test_a_failing_run_kills_its_helpers_at_once(tmp_path: Path) -> None:
    read, write = os.pipe()
    ranking = pd.DataFrame({"team": ["T1"], "rank": [1]})
    specs = [
        ChartSpec("ranking", "ranking", lambda: charts.plot_ranking(ranking), 2),
        waiting_for(read, "waiting"),
        waiting_for(read, "after"),
    ]
    try:
        with (
            pytest.raises(RuntimeError, match="tables failed"),
            ChartJob(specs, tmp_path, processes=2) as job,
        ):
            helpers = [[spec.name for spec in share] for _pid, share in job.helpers]
            raise RuntimeError("tables failed")
        gone = no_children_left()
    finally:
        os.write(write, b"go")  # a helper still alive would draw its share now
        os.close(write)
        os.close(read)

    assert helpers == [["waiting", "after"]]
    assert gone
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_an_interrupt_in_a_helper_ends_the_helper_only(tmp_path: Path) -> None:
    caller = os.getpid()
    jurors = pd.DataFrame({"juror": ["j1"], "leniency": [0.0]})

    def interrupted_in_a_helper() -> Axes:
        if os.getpid() != caller:
            raise KeyboardInterrupt  # as Ctrl-C does to every process of the terminal
        return charts.plot_leniency(jurors)

    specs = [small_specs()[0], chart_spec("leniency", interrupted_in_a_helper)]
    with ChartJob(specs, tmp_path, processes=2) as job:
        helpers = [[spec.name for spec in share] for _pid, share in job.helpers]
        drawn = job.finish()

    assert (os.getpid(), helpers) == (caller, [["leniency"]])  # redrawn here, by the caller
    assert [png.exists() and svg.exists() for _spec, png, svg in drawn] == [True, True]
    assert no_children_left()


class Interrupted(Exception):
    pass


def test_helpers_are_reaped_when_the_wait_for_them_is_interrupted(tmp_path: Path) -> None:
    read, write = os.pipe()
    parent = os.getpid()

    def interrupt_the_wait() -> Axes:
        # In the helper: once the parent sleeps in waitpid, interrupt it, then wait.
        for _ in range(3000):
            if Path(f"/proc/{parent}/wchan").read_text() == "do_wait":
                break
            select.select([], [], [], 0.01)
        os.kill(parent, signal.SIGUSR1)
        select.select([read], [], [], 30)
        return charts.plot_ranking(pd.DataFrame({"team": ["T1"], "rank": [1]}))

    def interrupted(signum: int, frame: object) -> None:
        raise Interrupted

    specs = [chart_spec("interrupting", interrupt_the_wait), waiting_for(read, "waiting")]
    previous = signal.signal(signal.SIGUSR1, interrupted)
    try:
        with (
            pytest.raises(Interrupted),
            ChartJob(specs, tmp_path, processes=2, head_start=10) as job,
        ):
            shared = ([spec.name for spec in job.own], len(job.helpers))
            job.finish()
        gone = no_children_left()
    finally:
        signal.signal(signal.SIGUSR1, previous)
        os.write(write, b"go")
        os.close(write)
        os.close(read)

    assert shared == ([], 1)
    assert gone


ORPHAN = """
import os, select, signal, sys
from decimal import Decimal
from pathlib import Path
import pandas as pd
from scoring import charts
from scoring.chartjobs import ChartJob
from scoring.chartspecs import ChartSpec

read, write = os.pipe()
ready, started = os.pipe()
ranking = pd.DataFrame({"team": ["T1"], "rank": [1]})

def waiting():  # in the helper, which asked for its parent-death signal before drawing
    os.write(started, b"1")
    select.select([read], [], [], 30)
    return charts.plot_ranking(ranking)

specs = [ChartSpec("ranking", "ranking", lambda: charts.plot_ranking(ranking)),
         ChartSpec("waiting", "waiting", waiting)]
job = ChartJob(specs, Path(sys.argv[1]), processes=2).__enter__()
os.read(ready, 1)
print(job.helpers[0][0], flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
# Adopts the orphaned helper (PR_SET_CHILD_SUBREAPER, Linux) to learn how it ended.
ADOPTER = """
import ctypes, os, subprocess, sys
one, nought = ctypes.c_ulong(1), ctypes.c_ulong(0)
ctypes.CDLL(None).prctl(36, one, nought, nought, nought)
killed = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]], stdout=subprocess.PIPE)
helper = int(killed.stdout.readline())
killed.wait()
_pid, status = os.waitpid(helper, 0)
print(killed.returncode, os.WIFSIGNALED(status) and os.WTERMSIG(status))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_helpers_die_with_a_killed_parent(tmp_path: Path) -> None:
    adopter = subprocess.run(
        [sys.executable, "-c", ADOPTER, ORPHAN, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert adopter.stdout == f"{-signal.SIGKILL} {int(signal.SIGKILL)}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_only_cpythons_fork_warning_is_ignored_around_a_fork() -> None:
    # The message of CPython 3.12 (Modules/posixmodule.c, warn_about_fork_with_threads).
    message = (
        "This process (pid=4242) is multi-threaded, "
        "use of fork() may lead to deadlocks in the child."
    )

    with fork_warning_ignored():
        warnings.warn(message, DeprecationWarning, stacklevel=1)
        with pytest.raises(DeprecationWarning, match="something else"):
            warnings.warn("something else", DeprecationWarning, stacklevel=1)
    with pytest.raises(DeprecationWarning, match="multi-threaded"):
        warnings.warn(message, DeprecationWarning, stacklevel=1)


def test_ids_in_letters_the_chart_font_lacks_are_drawn(tmp_path: Path) -> None:
    # Found by a review: a team id 团队 or T🚀 ended the run with a traceback while the
    # labels were measured; the PNG shows boxes for them, the SVG keeps the text.
    frame = pd.DataFrame({"team": ["团队", "T🚀"], "rank": [1, 2]})

    charts.save_chart(charts.plot_ranking(frame), tmp_path / "ranking")

    assert "团队" in (tmp_path / "ranking.svg").read_text(encoding="utf-8")
    assert (tmp_path / "ranking.png").read_bytes().startswith(b"\x89PNG")
