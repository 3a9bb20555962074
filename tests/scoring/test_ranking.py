"""Ranks, tie-breaks and tie notes."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from scoring.aggregate import score
from scoring.columns import JUROR, RANK, TEAM, TIE_NOTE, TOTAL
from scoring.config import Config, Criterion, Scale
from scoring.errors import MethodError
from scoring.i18n import set_language
from scoring.ranking import (
    rank_totals,
    rank_totals_within,
    rank_with_tie_breaks,
    tie_break_keys,
    tie_break_label,
)

SCALE = Scale(Decimal(0), Decimal(10))


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def juror_totals(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[JUROR, TEAM, TOTAL])


def test_rank_totals_gives_equal_totals_the_best_shared_rank():
    totals = pd.Series([7.0, 9.0, 7.0, 3.0], index=list("ABCD"))

    assert rank_totals(totals).to_dict() == {"A": 2, "B": 1, "C": 2, "D": 4}


def test_rank_totals_puts_missing_totals_last():
    totals = pd.Series([np.nan, 9.0, 7.0], index=list("ABC"))

    assert rank_totals(totals).to_dict() == {"A": 3, "B": 1, "C": 2}


def test_rank_totals_ignores_float_noise():
    totals = pd.Series([0.1 + 0.2, 0.3, 0.2], index=list("ABC"))

    assert rank_totals(totals).to_dict() == {"A": 1, "B": 1, "C": 3}


def test_rank_totals_ranks_each_column_of_a_frame():
    samples = pd.DataFrame({"s1": [1.0, 2.0, 3.0], "s2": [3.0, 3.0, 1.0]}, index=list("ABC"))

    ranks = rank_totals(samples)

    assert ranks.to_dict() == {"s1": {"A": 3, "B": 2, "C": 1}, "s2": {"A": 1, "B": 1, "C": 3}}


def test_rank_with_tie_breaks_without_tie_breaks_shares_ranks_1_2_2_4():
    totals = pd.Series([9.0, 8.0, 8.0, 5.0], index=list("ABCD"))

    ranked = rank_with_tie_breaks(totals, pd.DataFrame(index=totals.index), {})

    assert ranked[RANK].to_dict() == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert ranked[TIE_NOTE].to_dict() == {"A": "", "B": "tied with C", "C": "tied with B", "D": ""}


def test_rank_with_tie_breaks_separates_by_the_first_tie_break_that_differs():
    totals = pd.Series([8.0, 8.0, 8.0, 9.0], index=list("ABCD"))
    keys = pd.DataFrame(
        {"criterion:impact": [7.0, 7.0, 6.0, 1.0], "median": [5.0, 4.0, 9.0, 1.0]},
        index=list("ABCD"),
    )
    labels = {"criterion:impact": "criterion Impact", "median": "median"}

    ranked = rank_with_tie_breaks(totals, keys, labels)

    assert ranked[RANK].to_dict() == {"A": 2, "B": 3, "C": 4, "D": 1}
    assert ranked[TIE_NOTE].to_dict() == {
        "A": "ahead of C by tie-break: criterion Impact; ahead of B by tie-break: median",
        "B": "ahead of C by tie-break: criterion Impact; behind A by tie-break: median",
        "C": "behind A, B by tie-break: criterion Impact",
        "D": "",
    }


def test_rank_with_tie_breaks_says_when_teams_stay_tied_after_all_tie_breaks():
    totals = pd.Series([8.0, 8.0, 8.0], index=list("ABC"))
    keys = pd.DataFrame({"median": [6.0, 6.0, 5.0]}, index=list("ABC"))

    ranked = rank_with_tie_breaks(totals, keys, {"median": "median"})

    assert ranked[RANK].to_dict() == {"A": 1, "B": 1, "C": 3}
    assert ranked.loc["A", TIE_NOTE] == (
        "tied with B after all tie-breaks; ahead of C by tie-break: median"
    )
    assert ranked.loc["C", TIE_NOTE] == "behind A, B by tie-break: median"


def test_a_tie_break_some_tied_teams_have_no_value_for_decides_nothing_among_them():
    # B has no score on the criterion (it is outside B's rubric): the criterion cannot compare
    # A and B, and the median decides. A missing value used to lose: A ahead of B on it.
    totals = pd.Series([8.0, 8.0, 5.0], index=list("ABC"))
    keys = pd.DataFrame(
        {"criterion:c1": [7.0, np.nan, np.nan], "median": [7.0, 8.0, 1.0]}, index=list("ABC")
    )
    labels = {"criterion:c1": "criterion Impact", "median": "median"}

    ranked = rank_with_tie_breaks(totals, keys, labels)

    assert ranked[RANK].to_dict() == {"A": 2, "B": 1, "C": 3}
    skipped = "; criterion Impact not applied: some of the tied teams are not scored on it"
    assert ranked[TIE_NOTE].to_dict() == {
        "A": "behind B by tie-break: median" + skipped,
        "B": "ahead of A by tie-break: median" + skipped,
        "C": "",
    }


def test_a_criterion_tie_break_none_of_the_tied_teams_has_is_not_noted():
    # A challenge's own ranking: its teams are not scored on another challenge's criterion,
    # and "criterion not applied" said nothing they needed to know (found by a review).
    totals = pd.Series([8.0, 8.0], index=list("AB"))
    keys = pd.DataFrame({"criterion:c1": [np.nan, np.nan], "median": [7.0, 8.0]}, index=list("AB"))
    labels = {"criterion:c1": "criterion Impact", "median": "median"}

    ranked = rank_with_tie_breaks(totals, keys, labels)

    assert ranked[TIE_NOTE].to_dict() == {
        "A": "behind B by tie-break: median",
        "B": "ahead of A by tie-break: median",
    }


def test_a_tie_no_tie_break_can_compare_stays_a_tie():
    totals = pd.Series([8.0, 8.0, 8.0], index=list("ABC"))
    keys = pd.DataFrame({"criterion:c1": [7.0, 6.0, np.nan]}, index=list("ABC"))

    ranked = rank_with_tie_breaks(totals, keys, {"criterion:c1": "criterion Impact"})

    assert ranked[RANK].to_dict() == {"A": 1, "B": 1, "C": 1}
    assert ranked.loc["A", TIE_NOTE] == (
        "tied with B, C after all tie-breaks; criterion Impact not applied: some of the tied "
        "teams are not scored on it"
    )


def test_tie_break_keys_computes_each_kind():
    criteria = pd.DataFrame({"impact": [7.0, 6.0, 5.0]}, index=["R", "S", "T"])
    totals = juror_totals(
        [
            ("a", "R", 10.0),
            ("a", "S", 12.0),
            ("a", "T", 12.0),
            ("b", "R", 20.0),
            ("b", "S", 8.0),
            ("c", "R", 6.0),
            ("c", "T", 1.0),
        ]
    )

    keys = tie_break_keys(
        ("criterion:impact", "median", "min", "max", "first_places"), criteria, totals
    )

    assert keys.to_dict() == {
        "criterion:impact": {"R": 7.0, "S": 6.0, "T": 5.0},
        "median": {"R": 10.0, "S": 10.0, "T": 6.5},
        "min": {"R": 6.0, "S": 8.0, "T": 1.0},
        "max": {"R": 20.0, "S": 12.0, "T": 12.0},
        # a puts S and T first together (both count), b and c put R first.
        "first_places": {"R": 2.0, "S": 1.0, "T": 1.0},
    }


def test_tie_break_keys_refuses_an_unknown_criterion_or_tie_break():
    criteria = pd.DataFrame({"impact": [7.0]}, index=["R"])
    totals = juror_totals([("a", "R", 1.0)])

    with pytest.raises(MethodError, match="Tie-break criterion:style names no criterion"):
        tie_break_keys(("criterion:style",), criteria, totals)
    with pytest.raises(MethodError, match="Unknown tie-break coin_toss"):
        tie_break_keys(("coin_toss",), criteria, totals)


def test_rank_totals_within_ranks_each_jurors_own_teams():
    totals = juror_totals([("a", "R", 5.0), ("a", "S", 9.0), ("b", "R", 4.0), ("b", "S", 4.0)])

    assert rank_totals_within(totals).tolist() == [2, 1, 1, 1]


def test_tie_break_label_uses_the_criterion_label_in_the_current_language():
    impact = Criterion("impact", {"en": "Impact", "de": "Wirkung"}, Decimal(1), SCALE)
    english_rubric = Config(criteria=(impact,))
    german_rubric = Config(criteria=(impact,), language="de")

    in_english = (
        tie_break_label("criterion:impact", english_rubric),
        tie_break_label("criterion:impact", german_rubric),
        tie_break_label("first_places", english_rubric),
    )
    set_language("de")
    in_german = tie_break_label("criterion:impact", english_rubric)
    set_language("fr")
    # No French label: the English one, with the words around it in French.
    in_french = tie_break_label("criterion:impact", german_rubric)

    assert in_english == ("criterion Impact", "criterion Impact", "first places")
    assert in_german == "Kriterium Wirkung"
    assert in_french == "critère Impact"


def test_score_tie_notes_name_the_tie_break_in_the_current_language_not_the_rubric_default():
    # The rubric's default language is English; the chair runs the ranking with --lang fr/de.
    scale = Scale(Decimal(0), Decimal(10))
    impact = Criterion(
        "impact",
        {"en": "Health impact", "fr": "Impact sur la santé", "de": "Nutzen"},
        Decimal(1),
        scale,
    )
    design = Criterion("design", {"en": "Design", "fr": "Conception"}, Decimal(1), scale)
    config = Config(criteria=(impact, design), tie_breaks=("criterion:impact", "median"))
    # Totals: A 15, B 15 (A better on impact), C 10.
    marks = pd.DataFrame(
        [
            ("j", "A", "impact", 8.0),
            ("j", "A", "design", 7.0),
            ("j", "B", "impact", 6.0),
            ("j", "B", "design", 9.0),
            ("j", "C", "impact", 5.0),
            ("j", "C", "design", 5.0),
        ],
        columns=[JUROR, TEAM, "criterion", "score"],
    )

    set_language("fr")
    french = score(marks, config).ranking.set_index(TEAM)[TIE_NOTE].to_dict()
    set_language("de")
    german = score(marks, config).ranking.set_index(TEAM)[TIE_NOTE].to_dict()

    assert french == {
        "A": "devant B par départage : critère Impact sur la santé",
        "B": "derrière A par départage : critère Impact sur la santé",
        "C": "",
    }
    assert german == {
        "A": "vor B durch Gleichstandsregel: Kriterium Nutzen",
        "B": "hinter A durch Gleichstandsregel: Kriterium Nutzen",
        "C": "",
    }
