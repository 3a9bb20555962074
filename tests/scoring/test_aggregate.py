"""score(): totals, order of combination, rounding stages, rankings, challenges."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from scoring.aggregate import Scores, score
from scoring.columns import (
    CHALLENGE,
    CRITERION,
    DISAGREEMENT,
    JUROR,
    MAX_TOTAL,
    MIN_TOTAL,
    N_JURORS,
    NORMALISED,
    RANK,
    SCORE,
    TEAM,
    TIE_NOTE,
    TOTAL,
)
from scoring.config import Config, Criterion, Method, Rounding, Scale
from scoring.errors import MethodError

SCALE = Scale(Decimal(0), Decimal(10))


def criterion(id_: str, weight: str = "1", *, independent: bool = False) -> Criterion:
    return Criterion(id_, {"en": id_.capitalize()}, Decimal(weight), SCALE, independent)


def marks_of(rows: list[tuple], columns=(JUROR, TEAM, CRITERION, SCORE)) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def totals_of(scores: Scores) -> dict[str, float]:
    return dict(zip(scores.ranking[TEAM], scores.ranking[TOTAL], strict=True))


# Two jurors, three teams, a weighted rubric with an independent criterion.
RUBRIC = (criterion("impact", "2"), criterion("design", "1"), criterion("fun", independent=True))
MARKS = marks_of(
    [
        ("a", "A", "impact", 8.0), ("a", "A", "design", 6.0), ("a", "A", "fun", 1.0),
        ("a", "B", "impact", 7.0), ("a", "B", "design", 9.0), ("a", "B", "fun", 2.0),
        ("a", "C", "impact", 5.0), ("a", "C", "design", 5.0), ("a", "C", "fun", 3.0),
        ("b", "A", "impact", 6.0), ("b", "A", "design", 8.0), ("b", "A", "fun", 9.0),
        ("b", "B", "impact", 7.0), ("b", "B", "design", 6.0), ("b", "B", "fun", 9.0),
        ("b", "C", "impact", 4.0), ("b", "C", "design", 6.0), ("b", "C", "fun", 9.0),
    ]
)  # fmt: skip


def test_score_mean_gives_the_plain_weighted_sum_without_independent_criteria():
    scores = score(MARKS, Config(criteria=RUBRIC))

    # A: 2 * 7 + 7 = 21; B: 2 * 7 + 7.5 = 21.5; C: 2 * 4.5 + 5.5 = 14.5 ("fun" not counted).
    assert totals_of(scores) == {"B": 21.5, "A": 21.0, "C": 14.5}
    assert scores.ranking[RANK].tolist() == [1, 2, 3]


def test_score_ranking_has_the_documented_columns_in_order():
    ranking = score(MARKS, Config(criteria=RUBRIC)).ranking

    assert ranking.columns.tolist() == [
        RANK, TEAM, TOTAL, "impact", "design", "fun",
        N_JURORS, DISAGREEMENT, MIN_TOTAL, MAX_TOTAL, TIE_NOTE,
    ]  # fmt: skip
    assert ranking.loc[0].to_dict() == {
        RANK: 1, TEAM: "B", TOTAL: 21.5, "impact": 7.0, "design": 7.5, "fun": 5.5,
        N_JURORS: 2, DISAGREEMENT: pytest.approx(3 / np.sqrt(2), abs=1e-12), MIN_TOTAL: 20.0,
        MAX_TOTAL: 23.0, TIE_NOTE: "",
    }  # fmt: skip


def test_score_juror_totals_are_weighted_sums_of_raw_marks_without_independent_ones():
    totals = score(MARKS, Config(criteria=RUBRIC)).juror_totals

    assert totals.to_dict("records") == [
        {JUROR: "a", TEAM: "A", TOTAL: 22.0},
        {JUROR: "a", TEAM: "B", TOTAL: 23.0},
        {JUROR: "a", TEAM: "C", TOTAL: 15.0},
        {JUROR: "b", TEAM: "A", TOTAL: 20.0},
        {JUROR: "b", TEAM: "B", TOTAL: 20.0},
        {JUROR: "b", TEAM: "C", TOTAL: 14.0},
    ]


def test_score_criteria_frame_holds_every_panel_score_including_independent_ones():
    criteria = score(MARKS, Config(criteria=RUBRIC)).criteria

    assert criteria[criteria[TEAM] == "C"].to_dict("records") == [
        {TEAM: "C", CRITERION: "design", SCORE: 5.5},
        {TEAM: "C", CRITERION: "fun", SCORE: 6.0},
        {TEAM: "C", CRITERION: "impact", SCORE: 4.5},
    ]


def test_score_disagreement_is_nan_for_a_single_juror():
    marks = marks_of([("a", "A", "impact", 8.0), ("a", "A", "design", 6.0)])

    row = score(marks, Config(criteria=RUBRIC[:2])).ranking.loc[0]

    assert row[N_JURORS] == 1
    assert np.isnan(row[DISAGREEMENT])
    assert (row[MIN_TOTAL], row[MAX_TOTAL]) == (22.0, 22.0)


# --- order of combination ---------------------------------------------------------------------


def _order_marks() -> pd.DataFrame:
    # Jurors' (impact, design): a (10, 0) total 10; b (8, 8) total 16; c (0, 6) total 6.
    return marks_of(
        [
            ("a", "T", "impact", 10.0), ("a", "T", "design", 0.0),
            ("b", "T", "impact", 8.0), ("b", "T", "design", 8.0),
            ("c", "T", "impact", 0.0), ("c", "T", "design", 6.0),
        ]
    )  # fmt: skip


def test_score_median_criterion_first_and_juror_first_differ():
    rubric = (criterion("impact"), criterion("design"))

    first = score(_order_marks(), Config(rubric, Method("median", "criterion-first")))
    juror = score(_order_marks(), Config(rubric, Method("median", "juror-first")))

    # criterion-first: median impact 8 + median design 6 = 14; juror-first: median(10, 16, 6).
    assert totals_of(first) == {"T": 14.0}
    assert totals_of(juror) == {"T": 10.0}
    # The per-criterion columns stay the per-criterion medians in both orders.
    assert juror.ranking.loc[0, ["impact", "design"]].tolist() == [8.0, 6.0]


def test_score_mean_is_the_same_in_both_orders_when_every_mark_is_present():
    rubric = (criterion("impact", "2"), criterion("design"))

    first = score(_order_marks(), Config(rubric, Method("mean", "criterion-first")))
    juror = score(_order_marks(), Config(rubric, Method("mean", "juror-first")))

    assert totals_of(first) == pytest.approx({"T": 2 * 6 + 14 / 3})
    assert totals_of(juror) == pytest.approx({"T": (20 + 24 + 6) / 3})


# --- rounding stages --------------------------------------------------------------------------


def _rounding_marks() -> pd.DataFrame:
    # Panel means: impact 7.25, design 8.25.
    return marks_of(
        [
            ("a", "T", "impact", 7.0), ("b", "T", "impact", 7.5),
            ("a", "T", "design", 8.0), ("b", "T", "design", 8.5),
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("weight", "decimals", "stages", "expected"),
    [
        ("1", 0, ("criterion",), 15.0),  # 7 + 8
        ("1", 0, ("total",), 16.0),  # 15.5 -> 16
        ("1", 0, ("criterion", "total"), 15.0),
        ("0.5", 1, ("weighted",), 7.7),  # 3.625 -> 3.6, 4.125 -> 4.1
        ("0.5", 1, ("total",), 7.8),  # 7.75 -> 7.8
        ("0.5", None, ("total",), 7.75),  # no decimals: no rounding
    ],
)
def test_score_rounds_half_up_at_the_named_stages(weight, decimals, stages, expected):
    rubric = (criterion("impact", weight), criterion("design", weight))

    scores = score(_rounding_marks(), Config(rubric, rounding=Rounding(decimals, stages)))

    assert totals_of(scores) == {"T": expected}


def test_score_criterion_rounding_shows_in_the_criteria_frame():
    rubric = (criterion("impact"), criterion("design"))

    scores = score(_rounding_marks(), Config(rubric, rounding=Rounding(1, ("criterion",))))

    assert scores.criteria[SCORE].tolist() == [8.3, 7.3]  # design 8.25, impact 7.25


def test_score_reproduces_published_diving_points_with_a_trimmed_mean():
    # A dive's points are 3 x trimmed mean of 7 judges (2 dropped at each end) x DD: a
    # single criterion weighted 3 x DD, rounded to 2 decimals (the rule and the sources are
    # cited in test_methods.py). Published figures: Beijing 2008 men's 10 m platform final,
    # Matthew Mitcham's sixth dive, four 10s, DD 3.8 -> 112.10 (olympic.org; Los Angeles
    # Times, 24 August 2008; the two lowest marks, 9.0 and 9.5, as commonly reported, do not
    # change the points); Tokyo 2020 women's 10 m platform final, Quan Hongchan's fifth dive,
    # six 10s and a 9.5 -> 96.00, so DD 3.2 (AFP / OCA, 5 August 2021). Weights per dive
    # differ, so each dive is its own challenge with its own rubric.
    execution = {"mitcham": "11.4", "quan": "9.6"}
    config = Config(
        criteria=(criterion("execution"),),
        method=Method("trimmed_mean", trim=2),
        rounding=Rounding(2, ("total",)),
        challenge_criteria={k: (criterion("execution", w),) for k, w in execution.items()},
    )
    rows = [
        (f"j{i}", "Mitcham", "execution", s, "mitcham")
        for i, s in enumerate([9.0, 9.5, 9.5, 10.0, 10.0, 10.0, 10.0])
    ]
    rows += [(f"j{i}", "Quan", "execution", s, "quan") for i, s in enumerate([10.0] * 6 + [9.5])]
    marks = marks_of(rows, (JUROR, TEAM, CRITERION, SCORE, CHALLENGE))

    scores = score(marks, config)

    assert totals_of(scores) == {"Mitcham": 112.10, "Quan": 96.00}


def test_score_trimmed_mean_refuses_too_few_marks():
    config = Config(RUBRIC[:2], Method("trimmed_mean", trim=1))

    with pytest.raises(MethodError, match=r"A \(design: 2 marks\); A \(impact: 2 marks\)"):
        score(MARKS[MARKS[TEAM] == "A"], config)


# Criterion a links both jurors (both scored T2); the independent criterion b does not: x
# scored it for T1 only, y for T2 only. Least squares on a fits exactly: y marks T2 one point
# above x, so the juror effects are -0.5 (x) and +0.5 (y), and T1 8.5, T2 6.5, T3 4.5.
SPLIT_RUBRIC = (criterion("a"), criterion("b", independent=True), criterion("c", independent=True))
SPLIT_MARKS = marks_of(
    [
        ("x", "T1", "a", 8.0), ("x", "T1", "b", 6.0), ("x", "T1", "c", 1.0), ("x", "T2", "a", 6.0),
        ("y", "T2", "a", 7.0), ("y", "T2", "b", 5.0), ("y", "T2", "c", 2.0), ("y", "T3", "a", 5.0),
    ]
)  # fmt: skip


def test_judge_effects_juror_first_ranks_linked_totals_and_leaves_split_criteria_empty():
    result = score(SPLIT_MARKS, Config(SPLIT_RUBRIC, Method("judge_effects", "juror-first")))

    assert totals_of(result) == pytest.approx({"T1": 8.5, "T2": 6.5, "T3": 4.5}, abs=1e-12)
    assert result.ranking["a"].tolist() == pytest.approx([8.5, 6.5, 4.5], abs=1e-12)
    assert result.ranking["b"].isna().all() and result.ranking["c"].isna().all()
    normalised = result.normalised.set_index([JUROR, TEAM, CRITERION])[NORMALISED]
    assert normalised.loc[("x", "T1", "b")] != normalised.loc[("x", "T1", "b")]  # NaN
    assert normalised.loc[("y", "T2", "a")] == pytest.approx(6.5, abs=1e-12)
    assert [p.message for p in result.problems if p.code == "separate_groups"] == [
        "the columns of criteria b, c are left empty: judge_effects cannot compare the jurors "
        "on them, whose marks on them fall into 2 separate groups (group 1: jurors x; teams T1; "
        "group 2: jurors y; teams T2); the ranking comes from the jurors' weighted totals, which "
        "link them all"
    ]


def test_judge_effects_juror_first_says_a_tie_break_on_an_empty_column_is_left_out():
    # The tie notes then said "tied after all tie-breaks" with nothing about criterion b.
    config = Config(
        SPLIT_RUBRIC, Method("judge_effects", "juror-first"), tie_breaks=("criterion:b", "median")
    )

    result = score(SPLIT_MARKS, config)

    assert [p.message for p in result.problems if p.code == "tie_break_left_out"] == [
        "the tie-break on criterion b is left out: the criterion's column is empty (see the "
        "warning about it), so teams tied on their score are told apart by the next tie-break, "
        "or stay tied"
    ]
    assert score(SPLIT_MARKS, dataclasses.replace(config, tie_breaks=("median",))).problems == (
        tuple(p for p in result.problems if p.code != "tie_break_left_out")
    )


def test_judge_effects_criterion_first_refuses_naming_every_split_criterion_at_once():
    config = Config(SPLIT_RUBRIC, Method("judge_effects", "criterion-first"))
    marks = SPLIT_MARKS[SPLIT_MARKS[CRITERION] != "c"]

    with pytest.raises(MethodError) as both:
        score(SPLIT_MARKS, config)
    with pytest.raises(MethodError) as one:
        score(marks, config)

    groups = "(group 1: jurors x; teams T1; group 2: jurors y; teams T2)"
    assert str(both.value) == (
        "judge_effects cannot compare jurors who share no teams: on criteria b, c the marks fall "
        f"into 2 separate groups {groups}. Have some jurors score teams of the other group, or "
        "choose another method."
    )
    assert str(one.value) == str(both.value).replace("criteria b, c", "criterion b")


# --- ties and tie-breaks ----------------------------------------------------------------------


def _tied_marks() -> pd.DataFrame:
    # Totals (impact + design, one juror each pair): W 18, X 15, Y 15, Z 10.
    return marks_of(
        [
            ("a", "W", "impact", 9.0), ("a", "W", "design", 9.0),
            ("a", "X", "impact", 8.0), ("a", "X", "design", 7.0),
            ("a", "Y", "impact", 6.0), ("a", "Y", "design", 9.0),
            ("a", "Z", "impact", 5.0), ("a", "Z", "design", 5.0),
        ]
    )  # fmt: skip


def test_score_shares_ranks_1_2_2_4_and_notes_the_tie():
    rubric = (criterion("impact"), criterion("design"))

    ranking = score(_tied_marks(), Config(rubric)).ranking

    assert ranking[[RANK, TEAM, TIE_NOTE]].to_dict("records") == [
        {RANK: 1, TEAM: "W", TIE_NOTE: ""},
        {RANK: 2, TEAM: "X", TIE_NOTE: "tied with Y"},
        {RANK: 2, TEAM: "Y", TIE_NOTE: "tied with X"},
        {RANK: 4, TEAM: "Z", TIE_NOTE: ""},
    ]


def test_score_criterion_tie_break_orders_tied_teams_and_says_why():
    rubric = (criterion("impact"), criterion("design"))

    ranking = score(_tied_marks(), Config(rubric, tie_breaks=("criterion:impact",))).ranking

    assert ranking[[RANK, TEAM, TIE_NOTE]].to_dict("records") == [
        {RANK: 1, TEAM: "W", TIE_NOTE: ""},
        {RANK: 2, TEAM: "X", TIE_NOTE: "ahead of Y by tie-break: criterion Impact"},
        {RANK: 3, TEAM: "Y", TIE_NOTE: "behind X by tie-break: criterion Impact"},
        {RANK: 4, TEAM: "Z", TIE_NOTE: ""},
    ]


def test_score_median_tie_break_prefers_the_higher_median_juror_total():
    # P: totals 10, 10, 1 (mean 7); Q: 7, 7, 7 (mean 7). Medians 10 and 7.
    marks = marks_of(
        [(j, "P", "impact", s) for j, s in zip("abc", [10, 10, 1], strict=True)]
        + [(j, "Q", "impact", 7.0) for j in "abc"]
    )

    ranking = score(marks, Config((criterion("impact"),), tie_breaks=("median",))).ranking

    assert ranking[[RANK, TEAM]].to_dict("records") == [{RANK: 1, TEAM: "P"}, {RANK: 2, TEAM: "Q"}]
    assert ranking.loc[0, TIE_NOTE] == "ahead of Q by tie-break: median of the jurors' totals"


def test_score_first_places_tie_break_then_a_tie_after_all_tie_breaks():
    # P and Q both average 6; a and b put P first, c puts Q first; R and S tie throughout.
    rows = [
        ("a", "P", 9.0),
        ("a", "Q", 5.0),
        ("b", "P", 8.0),
        ("b", "Q", 4.0),
        ("c", "P", 1.0),
        ("c", "Q", 9.0),
        ("a", "R", 2.0),
        ("b", "R", 2.0),
        ("c", "R", 2.0),
        ("a", "S", 2.0),
        ("b", "S", 2.0),
        ("c", "S", 2.0),
    ]
    marks = marks_of([(j, t, "impact", s) for j, t, s in rows])

    ranking = score(marks, Config((criterion("impact"),), tie_breaks=("first_places",))).ranking

    assert ranking[[RANK, TEAM, TIE_NOTE]].to_dict("records") == [
        {RANK: 1, TEAM: "P", TIE_NOTE: "ahead of Q by tie-break: first places"},
        {RANK: 2, TEAM: "Q", TIE_NOTE: "behind P by tie-break: first places"},
        {RANK: 3, TEAM: "R", TIE_NOTE: "tied with S after all tie-breaks"},
        {RANK: 3, TEAM: "S", TIE_NOTE: "tied with R after all tie-breaks"},
    ]


# --- challenges -------------------------------------------------------------------------------


def test_score_ranks_per_challenge_and_overall():
    marks = MARKS.assign(**{CHALLENGE: MARKS[TEAM].map({"A": "care", "B": "data", "C": "care"})})

    scores = score(marks, Config(criteria=RUBRIC))

    assert scores.ranking[[RANK, TEAM, CHALLENGE]].to_dict("records") == [
        {RANK: 1, TEAM: "B", CHALLENGE: "data"},
        {RANK: 2, TEAM: "A", CHALLENGE: "care"},
        {RANK: 3, TEAM: "C", CHALLENGE: "care"},
    ]
    assert sorted(scores.by_challenge) == ["care", "data"]
    care = scores.by_challenge["care"]
    assert care[[RANK, TEAM, TOTAL]].to_dict("records") == [
        {RANK: 1, TEAM: "A", TOTAL: 21.0},
        {RANK: 2, TEAM: "C", TOTAL: 14.5},
    ]
    assert care.columns.tolist() == scores.ranking.columns.tolist()
    assert scores.by_challenge["data"][[RANK, TEAM]].to_dict("records") == [{RANK: 1, TEAM: "B"}]


def test_score_uses_a_challenges_own_rubric_for_its_teams():
    marks = MARKS.assign(**{CHALLENGE: MARKS[TEAM].map({"A": "care", "B": "data", "C": "care"})})
    config = Config(criteria=RUBRIC, challenge_criteria={"data": (criterion("design", "3"),)})

    scores = score(marks, config)

    # B counts only design (mean 7.5) x 3 = 22.5; its impact and fun marks are not used.
    assert totals_of(scores) == {"B": 22.5, "A": 21.0, "C": 14.5}
    b = scores.ranking.loc[0]
    assert np.isnan(b["impact"]) and b["design"] == 7.5
    assert sorted(scores.normalised.loc[scores.normalised[TEAM] == "B", CRITERION]) == [
        "design",
        "design",
    ]


def test_score_a_criterion_tie_break_outside_a_team_s_rubric_decides_nothing_for_it():
    # A (main rubric: c1) and B (challenge x: k1 only) both total 7. B was never scored on
    # c1, so the first tie-break cannot compare them and the median does: B 8 against A 7.
    marks = marks_of(
        [
            ("j1", "A", "c1", 6.0, "general"), ("j2", "A", "c1", 8.0, "general"),
            ("j3", "A", "c1", 7.0, "general"), ("j1", "B", "k1", 8.0, "x"),
            ("j2", "B", "k1", 8.0, "x"), ("j3", "B", "k1", 5.0, "x"),
        ],
        columns=(JUROR, TEAM, CRITERION, SCORE, CHALLENGE),
    )  # fmt: skip
    config = Config(
        criteria=(criterion("c1"),),
        challenge_criteria={"x": (criterion("k1"),)},
        tie_breaks=("criterion:c1", "median"),
    )

    ranking = score(marks, config).ranking

    # The note says the skipped rule too: a challenge's own ranking, where every team has
    # c1 or none has, can order the same teams otherwise (found by a review).
    skipped = "; criterion C1 not applied: some of the tied teams are not scored on it"
    assert ranking[[RANK, TEAM, TOTAL, TIE_NOTE]].to_dict("records") == [
        {RANK: 1, TEAM: "B", TOTAL: 7.0, TIE_NOTE: "ahead of A by tie-break: median of the "
         "jurors' totals" + skipped},
        {RANK: 2, TEAM: "A", TOTAL: 7.0, TIE_NOTE: "behind B by tie-break: median of the "
         "jurors' totals" + skipped},
    ]  # fmt: skip


# --- methods through score() ------------------------------------------------------------------


def test_score_normalised_frame_keeps_the_marks_and_adds_the_normalised_mark():
    marks = MARKS.assign(**{SCORE: MARKS[SCORE].where(MARKS.index != 0)})  # one mark missing

    normalised = score(marks, Config(criteria=RUBRIC)).normalised

    assert normalised.columns.tolist() == [JUROR, TEAM, CRITERION, SCORE, NORMALISED]
    assert normalised.index.tolist() == list(range(1, 18))
    assert normalised[NORMALISED].tolist() == normalised[SCORE].tolist()


def test_score_drops_incomplete_juror_totals_but_still_scores_the_team():
    marks = MARKS[~((MARKS[JUROR] == "a") & (MARKS[TEAM] == "A") & (MARKS[CRITERION] == "design"))]

    scores = score(marks, Config(criteria=RUBRIC))

    assert scores.juror_totals[scores.juror_totals[TEAM] == "A"][JUROR].tolist() == ["b"]
    a = scores.ranking.set_index(TEAM).loc["A"]
    # design mean is b's 8 alone: 2 * 7 + 8 = 22; two jurors marked A.
    assert (a[TOTAL], a[N_JURORS], a[MIN_TOTAL], a[MAX_TOTAL]) == (22.0, 2, 20.0, 20.0)


def test_score_zscore_passes_its_warnings_on():
    scores = score(MARKS, Config(criteria=RUBRIC, method=Method("zscore", min_marks=5)))

    # One warning per juror (three marks on each of the three criteria), not per criterion.
    assert [(p.code, p.message) for p in scores.problems] == [
        (
            "zscore-too-few-marks",
            f"Juror {juror} has 3 marks on impact, design, fun, fewer than min_marks = 5: their "
            "raw marks were used, not standardised.",
        )
        for juror in ("a", "b")
    ]


def test_score_judge_effects_refuses_a_disconnected_design():
    marks = marks_of([("a", "A", "impact", 8.0), ("b", "B", "impact", 6.0)])

    with pytest.raises(MethodError, match="group 1: jurors a; teams A; group 2: jurors b; teams B"):
        score(marks, Config((criterion("impact"),), Method("judge_effects")))


def test_score_borda_ranks_the_jurors_weighted_totals():
    # Juror totals (impact x 2 + design): a: A 22, B 23, C 15; b: A 20, B 20, C 14.
    # Borda points: a: B 1, A 0.5, C 0; b: A and B share 0.75, C 0.
    scores = score(MARKS, Config(criteria=RUBRIC, method=Method("borda")))

    assert totals_of(scores) == {"B": 0.875, "A": 0.625, "C": 0.0}


def test_score_copeland_totals_are_net_contests_over_contests():
    # Pairwise majorities over the jurors' totals: B beats A (1-0, b ties), B and A beat C.
    scores = score(MARKS, Config(criteria=RUBRIC, method=Method("copeland")))

    assert totals_of(scores) == {"B": 1.0, "A": 0.0, "C": -1.0}


@pytest.mark.parametrize("method", ["borda", "copeland"])
def test_score_rank_methods_say_which_team_no_juror_placed_against_another(method: str):
    # Juror c scored D alone: no order places D, which a rank method cannot score.
    lone = marks_of([("c", "D", "impact", 9.0), ("c", "D", "design", 9.0), ("c", "D", "fun", 9.0)])
    marks = pd.concat([MARKS, lone], ignore_index=True)

    scores = score(marks, Config(criteria=RUBRIC, method=Method(method)))

    assert scores.ranking[TEAM].tolist()[-1] == "D"
    assert np.isnan(totals_of(scores)["D"])
    assert [(p.severity, p.code, p.message) for p in scores.problems] == [
        (
            "warning",
            "not_compared",
            f"team D has no {method} score: each juror who scored it scored no other team, so "
            "nobody placed it above or below another; it is ranked last; have a juror who "
            "scored other teams score it too",
        )
    ]


def test_score_judge_effects_can_leave_the_scale_as_the_report_says():
    # By hand (sum-to-zero juror effects): b and c agree on T2 and T3 (b one point higher),
    # and a marks T2 far below them. T2: m2 + a = 4, m2 + b = 8, m2 + c = 7 with a + b + c = 0
    # give m2 = 19/3, a = -7/3; T1, marked by a alone, scores 10 - a = 37/3 on a 0-10 scale.
    marks = marks_of(
        [
            ("a", "T1", "impact", 10.0), ("a", "T2", "impact", 4.0),
            ("b", "T2", "impact", 8.0), ("b", "T3", "impact", 7.0),
            ("c", "T2", "impact", 7.0), ("c", "T3", "impact", 6.0),
        ]
    )  # fmt: skip
    config = Config((criterion("impact"),), Method("judge_effects", min_marks=2))

    totals = totals_of(score(marks, config))

    assert totals == pytest.approx({"T1": 37 / 3, "T2": 19 / 3, "T3": 16 / 3}, abs=1e-9)


def test_score_juror_totals_carry_the_adjusted_total_in_the_juror_first_order_only():
    # judge_effects on totals: a: A 22, B 23, C 15; b: A 20, B 20, C 14 (impact x 2 + design).
    # Every juror saw every team, so a juror's effect is their mean less the grand mean:
    # a 20 - 19 = +1, b 18 - 19 = -1; the adjusted totals are the totals less the effect.
    juror_first = Config(criteria=RUBRIC, method=Method("judge_effects", order="juror-first"))

    adjusted = score(MARKS, juror_first).juror_totals
    plain = score(MARKS, Config(criteria=RUBRIC, method=Method("judge_effects"))).juror_totals

    assert adjusted[NORMALISED].tolist() == pytest.approx([21.0, 22.0, 14.0, 21.0, 21.0, 15.0])
    assert adjusted[TOTAL].tolist() == [22.0, 23.0, 15.0, 20.0, 20.0, 14.0]
    assert plain.columns.tolist() == [JUROR, TEAM, TOTAL]


@pytest.mark.parametrize("name", ["rank", "name"])  # name: the teams file's, beside the id
def test_score_refuses_a_criterion_named_like_a_ranking_column(name: str):
    with pytest.raises(MethodError, match=f"Criterion id {name} is also a column"):
        score(MARKS, Config(criteria=(criterion(name),)))


def test_score_judge_effects_reproduce_montgomery_adjusted_treatment_means():
    # Montgomery, Design and Analysis of Experiments, Example 4.5 / Table 4.22 (see
    # test_methods.py): adjusted treatment means 72.5 + (-9/8, -7/8, -4/8, 20/8).
    from tests.scoring.test_methods import CATALYST

    marks = marks_of([(j, t, "time", s) for j, t, s in CATALYST])
    config = Config((criterion("time"),), Method("judge_effects", min_marks=3))

    scores = score(marks, config)

    assert totals_of(scores) == pytest.approx(
        {"catalyst4": 75.0, "catalyst3": 72.0, "catalyst2": 71.625, "catalyst1": 71.375},
        abs=1e-9,
    )
    first = scores.normalised.set_index([JUROR, TEAM]).loc[("batch1", "catalyst1"), NORMALISED]
    assert first == pytest.approx(73 - 7 / 8, abs=1e-9)


@pytest.mark.parametrize("name", ["mean", "median", "judge_effects", "trimmed_mean"])
@pytest.mark.parametrize("order", ["criterion-first", "juror-first"])
def test_score_methods_agree_with_the_mean_on_two_jurors_who_saw_every_team(name, order):
    # Two jurors: the median is the mean, trim 0 keeps every mark, and in a complete design
    # the judge-effects team score is the team's mean.
    config = Config(RUBRIC, Method(name, order, trim=0, min_marks=2))

    scores = score(MARKS, config)

    assert totals_of(scores) == pytest.approx({"B": 21.5, "A": 21.0, "C": 14.5}, abs=1e-12)
    assert len(scores.criteria) == 9
    assert scores.problems == ()


def test_score_zscore_total_is_the_weighted_sum_of_independently_computed_panels():
    from tests.scoring.test_methods import _zscore_reference

    def reference(criterion_id: str) -> dict[str, float]:
        rows = MARKS[MARKS[CRITERION] == criterion_id][[JUROR, TEAM, SCORE]]
        return _zscore_reference(list(rows.itertuples(index=False, name=None)))

    impact, design = reference("impact"), reference("design")
    config = Config(RUBRIC, Method("zscore", min_marks=2))

    scores = score(MARKS, config)

    expected = {team: 2 * impact[team] + design[team] for team in "ABC"}
    assert totals_of(scores) == pytest.approx(expected, abs=1e-12)
    # Juror b gave every team 9 on the independent criterion "fun": z = 0, and a warning.
    assert [p.code for p in scores.problems] == ["zscore-zero-spread"]
    assert "Juror b gave every team the same mark on fun" in scores.problems[0].message


def test_score_juror_first_zscore_names_the_weighted_total_in_its_warnings():
    config = Config(RUBRIC, Method("zscore", "juror-first", min_marks=4))

    problems = score(MARKS, config).problems

    totals = [p.message for p in problems if "weighted total" in p.message]
    assert totals == [
        "Juror a has 3 marks on the weighted total, fewer than min_marks = 4: their raw marks "
        "were used, not standardised.",
        "Juror b has 3 marks on the weighted total, fewer than min_marks = 4: their raw marks "
        "were used, not standardised.",
    ]


def test_score_equal_totals_of_large_weights_tie_whatever_the_float_noise():
    # Found by a review: with weights of 1000000 (the largest the rubric allows), T1 and T2
    # both total 2.5 / 3 × 10⁶ exactly, computed as 833333.333333333 and …334, and T2 ranked
    # first with no tie note.
    marks = marks_of(
        [
            (juror, team, criterion, score)
            for team, scores in {
                "T1": ((0, 0.5), (0, 1), (0, 1)),
                "T2": ((0.5, 1), (0, 1), (0, 0)),
            }.items()
            for juror, pair in zip(("j1", "j2", "j3"), scores, strict=True)
            for criterion, score in zip(("a", "b"), pair, strict=True)
        ]
    )
    config = Config(criteria=(criterion("a", "1000000"), criterion("b", "1000000")))

    ranking = score(marks, config).ranking

    assert ranking[[RANK, TEAM, TIE_NOTE]].to_dict("records") == [
        {RANK: 1, TEAM: "T1", TIE_NOTE: "tied with T2"},
        {RANK: 1, TEAM: "T2", TIE_NOTE: "tied with T1"},
    ]


def test_score_warns_when_rounding_leaves_few_different_scores():
    # Found by a review: Borda's scores of 0 to 1 rounded to whole numbers left 0 and 1 for
    # four different totals, without a word.
    marks = marks_of(
        [
            (juror, team, "a", value)
            for juror, values in {
                "j1": (9, 7, 5, 3),
                "j2": (8, 9, 4, 2),
                "j3": (9, 6, 7, 1),
            }.items()
            for team, value in zip(("T1", "T2", "T3", "T4"), values, strict=True)
        ]
    )
    rounded = Config(
        criteria=(criterion("a"),),
        method=Method(name="borda", order="juror-first"),
        rounding=Rounding(0, ("total",)),
    )

    warned = [p.message for p in score(marks, rounded).problems if p.code == "rounded_away"]
    kept = score(marks, dataclasses.replace(rounded, rounding=Rounding(2, ("total",))))

    assert warned == [
        "rounding the totals to 0 decimals leaves 2 different scores for 4 different totals, "
        "so most ranks come from the tie-breaks or are shared; check that the rubric's "
        "decimals suit the range of its scores"
    ]
    assert [p for p in kept.problems if p.code == "rounded_away"] == []
