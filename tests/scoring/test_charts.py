"""Charts: object-oriented matplotlib, labels in the chosen language, byte-identical files."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from rich.console import Console

from scoring import charts
from scoring.chartjobs import ChartJob, shares
from scoring.i18n import set_language
from scoring.outputs import ChartSpec, draw_charts
from scoring.progress import Steps

RENDER = """
import sys
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


def test_plot_ranking_labels_teams_in_rank_order() -> None:
    frame = pd.DataFrame(
        {"team": ["T2", "T1"], "rank": [1, 2], "rank_low": [1, 1], "rank_high": [2, 2]}
    )

    ax = charts.plot_ranking(frame)

    assert [label.get_text() for label in ax.get_yticklabels()] == ["T2", "T1"]
    assert [tick for tick in ax.get_yticks()] == [1, 0]  # the best rank on top
    assert (ax.get_xlabel(), ax.get_title()) == ("Rank (1 is best)", "Ranking and its stability")


def test_plot_draws_on_the_axes_it_is_given() -> None:
    figure = Figure()
    ax = figure.add_subplot()
    frame = pd.DataFrame({"juror": ["j1", "j2"], "leniency": [0.2, -0.1]})

    assert charts.plot_leniency(frame, ax=ax) is ax
    assert [label.get_text() for label in ax.get_yticklabels()] == [
        "j1",
        "j2",
    ]  # most lenient first


def test_plot_criteria_stacks_weighted_contributions() -> None:
    frame = pd.DataFrame({"team": ["T1", "T1"], "criterion": ["a", "b"], "score": [7.0, 6.0]})

    ax = charts.plot_criteria(frame, weights={"a": 2, "b": 1}, labels={"a": "Alpha", "b": "Beta"})

    bars = [
        [
            (float(path.vertices[:, 0].min()), float(path.vertices[:, 0].max()))
            for path in bar.get_paths()
        ]
        for bar in ax.collections
    ]
    assert bars == [[(0.0, 14.0)], [(14.0, 20.0)]]  # Alpha 2 × 7, then Beta 1 × 6 on top
    legend = ax.get_figure().legends[0]
    assert [text.get_text() for text in legend.get_texts()] == ["Alpha", "Beta"]


def test_plot_juror_heatmap_orders_teams_as_asked() -> None:
    frame = pd.DataFrame(
        {"juror": ["j1", "j1", "j2"], "team": ["A", "B", "B"], "score": [5.0, 7.0, 6.0]}
    )

    ax = charts.plot_juror_heatmap(frame, order=["B", "A"])

    assert [label.get_text() for label in ax.get_yticklabels()] == ["B", "A"]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["j1", "j2"]
    assert [text.get_text() for text in ax.texts] == ["7.0", "6.0", "5.0"]


def test_long_names_are_shortened_on_axes() -> None:
    name = "A team with a remarkably long and winding name indeed"
    frame = pd.DataFrame({"juror": [name], "leniency": [0.0]})

    ax = charts.plot_leniency(frame)

    assert [label.get_text() for label in ax.get_yticklabels()] == [name[:31] + "…"]


def test_many_teams_keep_the_figure_bounded_and_labels_thinned() -> None:
    teams = [f"T{i:03d}" for i in range(200)]
    probabilities = pd.DataFrame(0.005, index=teams, columns=range(1, 201))

    ax = charts.plot_rank_probabilities(probabilities)

    assert list(ax.get_figure().get_size_inches()) == [16.0, 24.0]
    assert len(ax.get_yticklabels()) == 100  # every other team
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        "1",
        *[str(rank) for rank in range(10, 201, 10)],
    ]  # ranks as a numeric axis
    assert len(ax.texts) == 0  # no cell annotations on a large grid


def test_rank_probabilities_label_every_rank_of_a_small_jury() -> None:
    teams = [f"T{i:02d}" for i in range(24)]
    probabilities = pd.DataFrame(1 / 24, index=teams, columns=range(1, 25))

    ax = charts.plot_rank_probabilities(probabilities)

    assert [label.get_text() for label in ax.get_xticklabels()] == [str(r) for r in range(1, 25)]


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
    frame = pd.DataFrame({"team": ["T1"], "rank": [1]})
    set_language("de")

    ax = charts.plot_ranking(frame)

    assert (ax.get_xlabel(), ax.get_title()) == (
        "Rang (1 ist am besten)",
        "Rangliste und ihre Stabilität",
    )


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
    shared = draw_charts(small_specs(), tmp_path / "shared", processes=3)

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

    with pytest.raises(ValueError, match="no such column"):
        draw_charts(specs, tmp_path, processes=2)
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

    assert (running, paused) == (threads + 1, threads)
