"""Charts: object-oriented matplotlib, labels in the chosen language, byte-identical files."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from scoring import charts
from scoring.i18n import set_language

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
    assert len(ax.get_xticklabels()) == 100
    assert len(ax.texts) == 0  # no cell annotations on a large grid


def test_chart_labels_follow_the_language() -> None:
    frame = pd.DataFrame({"team": ["T1"], "rank": [1]})
    set_language("de")

    ax = charts.plot_ranking(frame)

    assert (ax.get_xlabel(), ax.get_title()) == (
        "Rang (1 ist am besten)",
        "Rangliste und ihre Stabilität",
    )
