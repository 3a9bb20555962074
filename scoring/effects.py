"""Judge effects: the additive model score = overall + team effect + juror effect.

Fitted by least squares per criterion, with team effects summing to zero and juror effects
summing to zero (unweighted sums), as in the analysis of an incomplete block design with
teams as treatments and jurors as blocks. A team's score is overall + team effect: the mark
an average juror (effect zero) would have given. The normal equations are solved exactly
(no iteration): the team effects are eliminated, leaving a jurors x jurors system
(the "reduced normal equations" of block designs) solved by sparse LU.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.columns import CRITERION, JUROR, SCORE, TEAM
from scoring.config import Method
from scoring.errors import MethodError, Problem
from scoring.i18n import gettext as _
from scoring.i18n import join_items, ngettext
from scoring.methods import Aggregated


def judge_effects(marks: pd.DataFrame, method: Method, *, shown_only: bool = False) -> Aggregated:
    """Team scores adjusted for each juror's severity or leniency, per criterion.

    Works when jurors saw different subsets of teams, as long as every juror is linked to
    every other through shared teams. The normalised mark is ``mark - juror effect``.
    With ``shown_only`` (criteria shown beside a ranking of the jurors' totals, the
    juror-first order), a criterion whose marks fall into separate groups is left out of the
    panel, its normalised marks missing, with a warning, instead of refused.

    Raises
    ------
    MethodError
        When the team-juror graph of a criterion falls into separate groups (unless
        ``shown_only``); the message names which jurors and teams form each group, for every
        criterion at once.

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": ["a", "a", "b", "b"], "team": ["S", "T"] * 2,
    ...                       "criterion": ["impact"] * 4, "score": [6.0, 8.0, 4.0, 6.0]})
    >>> judge_effects(marks, Method(name="judge_effects")).panel[SCORE].tolist()
    [5.0, 7.0]
    """
    panels, normalised, problems = [], [], []
    separate: dict[tuple[int, str], list[str]] = {}  # (count, groups) -> criteria split so
    for criterion, group in marks.groupby(CRITERION, sort=True):
        try:
            team_scores, juror_effect = _fit(group)
        except _Separate as split:
            separate.setdefault(split.groups, []).append(str(criterion))
            continue
        panels.append(
            pd.DataFrame(
                {TEAM: team_scores.index, CRITERION: criterion, SCORE: team_scores.to_numpy()}
            )
        )
        normalised.append(group[SCORE] - juror_effect.reindex(group[JUROR]).to_numpy())
        problems.extend(_few_marks(group, method.min_marks, str(criterion)))
    if separate and not shown_only:
        raise MethodError(
            " ".join(_refusal(criteria, *split) for split, criteria in separate.items())
        )
    problems.extend(_left_empty(criteria, *split) for split, criteria in separate.items())
    panel = (
        pd.concat(panels, ignore_index=True)
        if panels
        else pd.DataFrame(columns=[TEAM, CRITERION, SCORE])
    )
    index = marks.index
    series = pd.concat(normalised).reindex(index) if normalised else marks[SCORE] * np.nan
    return Aggregated(panel, series, tuple(problems))


def _refusal(criteria: list[str], count: int, groups: str) -> str:
    return ngettext(
        "judge_effects cannot compare jurors who share no teams: on criterion {criteria} the "
        "marks fall into {count} separate groups ({groups}). Have some jurors score teams of "
        "the other group, or choose another method.",
        "judge_effects cannot compare jurors who share no teams: on criteria {criteria} the "
        "marks fall into {count} separate groups ({groups}). Have some jurors score teams of "
        "the other group, or choose another method.",
        len(criteria),
    ).format(criteria=", ".join(criteria), count=count, groups=groups)


def _left_empty(criteria: list[str], count: int, groups: str) -> Problem:
    message = ngettext(
        "the column of criterion {criteria} is left empty: judge_effects cannot compare the "
        "jurors on it, whose marks on it fall into {count} separate groups ({groups}); the "
        "ranking comes from the jurors' weighted totals, which link them all",
        "the columns of criteria {criteria} are left empty: judge_effects cannot compare the "
        "jurors on them, whose marks on them fall into {count} separate groups ({groups}); "
        "the ranking comes from the jurors' weighted totals, which link them all",
        len(criteria),
    ).format(criteria=", ".join(criteria), count=count, groups=groups)
    return Problem("warning", "separate_groups", message)


def fit_criterion(marks: pd.DataFrame, criterion: str) -> tuple[pd.Series, pd.Series]:
    """Least-squares fit of one criterion: (overall + team effect per team, juror effects).

    Examples
    --------
    >>> marks = pd.DataFrame({"juror": ["a", "a", "b"], "team": ["S", "T", "S"],
    ...                       "score": [6.0, 8.0, 4.0]})
    >>> teams, jurors = fit_criterion(marks, "impact")
    >>> teams.tolist(), jurors.tolist()
    ([5.0, 7.0], [1.0, -1.0])
    """
    try:
        return _fit(marks)
    except _Separate as split:
        raise MethodError(_refusal([criterion], *split.groups)) from None


Split = tuple[int, str]  # how many separate groups, and the groups in words


class _Separate(Exception):
    """The marks fall into separate groups (see :func:`_separate_groups`): no fit."""

    def __init__(self, groups: Split) -> None:
        super().__init__(groups)
        self.groups = groups


def _fit(marks: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The fit of one criterion's marks (see :func:`fit_criterion`); _Separate when they fall
    into separate groups."""
    # scipy.sparse costs a third of a second to import: only this method pays for it.
    from scipy.sparse import csr_matrix, diags
    from scipy.sparse.linalg import spsolve

    team_codes, teams = pd.factorize(marks[TEAM], sort=True)
    juror_codes, jurors = pd.factorize(marks[JUROR], sort=True)
    split = _separate_groups(team_codes, juror_codes, teams, jurors)
    if split is not None:
        raise _Separate(split)
    y = marks[SCORE].to_numpy(dtype=float)
    n_teams, n_jurors = len(teams), len(jurors)
    incidence = csr_matrix(
        (np.ones(len(y)), (team_codes, juror_codes)), shape=(n_teams, n_jurors)
    )  # duplicates are summed: N[i, j] = marks of juror j for team i
    team_counts = np.asarray(incidence.sum(axis=1)).ravel()
    juror_counts = np.asarray(incidence.sum(axis=0)).ravel()
    team_sums = np.bincount(team_codes, weights=y, minlength=n_teams)
    juror_sums = np.bincount(juror_codes, weights=y, minlength=n_jurors)
    # Reduced normal equations for the juror effects b: C b = q, C = D_j - N' D_t^-1 N.
    scaled = diags(1.0 / team_counts) @ incidence
    reduced = (diags(juror_counts) - incidence.T @ scaled).tocsc()
    adjusted = juror_sums - scaled.T @ team_sums
    # C is singular along the all-ones vector (connected design: only along it), so fixing
    # the last juror's effect at 0 leaves a regular system; centring afterwards gives the
    # sum-to-zero solution. Sparse LU: exact, and free of BLAS threads on a busy machine.
    effect = np.zeros(n_jurors)
    if n_jurors > 1:
        effect[:-1] = np.atleast_1d(spsolve(reduced[:-1, :-1], adjusted[:-1]))
    juror_effect = effect - effect.mean()
    team_score = (team_sums - incidence @ juror_effect) / team_counts
    return (
        pd.Series(team_score, index=pd.Index(teams, name=TEAM)),
        pd.Series(juror_effect, index=pd.Index(jurors, name=JUROR)),
    )


