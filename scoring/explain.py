"""The method of a rubric in plain words, for the report a jury chair prints and signs.

One sentence or paragraph per decision the rubric makes: how marks become a criterion score
(the method), in which order criteria and jurors are combined, how and where scores are
rounded, how ties are broken, who may mark whom, and how rank stability was measured. The
method and its order, in the first paragraphs, are worded in :mod:`scoring.methodwords`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_decimal, format_percent

from scoring.config import Config
from scoring.i18n import get_language, join_items, ngettext
from scoring.i18n import gettext as _
from scoring.methodwords import adjusted_text, method_text, order_text
from scoring.numbers import rubric_text


def rounding_text(decimals: int | None, stages: Sequence[str]) -> str:
    if decimals is None or not stages:
        return _("Scores are not rounded: the ranking uses full precision.")
    names = {
        "criterion": _("each criterion score"),
        "weighted": _("each weighted criterion score"),
        "total": _("the total"),
    }
    half = Decimal(2) + Decimal(5).scaleb(-decimals - 1)  # 2.5, 2.05, 2.005, ...
    rounded = Decimal(2) + Decimal(1).scaleb(-decimals)  # 3, 2.1, 2.01, ...
    return (
        ngettext(
            "Scores are rounded half up to {decimals} decimal place at: {stages}.",
            "Scores are rounded half up to {decimals} decimal places at: {stages}.",
            decimals,
        ).format(decimals=decimals, stages=", ".join(names.get(s, s) for s in stages))
        + " "
        + _(
            "A half is rounded away from zero: {half} becomes {rounded}, and −{half} becomes "
            "−{rounded}."
        ).format(half=rubric_text(half), rounded=rubric_text(rounded))
    )


def tie_break_text(config: Config, language: str) -> str:
    labels = {criterion.id: criterion.label(language) for criterion in config.all_criteria()}
    names = {
        "median": _("the higher median of the jurors' totals"),
        "first_places": _("more first places among the jurors"),
        "min": _("the higher lowest juror total"),
        "max": _("the higher highest juror total"),
    }
    steps = []
    for key in config.tie_breaks:
        if key.startswith("criterion:"):
            ident = key.split(":", 1)[1]
            steps.append(
                _("the higher score on “{criterion}”").format(criterion=labels.get(ident, ident))
            )
        else:
            steps.append(names.get(key, key))
    if not steps:
        return _("Teams with equal scores share the rank.")
    text = _(
        "Equal scores are separated by, in this order: {steps}. Teams still equal share the rank."
    ).format(steps=join_items(steps))
    rubrics = [r for r in (config.criteria, *config.challenge_criteria.values()) if r]
    partial = any(
        key.startswith("criterion:")
        and not all(key.split(":", 1)[1] in {c.id for c in rubric} for rubric in rubrics)
        for key in config.tie_breaks
    )
    if partial:
        text += " " + _(
            "A criterion that is not in the rubric of every tied team cannot compare them: "
            "for those teams it is skipped, and the next rule decides."
        )
    return text


def explain(config: Config, *, samples: int | None = None, seed: int | None = None) -> list[str]:
    """The paragraphs that explain the whole method of ``config`` in the current language.

    Examples
    --------
    >>> from scoring.config import Criterion, Scale
    >>> from decimal import Decimal
    >>> c = Criterion("impact", {"en": "Impact"}, Decimal(1), Scale(Decimal(0), Decimal(10)))
    >>> explain(Config(criteria=(c,)))[0]
    "A team's score on a criterion is the average of its jurors' marks."
    """
    method = config.method
    paragraphs = [
        method_text(method.name, method.trim, method.order, method.min_marks),
        *([adjusted_text()] if method.name in ("zscore", "judge_effects") else []),
        order_text(method.order, method.name),
        rounding_text(config.rounding.decimals, config.rounding.stages),
        tie_break_text(config, get_language()),
        *_jury_texts(config),
    ]
    if samples:
        paragraphs.append(_stability_text(config, samples, seed))
    elif samples == 0:
        paragraphs.append(_("Rank stability was not computed: the run drew no resamples."))
    return paragraphs


def _jury_texts(config: Config) -> list[str]:
    """Who must mark a team for it to be ranked, and who may not mark it, when the rubric
    says."""
    paragraphs = []
    if config.min_jurors > 1:
        paragraphs.append(
            ngettext(
                "A team needs marks from at least {n} juror to be ranked.",
                "A team needs marks from at least {n} jurors to be ranked.",
                config.min_jurors,
            ).format(n=config.min_jurors)
        )
    if config.conflicts:
        paragraphs.append(
            _(
                "No juror marked a team they declared a conflict of interest with: such a "
                "mark is an error that stops the ranking."
            )
        )
    return paragraphs


def _stability_text(config: Config, samples: int, seed: int | None) -> str:
    """How rank stability was measured on ``samples`` resamples, and what its intervals
    leave out."""
    return (
        ngettext(
            "Rank stability: the ranking was recomputed on {samples} resample "
            "of the jurors (random seed {seed}); the intervals cover {share} of "
            "the resamples. A resample that drew none of a team's jurors does not place "
            "it: the team's median rank and interval are over the other resamples, and "
            "P(first) and P(top 3) are shares of all resamples, P(not judged) the rest.",
            "Rank stability: the ranking was recomputed on {samples} resamples "
            "of the jurors (random seed {seed}); the intervals cover {share} of "
            "the resamples. A resample that drew none of a team's jurors does not place "
            "it: the team's median rank and interval are over the other resamples, and "
            "P(first) and P(top 3) are shares of all resamples, P(not judged) the rest.",
            samples,
        ).format(
            samples=format_decimal(samples, locale=get_language()),
            seed=seed,
            # Every digit the rubric gives: 0.995 is 99.5%, not a rounded 100%.
            share=format_percent(
                config.bootstrap.interval, locale=get_language(), decimal_quantization=False
            ),
        )
        + " "
        + _stability_limits_text()
    )


def _stability_limits_text() -> str:
    """Why a team's rank can lie outside its interval."""
    return (
        _(
            "Each resample ranks the teams by their unrounded scores, without the "
            "tie-breaks: teams equal in a resample share the place, and a rank decided by "
            "rounding or a tie-break can lie outside the team's interval."
        )
        + " "
        + _(
            "A rank can also lie outside the interval when it rests on a few of the "
            "jurors: most resamples then place the team elsewhere, and the interval shows "
            "how fragile that rank is."
        )
    )
