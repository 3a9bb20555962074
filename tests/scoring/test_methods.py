"""Each aggregation method against figures published by someone else, or checked by hand."""

from __future__ import annotations

import statistics
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from scoring.columns import CRITERION, JUROR, SCORE, TEAM
from scoring.config import Method
from scoring.effects import fit_criterion, judge_effects
from scoring.errors import MethodError
from scoring.methods import aggregate_marks, mean, median, trimmed_mean, zscore
from scoring.preferences import borda, copeland


def long_marks(rows: list[tuple[str, str, float]], criterion: str = "c") -> pd.DataFrame:
    """(juror, team, score) triples as marks on one criterion."""
    return pd.DataFrame(rows, columns=[JUROR, TEAM, SCORE]).assign(**{CRITERION: criterion})[
        [JUROR, TEAM, CRITERION, SCORE]
    ]


def panel_of(result) -> dict[str, float]:
    return dict(zip(result.panel[TEAM], result.panel[SCORE], strict=True))


# --- mean, median ---------------------------------------------------------------------------


def test_mean_averages_each_team_and_criterion():
    marks = long_marks([("a", "A", 6.0), ("b", "A", 7.0), ("c", "A", 9.5), ("a", "B", 4.0)])

    assert panel_of(mean(marks, Method())) == {"A": 7.5, "B": 4.0}


def test_median_takes_the_middle_mark_or_the_mean_of_the_middle_two():
    marks = long_marks(
        [("a", "A", 2.0), ("b", "A", 9.0), ("c", "A", 7.0), ("a", "B", 4.0), ("b", "B", 5.0)]
    )

    assert panel_of(median(marks, Method(name="median"))) == {"A": 7.0, "B": 4.5}


def test_aggregate_marks_drops_missing_marks_instead_of_failing():
    marks = long_marks([("a", "A", 6.0), ("b", "A", np.nan), ("c", "A", 8.0)])

    result = aggregate_marks(marks, Method(name="mean"))

    assert panel_of(result) == {"A": 7.0}
    assert result.normalised.index.tolist() == [0, 1, 2]
    assert np.isnan(result.normalised.iloc[1])


def test_aggregate_marks_refuses_an_unknown_method():
    with pytest.raises(MethodError, match="Unknown method best_of"):
        aggregate_marks(long_marks([("a", "A", 1.0)]), Method(name="best_of"))  # type: ignore[arg-type]


# --- trimmed mean -----------------------------------------------------------------------------


# The rule: at the Olympic Games seven judges mark each dive (FINA Diving Rules, D 5.2.1,
# https://www.fina.org/content/d-5-competition-procedure); "the two highest and two lowest
# scores of the seven are discarded, leaving only three scores to count" (OCA news 2212, below),
# and "the remaining three are added together and multiplied by the dive's degree of difficulty"
# (Birmingham 2022 official site, https://www.birmingham2022.com/sports/diving). So a dive's
# points are 3 x (trimmed mean with trim 2) x DD.


def test_trimmed_mean_matches_mitcham_beijing_2008_sixth_dive():
    # Beijing 2008, men's 10 m platform final, 23 August 2008: Matthew Mitcham's sixth and last
    # dive scored 112.10 points (olympic.org, video "Mitcham performs highest scoring dive in
    # Olympic history", http://www.olympic.org/videos/mitcham-performs-highest-scoring-dive-in-
    # olympic-history) with "four perfect 10s" and "a 3.8 degree of difficulty" (Los Angeles
    # Times, 24 August 2008, "Mitcham is a surprise winner"). With four 10s the three counted
    # marks are 10, 10 and the third-highest mark, and 112.10 / 3.8 = 29.5 makes it 9.5. The two
    # lowest marks are not in these sources and do not matter as long as they are at most 9.5:
    # 9.0 and 9.5 as commonly reported, and 0 and 9.5 (one judge far off) give the same points.
    published = [9.0, 9.5, 9.5, 10.0, 10.0, 10.0, 10.0]
    one_far_off = [0.0, 9.5, 9.5, 10.0, 10.0, 10.0, 10.0]
    method = Method(name="trimmed_mean", trim=2)

    points = [
        round(3 * trimmed_mean(long_marks(rows), method).panel[SCORE].iloc[0] * 3.8, 2)
        for rows in (
            [(f"j{i}", "Mitcham", s) for i, s in enumerate(published)],
            [(f"j{i}", "Mitcham", s) for i, s in enumerate(one_far_off)],
        )
    ]
    all_seven = mean(
        long_marks([(f"j{i}", "Mitcham", s) for i, s in enumerate(published)]), Method()
    )

    assert points == [112.10, 112.10]
    assert round(3 * all_seven.panel[SCORE].iloc[0] * 3.8, 2) == 110.74  # not the published score


