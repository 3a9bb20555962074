"""The printable HTML report and the reproducibility manifest."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath
from types import SimpleNamespace

import pandas as pd
import pytest

from scoring.config import Bootstrap, Config, Criterion, Method, Rounding, Scale
from scoring.errors import Problem
from scoring.explain import explain
from scoring.i18n import set_language
from scoring.manifest import build_manifest, plain, sha256
from scoring.report import (
    Chart,
    ReportContent,
    ReportDraft,
    chart_placeholders,
    render_report,
)
from scoring.reportnumbers import score_decimals, table_cells
from scoring.reporttables import Table

SCALE = Scale(Decimal(0), Decimal(10))
CRITERIA = (
    Criterion(
        "impact", {"en": "Health impact", "de": "Gesundheitlicher Nutzen"}, Decimal(2), SCALE
    ),
    Criterion("pitch", {"en": "Pitch"}, Decimal("0.5"), SCALE, independent=True),
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def content(**changes: object) -> ReportContent:
    ranking = pd.DataFrame(
        {
            "Rank": [1, 2],
            "Team": ["<script>alert(1)</script>", "T2"],
            "Score": [8.125, 7.0],
            "Tie note": ["", ""],
        }
    )
    values = {
        "config": Config(criteria=CRITERIA),
        "tables": [Table("Ranking", ranking)],
        "charts": [Chart("Ranking and its stability", SVG)],
        "problems": [Problem("warning", "w", "juror x marked only 2 teams", file="x.csv", row=3)],
        "inputs": ["a.xlsx", "b.xlsx"],
        "generated": "2026-11-22 10:00 UTC",
    }
    return ReportContent(**{**values, **changes})  # type: ignore[arg-type]


def test_explain_default_method_in_plain_words() -> None:
    assert explain(Config(criteria=CRITERIA)) == [
        "A team's score on a criterion is the average of its jurors' marks.",
        "Each criterion is first combined across jurors; the criterion scores are then added up "
        "with their weights.",
        "Scores are not rounded: the ranking uses full precision.",
        "Teams with equal scores share the rank.",
    ]


def test_explain_trimming_rounding_tie_breaks_and_bootstrap() -> None:
    config = Config(
        criteria=CRITERIA,
        method=Method(name="trimmed_mean", order="juror-first", trim=2),
        rounding=Rounding(decimals=2, stages=("criterion", "total")),
        tie_breaks=("criterion:impact", "first_places"),
        min_jurors=3,
    )

    assert explain(config, samples=500, seed=9) == [
        "A team's score is the average of its jurors' weighted totals after dropping the 2 "
        "highest and the 2 lowest totals.",
        "Each juror's weighted total is computed first; the totals are then combined across "
        "jurors. The score of a team on a criterion, shown beside its score, is the same method "
        "applied to that criterion's marks alone, for information: the score does not add them "
        "up.",
        "Scores are rounded half up to 2 decimal places at: each criterion score, the total. "
        "A half is rounded away from zero: 2.005 becomes 2.01, and −2.005 becomes −2.01.",
        "Equal scores are separated by, in this order: the higher score on “Health impact”; "
        "more first places among the jurors. Teams still equal share the rank.",
        "A team needs marks from at least 3 jurors to be ranked.",
        "Rank stability: the ranking was recomputed on 500 resamples of the jurors (random seed "
        "9); the intervals cover 90% of the resamples. A resample that drew none of a team's "
        "jurors does not place it: the team's median rank and interval are over the other "
        "resamples, and P(first) and P(top 3) are shares of all resamples, P(not judged) the "
        "rest. Each resample ranks the teams by their unrounded scores, without the tie-breaks: "
        "teams equal in a resample share the place, and a rank decided by rounding or a "
        "tie-break can lie outside the team's interval. A rank can also lie outside the "
        "interval when it rests on a few of the jurors: most resamples then place the team "
        "elsewhere, and the interval shows how fragile that rank is.",
    ]


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("median", "A team's score on a criterion is the median"),
        ("zscore", "Each juror's marks on a criterion are first put on a common scale"),
        ("judge_effects", "On each criterion, a statistical model estimates"),
        ("borda", "Each juror's weighted totals are turned into a ranking"),
        ("copeland", "Teams are compared in pairs"),
    ],
)
def test_explain_names_every_method(name: str, start: str) -> None:
    config = Config(criteria=CRITERIA, method=Method(name=name))  # type: ignore[arg-type]

    assert explain(config)[0].startswith(start)


@pytest.mark.parametrize("name", ["zscore", "judge_effects"])
def test_explain_says_that_adjusted_scores_can_leave_the_scale(name: str) -> None:
    # See test_aggregate.py: a strict juror's 10 becomes 12.33 on a 0-10 scale.
    config = Config(criteria=CRITERIA, method=Method(name=name))  # type: ignore[arg-type]

    assert explain(config)[1] == (
        "As the marks are adjusted for each juror, a team's score can lie outside the scale the "
        "jurors marked on: a strict juror's top mark counts for more than the top of the scale."
    )
    assert explain(Config(criteria=CRITERIA))[1].startswith("Each criterion is first combined")


def test_explain_says_a_criterion_tie_break_outside_some_rubric_is_skipped() -> None:
    from scoring.explain import tie_break_text

    other = Criterion("reach", {"en": "Reach"}, Decimal(1), Scale(Decimal(0), Decimal(10)))
    config = Config(
        criteria=CRITERIA,
        challenge_criteria={"data": (other,)},
        tie_breaks=("criterion:impact", "median"),
    )

    assert tie_break_text(config, "en") == (
        "Equal scores are separated by, in this order: the higher score on “Health impact”; "
        "the higher median of the jurors' totals. Teams still equal share the rank. A "
        "criterion that is not in the rubric of every tied team cannot compare them: for those "
        "teams it is skipped, and the next rule decides."
    )
    assert tie_break_text(dataclasses.replace(config, challenge_criteria={}), "en").endswith(
        "Teams still equal share the rank."
    )
    # Without a main rubric, a criterion every challenge rubric has compares every team.
    shared = dataclasses.replace(
        config, criteria=(), challenge_criteria={"data": CRITERIA, "care": CRITERIA}
    )
    assert tie_break_text(shared, "en").endswith("Teams still equal share the rank.")
    # A challenge's criterion is named by its label too (it was named by its id).
    on_reach = dataclasses.replace(config, tie_breaks=("criterion:reach",))
    assert tie_break_text(on_reach, "en").startswith(
        "Equal scores are separated by, in this order: the higher score on “Reach”."
    )


def test_explain_says_when_rank_stability_was_not_computed() -> None:
    assert explain(Config(criteria=CRITERIA), samples=0)[-1] == (
        "Rank stability was not computed: the run drew no resamples."
    )
    assert explain(Config(criteria=CRITERIA))[-1] == "Teams with equal scores share the rank."


def test_explain_says_a_conflicted_mark_stops_the_ranking() -> None:
    config = Config(criteria=CRITERIA, conflicts={"anna": frozenset({"T1"})})

    assert explain(config)[-1] == (
        "No juror marked a team they declared a conflict of interest with: such a mark is an "
        "error that stops the ranking."
    )


@pytest.mark.parametrize(
    ("order", "said"),
    [
        (
            "criterion-first",
            "A juror with fewer than 7 marks on a criterion is not adjusted on it: their marks "
            "count as given.",
        ),
        (
            "juror-first",
            "A juror with fewer than 7 totals is not adjusted: their totals count as given.",
        ),
    ],
)
def test_explain_zscore_says_who_is_not_adjusted(order: str, said: str) -> None:
    method = Method(name="zscore", order=order, min_marks=7)  # type: ignore[arg-type]

    assert explain(Config(criteria=CRITERIA, method=method))[0].endswith(" " + said)


@pytest.mark.parametrize(
    ("decimals", "said"),
    [
        (0, "A half is rounded away from zero: 2.5 becomes 3, and −2.5 becomes −3."),
        (1, "A half is rounded away from zero: 2.05 becomes 2.1, and −2.05 becomes −2.1."),
    ],
)
def test_explain_rounding_says_what_half_up_does_to_negative_scores(
    decimals: int, said: str
) -> None:
    # scoring.rounding: -0.5 becomes -1 (README, "Rounding"); "half up" alone reads as 0.
    config = Config(criteria=CRITERIA, rounding=Rounding(decimals=decimals, stages=("total",)))

    assert explain(config)[2].endswith(" " + said)


def test_explain_gives_the_interval_with_every_digit_and_one_resample_in_the_singular() -> None:
    config = Config(criteria=CRITERIA, bootstrap=Bootstrap(interval=0.995))

    english = explain(config, samples=1, seed=3)[-1]
    set_language("de")  # the fixture sets English back
    german = explain(config, samples=1, seed=3)[-1]

    assert english.startswith(
        "Rank stability: the ranking was recomputed on 1 resample of the jurors (random seed 3); "
        "the intervals cover 99.5% of the resamples."
    )
    assert "99,5\xa0%" in german


def test_explain_says_how_borda_and_copeland_scores_are_computed() -> None:
    # As scoring.methods computes them (normalised), so that a team can check its score:
    # a juror who saw 4 teams gives the second (4 - 2) / (4 - 1) = 2/3 of a point.
    borda = explain(Config(criteria=CRITERIA, method=Method(name="borda")))
    copeland = explain(Config(criteria=CRITERIA, method=Method(name="copeland")))

    assert borda[0] == (
        "Each juror's weighted totals are turned into a ranking of the teams that juror saw. A "
        "juror who saw n teams gives the team in place p the points (n − p) / (n − 1): 1 for "
        "their best team, 0 for their worst, teams in a shared place sharing the points. A "
        "team's score is the average of its points over the jurors who saw it, from 0 to 1 "
        "(Borda count). A juror who saw a single team has no order to give: they are left out "
        "of that team's average, though counted among its jurors."
    )
    assert copeland[0] == (
        "Teams are compared in pairs: a team wins a pair when more of the jurors who saw both "
        "gave it the higher weighted total, and loses it when fewer did. A team's score is "
        "(pairs won − pairs lost) / pairs compared, from −1 to 1 (Copeland's method)."
    )
    shared = (
        "The score of a team on a criterion, shown beside its score, is the same method "
        "applied to that criterion's marks alone, for information: the score does not add "
        "them up."
    )
    assert borda[1] == copeland[1] == shared


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("mean", "A team's score is the average of its jurors' weighted totals."),
        ("median", "A team's score is the median (middle value) of its jurors' weighted totals"),
        ("zscore", "Each juror's weighted totals are first put on a common scale"),
        ("judge_effects", "A statistical model estimates, for every juror, how much more"),
    ],
)
def test_explain_juror_first_speaks_of_the_jurors_totals(name: str, text: str) -> None:
    method = Method(name=name, order="juror-first")  # type: ignore[arg-type]

    assert explain(Config(criteria=CRITERIA, method=method))[0].startswith(text)


def test_report_escapes_team_names() -> None:
    html = render_report(content())

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_report_gives_the_rubric_s_weights_and_scales_exactly_in_the_language() -> None:
    # The weights used are exact decimals (README): 0.0625 was shown as 0,062, 0.00005 as 0.
    criteria = (
        Criterion("a", {"de": "Wirkung"}, Decimal("0.0625"), Scale(Decimal(0), Decimal("10.5"))),
        Criterion(
            "b", {"de": "Technik"}, Decimal("0.00005"), Scale(Decimal("0.0"), Decimal("1E+1"))
        ),
    )
    set_language("de")  # the fixture sets English back

    html = render_report(content(config=Config(criteria=criteria)))

    rows = re.findall(
        r"<tr><td>(Wirkung|Technik)</td><td class=\"number\">([^<]*)</td><td>([^<]*)</td>", html
    )
    assert rows == [("Wirkung", "0,0625", "0–10,5"), ("Technik", "0,00005", "0–10")]


def test_report_is_self_contained() -> None:
    html = render_report(content())

    assert re.findall(r'(?:src|href)="(?!data:)[^"]*"', html) == []
    assert "<link" not in html
    assert "@import" not in html
    assert html.count('src="data:image/svg+xml;base64,') == 1


def test_report_is_printable_and_signable() -> None:
    html = render_report(content())

    assert "@media print" in html
    assert html.count('<div class="line"></div>') == 2
    assert "Jury chair: name, date, signature" in html


def test_report_shows_ranking_numbers_rounded_half_up() -> None:
    html = render_report(content())

    assert '<td class="number">8.13</td>' in html
    assert '<td class="number">7.00</td>' in html


def scores_table(scores: list[float]) -> Table:
    frame = pd.DataFrame(
        {
            "Rank": list(range(1, len(scores) + 1)),
            "Team": [f"T{i}" for i in range(1, len(scores) + 1)],
            "Score": scores,
            "Disagreement (SD)": [0.5] * len(scores),
        }
    )
    return Table("Ranking", frame, score_columns=("Score",))


def numbers_in(html: str) -> list[str]:
    return re.findall(r'<td class="number">([^<]*)</td>', html)


def test_report_without_rounding_shows_the_decimals_that_tell_scores_apart() -> None:
    # Two decimals would print 7.61 twice, on ranks 1 and 2.
    html = render_report(content(tables=[scores_table([7.614, 7.606, 7.5])]))

    rows = numbers_in(html)[-9:]

    assert rows == ["1", "7.614", "0.50", "2", "7.606", "0.50", "3", "7.500", "0.50"]


def test_report_without_rounding_keeps_two_decimals_when_they_suffice() -> None:
    html = render_report(content(tables=[scores_table([8.125, 7.0])]))

    assert numbers_in(html)[-6:] == ["1", "8.13", "0.50", "2", "7.00", "0.50"]


def test_report_with_rounding_shows_the_rubric_decimals() -> None:
    config = Config(criteria=CRITERIA, rounding=Rounding(1, ("total",)))

    html = render_report(content(config=config, tables=[scores_table([7.6, 7.5])]))

    assert numbers_in(html)[-6:] == ["1", "7.6", "0.50", "2", "7.5", "0.50"]


def test_score_decimals_counts_scores_within_1e_9_as_equal() -> None:
    assert score_decimals([0.1 + 0.2, 0.3, 7.25], 2) == 2
    assert score_decimals([7.0000001, 7.0000002], 2) == 6
    assert score_decimals([1.5, 2.5], 0) == 0


def test_report_lists_warnings_with_location_and_criteria() -> None:
    html = render_report(content())

    # A sentence of its own in the report (the CLI writes it after its location).
    assert '<p class="warning">Juror x marked only 2 teams (x.csv, row 3)</p>' in html
    assert "<td>Health impact</td>" in html
    assert "<td>Pitch</td>" in html


def test_report_says_which_teams_each_rubric_is_for() -> None:
    # A challenge's own criteria may share an id with the main rubric's, at another weight.
    config = Config(criteria=CRITERIA, challenge_criteria={"b": (CRITERIA[1],)})

    html = render_report(content(config=config))

    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td class=\"number\">", html)
    assert rows == [
        ("Health impact", "other teams"),
        ("Pitch", "other teams"),
        ("Pitch", "challenge b"),
    ]
    assert "<th>Applies to</th>" in html
    assert "<th>Applies to</th>" not in render_report(content())


def test_sha256_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"jury" * 50_000)

    assert sha256(path) == hashlib.sha256(b"jury" * 50_000).hexdigest()


def test_plain_turns_config_into_json_data() -> None:
    config = Config(criteria=CRITERIA[:1], conflicts={"j": frozenset({"T2", "T1"})})

    data = plain(config)

    assert data["criteria"] == [
        {
            "id": "impact",
            "labels": {"en": "Health impact", "de": "Gesundheitlicher Nutzen"},
            "weight": "2",
            "scale": {"min": "0", "max": "10", "step": None},
            "independent": False,
        }
    ]
    assert data["conflicts"] == {"j": ["T1", "T2"]}


def test_build_manifest_writes_output_names_with_slashes_on_every_system() -> None:
    # Windows wrote charts\\ranking.png, which the next run (scoring.earlier) does not take
    # for a name a run writes: every chart was then refused as the user's file.
    manifest = build_manifest(
        inputs=[],
        config_file=None,
        config={},
        seed=1,
        samples=0,
        argv=["rank"],
        outputs=[PureWindowsPath("charts", "ranking.png"), PurePosixPath("ranking.csv")],
    )

    assert manifest["outputs"] == ["charts/ranking.png", "ranking.csv"]


def test_build_manifest_records_everything_to_reproduce(tmp_path: Path) -> None:
    sheet = tmp_path / "a.csv"
    sheet.write_text("juror,team\n", encoding="utf-8")
    moment = datetime(2026, 11, 22, 4, 5, 6, 789, tzinfo=UTC)

    manifest = build_manifest(
        inputs=[sheet],
        config_file=sheet,
        config={"k": Decimal("0.1")},
        seed=3,
        samples=20,
        argv=["rank", "a.csv"],
        outputs=[Path("ranking.csv")],
        now=moment,
    )

    assert {key: manifest[key] for key in manifest if key != "versions"} == {
        "command": ["hackathon-score", "rank", "a.csv"],
        "working_directory": str(Path.cwd()),
        "time": "2026-11-22T04:05:06Z",
        "inputs": [{"path": str(sheet), "sha256": sha256(sheet)}],
        "config_file": {"path": str(sheet), "sha256": sha256(sheet)},
        "config": {"k": "0.1"},
        "seed": 3,
        "samples": 20,
        "language": "en",
        "outputs": ["ranking.csv"],
        "output_sha256": {},  # no output folder given
    }


def test_report_in_luxembourgish_uses_its_words_and_numbers() -> None:
    set_language("lb")

    html = render_report(content())

    assert '<html lang="lb">' in html
    assert "<h1>Resultater vun der Jury</h1>" in html
    assert '<td class="number">8,13</td>' in html
    assert "<td>Gesondheetlechen Notzen</td>" not in html  # no lb label given: English
    assert "<td>Health impact</td>" in html


def test_each_chart_placeholder_is_replaced_by_its_own_chart(tmp_path: Path) -> None:
    # Eleven charts: "chart-1-…" must not also match the start of "chart-10-…".
    names = [f"c{n}" for n in range(11)]
    drawn = []
    for name in names:
        svg = tmp_path / f"{name}.svg"
        svg.write_bytes(f"<svg>{name}</svg>".encode())
        drawn.append((SimpleNamespace(name=name), tmp_path / f"{name}.png", svg))
    placeholders = chart_placeholders(len(names))
    page = " ".join(f'src="{placeholder}"' for placeholder in placeholders)
    pairs = tuple(zip(placeholders, names, strict=True))
    draft = ReportDraft(page, tmp_path / "report.html", pairs)

    written = draft.finish(drawn)

    sources = re.findall(r'src="data:image/svg\+xml;base64,([^"]*)"', written.read_text())
    assert [base64.b64decode(source).decode() for source in sources] == [
        f"<svg>{name}</svg>" for name in names
    ]


def test_statistics_show_whole_numbers_whole_and_a_small_share_unlike_zero() -> None:
    # A median rank of 1 read "1.00", and a P(first) of 0.001 read "0.00", like a certain 0.
    frame = pd.DataFrame(
        {"Team": ["T1", "T2"], "Median rank": [1.0, 2.0], "P(first)": [0.999, 0.001]}
    )

    cells = table_cells(Table("Rank stability", frame), 2)

    assert [[places for _cell, places in row] for row in cells] == [[0, 0, 3], [0, 0, 3]]
    # Float noise around 0 is 0: not "-0.000000", nor six decimals for the whole column.
    noise = pd.DataFrame({"Leniency": [-0.140625, -2.220446049250313e-16, 0.140625]})
    assert table_cells(Table("Jurors", noise), 2) == [[(-0.140625, 2)], [(0.0, 2)], [(0.140625, 2)]]
