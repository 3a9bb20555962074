"""Inter-rater agreement of a jury: Kendall's W, the six Shrout & Fleiss ICCs, Krippendorff's alpha.

Every statistic reads a *jurors × teams* matrix (NaN where a juror did not mark a team).
Kendall's W and the ICCs need a complete matrix, so :func:`agreement` computes them on the
teams that every juror saw (or, when fewer than two such teams exist, on the largest complete
block it finds); Krippendorff's alpha allows missing marks and uses every mark.

References
----------
Kendall, M. G. and Babington Smith, B. (1939). The problem of m rankings. *Ann. Math. Stat.* 10.
Shrout, P. E. and Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
reliability. *Psychological Bulletin* 86(2), 420-428.
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
Communication, University of Pennsylvania, Departmental Papers 43.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from scoring.columns import CRITERION, JUROR, SCORE, TEAM, TOTAL
from scoring.i18n import gettext as _
from scoring.i18n import ngettext
from scoring.ranks import average_ranks

STATISTIC = "statistic"
VALUE = "value"
TEAMS = "teams"
JURORS = "jurors"
NOTE = "note"

KENDALL_W = "kendall_w"
KRIPPENDORFF_ALPHA = "krippendorff_alpha_interval"
ICC_NAMES = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")


def statistic_label(statistic: str) -> str:
    """A reader's name for a value of the ``statistic`` column, translated.

    Examples
    --------
    >>> statistic_label("ICC(2,k)")
    'ICC(2,k): reliability of the mean of the jurors, absolute agreement'
    """
    labels = {
        KENDALL_W: _("Kendall's W: agreement on the order of the teams (tie-corrected)"),
        "ICC(1,1)": _("ICC(1,1): one juror, jurors random per team"),
        "ICC(2,1)": _("ICC(2,1): one juror, absolute agreement"),
        "ICC(3,1)": _("ICC(3,1): one juror, consistency"),
        "ICC(1,k)": _("ICC(1,k): reliability of the mean of the jurors, jurors random per team"),
        "ICC(2,k)": _("ICC(2,k): reliability of the mean of the jurors, absolute agreement"),
        "ICC(3,k)": _("ICC(3,k): reliability of the mean of the jurors, consistency"),
        KRIPPENDORFF_ALPHA: _("Krippendorff's alpha (interval), all marks"),
    }
    return labels.get(statistic, statistic)


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


def juror_team_matrix(frame: pd.DataFrame, value: str = TOTAL) -> pd.DataFrame:
    """Pivot a long frame (JUROR, TEAM, ``value``) to jurors × teams, NaN where missing.

    Jurors and teams without any value are left out (categorical ids may list them).

    Examples
    --------
    >>> frame = pd.DataFrame({JUROR: ["b", "a"], TEAM: ["x", "y"], TOTAL: [1.0, 2.0]})
    >>> juror_team_matrix(frame).to_numpy().tolist()
    [[nan, 2.0], [1.0, nan]]
    """
    known = frame[frame[value].notna()].astype({JUROR: object, TEAM: object})
    matrix = known.pivot(index=JUROR, columns=TEAM, values=value).astype(float)
    return matrix.sort_index().sort_index(axis=1)


def complete_block(matrix: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The teams every juror saw; if fewer than two, the largest complete block found.

    Finding the largest block is a maximum-biclique problem, so this is a heuristic: from
    each juror in turn, jurors are added one at a time, each time the one who saw most of the
    block's teams, while the block's number of marks grows. The block with the most marks
    (then the most teams) wins. Returns the block and a note saying what was left out.
    """
    seen = matrix.notna().to_numpy()
    full = matrix.loc[:, seen.all(axis=0)]
    if full.shape[1] >= 2:
        if full.shape[1] == matrix.shape[1]:
            return full, ""
        return full, _("over the {n} of {total} teams every juror saw").format(
            n=full.shape[1], total=matrix.shape[1]
        )
    blocks = [_grown_block(seen, seed) for seed in range(len(seen))]
    jurors, teams = max(
        blocks,
        key=lambda b: (len(b[0]) * int(b[1].sum()), int(b[1].sum())),
        default=([], np.zeros(0, dtype=bool)),
    )
    if len(jurors) < 2:
        return matrix.iloc[:0, :0], _("fewer than 2 teams were seen by 2 or more jurors in common")
    chosen = matrix.index[sorted(jurors)]
    left = len(matrix) - len(chosen)
    common = full.shape[1]
    note = _(
        "{common}; used the largest complete block found: {teams} teams marked by {jurors} "
        "jurors ({names}); {left_out}"
    ).format(
        common=(
            ngettext(
                "only {n} team was seen by every juror",
                "only {n} teams were seen by every juror",
                common,
            ).format(n=common)
            if common
            else _("no team was seen by every juror")
        ),
        teams=int(teams.sum()),
        jurors=len(chosen),
        names=_names(chosen),
        left_out=ngettext("{n} other juror left out", "{n} other jurors left out", left).format(
            n=left
        ),
    )
    return matrix.loc[chosen, teams], note


def _names(names: pd.Index, limit: int = 10) -> str:
    shown = ", ".join(str(name) for name in names[:limit])
    return shown + (", …" if len(names) > limit else "")


