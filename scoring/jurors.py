"""How each juror marked compared with the rest of the panel: leniency, spread, consensus.

Every comparison is leave-one-out: a juror is compared with the mean of the *other* jurors'
totals on the same teams, so a juror never agrees with themself.

Outlier rule (documented for the report):

* leniency: robust z = (leniency - median) / (1.4826 · MAD) across jurors (1.4826 · MAD
  estimates the standard deviation of normal data; Iglewicz & Hoaglin's modified z-score,
  "How to Detect and Handle Outliers", 1993). When the MAD is 0 (more than half the jurors
  equally lenient) the scale falls back to 1.2533 · mean absolute deviation from the median
  (the same estimate, from the mean deviation), and to z = 0 when that is 0 too. A juror with
  ``|z| > 2.5`` is flagged lenient or severe. Iglewicz & Hoaglin suggest 3.5; we screen more
  strictly because juries are small and a flag only asks for a second look;
* consensus: a juror whose Spearman correlation with the rest of the panel is below 0 ranks the
  teams against the panel and is flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.columns import JUROR, TOTAL
from scoring.i18n import gettext as _
from scoring.i18n import join_items
from scoring.jurormatrix import juror_team_matrix
from scoring.ranks import spearman

TEAMS = "teams"
LENIENCY = "leniency"
LENIENCY_Z = "leniency_z"
SPREAD = "spread"
CONSENSUS = "consensus_correlation"
OUTLIER = "outlier"
OUTLIER_REASON = "outlier_reason"

Z_LIMIT = 2.5
MAD_SCALE = 1.4826
MEAN_AD_SCALE = 1.2533
MIN_TEAMS_FOR_CORRELATION = 3


def juror_stats(juror_totals: pd.DataFrame) -> pd.DataFrame:
    """Per juror: teams marked, leniency, spread, correlation with the panel, outlier flag.

    Parameters
    ----------
    juror_totals : DataFrame
        Long frame with columns JUROR, TEAM, TOTAL (a juror's weighted total for a team).

    Returns
    -------
    DataFrame
        Columns JUROR, ``teams`` (number marked), ``leniency`` (mean of the juror's total minus
        the other jurors' mean total on the same team), ``leniency_z`` (robust z, see the
        module docstring), ``spread`` (sample standard deviation of the juror's totals),
        ``consensus_correlation`` (Spearman with the other jurors' mean on the same teams; NaN
        with fewer than 3 shared teams or no variation), ``outlier`` and ``outlier_reason``
        (translated text, "" when not an outlier). Sorted by juror.

    Examples
    --------
    >>> totals = pd.DataFrame({JUROR: list("aabbcc"), "team": list("xyxyxy"),
    ...                        TOTAL: [5.0, 7.0, 5.0, 7.0, 7.0, 9.0]})
    >>> juror_stats(totals)[LENIENCY].tolist()
    [-1.0, -1.0, 2.0]
    """
    matrix = juror_team_matrix(juror_totals, TOTAL)
    values = matrix.to_numpy(dtype=float)
    seen = ~np.isnan(values)
    rest = _rest_of_panel_mean(values, seen)
    difference = np.where(seen & ~np.isnan(rest), values - rest, np.nan)
    with np.errstate(invalid="ignore"):
        leniency = _nanmean_rows(difference)
    frame = pd.DataFrame(
        {
            JUROR: matrix.index,
            TEAMS: seen.sum(axis=1),
            LENIENCY: leniency,
            LENIENCY_Z: robust_z(leniency),
            SPREAD: [_sample_sd(row[~np.isnan(row)]) for row in values],
            CONSENSUS: [_spearman(v, r) for v, r in zip(values, rest, strict=True)],
        }
    )
    return frame.assign(**_outliers(frame)).reset_index(drop=True)


def _rest_of_panel_mean(values: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """For each juror and team, the mean of the other jurors' totals (NaN if nobody else)."""
    sums = np.where(seen, values, 0.0).sum(axis=0)
    counts = seen.sum(axis=0)
    rest_sums = sums - np.where(seen, values, 0.0)
    rest_counts = counts - seen
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rest_counts > 0, rest_sums / np.maximum(rest_counts, 1), np.nan)


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    counts = (~np.isnan(values)).sum(axis=1)
    sums = np.nansum(values, axis=1)
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _sample_sd(values: np.ndarray) -> float:
    return float(np.std(values, ddof=1)) if len(values) >= 2 else float("nan")


def _spearman(own: np.ndarray, rest: np.ndarray) -> float:
    shared = ~np.isnan(own) & ~np.isnan(rest)
    a, b = own[shared], rest[shared]
    if len(a) < MIN_TEAMS_FOR_CORRELATION or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return spearman(a, b)


def robust_z(values: np.ndarray) -> np.ndarray:
    """Robust z-scores around the median, scaled by the MAD (mean absolute deviation if MAD=0).

    Examples
    --------
    >>> robust_z(np.array([0.0, 1.0, 2.0])).round(4).tolist()
    [-0.6745, 0.0, 0.6745]
    """
    values = np.asarray(values, dtype=float)
    known = values[~np.isnan(values)]
    if len(known) == 0:
        return np.full(values.shape, np.nan)
    deviation = values - np.median(known)
    known_deviation = np.abs(known - np.median(known))
    scale = MAD_SCALE * np.median(known_deviation)
    if scale == 0:
        scale = MEAN_AD_SCALE * known_deviation.mean()
    if scale == 0:
        return np.where(np.isnan(values), np.nan, 0.0)
    return deviation / scale


def _outliers(frame: pd.DataFrame) -> dict[str, list]:
    reasons = []
    for z, correlation in zip(frame[LENIENCY_Z], frame[CONSENSUS], strict=True):
        found = []
        if z > Z_LIMIT:
            found.append(_("lenient: marks well above the rest of the panel"))
        elif z < -Z_LIMIT:
            found.append(_("severe: marks well below the rest of the panel"))
        if correlation < 0:
            found.append(_("ranks the teams against the rest of the panel"))
        reasons.append(join_items(found))
    return {OUTLIER: [bool(reason) for reason in reasons], OUTLIER_REASON: reasons}
