"""Half-up decimal rounding at the stages a rubric names."""

from __future__ import annotations

import math

import pandas as pd

from scoring.config import Rounding
from scoring.rounding import round_half_up, round_series, round_stage


def test_round_half_up_rounds_the_decimal_the_float_stands_for():
    # Python's documentation of round() (docs.python.org/3/library/functions.html#round)
    # publishes round(2.675, 2) == 2.67 "instead of the expected 2.68", because the double
    # nearest 2.675 lies just below it. Official results round the decimal: 2.68.
    assert round(2.675, 2) == 2.67
    assert round_half_up(2.675, 2) == 2.68


def test_round_half_up_rounds_exact_halves_up_not_to_even():
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(0.5, 0) == 1.0
    assert round_half_up(2.5, 0) == 3.0
    assert round_half_up(1.005, 2) == 1.01
    assert round_half_up(7.25, 1) == 7.3


def test_round_half_up_keeps_values_below_the_half():
    assert round_half_up(2.674999, 2) == 2.67
    assert round_half_up(0.1249, 2) == 0.12


def test_round_half_up_absorbs_arithmetic_noise():
    # 8.025 / 3 is 2.6750000000000003 and 3 * 0.8916666... lands a hair away from 2.675;
    # both stand for the decimal 2.675.
    assert repr(8.025 / 3) == "2.6750000000000003"
    assert round_half_up(8.025 / 3, 2) == 2.68
    assert round_half_up(0.1 + 0.2, 1) == 0.3
    assert round_half_up(1.1 * 3, 1) == 3.3


def test_round_half_up_rounds_sevenths_and_eighths_to_two_decimals():
    # Hand-checked: trimmed means of 7 or 8 counting marks are repeating or exact decimals.
    assert round_half_up(64.5 / 7, 2) == 9.21  # 9.2142857...
    assert round_half_up(64.75 / 7, 2) == 9.25  # exactly 9.25
    assert round_half_up(75.0 / 8, 2) == 9.38  # 9.375, a half: up


def test_round_half_up_leaves_nan_and_whole_numbers():
    assert math.isnan(round_half_up(float("nan"), 2))
    assert round_half_up(20.0, 2) == 20.0
    assert round_half_up(96.0, 0) == 96.0


def test_round_series_rounds_every_value_and_keeps_the_index():
    values = pd.Series([2.675, 0.125, float("nan")], index=["A", "B", "C"])

    rounded = round_series(values, 2)

    assert rounded.index.tolist() == ["A", "B", "C"]
    assert rounded.iloc[:2].tolist() == [2.68, 0.13]
    assert math.isnan(rounded.iloc[2])


def test_round_stage_rounds_only_at_the_named_stages():
    rule = Rounding(decimals=1, stages=("criterion", "total"))
    values = pd.Series([7.25, 7.35])

    assert round_stage(values, rule, "criterion").tolist() == [7.3, 7.4]
    assert round_stage(values, rule, "weighted").tolist() == [7.25, 7.35]
    assert round_stage(values, Rounding(), "total").tolist() == [7.25, 7.35]
