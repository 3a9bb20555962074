"""Ranks, tie-breaks and the notes that explain them.

Higher totals rank better; equal totals share the best rank of the group ('min' ranks:
1, 2, 2, 4). The rubric's tie-breaks, in order, separate teams with equal totals; teams
still equal after all of them share the rank, and the TIE_NOTE column says so.
Totals that agree to 9 decimals (to 12 significant digits past 1000) are equal, so float noise
never decides a rank (see :func:`scoring.methods.comparable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import numpy as np
import pandas as pd

from scoring.columns import JUROR, RANK, TEAM, TIE_NOTE, TOTAL
from scoring.config import Config
from scoring.errors import MethodError
from scoring.i18n import get_language, join_items
from scoring.i18n import gettext as _
from scoring.methods import comparable


def rank_totals(totals: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Rank totals, highest first, equal totals sharing the best rank; missing totals last.

    A DataFrame is ranked column by column (e.g. one column per bootstrap sample).

    Examples
    --------
    >>> rank_totals(pd.Series([7.0, 9.0, 7.0, 3.0], index=list("ABCD"))).tolist()
    [2, 1, 2, 4]
    """
    ranks = comparable(totals.astype(float)).rank(method="min", ascending=False, na_option="bottom")
    return ranks.astype(np.int64)


def tie_break_label(tie_break: str, config: Config) -> str:
    """The tie-break as the ranking's notes name it, in the current language.

    A criterion is named by its label in the current language (the rubric's labels fall back
    to English), not in the rubric's default language: ``--lang fr`` gives French notes.

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Criterion, Scale
    >>> impact = Criterion("impact", {"en": "Impact"}, Decimal(1), Scale(Decimal(0), Decimal(10)))
    >>> tie_break_label("criterion:impact", Config(criteria=(impact,)))
    'criterion Impact'
    >>> tie_break_label("median", Config(criteria=(impact,)))
    "median of the jurors' totals"
    """
    if tie_break.startswith("criterion:"):
        criterion_id = tie_break.split(":", 1)[1]
        labels = {c.id: c.label(get_language()) for c in config.all_criteria()}
        return _("criterion {label}").format(label=labels.get(criterion_id, criterion_id))
    names = {
        "median": _("median of the jurors' totals"),
        "first_places": _("first places"),
        "min": _("lowest juror total"),
        "max": _("highest juror total"),
    }
    return names.get(tie_break, tie_break)


def tie_break_keys(
    tie_breaks: tuple[str, ...], criteria: pd.DataFrame, juror_totals: pd.DataFrame
) -> pd.DataFrame:
    """One column per tie-break (higher wins), indexed by team.

    Parameters
    ----------
    tie_breaks : tuple of str
        ``criterion:<id>`` (the team's panel score on that criterion), ``median``, ``min``
        or ``max`` of the jurors' weighted totals, ``first_places`` (jurors who put the team
        first, ties for first included, among the teams they scored).
    criteria : DataFrame
        Panel scores, one column per criterion id, indexed by team.
    juror_totals : DataFrame
        JUROR, TEAM, TOTAL.

    Examples
    --------
    >>> totals = pd.DataFrame({"juror": ["a", "a", "b"], "team": ["S", "T", "S"],
    ...                        "score": [4.0, 6.0, 5.0]})
    >>> tie_break_keys(("first_places",), pd.DataFrame(index=["S", "T"]), totals)
    ... # doctest: +NORMALIZE_WHITESPACE
       first_places
    S           1.0
    T           1.0
    """
    by_team = juror_totals.groupby(TEAM)[TOTAL]
    top = rank_totals_within(juror_totals) == 1
    keys = {}
    for tie_break in tie_breaks:
        if tie_break.startswith("criterion:"):
            criterion_id = tie_break.split(":", 1)[1]
            if criterion_id not in criteria.columns:
                raise MethodError(
                    _(
                        "Tie-break {tie_break} names no criterion of the rubric; write "
                        "criterion:<id> with the id of one of its criteria."
                    ).format(tie_break=tie_break)
                )
            keys[tie_break] = criteria[criterion_id]
        elif tie_break in ("median", "min", "max"):
            keys[tie_break] = by_team.agg(tie_break)
        elif tie_break == "first_places":
            keys[tie_break] = top.groupby(juror_totals[TEAM]).sum().astype(float)
        else:
            raise MethodError(
                _(
                    "Unknown tie-break {tie_break}; use criterion:<id>, median, "
                    "first_places, min or max."
                ).format(tie_break=tie_break)
            )
    return pd.DataFrame(keys, index=criteria.index).reindex(criteria.index)