def _separate_groups(
    team_codes: np.ndarray, juror_codes: np.ndarray, teams: pd.Index, jurors: pd.Index
) -> Split | None:
    """None when every juror is linked to every other through the teams they scored (the
    marks' codes, as factorised); else the number of separate groups and the groups in words
    (their jurors and teams)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n_teams = len(teams)
    size = n_teams + len(jurors)
    edges = coo_matrix(
        (np.ones(len(team_codes)), (team_codes, n_teams + juror_codes)), shape=(size, size)
    )
    count, labels = connected_components(edges, directed=False)
    if count <= 1:
        return None
    groups = join_items(
        _("group {number}: jurors {jurors}; teams {teams}").format(
            number=number + 1,
            jurors=", ".join(map(str, jurors[labels[n_teams:] == number])),
            teams=", ".join(map(str, teams[labels[:n_teams] == number])),
        )
        for number in range(count)
    )
    return count, groups


def _few_marks(marks: pd.DataFrame, min_marks: int, criterion: str) -> list[Problem]:
    counts = marks.groupby(JUROR, sort=True).size()
    return [
        Problem(
            "warning",
            "judge-effects-few-marks",
            ngettext(
                "Juror {juror} has {count} mark on {criterion}, fewer than min_marks = "
                "{min_marks}: their juror effect rests on few marks.",
                "Juror {juror} has {count} marks on {criterion}, fewer than min_marks = "
                "{min_marks}: their juror effect rests on few marks.",
                int(count),
            ).format(juror=juror, count=count, criterion=criterion, min_marks=min_marks),
        )
        for juror, count in counts[counts < min_marks].items()
    ]
