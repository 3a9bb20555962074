"""The agreement table of a jury: Kendall's W, the six Shrout & Fleiss ICCs, Krippendorff's alpha.

Every statistic reads a *jurors × teams* matrix (NaN where a juror did not mark a team).
Kendall's W and the ICCs need a complete matrix, so :func:`agreement` computes them on the
teams that every juror saw (or, when fewer than two such teams exist, on the largest complete
block it finds); Krippendorff's alpha allows missing marks and uses every mark. The formulas
are in :mod:`scoring.coefficients`, the matrix and its complete block in
:mod:`scoring.jurormatrix`; here they become one row per statistic, with a note saying which
teams a value was computed on and why a value is missing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from scoring.coefficients import (
    STATISTIC,
    VALUE,
    icc,
    kendall_w,
    krippendorff_alpha_interval,
)
from scoring.columns import CRITERION, SCORE, TOTAL
from scoring.i18n import gettext as _
from scoring.jurormatrix import complete_block, juror_team_matrix

TEAMS = "teams"
JURORS = "jurors"
NOTE = "note"

KENDALL_W = "kendall_w"
KRIPPENDORFF_ALPHA = "krippendorff_alpha_interval"


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
    >>> from scoring.columns import JUROR, TEAM
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
    >>> from scoring.columns import JUROR, TEAM
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
    rows = _block_rows(block, note)
    pairable = matrix.notna().sum(axis=0) >= 2
    rows.append(_alpha_row(matrix, pairable, rubric_of or {}))
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


def _block_rows(block: pd.DataFrame, note: str) -> list[tuple[str, float, int, int, str]]:
    """The rows of Kendall's W and the ICCs, all computed on the complete ``block``."""
    teams, jurors = block.shape[1], block.shape[0]
    rows = [(KENDALL_W, kendall_w(block.to_numpy()), teams, jurors, note)]
    for name, value in icc(block.to_numpy()).itertuples(index=False):
        rows.append((name, value, teams, jurors, note))
    return rows


def _alpha_row(
    matrix: pd.DataFrame, pairable: pd.Series, rubric_of: Mapping[str, str]
) -> tuple[str, float, int, int, str]:
    """The row of Krippendorff's alpha, computed on every mark of the ``pairable`` teams."""
    alpha_note = (
        ""
        if pairable.all()
        else _("teams marked by a single juror cannot be compared and are left out")
    )
    alpha_note = _mixed_rubrics(alpha_note, matrix.columns[pairable.to_numpy()], rubric_of)
    alpha_jurors = int(matrix.loc[:, pairable].notna().any(axis=1).sum())
    # One team alone: alpha is 0 whatever the marks (no spread between teams to agree on),
    # which would read as "no more than chance"; not defined, as the other statistics.
    return (
        KRIPPENDORFF_ALPHA,
        krippendorff_alpha_interval(matrix.to_numpy()) if pairable.sum() >= 2 else math.nan,
        int(pairable.sum()),
        alpha_jurors,
        alpha_note,
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