def rank_totals_within(juror_totals: pd.DataFrame) -> pd.Series:
    """Each juror's rank of the teams they scored ('min' ranks, highest total first).

    Examples
    --------
    >>> totals = pd.DataFrame({"juror": ["a", "a", "b"], "team": ["S", "T", "S"],
    ...                        "score": [4.0, 6.0, 5.0]})
    >>> rank_totals_within(totals).tolist()
    [2, 1, 1]
    """
    return (
        comparable(juror_totals[TOTAL])
        .groupby(juror_totals[JUROR])
        .rank(method="min", ascending=False)
        .astype(np.int64)
    )


def rank_with_tie_breaks(
    totals: pd.Series, keys: pd.DataFrame, labels: Mapping[str, str]
) -> pd.DataFrame:
    """RANK and TIE_NOTE per team: totals first, then each tie-break column in order.

    Parameters
    ----------
    totals : Series
        The teams' totals, indexed by team.
    keys : DataFrame
        Tie-break values (higher wins), indexed by team, columns in the rubric's order.
    labels : Mapping
        Column of ``keys`` -> its name in the notes.

    Examples
    --------
    >>> totals = pd.Series([8.0, 8.0, 8.0, 5.0], index=list("ABCD"))
    >>> keys = pd.DataFrame({"median": [7.0, 7.0, 9.0, 1.0]}, index=list("ABCD"))
    >>> ranked = rank_with_tie_breaks(totals, keys, {"median": "median"})
    >>> ranked["rank"].tolist()
    [2, 2, 1, 4]
    >>> ranked.loc["A", "tie_note"]
    'tied with B after all tie-breaks; behind C by tie-break: median'
    """
    values = (
        np.column_stack([totals.to_numpy(dtype=float), keys.to_numpy(dtype=float)])
        if len(keys.columns)
        else totals.to_numpy(dtype=float)[:, None]
    )
    # A missing total loses every comparison, as does a missing tie-break value that decides
    # nothing (see _skip_undecidable); the team name orders teams that share a rank.
    values = comparable(values)
    values[:, 0] = np.nan_to_num(values[:, 0], nan=-np.inf)
    values, skipped = _skip_undecidable(values)
    values = np.nan_to_num(values, nan=-np.inf)
    names = totals.index.astype(str).to_numpy()
    order = np.lexsort(
        (names, *(-values[:, column] for column in reversed(range(values.shape[1]))))
    )
    ordered = values[order]
    changed = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.maximum.accumulate(np.where(changed, np.arange(1, len(order) + 1), 0))
    notes = _tie_notes(ordered, names[order], list(keys.columns), labels, skipped[order])
    return pd.DataFrame(
        {RANK: rank, TIE_NOTE: pd.Series(notes, index=order).sort_index().to_numpy(dtype=object)},
        index=totals.index,
    )


