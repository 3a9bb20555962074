"""Agreement statistics against values published by others.

References used here:

* Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
  reliability. Psychological Bulletin 86(2), 420-428. Table 2 data (6 targets × 4 judges) and
  the ICCs of their Table 4: .17, .29, .71 (single) and .44, .62, .91 (average of 4). The
  three-decimal values are those R psych::ICC and pingouin.intraclass_corr print for the
  same data (0.166, 0.290, 0.715, 0.443, 0.620, 0.909).
* R DescTools::KendallW documentation example, ``KendallW(anxiety, TRUE)`` on the ``anxiety``
  data of the irr package (20 subjects × 3 raters, with ties): W = 0.5396569, Kendall
  chi-squared = 30.76 with 19 df; and its Siegel & Castellan (1988) example (8 items ranked by
  3 judges, no ties): W = 0.6560847, chi-squared = 13.778.
* Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
  Communication, Departmental Papers 43: the 4 observers × 12 units reliability data with
  missing values, interval alpha = 0.849.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.agreement import (
    KENDALL_W,
    KRIPPENDORFF_ALPHA,
    NOTE,
    TEAMS,
    agreement,
    agreement_by_criterion,
    statistic_label,
)
from scoring.coefficients import (
    ICC_NAMES,
    STATISTIC,
    VALUE,
    icc,
    kendall_w,
    krippendorff_alpha_interval,
)
from scoring.columns import CRITERION, JUROR, SCORE, TEAM, TOTAL

# Shrout & Fleiss (1979), Table 2: rows are the 6 targets, columns the 4 judges.
SHROUT_FLEISS = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ]
).T  # our matrices are jurors × teams

ANXIETY = np.array(
    [
        [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
        [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
        [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
    ]
)

# Siegel & Castellan (1988) via DescTools: 3 judges ranking 8 items.
SIEGEL_CASTELLAN = np.array(
    [
        [5, 6, 7, 1, 2, 4, 3, 8],
        [1, 7, 6, 2, 3, 5, 4, 8],
        [4, 5, 1, 3, 2, 7, 6, 8],
    ]
)

_ = np.nan
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
        [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ]
)


def long_totals(matrix: np.ndarray) -> pd.DataFrame:
    jurors, teams = np.nonzero(~np.isnan(matrix))
    return pd.DataFrame(
        {
            JUROR: [f"j{j}" for j in jurors],
            TEAM: [f"t{t:02d}" for t in teams],
            TOTAL: matrix[jurors, teams].astype(float),
        }
    )


def test_icc_matches_shrout_fleiss_table_4():
    result = icc(SHROUT_FLEISS)

    assert result[STATISTIC].tolist() == list(ICC_NAMES)
    assert result[VALUE].round(2).tolist() == [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    assert result[VALUE].round(3).tolist() == [0.166, 0.290, 0.715, 0.443, 0.620, 0.909]


def test_kendall_w_with_ties_matches_desctools_anxiety():
    w = kendall_w(ANXIETY)

    assert w == pytest.approx(0.5396569, abs=5e-8)
    assert 3 * 19 * w == pytest.approx(30.76, abs=5e-3)  # chi-squared = m (n - 1) W


def test_kendall_w_without_ties_matches_siegel_castellan():
    w = kendall_w(SIEGEL_CASTELLAN)

    assert w == pytest.approx(0.6560847, abs=5e-8)
    assert 3 * 7 * w == pytest.approx(13.778, abs=5e-4)


def test_kendall_w_perfect_agreement_is_one():
    assert kendall_w(np.array([[1, 2, 3, 4], [10, 20, 30, 40], [2, 3, 5, 9]])) == 1.0


def test_kendall_w_no_variation_is_nan():
    assert np.isnan(kendall_w(np.full((3, 4), 7.0)))


def test_krippendorff_alpha_interval_matches_krippendorff_2011():
    assert krippendorff_alpha_interval(KRIPPENDORFF_2011) == pytest.approx(0.849, abs=5e-4)


def test_krippendorff_alpha_perfect_agreement_is_one():
    assert krippendorff_alpha_interval(np.array([[1.0, 4.0, 6.0], [1.0, 4.0, 6.0]])) == 1.0


def test_agreement_on_complete_design_uses_every_juror_and_team():
    result = agreement(long_totals(SHROUT_FLEISS.astype(float))).set_index(STATISTIC)

    assert result.index.tolist() == [KENDALL_W, *ICC_NAMES, KRIPPENDORFF_ALPHA]
    assert result.loc["ICC(3,1)", VALUE] == pytest.approx(0.714841, abs=5e-7)
    assert result["teams"].tolist() == [6] * 8
    assert result["jurors"].tolist() == [4] * 8
    assert result[NOTE].tolist() == [""] * 8


def test_agreement_partial_design_uses_teams_every_juror_saw():
    matrix = SHROUT_FLEISS.astype(float)
    matrix[0, 5] = np.nan  # judge 1 did not see target 6

    result = agreement(long_totals(matrix)).set_index(STATISTIC)

    assert result.loc[KENDALL_W, "teams"] == 5
    assert result.loc[KENDALL_W, "jurors"] == 4
    assert result.loc["ICC(2,1)", VALUE] == icc(SHROUT_FLEISS[:, :5])[VALUE][1]
    assert result.loc[KRIPPENDORFF_ALPHA, "teams"] == 6
    assert result.loc[KRIPPENDORFF_ALPHA, VALUE] == krippendorff_alpha_interval(matrix)


def test_agreement_panels_use_the_largest_complete_block_and_say_so():
    # Two panels: j0-j2 saw t00-t03, j3-j4 saw t04-t06; no team was seen by everybody.
    matrix = np.full((5, 7), np.nan)
    matrix[:3, :4] = [[1, 2, 3, 4], [2, 3, 4, 5], [1, 3, 2, 4]]
    matrix[3:, 4:] = [[1, 2, 3], [1, 2, 3]]

    result = agreement(long_totals(matrix)).set_index(STATISTIC)

    assert result.loc[KENDALL_W, "teams"] == 4
    assert result.loc[KENDALL_W, "jurors"] == 3
    assert result.loc[KENDALL_W, VALUE] == kendall_w(matrix[:3, :4])
    assert result.loc[KENDALL_W, NOTE] == (
        "no team was seen by every juror; used the largest complete block found: "
        "4 teams marked by 3 jurors (j0, j1, j2); 2 other jurors left out"
    )
    # One team in common: said as such, not as "fewer than 2".
    matrix[3:, 0] = [3, 4]
    common = agreement(long_totals(matrix)).set_index(STATISTIC).loc[KENDALL_W, NOTE]
    assert common.startswith("only 1 team was seen by every juror; used the largest")


def test_agreement_block_of_as_many_marks_prefers_more_teams():
    # j0 and j2 saw t00-t05 (12 marks); adding j1, who saw t00-t03, keeps 12 marks over 4
    # teams: the rule (most marks, then most teams) keeps the 6 teams. j3 leaves one team in
    # common. Found by a review: the 3-juror block of 4 teams had replaced it.
    matrix = np.full((4, 7), np.nan)
    matrix[0, :6] = [1, 2, 3, 4, 5, 6]
    matrix[1, :4] = [2, 1, 4, 3]
    matrix[2, :6] = [1, 3, 2, 5, 4, 6]
    matrix[3, [0, 6]] = [2, 1]

    result = agreement(long_totals(matrix)).set_index(STATISTIC)

    assert result.loc[KENDALL_W, "teams"] == 6
    assert result.loc[KENDALL_W, "jurors"] == 2
    assert result.loc[KENDALL_W, VALUE] == kendall_w(matrix[[0, 2], :6])
    assert result.loc[KENDALL_W, NOTE] == (
        "only 1 team was seen by every juror; used the largest complete block found: "
        "6 teams marked by 2 jurors (j0, j2); 2 other jurors left out"
    )


def test_agreement_without_any_shared_pair_is_nan_with_note():
    matrix = np.array([[1.0, 2.0, _, _], [_, _, 3.0, 4.0]])

    result = agreement(long_totals(matrix)).set_index(STATISTIC)

    assert np.isnan(result.loc[KENDALL_W, VALUE])
    assert result.loc[KENDALL_W, "teams"] == 0
    assert result.loc[KENDALL_W, NOTE] == (
        "fewer than 2 teams were seen by 2 or more jurors in common"
    )
    assert np.isnan(result.loc[KRIPPENDORFF_ALPHA, VALUE])


def test_agreement_by_criterion_has_one_block_per_criterion():
    marks = pd.DataFrame(
        {
            JUROR: ["a", "a", "a", "b", "b", "b"] * 2,
            TEAM: ["x", "y", "z"] * 4,
            CRITERION: ["idea"] * 6 + ["pitch"] * 6,
            SCORE: [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 3.0, 2.0, 1.0, 1.0, 2.0, 3.0],
        }
    )

    result = agreement_by_criterion(marks)

    kendall = result[result[STATISTIC] == KENDALL_W]
    assert kendall[CRITERION].tolist() == ["idea", "pitch"]
    assert kendall[VALUE].tolist() == [1.0, 0.0]


def test_agreement_leaves_out_the_juror_who_saw_too_few_teams():
    matrix = np.array(
        [
            [7.0, 5.0, 6.0, 8.0, 4.0, 9.0],
            [6.0, 5.0, 7.0, 8.0, 3.0, 9.0],
            [7.0, 4.0, 6.0, 9.0, 5.0, 8.0],
            [8.0, _, _, _, _, _],  # j3 saw a single team: no 2 teams were seen by everybody
        ]
    )

    result = agreement(long_totals(matrix)).set_index(STATISTIC)

    assert result.loc[KENDALL_W, "teams"] == 6
    assert result.loc[KENDALL_W, "jurors"] == 3
    assert result.loc[KENDALL_W, VALUE] == kendall_w(matrix[:3])
    assert result.loc[KENDALL_W, NOTE].endswith(
        "6 teams marked by 3 jurors (j0, j1, j2); 1 other juror left out"
    )
    assert result.loc[KRIPPENDORFF_ALPHA, "jurors"] == 4


def test_statistic_label_names_every_statistic():
    labels = [statistic_label(name) for name in [KENDALL_W, *ICC_NAMES, KRIPPENDORFF_ALPHA]]

    assert labels[0] == "Kendall's W: agreement on the order of the teams (tie-corrected)"
    assert labels[2] == "ICC(2,1): one juror, absolute agreement"
    assert len(set(labels)) == 8


def _totals(jurors: str, teams: str, values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({JUROR: list(jurors), TEAM: list(teams), TOTAL: values})


def test_agreement_notes_say_why_a_statistic_is_missing_or_partial() -> None:
    one_juror = agreement(_totals("aaa", "xyz", [1.0, 2.0, 3.0])).set_index(STATISTIC)
    # b did not see z: W and the ICCs are over the teams both saw (the issue asks to say so).
    partial = agreement(_totals("aaaabbb", "wxyzwxy", [1, 2, 3, 4, 2, 1, 3])).set_index(STATISTIC)
    flat = agreement(_totals("aabb", "xyxy", [5.0, 5.0, 5.0, 5.0])).set_index(STATISTIC)

    assert one_juror.loc[KENDALL_W, NOTE] == "needs marks of at least 2 jurors on the same teams"
    assert partial.loc[KENDALL_W, [TEAMS, NOTE]].tolist() == [
        3,
        "over the 3 of 4 teams every juror saw",
    ]
    assert set(flat[NOTE]) == {"cannot be computed from these marks: they do not vary"}
    assert flat[VALUE].isna().all()
    # Marks that vary, where ICC(2,k)'s denominator MSR + (MSC - MSE) / n is 0.5 - 1.5/3 = 0.
    zero = agreement(_totals("aaabbb", "xyzxyz", [1, 2, 3, 2, 3, 1])).set_index(STATISTIC)
    assert zero[NOTE].to_dict() == {
        **dict.fromkeys(zero.index, ""),
        "ICC(2,k)": "not defined for these marks (its formula divides by zero)",
    }


def test_agreement_notes_teams_judged_on_different_rubrics():
    # A review found W = 1 on a block of three teams of two challenges, their rubrics'
    # totals on different ranges, with no word of it.
    totals = pd.DataFrame(
        {
            JUROR: ["a"] * 4 + ["b"] * 4,
            TEAM: ["m1", "m2", "h1", "h2"] * 2,
            TOTAL: [9.0, 8.0, 3.0, 2.0, 8.5, 7.0, 3.5, 1.0],
        }
    )
    caveat = (
        "these teams are judged on 2 different rubrics (their challenges'), so this value "
        "compares totals of different criteria"
    )

    mixed = agreement(totals, {"m1": "mobility", "m2": "mobility", "h1": "health", "h2": "health"})
    one = agreement(totals, {"m1": "", "m2": "", "h1": "", "h2": ""})

    assert set(mixed[NOTE]) == {caveat}
    assert set(one[NOTE]) == {""}
    assert mixed[VALUE].tolist() == one[VALUE].tolist()


def test_krippendorff_alpha_of_a_single_team_is_not_defined():
    # Found by a review: one team marked 8, 8.5 and 8 gave alpha 0.0 ("no more than chance")
    # with no note, while the other statistics said why they were missing.
    totals = pd.DataFrame({JUROR: ["a", "b", "c"], TEAM: ["T1"] * 3, TOTAL: [8.0, 8.5, 8.0]})

    row = agreement(totals).set_index(STATISTIC).loc[KRIPPENDORFF_ALPHA]

    assert (np.isnan(row[VALUE]), row[TEAMS], row[NOTE]) == (
        True,
        1,
        "needs at least 2 teams marked by the same jurors",
    )
