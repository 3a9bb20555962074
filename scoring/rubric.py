"""The rubric as a frame: which criteria, with which weights, apply to each team.

A team's challenge (the marks' CHALLENGE column, when present) picks the challenge's own
rubric if the configuration has one, else the main rubric. Lookups per mark go through the
category codes of TEAM and CRITERION, so they cost no string hashing.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from scoring.columns import (
    CHALLENGE,
    CRITERION,
    RANKING_OWN,
    TEAM,
)
from scoring.config import Config
from scoring.errors import MethodError, Problem
from scoring.i18n import gettext as _
from scoring.i18n import join_items
from scoring.numbers import rubric_text

WEIGHT = "weight"
INDEPENDENT = "independent"


def team_rubric(marks: pd.DataFrame, config: Config) -> pd.DataFrame:
    """TEAM, CHALLENGE, CRITERION, WEIGHT, INDEPENDENT: the criteria that apply to each team.

    Parameters
    ----------
    marks : DataFrame
        Marks with categorical TEAM and CRITERION (and optionally CHALLENGE).
    config : Config
        The rubric, and the challenges' own rubrics.

    Raises
    ------
    MethodError
        When a criterion id is also a column of the ranking (e.g. ``rank``).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Criterion, Scale
    >>> impact = Criterion("impact", {}, Decimal(2), Scale(Decimal(0), Decimal(10)))
    >>> marks = pd.DataFrame({"team": ["T"], "criterion": ["impact"]}, dtype="category")
    >>> team_rubric(marks, Config(criteria=(impact,)))[["team", "criterion", "weight"]]
      team criterion  weight
    0    T    impact     2.0
    """
    collisions = {c.id for c in config.all_criteria()} & set(RANKING_OWN)
    if collisions:
        raise MethodError(
            _("Criterion id {ids} is also a column of the ranking; rename it.").format(
                ids=", ".join(sorted(collisions))
            )
        )
    teams = team_challenges(marks)
    rows = [
        {CHALLENGE: challenge, CRITERION: c.id, WEIGHT: float(c.weight), INDEPENDENT: c.independent}
        for challenge in teams[CHALLENGE].drop_duplicates()
        for c in config.criteria_for(None if pd.isna(challenge) else str(challenge))
    ]
    criteria = pd.DataFrame(rows, columns=[CHALLENGE, CRITERION, WEIGHT, INDEPENDENT])
    rubric = teams.merge(criteria, on=CHALLENGE, how="left")
    return rubric.astype(
        {
            TEAM: marks[TEAM].dtype,
            CRITERION: pd.CategoricalDtype(
                sorted({*marks[CRITERION].cat.categories, *criteria[CRITERION]})
            ),
        }
    )


def per_mark(values: pd.Series, rubric: pd.DataFrame, marks: pd.DataFrame) -> np.ndarray:
    """The rubric's value for each mark's (team, criterion), NaN outside the rubric.

    Looked up by category codes in a teams x criteria table: no string hashing per mark.
    ``rubric`` and ``marks`` must share the categories of TEAM and CRITERION.

    Examples
    --------
    >>> kinds = {"team": pd.CategoricalDtype(["S", "T"]),
    ...          "criterion": pd.CategoricalDtype(["design", "impact"])}
    >>> rubric = pd.DataFrame({"team": ["S", "T"], "criterion": ["impact"] * 2,
    ...                        "weight": [2.0, 3.0]}).astype(kinds)
    >>> marks = pd.DataFrame({"team": ["T", "S"], "criterion": ["impact", "design"]}).astype(kinds)
    >>> per_mark(rubric["weight"], rubric, marks).tolist()
    [3.0, nan]
    """
    table = np.full(
        (len(rubric[TEAM].cat.categories), len(rubric[CRITERION].cat.categories)), np.nan
    )
    table[rubric[TEAM].cat.codes, rubric[CRITERION].cat.codes] = values.to_numpy(dtype=float)
    return table[marks[TEAM].cat.codes.to_numpy(), marks[CRITERION].cat.codes.to_numpy()]


def team_challenges(marks: pd.DataFrame) -> pd.DataFrame:
    """TEAM, CHALLENGE: each team's challenge (its first in the marks), missing when unknown.

    Examples
    --------
    >>> marks = pd.DataFrame({"team": ["S", "T"], "challenge": ["care", None]})
    >>> team_challenges(marks.astype({"team": "category"})).to_dict("records")
    [{'team': 'S', 'challenge': 'care'}, {'team': 'T', 'challenge': nan}]
    """
    teams = marks[TEAM].cat.categories
    if CHALLENGE not in marks.columns:
        challenges = pd.Series(None, index=teams, dtype=object)
    else:
        present = marks.dropna(subset=[CHALLENGE])
        challenges = present.groupby(TEAM, observed=True)[CHALLENGE].first().reindex(teams)
    return pd.DataFrame({TEAM: teams, CHALLENGE: challenges.astype(object).to_numpy()})


def unequal_ranges(marks: pd.DataFrame, config: Config) -> list[Problem]:
    """A warning when the rubrics the teams are scored on give totals on different ranges
    (the lowest and highest weighted total their scales allow): the overall ranking then
    compares teams on unequal footing, a middling team of a rubric with more weight ahead of
    a strong team of another."""
    if not config.challenge_criteria:
        return []
    used: dict[str | None, tuple[Decimal, Decimal]] = {}
    challenges = marks[CHALLENGE].dropna().unique() if CHALLENGE in marks else []
    keys = {str(c) if str(c) in config.challenge_criteria else None for c in challenges}
    if CHALLENGE not in marks or marks[CHALLENGE].isna().any():
        keys.add(None)
    for key in keys:
        counted = [c for c in config.criteria_for(key) if not c.independent]
        if not counted:  # no main rubric: those teams are an error of their own
            continue
        used[key] = (
            sum((c.weight * c.scale.min for c in counted), Decimal(0)),
            sum((c.weight * c.scale.max for c in counted), Decimal(0)),
        )
    if len(set(used.values())) < 2:
        return []
    ranges = join_items(
        # Translators: a rubric and the range of its totals; French puts a space before ":".
        _("{rubric}: {low}–{high}").format(
            rubric=_("main rubric") if key is None else _("challenge {name}").format(name=key),
            low=rubric_text(low),
            high=rubric_text(high),
        )
        for key, (low, high) in sorted(
            used.items(), key=lambda item: (item[0] is not None, str(item[0]))
        )
    )
    message = _(
        "the rubrics give totals on different ranges ({ranges}), so the overall ranking "
        "compares teams on unequal footing; use the ranking of each challenge, or weight the "
        "rubrics to the same range"
    ).format(ranges=ranges)
    return [Problem("warning", "unequal_ranges", message)]