def _grown_block(seen: np.ndarray, seed: int) -> tuple[list[int], np.ndarray]:
    """Best block (jurors, teams mask) met while growing greedily from juror ``seed``: the
    most marks, then the most teams. Growing goes on while the marks do not decrease (a block
    of as many marks can lead to a larger one), but a block of as many marks and fewer teams
    does not replace the best."""
    jurors, teams = [seed], seen[seed].copy()
    best: tuple[list[int], np.ndarray] = ([], np.zeros_like(teams))
    best_size = (0, 0)
    while len(jurors) < len(seen):
        overlap = (seen & teams).sum(axis=1)
        overlap[jurors] = -1
        candidate = int(np.argmax(overlap))
        cells = (len(jurors) + 1) * int(overlap[candidate])
        if overlap[candidate] < 2 or (len(jurors) >= 2 and cells < len(jurors) * teams.sum()):
            break
        jurors, teams = [*jurors, candidate], teams & seen[candidate]
        if (cells, int(teams.sum())) > best_size:
            best, best_size = (jurors, teams.copy()), (cells, int(teams.sum()))
    return best


def agreement(
    juror_totals: pd.DataFrame, rubric_of: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Agreement statistics of the jurors' weighted totals per team.

    Parameters
    ----------
    juror_totals : DataFrame
        Long frame with columns JUROR, TEAM and TOTAL (one row per juror and team).
    rubric_of : mapping, optional
        Team id -> the rubric it is judged on (its challenge's own, or the main one): a
        statistic computed on teams of several rubrics compares totals of different scales,
        and its note says so.

    Returns
    -------
    DataFrame
        One row per statistic with columns ``statistic``, ``value``, ``teams`` and ``jurors``
        (how many were used) and ``note`` (a translated caveat, or "").

    Examples
    --------
    >>> totals = pd.DataFrame({JUROR: ["a", "a", "b", "b"], TEAM: ["x", "y", "x", "y"],
    ...                        TOTAL: [1.0, 2.0, 1.0, 2.0]})
    >>> float(agreement(totals).set_index(STATISTIC).loc[KENDALL_W, VALUE])
    1.0
    """
    return _agreement_of(juror_team_matrix(juror_totals, TOTAL), rubric_of or {})


def agreement_by_criterion(marks: pd.DataFrame) -> pd.DataFrame:
    """:func:`agreement` of the raw marks, one block of rows per criterion (column CRITERION).

    Examples
    --------
    >>> marks = pd.DataFrame({JUROR: ["a", "a", "b", "b"], TEAM: ["x", "y", "x", "y"],
    ...                       CRITERION: "c", SCORE: [1.0, 2.0, 2.0, 1.0]})
    >>> float(agreement_by_criterion(marks).set_index(STATISTIC).loc[KENDALL_W, VALUE])
    0.0
    """
    frames = [
        _agreement_of(juror_team_matrix(group, SCORE)).assign(**{CRITERION: criterion})
        for criterion, group in marks.groupby(CRITERION, sort=False)
    ]
    columns = [CRITERION, STATISTIC, VALUE, TEAMS, JURORS, NOTE]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )


def _agreement_of(matrix: pd.DataFrame, rubric_of: Mapping[str, str] | None = None) -> pd.DataFrame:
    block, note = complete_block(matrix)
    note = _mixed_rubrics(note, block.columns, rubric_of or {})
    teams, jurors = block.shape[1], block.shape[0]
    rows = [(KENDALL_W, kendall_w(block.to_numpy()), teams, jurors, note)]
    for name, value in icc(block.to_numpy()).itertuples(index=False):
        rows.append((name, value, teams, jurors, note))
    pairable = matrix.notna().sum(axis=0) >= 2
    alpha_note = (
        ""
        if pairable.all()
        else _("teams marked by a single juror cannot be compared and are left out")
    )
    alpha_note = _mixed_rubrics(alpha_note, matrix.columns[pairable.to_numpy()], rubric_of or {})
    alpha_jurors = int(matrix.loc[:, pairable].notna().any(axis=1).sum())
    # One team alone: alpha is 0 whatever the marks (no spread between teams to agree on),
    # which would read as "no more than chance"; not defined, as the other statistics.
    rows.append(
        (
            KRIPPENDORFF_ALPHA,
            krippendorff_alpha_interval(matrix.to_numpy()) if pairable.sum() >= 2 else math.nan,
            int(pairable.sum()),
            alpha_jurors,
            alpha_note,
        )
    )
    flat = (
        _flat(block.to_numpy()),
        _flat(matrix.loc[:, pairable].to_numpy()),
    )
    return pd.DataFrame(
        [
            (*row[:4], _why_undefined(*row[1:], flat=flat[row[0] == KRIPPENDORFF_ALPHA]))
            for row in rows
        ],
        columns=[STATISTIC, VALUE, TEAMS, JURORS, NOTE],
    )


def _mixed_rubrics(note: str, teams: Iterable[object], rubric_of: Mapping[str, str]) -> str:
    """``note``, and when ``teams`` are judged on several rubrics, a caveat saying so."""
    rubrics = {rubric_of[str(team)] for team in teams if str(team) in rubric_of}
    if len(rubrics) < 2:
        return note
    caveat = _(
        "these teams are judged on {n} different rubrics (their challenges'), so this value "
        "compares totals of different criteria"
    ).format(n=len(rubrics))
    return f"{note}; {caveat}" if note else caveat


def _flat(values: np.ndarray) -> bool:
    """Whether the marks (missing ones aside) are all the same."""
    present = values[~np.isnan(values)]
    return present.size > 0 and bool(np.all(present == present[0]))


def _why_undefined(value: float, teams: int, jurors: int, note: str, *, flat: bool) -> str:
    """``note``, and for a statistic that could not be computed, why (for the report)."""
    if not math.isnan(value) or (note and min(teams, jurors) < 2):
        return note  # a value, or a note that already says which block was missing
    if jurors < 2:
        reason = _("needs marks of at least 2 jurors on the same teams")
    elif teams < 2:
        reason = _("needs at least 2 teams marked by the same jurors")
    elif flat:
        reason = _("cannot be computed from these marks: they do not vary")
    else:
        reason = _("not defined for these marks (its formula divides by zero)")
    return f"{note}; {reason}" if note else reason
