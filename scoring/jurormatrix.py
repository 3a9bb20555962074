"""The jurors × teams matrix of a jury's marks, and the complete block of it an ICC can use.

Kendall's W and the ICCs (:mod:`scoring.coefficients`) need a complete matrix, and jurors
rarely all mark every team: :func:`complete_block` takes the teams that every juror saw, or,
when fewer than two such teams exist, the largest complete block it finds, and says in a note
what was left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.columns import JUROR, TEAM, TOTAL
from scoring.i18n import gettext as _
from scoring.i18n import ngettext


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
    jurors, teams = _largest_block(seen)
    if len(jurors) < 2:
        return matrix.iloc[:0, :0], _("fewer than 2 teams were seen by 2 or more jurors in common")
    chosen = matrix.index[sorted(jurors)]
    note = _block_note(chosen, int(teams.sum()), len(matrix) - len(chosen), full.shape[1])
    return matrix.loc[chosen, teams], note


def _largest_block(seen: np.ndarray) -> tuple[list[int], np.ndarray]:
    """The block (jurors, teams mask) with the most marks, then the most teams, among those
    grown from each juror in turn."""
    blocks = [_grown_block(seen, seed) for seed in range(len(seen))]
    return max(
        blocks,
        key=lambda b: (len(b[0]) * int(b[1].sum()), int(b[1].sum())),
        default=([], np.zeros(0, dtype=bool)),
    )


def _block_note(chosen: pd.Index, teams: int, left: int, common: int) -> str:
    """What the largest block is (``teams`` marked by the ``chosen`` jurors), beside the
    ``common`` teams every juror saw and the ``left`` jurors left out."""
    return _(
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
        teams=teams,
        jurors=len(chosen),
        names=_names(chosen),
        left_out=ngettext("{n} other juror left out", "{n} other jurors left out", left).format(
            n=left
        ),
    )


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
