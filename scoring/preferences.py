"""Rank methods: Borda and Copeland over each juror's order of the teams they scored.

Jurors usually see different numbers of teams, so both scores are normalised to a fixed
range before they are combined; the exact formulas are in each function's docstring. Marks
within 1e-9 of each other count as equal (a tie in that juror's order).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.columns import CRITERION, JUROR, SCORE, TEAM
from scoring.config import Method
from scoring.methods import GROUP, Aggregated, comparable

# Jurors compared at once in Copeland's pairwise counts: bounds memory to ~16 MB per block.
_PAIR_CELLS = 16_000_000


def borda(marks: pd.DataFrame, method: Method) -> Aggregated:
    """Normalised Borda points, averaged over the jurors who scored the team.

    A juror who scored ``n`` teams gives the team in position ``p`` (1 = best)
    ``(n - p) / (n - 1)`` points: 1 for their best, 0 for their worst, whatever ``n``.
    Teams tied in a juror's order share the points of the positions they occupy (their
    average). The team's score is the mean of its points over the jurors who scored it,
    so it lies between 0 and 1; classic Borda points (``n - p`` summed over jurors who all
    saw the same ``n`` teams) are ``score * (n - 1) * jurors``. A juror who scored a single
    team has no order and gives no points.

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": ["a"] * 3 + ["b"] * 2, "team": ["R", "S", "T", "R", "S"],
    ...                       "criterion": ["total"] * 5, "score": [9.0, 5.0, 1.0, 4.0, 6.0]})
    >>> borda(marks, Method(name="borda")).panel[SCORE].tolist()
    [0.5, 0.75, 0.0]
    """
    groups = marks.assign(**{SCORE: comparable(marks[SCORE])}).groupby(
        [CRITERION, JUROR], sort=False
    )[SCORE]
    seen = groups.transform("size")
    position = groups.rank(method="average", ascending=False)
    points = ((seen - position) / (seen - 1)).where(seen > 1)
    panel = (
        marks[GROUP].assign(**{SCORE: points}).groupby(GROUP, sort=True)[SCORE].mean().reset_index()
    )
    return Aggregated(panel, marks[SCORE])


def copeland(marks: pd.DataFrame, method: Method) -> Aggregated:
    """Copeland score: pairwise contests won minus lost, over the contests the team had.

    For each pair of teams, the jurors who scored both decide the contest: the team more of
    them placed higher wins (equal numbers: a drawn contest). A pair no juror scored together
    is not a contest. The team's score is ``(contests won - contests lost) / contests``,
    between -1 (lost every contest) and 1 (won every one); a team with no contest gets NaN.
    Counting per juror instead of per contest would just be Borda again; the majority
    contest is what distinguishes Copeland's method.

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": ["a"] * 3 + ["b"] * 2, "team": ["R", "S", "T", "R", "S"],
    ...                       "criterion": ["total"] * 5, "score": [9.0, 5.0, 1.0, 4.0, 6.0]})
    >>> copeland(marks, Method(name="copeland")).panel[SCORE].tolist()
    [0.5, 0.5, -1.0]
    """
    panels = [
        _copeland_criterion(group, criterion)
        for criterion, group in marks.groupby(CRITERION, sort=True)
    ]
    panel = (
        pd.concat(panels, ignore_index=True).sort_values(GROUP, ignore_index=True)
        if panels
        else pd.DataFrame(columns=[*GROUP, SCORE])
    )
    return Aggregated(panel, marks[SCORE])


def _copeland_criterion(marks: pd.DataFrame, criterion: object) -> pd.DataFrame:
    teams, values = _juror_team_table(marks)
    preferred = _pairwise_preferences(values)
    # Integer matmul: exact counts, and no BLAS threads competing on a busy machine.
    seen = (~np.isnan(values)).astype(np.int64)
    contested = (seen.T @ seen) > 0
    np.fill_diagonal(contested, False)
    net = np.sign(preferred - preferred.T)
    contests = contested.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(contests > 0, net.sum(axis=1) / contests, np.nan)
    return pd.DataFrame({TEAM: teams, CRITERION: criterion, SCORE: score})


def _juror_team_table(marks: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The teams (sorted) and a jurors x teams table of marks, NaN where not scored."""
    juror_codes, jurors = pd.factorize(marks[JUROR])
    team_codes, teams = pd.factorize(marks[TEAM], sort=True)
    cells = juror_codes * len(teams) + team_codes
    size = len(jurors) * len(teams)
    sums = np.bincount(cells, weights=marks[SCORE].to_numpy(dtype=float), minlength=size)
    counts = np.bincount(cells, minlength=size)
    with np.errstate(invalid="ignore"):
        table = np.where(counts > 0, sums / counts, np.nan).reshape(len(jurors), len(teams))
    return np.asarray(teams), comparable(table)


def _pairwise_preferences(values: np.ndarray) -> np.ndarray:
    """``[a, b]`` = how many jurors (rows) scored team a higher than team b (NaN: not seen)."""
    n_jurors, n_teams = values.shape
    block = max(1, _PAIR_CELLS // max(1, n_teams * n_teams))
    preferred = np.zeros((n_teams, n_teams))
    for start in range(0, n_jurors, block):
        chunk = values[start : start + block]
        preferred += (chunk[:, :, None] > chunk[:, None, :]).sum(axis=0)
    return preferred
