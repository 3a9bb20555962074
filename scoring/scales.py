"""Checks of each score against its rubric: a criterion the rubric does not know, a score
outside its criterion's scale or off its step.

Floats find the few suspect scores fast; exact decimals then decide for each of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pandas as pd

from scoring import columns as col
from scoring.config import Config, Criterion
from scoring.errors import Problem
from scoring.i18n import get_language
from scoring.i18n import gettext as _
from scoring.numbers import exact_text
from scoring.places import at, none_if_missing, rows
from scoring.sheets import JuryInput


def wide_sheets(jury: JuryInput) -> set[tuple[str | None, str | None]]:
    """(file, sheet) of each wide sheet: there a mark's column is its criterion's."""
    headers = jury.criterion_columns
    if headers is None:
        return set()
    return {
        (none_if_missing(f), none_if_missing(s))
        for f, s in zip(headers[col.FILE], headers[col.SHEET], strict=True)
    }


def criteria_and_scales(
    numbers: pd.DataFrame, config: Config, wide: set[tuple[str | None, str | None]]
) -> Iterable[Problem]:
    """Scores (``numbers``) of a criterion their challenge's rubric does not know, or off its
    scale; ``wide``: the sheets (see :func:`wide_sheets`) where a mark's column is its
    criterion's, to point at."""
    groups = numbers.groupby([col.CHALLENGE, col.CRITERION], dropna=False, sort=False)
    for (challenge_value, criterion_id), group in groups:
        challenge = none_if_missing(challenge_value)
        rubric = {c.id: c for c in config.criteria_for(challenge)}
        if not rubric:
            continue  # a team without a rubric: teams_without_rubric says so
        criterion = rubric.get(str(criterion_id))
        if criterion is None:
            message = _(
                "{criterion!r} is not a criterion of the rubric{for_challenge}; use one of: {known}"
            ).format(
                criterion=criterion_id,
                known=", ".join(rubric),
                for_challenge=_(" for challenge {c}").format(c=challenge)
                if challenge in config.challenge_criteria
                else "",
            )
            for mark in rows(group):
                # In a long table the mark's column is its score's: the row alone is said.
                sheet = (none_if_missing(mark[col.FILE]), none_if_missing(mark[col.SHEET]))
                yield at(mark, "error", "unknown_criterion", message, column=sheet in wide)
        else:
            # Floats find the few suspects fast; exact decimals then decide for each of them.
            for mark in rows(group[_suspect(group[col.SCORE], criterion)]):
                yield from _scale_problems(mark, criterion)


def _suspect(scores: pd.Series, criterion: Criterion) -> pd.Series:
    scale = criterion.scale
    outside = (scores < float(scale.min)) | (scores > float(scale.max))
    if scale.step is None:
        return outside
    steps = (scores - float(scale.min)) / float(scale.step)
    return outside | ((steps - steps.round()).abs() > 1e-6)


def _scale_problems(mark: pd.Series, criterion: Criterion) -> Iterable[Problem]:
    scale, score = criterion.scale, Decimal(repr(float(mark[col.SCORE])))
    if not scale.min <= score <= scale.max:
        yield at(
            mark,
            "error",
            "out_of_scale",
            _(
                "{score} is outside the scale of {criterion}, from {low} to {high}; correct the "
                "score"
            ).format(
                score=exact_text(score),
                criterion=criterion.named(get_language()),
                low=exact_text(scale.min),
                high=exact_text(scale.max),
            ),
        )
    elif scale.step is not None and (score - scale.min) % scale.step != 0:
        yield at(
            mark,
            "error",
            "off_step",
            _(
                "{score} is not a step of {step} on the scale of {criterion}, which starts at "
                "{low}; round it to a step"
            ).format(
                score=exact_text(score),
                step=exact_text(scale.step),
                criterion=criterion.named(get_language()),
                low=exact_text(scale.min),
            ),
        )