def test_trimmed_mean_matches_quan_hongchan_tokyo_2020_fifth_dive():
    # Tokyo 2020, women's 10 m platform final, 5 August 2021, Quan Hongchan's fifth and last dive:
    # "six judges gave her 10 and one 9.5, but that was still enough for a maximum mark of 96.00
    # points" (AFP via UrduPoint, https://www.urdupoint.com/en/sports/chinas-quan-14-wins-
    # olympic-gold-with-thre-1319161.html); "marked 10 by six judges and 9.5 by the other" (OCA
    # news 2212, https://oca.asia/news/2212-quan-14-produces-perfection-in-womens-10m-
    # platform.html); "six more 10s" on the final dive (AP, Andrew Dampf, via CBC,
    # https://amp.cbc.ca/lite/story/1.6130323). The 9.5 is among the two lowest marks and is
    # dropped: 3 x 10 x DD = 96.00, so the degree of difficulty is 3.2.
    marks = long_marks([(f"j{i}", "Quan", s) for i, s in enumerate([10.0] * 6 + [9.5])])

    trimmed = trimmed_mean(marks, Method(name="trimmed_mean", trim=2)).panel[SCORE].iloc[0]

    assert trimmed == 10.0
    assert round(3 * trimmed * 3.2, 2) == 96.00
    assert round(3 * mean(marks, Method()).panel[SCORE].iloc[0] * 3.2, 2) == 95.31


def test_trimmed_mean_drops_one_highest_and_one_lowest_of_five():
    # The ski-jumping rule (five style judges, the highest and lowest mark disregarded: FIS
    # rule, as described e.g. in Wikipedia "Ski jumping", Scoring), on invented marks, not a
    # published result; 17.5 + 18.0 + 18.5 counted.
    marks = long_marks(
        [(f"j{i}", "jumper", s) for i, s in enumerate([18.0, 17.5, 20.0, 18.5, 16.0])]
    )

    trimmed = trimmed_mean(marks, Method(name="trimmed_mean", trim=1)).panel[SCORE].iloc[0]

    assert 3 * trimmed == 54.0


def test_trimmed_mean_refuses_teams_with_too_few_marks_and_names_them():
    marks = long_marks(
        [
            ("a", "A", 6.0),
            ("b", "A", 7.0),
            ("c", "A", 8.0),
            ("a", "B", 6.0),
            ("b", "B", 7.0),
            ("a", "C", 5.0),
        ]
    )

    with pytest.raises(MethodError) as raised:
        trimmed_mean(marks, Method(name="trimmed_mean", trim=1))

    message = str(raised.value)
    assert "at least 3 marks" in message
    assert "B (c: 2 marks)" in message
    assert "C (c: 1 mark)" in message
    assert "A (" not in message


def test_trimmed_mean_with_trim_zero_is_the_mean():
    marks = long_marks([("a", "A", 6.0), ("b", "A", 7.0), ("c", "A", 9.5)])

    assert panel_of(trimmed_mean(marks, Method(name="trimmed_mean", trim=0))) == {"A": 7.5}


# --- zscore -----------------------------------------------------------------------------------


def _zscore_reference(rows: list[tuple[str, str, float]]) -> dict[str, float]:
    """z-score mapping written out with the statistics module, mark by mark."""
    panel = [score for _, _, score in rows]
    panel_mean, panel_sd = statistics.mean(panel), statistics.stdev(panel)
    by_juror: dict[str, list[float]] = {}
    for juror, _, score in rows:
        by_juror.setdefault(juror, []).append(score)
    mapped: dict[str, list[float]] = {}
    for juror, team, score in rows:
        own = by_juror[juror]
        z = (score - statistics.mean(own)) / statistics.stdev(own)
        mapped.setdefault(team, []).append(panel_mean + panel_sd * z)
    return {team: statistics.mean(values) for team, values in mapped.items()}


