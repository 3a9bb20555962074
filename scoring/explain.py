"""The method of a rubric in plain words, for the report a jury chair prints and signs.

One sentence or paragraph per decision the rubric makes: how marks become a criterion score
(the method), in which order criteria and jurors are combined, how and where scores are
rounded, how ties are broken, who may mark whom, and how rank stability was measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_decimal, format_percent

from scoring.config import Config
from scoring.i18n import get_language, join_items, ngettext
from scoring.i18n import gettext as _
from scoring.numbers import rubric_text


def adjusted_text() -> str:
    """Why a normalising method's score can leave the scale."""
    return _(
        "As the marks are adjusted for each juror, a team's score can lie outside the scale "
        "the jurors marked on: a strict juror's top mark counts for more than the top of the "
        "scale."
    )


def method_text(name: str, trim: int, order: str = "criterion-first", min_marks: int = 5) -> str:
    """How one method turns marks into a score, in plain words: per criterion (criterion-
    first), or on each juror's weighted total (juror-first, and always for Borda and
    Copeland). ``min_marks``: zscore's fewest marks (or totals) a juror needs to be adjusted."""
    if name in ("borda", "copeland"):
        return _rank_method_text(name)
    if order == "juror-first":
        text = _on_totals_text(name, trim)
    else:
        text = _per_criterion_text(name, trim)
    if name == "zscore":
        text += " " + _unadjusted_text(order, min_marks)
    return text


def _per_criterion_text(name: str, trim: int) -> str:
    """The methods of the criterion-first order, which combine the jurors' marks on each
    criterion."""
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
            "Each juror's marks on a criterion are first put on a common scale: the juror's "
            "own average is subtracted and the result divided by how widely that juror spreads "
            "marks (z-scores), then carried back onto the criterion's scale with the whole "
            "panel's average and spread, so a strict and a generous juror count the same. A "
            "team's score on a criterion is the average of these adjusted marks."
        ),
        "judge_effects": _(
            "On each criterion, a statistical model estimates, for every juror, how much more "
            "strictly or generously they mark than the panel, and for every team, its score "
            "with that juror effect removed (least squares over all marks). This stays fair "
            "when jurors saw different teams."
        ),
    }
    return texts.get(name, name)


def _unadjusted_text(order: str, min_marks: int) -> str:
    """zscore's jurors with fewer than ``min_marks`` marks on a criterion (or totals,
    juror-first): their marks count as given."""
    if order == "juror-first":
        return ngettext(
            "A juror with fewer than {n} total is not adjusted: their totals count as given.",
            "A juror with fewer than {n} totals is not adjusted: their totals count as given.",
            min_marks,
        ).format(n=min_marks)
    return ngettext(
        "A juror with fewer than {n} mark on a criterion is not adjusted on it: their "
        "marks count as given.",
        "A juror with fewer than {n} marks on a criterion is not adjusted on it: their "
        "marks count as given.",
        min_marks,
    ).format(n=min_marks)


def _on_totals_text(name: str, trim: int) -> str:
    """The methods of the juror-first order, which combine the jurors' weighted totals."""
    texts = {
        "mean": _("A team's score is the average of its jurors' weighted totals."),
        "median": _(
            "A team's score is the median (middle value) of its jurors' weighted totals, so a "
            "single unusually high or low total cannot move it."
        ),
        "trimmed_mean": ngettext(
            "A team's score is the average of its jurors' weighted totals after dropping the "
            "highest and the lowest total.",
            "A team's score is the average of its jurors' weighted totals after dropping the "
            "{trim} highest and the {trim} lowest totals.",
            trim,
        ).format(trim=trim),
        "zscore": _(
            "Each juror's weighted totals are first put on a common scale: the juror's own "
            "average total is subtracted and the result divided by how widely that juror's "
            "totals spread (z-scores), then carried back with the whole panel's average and "
            "spread of totals, so a strict and a generous juror count the same. A team's "
            "score is the average of these adjusted totals."
        ),
        "judge_effects": _(
            "A statistical model estimates, for every juror, how much more strictly or "
            "generously they mark than the panel, and for every team, its weighted total with "
            "that juror effect removed (least squares over all the jurors' weighted totals). "
            "This stays fair when jurors saw different teams."
        ),
    }
    return texts.get(name, name)


def _rank_method_text(name: str) -> str:
    if name == "borda":
        return (
            _(
                "Each juror's weighted totals are turned into a ranking of the teams that juror "
                "saw. A juror who saw n teams gives the team in place p the points "
                "(n − p) / (n − 1): 1 for their best team, 0 for their worst, teams in a shared "
                "place sharing the points. A team's score is the average of its points over the "
                "jurors who saw it, from 0 to 1 (Borda count)."
            )
            + " "
            + _(
                "A juror who saw a single team has no order to give: they are left out of that "
                "team's average, though counted among its jurors."
            )
        )
    return _(
        "Teams are compared in pairs: a team wins a pair when more of the jurors who saw both "
        "gave it the higher weighted total, and loses it when fewer did. A team's score is "
        "(pairs won − pairs lost) / pairs compared, from −1 to 1 (Copeland's method)."
    )


def order_text(order: str, name: str = "mean") -> str:
    if name in ("borda", "copeland"):
        return _(
            "The score of a team on a criterion, shown beside its score, is the same method "
            "applied to that criterion's marks alone, for information: the score does not "
            "add them up."
        )
    if order == "juror-first":
        return _(
            "Each juror's weighted total is computed first; the totals are then combined "
            "across jurors. The score of a team on a criterion, shown beside its score, is "
            "the same method applied to that criterion's marks alone, for information: the "
            "score does not add them up."
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
