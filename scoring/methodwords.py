"""How the rubric's method turns marks into a score, in plain words: the first paragraphs of the
report's method (see :mod:`scoring.explain`).

A method combines the jurors' marks on each criterion (criterion-first) or each juror's
weighted total (juror-first, and always for Borda and Copeland, which rank); the normalising
methods (zscore, judge_effects) say why a score can leave the scale.
"""

from __future__ import annotations

from scoring.i18n import gettext as _
from scoring.i18n import ngettext


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