def test_zscore_matches_the_formula_written_out_independently():
    rows = [
        ("lenient", "A", 9.0),
        ("lenient", "B", 8.0),
        ("lenient", "C", 9.5),
        ("severe", "A", 5.0),
        ("severe", "B", 3.0),
        ("severe", "C", 4.0),
        ("mid", "A", 7.0),
        ("mid", "B", 6.5),
        ("mid", "C", 6.0),
    ]

    result = zscore(long_marks(rows), Method(name="zscore", min_marks=3))

    expected = _zscore_reference(rows)
    assert panel_of(result) == pytest.approx(expected, abs=1e-12)
    assert result.problems == ()


def test_zscore_hand_checked_two_jurors():
    # Each juror's two marks become z = -1/sqrt(2), +1/sqrt(2); panel mean 4.75, panel
    # sample sd sqrt(22.75 / 3); so S = 4.75 - sqrt(22.75 / 6), T = 4.75 + sqrt(22.75 / 6).
    marks = long_marks([("a", "S", 6.0), ("a", "T", 8.0), ("b", "S", 2.0), ("b", "T", 3.0)])

    result = zscore(marks, Method(name="zscore", min_marks=2))

    half_spread = (22.75 / 6) ** 0.5
    assert panel_of(result) == pytest.approx(
        {"S": 4.75 - half_spread, "T": 4.75 + half_spread}, abs=1e-12
    )


def test_zscore_keeps_raw_marks_of_a_juror_with_too_few_and_warns():
    rows = [("a", team, score) for team, score in zip("ABCDE", [5, 6, 7, 8, 9], strict=True)]
    rows += [("b", "A", 9.0), ("b", "B", 2.0)]

    result = zscore(long_marks(rows), Method(name="zscore", min_marks=5))

    normalised = result.normalised.tolist()
    assert normalised[-2:] == [9.0, 2.0]
    assert [(p.severity, p.code) for p in result.problems] == [("warning", "zscore-too-few-marks")]
    assert "Juror b has 2 marks on c, fewer than min_marks = 5" in result.problems[0].message


def test_zscore_maps_a_juror_without_spread_to_the_panel_mean_and_says_so():
    rows = [("flat", team, 7.0) for team in "ABC"] + [
        ("a", "A", 4.0),
        ("a", "B", 6.0),
        ("a", "C", 8.0),
    ]

    result = zscore(long_marks(rows), Method(name="zscore", min_marks=3))

    panel_mean = statistics.mean([7.0, 7.0, 7.0, 4.0, 6.0, 8.0])
    assert result.normalised.iloc[:3].tolist() == pytest.approx([panel_mean] * 3, abs=1e-12)
    assert [p.code for p in result.problems] == ["zscore-zero-spread"]
    assert "Juror flat gave every team the same mark on c" in result.problems[0].message


# --- judge effects ----------------------------------------------------------------------------

# Montgomery, D. C., Design and Analysis of Experiments (Wiley; 5th ed. 2001 and 8th ed. 2012),
# Section 4.4, Example 4.5, Table 4.22: four catalysts (treatments) in four batches of raw
# material (blocks) of size 3, a balanced incomplete block design (a = b = 4, k = r = 3,
# lambda = 2); reaction times. Also reproduced as "Example 19, Catalyst Data" by Ravishanker
# and Dey's numerical examples (http://merlot.stat.uconn.edu/~nalini/fcilmweb/example19.html).
CATALYST = [
    ("batch1", "catalyst1", 73.0),
    ("batch2", "catalyst1", 74.0),
    ("batch4", "catalyst1", 71.0),
    ("batch2", "catalyst2", 75.0),
    ("batch3", "catalyst2", 67.0),
    ("batch4", "catalyst2", 72.0),
    ("batch1", "catalyst3", 73.0),
    ("batch2", "catalyst3", 75.0),
    ("batch3", "catalyst3", 68.0),
    ("batch1", "catalyst4", 75.0),
    ("batch3", "catalyst4", 72.0),
    ("batch4", "catalyst4", 75.0),
]


