"""The agreement coefficients of a jury, each from a *jurors × teams* matrix of marks.

Kendall's W (agreement on the order of the teams) and the six Shrout & Fleiss ICCs need a
complete matrix; Krippendorff's alpha allows missing marks (NaN). Which part of a jury's
marks they read is :mod:`scoring.jurormatrix`'s concern, how they become the agreement table
:mod:`scoring.agreement`'s: here are only the formulas, checked against published values.

References
----------
Kendall, M. G. and Babington Smith, B. (1939). The problem of m rankings. *Ann. Math. Stat.* 10.
Shrout, P. E. and Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
reliability. *Psychological Bulletin* 86(2), 420-428.
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
Communication, University of Pennsylvania, Departmental Papers 43.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.ranks import average_ranks

STATISTIC = "statistic"
VALUE = "value"

ICC_NAMES = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")


def kendall_w(matrix: np.ndarray) -> float:
    """Kendall's coefficient of concordance W with the correction for tied ranks.

    Parameters
    ----------
    matrix : array of shape (jurors, teams), complete (no NaN)
        Each juror's scores; a juror's scores are turned into ranks (ties get the mean rank).

    Returns
    -------
    float
        W in [0, 1]; NaN with fewer than two jurors or teams, or when every juror gave every
        team the same score (no ranking to agree on).

    Examples
    --------
    >>> kendall_w(np.array([[1, 2, 3], [1, 2, 3]]))
    1.0
    """
    scores = np.asarray(matrix, dtype=float)
    m, n = scores.shape
    if m < 2 or n < 2 or np.isnan(scores).any():
        return float("nan")
    ranks = average_ranks(scores)
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = sum(_tie_term(row) for row in scores)
    denominator = m**2 * (n**3 - n) - m * ties
    return float(12 * s / denominator) if denominator > 0 else float("nan")


def _tie_term(row: np.ndarray) -> float:
    """Sum of t³ - t over the groups of tied values in one juror's scores."""
    _, counts = np.unique(row, return_counts=True)
    return float((counts.astype(float) ** 3 - counts).sum())


def icc(matrix: np.ndarray) -> pd.DataFrame:
    """The six intraclass correlations of Shrout & Fleiss (1979), from a two-way ANOVA.

    ICC(1,·) treats jurors as random and nested in teams, ICC(2,·) as a random sample crossed
    with teams (absolute agreement), ICC(3,·) as fixed (consistency). The ``k`` forms give the
    reliability of the mean of the ``k`` jurors, which is what a ranking by mean score uses.

    Parameters
    ----------
    matrix : array of shape (jurors, teams), complete (no NaN)

    Returns
    -------
    DataFrame
        Columns ``statistic`` (``ICC(1,1)`` ... ``ICC(3,k)``) and ``value``; values are NaN when
        the matrix has fewer than two jurors or teams, a NaN, or no variance at all.

    Examples
    --------
    >>> icc(np.array([[1, 2, 3], [1, 2, 3]]))[VALUE].tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    """
    scores = np.asarray(matrix, dtype=float).T  # targets × judges, as in Shrout & Fleiss
    n, k = scores.shape
    values = [float("nan")] * len(ICC_NAMES)
    if n >= 2 and k >= 2 and not np.isnan(scores).any():
        values = _icc_values(scores)
    return pd.DataFrame({STATISTIC: list(ICC_NAMES), VALUE: values})


def _icc_values(scores: np.ndarray) -> list[float]:
    n, k = scores.shape
    grand = scores.mean()
    ss_rows = k * ((scores.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((scores.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((scores - grand) ** 2).sum() - ss_rows - ss_cols
    bms = ss_rows / (n - 1)
    jms = ss_cols / (k - 1)
    ems = ss_error / ((n - 1) * (k - 1))
    wms = (ss_cols + ss_error) / (n * (k - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        values = [
            (bms - wms) / (bms + (k - 1) * wms),
            (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
            (bms - ems) / (bms + (k - 1) * ems),
            (bms - wms) / bms,
            (bms - ems) / (bms + (jms - ems) / n),
            (bms - ems) / bms,
        ]
    return [float(v) if np.isfinite(v) else float("nan") for v in values]


def krippendorff_alpha_interval(matrix: np.ndarray) -> float:
    """Krippendorff's alpha with the interval metric; missing marks (NaN) are allowed.

    Only teams with at least two marks are pairable and count. Computed with the coincidence
    formulation of Krippendorff (2011): alpha = 1 - D_observed / D_expected.

    Parameters
    ----------
    matrix : array of shape (jurors, teams) with NaN for missing marks

    Returns
    -------
    float
        Alpha (1 is perfect agreement, 0 is chance); NaN with fewer than two pairable teams'
        values or no variance among the pairable values.

    Examples
    --------
    >>> krippendorff_alpha_interval(np.array([[1.0, 2.0, np.nan], [1.0, 2.0, 5.0]]))
    1.0
    """
    scores = np.asarray(matrix, dtype=float)
    present = ~np.isnan(scores)
    pairable = present.sum(axis=0) >= 2
    values = np.where(present, scores, 0.0)[:, pairable]
    counts = present[:, pairable].sum(axis=0).astype(float)
    total = counts.sum()
    if total < 2:
        return float("nan")
    # Σ over ordered pairs within a unit of (a - b)² = 2 (m Σv² - (Σv)²)
    sums, squares = values.sum(axis=0), (values**2).sum(axis=0)
    within = 2 * (counts * squares - sums**2)
    observed = float((within / (counts - 1)).sum() / total)
    expected = float(2 * (total * squares.sum() - sums.sum() ** 2) / (total * (total - 1)))
    return 1 - observed / expected if expected > 0 else float("nan")
