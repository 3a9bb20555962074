"""Juror statistics on hand-checkable panels (leave-one-out comparisons, robust z)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.columns import JUROR, TEAM, TOTAL
from scoring.jurors import (
    CONSENSUS,
    LENIENCY,
    LENIENCY_Z,
    OUTLIER,
    OUTLIER_REASON,
    SPREAD,
    TEAMS,
    juror_stats,
    robust_z,
)

BASE = [6.0, 8.0, 5.0, 9.0, 7.0]  # what the fair jurors give teams t0..t4


def panel(rows: dict[str, list[float]]) -> pd.DataFrame:
    records = [
        (juror, f"t{team}", total)
        for juror, totals in rows.items()
        for team, total in enumerate(totals)
        if not np.isnan(total)
    ]
    return pd.DataFrame(records, columns=[JUROR, TEAM, TOTAL])


def test_juror_stats_lenient_juror_by_two_points_exactly():
    # 4 fair jurors and one who adds 2 to every total: against the others' mean the lenient
    # juror is +2; each fair juror is compared with 3 fair jurors and the lenient one, whose
    # mean is 2/4 higher, so each fair juror's leniency is -2/(n-1) = -0.5.
    totals = panel({"a": BASE, "b": BASE, "c": BASE, "d": BASE, "e": [x + 2 for x in BASE]})

    stats = juror_stats(totals)

    assert stats[JUROR].tolist() == ["a", "b", "c", "d", "e"]
    assert stats[LENIENCY].tolist() == [-0.5, -0.5, -0.5, -0.5, 2.0]
    assert stats[TEAMS].tolist() == [5] * 5
    assert stats[CONSENSUS].tolist() == pytest.approx([1.0] * 5)
    assert stats[OUTLIER].tolist() == [False, False, False, False, True]
    assert stats[OUTLIER_REASON].tolist() == [
        "",
        "",
        "",
        "",
        "lenient: marks well above the rest of the panel",
    ]


def test_juror_stats_lenient_juror_z_uses_mean_deviation_when_mad_is_zero():
    totals = panel({"a": BASE, "b": BASE, "c": BASE, "d": BASE, "e": [x + 2 for x in BASE]})

    stats = juror_stats(totals)

    # deviations from the median -0.5: 0, 0, 0, 0, 2.5; mean absolute deviation 0.5
    assert stats[LENIENCY_Z].tolist() == pytest.approx([0, 0, 0, 0, 2.5 / (1.2533 * 0.5)])


def test_juror_stats_spread_is_sample_standard_deviation():
    stats = juror_stats(panel({"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 2.0]}))

    assert stats[SPREAD].tolist() == [1.0, 0.0]


def test_juror_stats_juror_ranking_against_the_panel_is_flagged():
    reverse = [14 - x for x in BASE]  # ranks t0..t4 exactly the other way round
    totals = panel({"a": BASE, "b": BASE, "c": BASE, "d": reverse})

    stats = juror_stats(totals).set_index(JUROR)

    assert stats.loc["d", CONSENSUS] < 0
    assert stats.loc["d", OUTLIER]
    assert stats.loc["d", OUTLIER_REASON] == "ranks the teams against the rest of the panel"
    assert stats[OUTLIER].tolist() == [False, False, False, True]


def test_juror_stats_partial_design_compares_on_shared_teams_only():
    nan = np.nan
    totals = panel({"a": [5.0, 7.0, nan], "b": [6.0, 9.0, 4.0], "c": [nan, 8.0, 2.0]})

    stats = juror_stats(totals).set_index(JUROR)

    # a: t0 vs b 6 -> -1; t1 vs mean(9, 8) -> -1.5; leniency -1.25
    assert stats.loc["a", LENIENCY] == -1.25
    # b: t0 vs 5 -> 1; t1 vs 7.5 -> 1.5; t2 vs 2 -> 2; leniency 1.5
    assert stats.loc["b", LENIENCY] == 1.5
    # c: t1 vs 8 -> 0; t2 vs 4 -> -2; leniency -1
    assert stats.loc["c", LENIENCY] == -1.0
    assert stats[TEAMS].tolist() == [2, 3, 2]
    assert np.isnan(stats.loc["a", CONSENSUS])  # fewer than 3 shared teams


def test_juror_stats_juror_alone_on_a_team_is_compared_on_the_others():
    nan = np.nan
    totals = panel({"a": [5.0, 7.0, 9.0], "b": [6.0, 8.0, nan]})

    stats = juror_stats(totals).set_index(JUROR)

    assert stats.loc["a", LENIENCY] == -1.0
    assert stats.loc["b", LENIENCY] == 1.0


def test_robust_z_scales_by_mad():
    z = robust_z(np.array([1.0, 2.0, 3.0, 4.0, 100.0]))

    # median 3, MAD 1 -> scale 1.4826
    assert z.tolist() == pytest.approx([-2 / 1.4826, -1 / 1.4826, 0, 1 / 1.4826, 97 / 1.4826])


def test_robust_z_all_equal_is_zero():
    assert robust_z(np.array([1.0, 1.0, 1.0])).tolist() == [0.0, 0.0, 0.0]
