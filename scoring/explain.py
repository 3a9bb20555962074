"""The method of a rubric in plain words, for the report a jury chair prints and signs.

One sentence or paragraph per decision the rubric makes: how marks become a criterion score
(the method), in which order criteria and jurors are combined, how and where scores are
rounded, how ties are broken, who may mark whom, and how rank stability was measured.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal, format_percent

from scoring.config import Config
from scoring.i18n import get_language, join_items, ngettext
from scoring.i18n import gettext as _


def method_text(name: str, trim: int) -> str:
    """How one method turns marks into a score, in plain words."""
    texts = {
        "mean": _("A team's score on a criterion is the average of its jurors' marks."),
        "median": _(
            "A team's score on a criterion is the median (middle value) of its jurors' "
            "marks, so a single unusually high or low mark cannot move it."
        ),
        "trimmed_mean": ngettext(
            "A team's score on a criterion is the average of its jurors' marks after dropping "
            "the highest and the lowest mark.",
            "A team's score on a criterion is the average of its jurors' marks after dropping "
            "the {trim} highest and the {trim} lowest marks.",
            trim,
        ).format(trim=trim),
        "zscore": _(
            "Each juror's marks are first put on a common scale: the juror's own average "
            "is subtracted and the result divided by how widely that juror spreads "
            "marks (z-scores), so a strict and a generous juror count the same. A team's "
            "score is then the average of these standardised marks."
        ),
        "judge_effects": _(
            "A statistical model estimates, for every juror, how much more "
            "strictly or generously they mark than the panel, and for every "
            "team, its score with that juror effect removed (least squares over "
            "all marks). This stays fair when jurors saw different teams."
        ),
        "borda": _(
            "Each juror's marks are turned into a ranking of the teams that juror saw; a "
            "team earns a point for every team it is ranked above (Borda count), and the "
            "points are averaged over the jurors who saw it."
        ),
        "copeland": _(
            "Teams are compared in pairs: a team wins a pair when more of the jurors "
            "who saw both placed it higher. The score is wins minus losses "
            "(Copeland's method)."
        ),
    }
    return texts.get(name, name)


def order_text(order: str) -> str:
    if order == "juror-first":
        return _(
            "Each juror's weighted total is computed first; the totals are then combined "
            "across jurors."
        )
    return _(
        "Each criterion is first combined across jurors; the criterion scores are then "
        "added up with their weights."
    )


def rounding_text(decimals: int | None, stages: Sequence[str]) -> str:
    if decimals is None or not stages:
        return _("Scores are not rounded: the ranking uses full precision.")
    names = {
        "criterion": _("each criterion score"),
        "weighted": _("each weighted criterion score"),
        "total": _("the total"),
    }
    return ngettext(
        "Scores are rounded half up to {decimals} decimal place at: {stages}.",
        "Scores are rounded half up to {decimals} decimal places at: {stages}.",
        decimals,
    ).format(decimals=decimals, stages=", ".join(names.get(s, s) for s in stages))


def tie_break_text(config: Config, language: str) -> str:
    labels = {criterion.id: criterion.label(language) for criterion in config.criteria}
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
    return _(
        "Equal scores are separated by, in this order: {steps}. Teams still equal share the rank."
    ).format(steps=join_items(steps))


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
        method_text(method.name, method.trim),
        order_text(method.order),
        rounding_text(config.rounding.decimals, config.rounding.stages),
        tie_break_text(config, get_language()),
    ]
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
                "Jurors do not mark teams they declared a conflict of interest with; "
                "those marks are left out."
            )
        )
    if samples:
        paragraphs.append(
            _(
                "Rank stability: the ranking was recomputed on {samples} resamples "
                "of the jurors (random seed {seed}); the intervals cover {share} of "
                "the resamples."
            ).format(
                samples=format_decimal(samples, locale=get_language()),
                seed=seed,
                share=format_percent(config.bootstrap.interval, locale=get_language()),
            )
        )
    return paragraphs