def test_judge_effects_match_montgomery_bibd_treatment_effects():
    # Montgomery (Section 4.4.2) gives the adjusted treatment totals Q1..Q4 = -9/3, -7/3,
    # -4/3, 20/3 and the least-squares treatment effects tau_i = k Q_i / (lambda a), i.e.
    # -9/8, -7/8, -4/8, 20/8, with mu = y../N = 870/12 = 72.5; the adjusted treatment
    # means are mu + tau_i.
    teams, _ = fit_criterion(long_marks(CATALYST), "reaction time")

    tau = [Fraction(-9, 8), Fraction(-7, 8), Fraction(-4, 8), Fraction(20, 8)]
    expected = [float(Fraction(870, 12) + t) for t in tau]
    assert teams.index.tolist() == ["catalyst1", "catalyst2", "catalyst3", "catalyst4"]
    np.testing.assert_allclose(teams.to_numpy(), expected, rtol=0, atol=1e-9)
    assert expected == [71.375, 71.625, 72.0, 75.0]


def test_judge_effects_match_montgomery_bibd_block_effects_and_sum_of_squares():
    # Montgomery (Section 4.4.2): block effects beta_j = r Q'_j / (lambda b) with
    # Q'_1..Q'_4 = 7/3, 24/3, -31/3, 0, i.e. 7/8, 24/8, -31/8, 0; and the adjusted treatment
    # sum of squares k * sum(Q_i^2) / (lambda a) = 22.75 (the book's ANOVA table).
    marks = long_marks(CATALYST)

    teams, jurors = fit_criterion(marks, "reaction time")

    np.testing.assert_allclose(jurors.to_numpy(), [7 / 8, 24 / 8, -31 / 8, 0.0], atol=1e-9)
    fitted = marks[TEAM].map(teams) + marks[JUROR].map(jurors)
    residual = ((marks[SCORE] - fitted) ** 2).sum()
    block_means = marks.groupby(JUROR)[SCORE].transform("mean")
    blocks_only = ((marks[SCORE] - block_means) ** 2).sum()
    assert blocks_only - residual == pytest.approx(22.75, abs=1e-9)


def test_judge_effects_normalised_marks_remove_the_juror_effect():
    result = judge_effects(long_marks(CATALYST), Method(name="judge_effects", min_marks=3))

    first = result.normalised.iloc[0]  # batch1 on catalyst1: 73 - 7/8
    assert first == pytest.approx(73 - 7 / 8, abs=1e-9)
    assert panel_of(result) == pytest.approx(
        {"catalyst1": 71.375, "catalyst2": 71.625, "catalyst3": 72.0, "catalyst4": 75.0}, abs=1e-9
    )
    assert result.problems == ()


def test_judge_effects_on_a_complete_design_are_the_team_means():
    rows = [("a", "A", 8.0), ("a", "B", 6.0), ("b", "A", 5.0), ("b", "B", 4.0)]

    result = judge_effects(long_marks(rows), Method(name="judge_effects", min_marks=1))

    assert panel_of(result) == pytest.approx({"A": 6.5, "B": 5.0}, abs=1e-12)


def test_judge_effects_refuse_a_disconnected_design_naming_both_groups():
    rows = [
        ("a", "A", 8.0),
        ("b", "A", 6.0),
        ("a", "B", 7.0),
        ("c", "C", 5.0),
        ("d", "D", 4.0),
        ("c", "D", 6.0),
    ]

    with pytest.raises(MethodError) as raised:
        judge_effects(long_marks(rows, "impact"), Method(name="judge_effects"))

    message = str(raised.value)
    assert "on criterion impact the marks fall into 2 separate groups" in message
    assert "group 1: jurors a, b; teams A, B" in message
    assert "group 2: jurors c, d; teams C, D" in message


def test_judge_effects_warn_about_jurors_with_few_marks():
    result = judge_effects(long_marks(CATALYST), Method(name="judge_effects", min_marks=4))

    assert [p.code for p in result.problems] == ["judge-effects-few-marks"] * 4


# --- Borda and Copeland -----------------------------------------------------------------------