def _skip_undecidable(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values`` (totals, then each tie-break) with each tie-break left out for the teams
    it cannot compare, and where it was: in a group of teams equal so far, a tie-break that
    some of them have no value for (a criterion outside a team's own rubric) decides nothing
    for that group, and the next one is tried. A missing value would otherwise lose the
    comparison: a team ahead of another on a criterion the other was never scored on.

    Examples
    --------
    >>> nan = float("nan")
    >>> kept, skipped = _skip_undecidable(
    ...     np.array([[7.0, 8.0, 1.0], [7.0, nan, 2.0], [5.0, nan, 3.0]])
    ... )
    >>> kept
    array([[ 7.,  0.,  1.],
           [ 7.,  0.,  2.],
           [ 5., nan,  3.]])
    >>> skipped[:, 1].tolist()
    [True, True, False]
    """
    values = values.copy()
    skipped = np.zeros(values.shape, dtype=bool)
    for column in range(1, values.shape[1]):
        _groups, group_of = np.unique(values[:, :column], axis=0, return_inverse=True)
        group_of = group_of.reshape(-1)
        missing = np.isnan(values[:, column])
        undecidable = np.bincount(group_of, weights=missing) > 0
        sizes = np.bincount(group_of)
        skip = (undecidable & (sizes > 1))[group_of]
        values[skip, column] = 0.0
        # Said only where some of the group have a value: a criterion none of them is scored
        # on (another challenge's) was never theirs to apply.
        some = (np.bincount(group_of, weights=~missing) > 0)[group_of]
        skipped[:, column] = skip & some
    return values, skipped


def _tie_notes(
    ordered: np.ndarray,
    names: np.ndarray,
    tie_breaks: list[str],
    labels: Mapping[str, str],
    skipped: np.ndarray,
) -> list[str]:
    """The note of each team (in sorted order); empty unless its total equals another's.
    ``skipped``: the tie-breaks left out for each team's group (see _skip_undecidable)."""
    notes = [""] * len(names)
    starts = np.flatnonzero(np.r_[True, ordered[1:, 0] != ordered[:-1, 0], True])
    for start, stop in pairwise(starts):
        if stop - start < 2:
            continue
        group = ordered[start:stop]
        differs = group[:, None, :] != group[None, :, :]
        decided = differs.argmax(axis=2)
        for i in range(stop - start):
            note = _note_for(
                i, group, names[start:stop], differs.any(axis=2)[i], decided[i], tie_breaks, labels
            )
            left_out = [
                # Translators: a tie-break the tied teams could not all be compared on.
                _("{tie_break} not applied: some of the tied teams are not scored on it").format(
                    tie_break=labels.get(tie_breaks[column - 1], tie_breaks[column - 1])
                )
                for column in np.flatnonzero(skipped[start + i])
            ]
            notes[start + i] = join_items([note, *left_out])
    return notes


def _note_for(
    i: int,
    group: np.ndarray,
    names: np.ndarray,
    separated: np.ndarray,
    decided: np.ndarray,
    tie_breaks: list[str],
    labels: Mapping[str, str],
) -> str:
    """The note of team ``i``: who it stays tied with, then whom each tie-break put it
    ahead of or behind, in the rubric's order of tie-breaks."""
    tied: list[str] = []
    ahead: dict[int, list[str]] = {}
    behind: dict[int, list[str]] = {}
    for j, other in enumerate(names):
        if j == i:
            continue
        if not separated[j]:
            tied.append(str(other))
            continue
        side = ahead if group[i, decided[j]] > group[j, decided[j]] else behind
        side.setdefault(int(decided[j]), []).append(str(other))
    parts = []
    if tied:
        text = _("tied with {teams} after all tie-breaks") if tie_breaks else _("tied with {teams}")
        parts.append(text.format(teams=", ".join(tied)))
    for text, side in (
        (_("ahead of {teams} by tie-break: {tie_break}"), ahead),
        (_("behind {teams} by tie-break: {tie_break}"), behind),
    ):
        for column in sorted(side):
            tie_break = tie_breaks[column - 1]
            parts.append(
                text.format(
                    teams=", ".join(side[column]), tie_break=labels.get(tie_break, tie_break)
                )
            )
    return join_items(parts)
