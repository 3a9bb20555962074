"""What a blank jury sheet tells the juror: the instructions above the table, and the rule of
each score cell (the criterion's scale and step), in the juror's language (see
:mod:`scoring.templatebook`, which builds the sheet).
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.config import Criterion, Scale
from scoring.i18n import gettext as _
from scoring.i18n import join_items
from scoring.numbers import rubric_text

HEADER_ROW = 8  # the row of the table's headings (rows above: the juror and instructions)


def instructions(criteria: tuple[Criterion, ...], language: str, *, shared: bool) -> list[str]:
    """The lines above the table, in the current language (``language`` for the criteria's
    labels); ``shared``: a sheet for every juror, who writes their id at the top."""
    scales = join_items(
        # Translators: a criterion's scale in the jury sheet's instructions ("Impact: 0–10").
        _("{criterion}: {low}–{high}").format(
            criterion=c.label(language), low=rubric_text(c.scale.min), high=rubric_text(c.scale.max)
        )
        + (_(" (steps of {step})").format(step=rubric_text(c.scale.step)) if c.scale.step else "")
        for c in criteria
    )
    return [
        _("Jury sheet: enter one score per team and criterion in the white cells."),
        _(
            "Score every criterion of each team. If you cannot judge a team, leave its row "
            "empty and tell the jury chair."
        ),
        # A spreadsheet app parses what is typed by its own language settings: in a German
        # Excel, "7.5" is a date, which the cell's rule then refuses.
        _(
            "Scales: {scales}. Write decimals the way your spreadsheet app shows them (7,5 or 7.5)."
        ).format(scales=scales),
        _(
            "Write your juror id in the white cell at the top; do not change the team ids or the "
            "column headers."
        )
        if shared
        else _("Do not change your juror id, the team ids or the column headers."),
        _("Send this file back filled in, still as xlsx; the comment column is optional."),
    ]


def validate_scores(sheet: Worksheet, criteria: tuple[Criterion, ...], count: int) -> None:
    """Each criterion's score cells of ``sheet`` (``count`` team rows) held to its scale."""
    last = HEADER_ROW + max(count, 1)
    for j, criterion in enumerate(criteria, start=3):
        letter = get_column_letter(j)
        rule = _scale_rule(criterion.scale, f"{letter}{HEADER_ROW + 1}")
        rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
        sheet.add_data_validation(rule)


def _scale_rule(scale: Scale, first: str) -> DataValidation:
    """The cell rule of a criterion's scale and step: a whole number for steps of 1 from a
    whole number, a formula for other steps (relative to ``first``, the column's first score
    cell, as spreadsheet programs read it for each cell), else any number in the range."""
    low, high, step = scale.min, scale.max, scale.step
    shown = {"low": rubric_text(low), "high": rubric_text(high)}
    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": _("Score out of scale")}
    if step is None:
        message = _("Enter a number from {low} to {high}.").format(**shown)
        return DataValidation(
            type="decimal", operator="between", formula1=str(low), formula2=str(high),
            error=message, **common,
        )  # fmt: skip
    message = _("Enter a number from {low} to {high} in steps of {step}.").format(
        **shown, step=rubric_text(step)
    )
    if step == 1 and low == low.to_integral_value():
        return DataValidation(
            type="whole", operator="between", formula1=str(low), formula2=str(high),
            error=message, **common,
        )  # fmt: skip
    # A step counted from the scale's low end, rounded to 9 places against binary noise.
    steps = f"ROUND(({first}-{low})/{step},9)"
    formula = f"AND(ISNUMBER({first}),{first}>={low},{first}<={high},{steps}=INT({steps}))"
    return DataValidation(type="custom", formula1=formula, error=message, **common)