# The "Tennessee capital" example (Wikipedia, "Borda count", Example, and "Copeland's method",
# Example with Condorcet winner; also electowiki.org "Tennessee example"): of 100 voters,
# 42 rank Memphis > Nashville > Chattanooga > Knoxville, 26 Nashville > Chattanooga > Knoxville
# > Memphis, 15 Chattanooga > Knoxville > Nashville > Memphis, 17 Knoxville > Chattanooga >
# Nashville > Memphis.
TENNESSEE = [
    (42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
    (26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
    (15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
    (17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
]


def tennessee_marks() -> pd.DataFrame:
    rows = []
    for group, (voters, order) in enumerate(TENNESSEE):
        for voter in range(voters):
            rows += [
                (f"g{group}v{voter}", city, float(4 - position))
                for position, city in enumerate(order)
            ]
    return long_marks(rows)


def test_borda_matches_the_published_tennessee_points():
    # Published Borda points (3, 2, 1, 0 per ballot, per 100 voters): Memphis 126,
    # Nashville 194, Chattanooga 173, Knoxville 107. Our normalised points are those divided
    # by (n - 1) = 3 and averaged over the 100 voters.
    result = borda(tennessee_marks(), Method(name="borda"))

    classic = {team: score * 3 * 100 for team, score in panel_of(result).items()}
    assert classic == pytest.approx(
        {"Memphis": 126, "Nashville": 194, "Chattanooga": 173, "Knoxville": 107}, abs=1e-9
    )


def test_copeland_matches_the_published_tennessee_pairwise_record():
    # Published (Wikipedia, "Copeland's method"): Nashville 3 wins 0 losses (+3),
    # Chattanooga 2-1 (+1), Knoxville 1-2 (-1), Memphis 0-3 (-3); 3 contests each.
    result = copeland(tennessee_marks(), Method(name="copeland"))

    net = {team: score * 3 for team, score in panel_of(result).items()}
    assert net == {"Chattanooga": 1.0, "Knoxville": -1.0, "Memphis": -3.0, "Nashville": 3.0}


def test_borda_normalises_jurors_who_saw_different_numbers_of_teams():
    # a: R 9 > S 5 > T 1 -> 1, 0.5, 0; b: S 6 > R 4 -> S 1, R 0; c saw only R: no order.
    rows = [
        ("a", "R", 9.0),
        ("a", "S", 5.0),
        ("a", "T", 1.0),
        ("b", "R", 4.0),
        ("b", "S", 6.0),
        ("c", "R", 2.0),
    ]

    assert panel_of(borda(long_marks(rows), Method(name="borda"))) == {
        "R": 0.5,
        "S": 0.75,
        "T": 0.0,
    }


def test_borda_tied_teams_share_the_points_of_their_positions():
    # Positions 2 and 3 of 4 (2/3 and 1/3 points) shared: 0.5 each.
    rows = [("a", "R", 9.0), ("a", "S", 5.0), ("a", "T", 5.0), ("a", "U", 1.0)]

    assert panel_of(borda(long_marks(rows), Method(name="borda"))) == {
        "R": 1.0,
        "S": 0.5,
        "T": 0.5,
        "U": 0.0,
    }


def test_copeland_counts_contests_only_between_teams_some_juror_saw_together():
    # a: R > S > T; b: S > R; c: T > U. Contests: R-S 1:1 (draw), R-T won by R, S-T won by S,
    # T-U won by T; R and U never met. R: (1 - 0) / 2, S: (1 - 0) / 2, T: (1 - 2) / 3,
    # U: (0 - 1) / 1.
    rows = [
        ("a", "R", 9.0),
        ("a", "S", 5.0),
        ("a", "T", 1.0),
        ("b", "R", 4.0),
        ("b", "S", 6.0),
        ("c", "T", 8.0),
        ("c", "U", 3.0),
    ]

    assert panel_of(copeland(long_marks(rows), Method(name="copeland"))) == pytest.approx(
        {"R": 0.5, "S": 0.5, "T": -1 / 3, "U": -1.0}, abs=1e-12
    )


def test_copeland_gives_nan_to_a_team_without_contests():
    rows = [("a", "R", 9.0), ("a", "S", 5.0), ("b", "T", 4.0)]

    scores = panel_of(copeland(long_marks(rows), Method(name="copeland")))

    assert scores["R"] == 1.0
    assert scores["S"] == -1.0
    assert np.isnan(scores["T"])


def test_rank_methods_score_each_criterion_separately():
    first = long_marks([("a", "R", 9.0), ("a", "S", 5.0)], "impact")
    second = long_marks([("a", "R", 1.0), ("a", "S", 5.0)], "design")
    marks = pd.concat([first, second], ignore_index=True)

    panel = borda(marks, Method(name="borda")).panel

    assert panel.to_dict("records") == [
        {TEAM: "R", CRITERION: "design", SCORE: 0.0},
        {TEAM: "R", CRITERION: "impact", SCORE: 1.0},
        {TEAM: "S", CRITERION: "design", SCORE: 1.0},
        {TEAM: "S", CRITERION: "impact", SCORE: 0.0},
    ]
