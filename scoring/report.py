"""The printable HTML report: the method in plain words, the ranking, the statistics, warnings.

One self-contained page (charts embedded as ``data:`` images, no external resources), rendered
from the autoescaped template ``scoring/templates/report.html`` in the current language, with a
print stylesheet and signature lines so that a jury chair can print and sign it.
"""

from __future__ import annotations

import base64
import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from scoring.columns import JUROR, MAX_TOTAL, MIN_TOTAL, TOTAL
from scoring.config import Config
from scoring.errors import Problem
from scoring.explain import explain
from scoring.i18n import get_language, gettext, ngettext
from scoring.i18n import gettext as _
from scoring.numbers import decimal_text
from scoring.partfiles import replacing

TEMPLATES = Path(__file__).parent / "templates"
# Decimals shown when the rubric sets no rounding, and the most ever shown for a score.
DEFAULT_DECIMALS = 2
MAX_DECIMALS = 6


@dataclass(frozen=True)
class Chart:
    """A chart as it appears in the report: a caption and its SVG bytes."""

    title: str
    svg: bytes

    @property
    def uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


@dataclass(frozen=True)
class Table:
    """A result table for the report: a caption, column headers and rows of cells."""

    title: str
    frame: pd.DataFrame
    note: str = ""
    # Columns holding team scores: shown with as many decimals as it takes for scores that
    # differ to print differently (see :func:`score_decimals`).
    score_columns: tuple[str, ...] = ()
    # Columns holding values the rubric does not round (the jurors' totals): shown as they
    # are, with the decimals the most precise of them needs (see :func:`exact_decimals`).
    exact_columns: tuple[str, ...] = ()
    # Score columns the rubric's rounding leaves as computed (criteria rounded only in the
    # total, say): at least two decimals, whatever the rubric's, so that a clinical score of
    # 4.67 does not read 5 beside a total rounded to whole numbers.
    unrounded_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportContent:
    config: Config
    tables: Sequence[Table]
    charts: Sequence[Chart | _PendingChart] = ()
    problems: Sequence[Problem] = ()
    inputs: Sequence[str] = ()
    generated: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


def format_number(value: Any, decimals: int = 2) -> str:
    """A value as the report shows it: numbers rounded half up in the current language's
    notation ("7,50" in German, see :mod:`scoring.numbers`), booleans as yes/no, missing
    values as a dash.

    Examples
    --------
    >>> format_number(2.675), format_number(3), format_number(True)
    ('2.68', '3', 'yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "–"
        return decimal_text(value, 0 if isinstance(value, int) else decimals)
    return str(value)


def score_decimals(values: Iterable[Any], least: int) -> int:
    """The fewest decimals, ``least`` or more, at which scores that differ print differently.

    Two teams on different ranks must never show the same score: 7.614 and 7.606 both read
    7.61 with two decimals. Scores within 1e-9 of each other count as equal, as in the ranking.
    Never more than MAX_DECIMALS.

    Examples
    --------
    >>> score_decimals([7.614, 7.606, 7.5], 2), score_decimals([7.5, 8.25], 2)
    (3, 2)
    >>> score_decimals([8.0, 7.0], 0), score_decimals([0.1 + 0.2, 0.3], 2)
    (0, 2)
    """
    from scoring.rounding import quantize_half_up, to_decimal

    distinct = {
        quantize_half_up(to_decimal(float(value)), 9)
        for value in values
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    }
    for decimals in range(least, MAX_DECIMALS):
        if len({quantize_half_up(value, decimals) for value in distinct}) == len(distinct):
            return decimals
    return max(least, MAX_DECIMALS)


def exact_decimals(values: Iterable[Any], least: int) -> int:
    """``least`` decimals (the scores'), or more where a value needs them to print as it is
    (within 1e-9): a juror's total of 12.5 must not read 13 beside scores rounded to whole
    numbers; values that no decimals up to MAX_DECIMALS show exactly (a weight of 1/3) get
    :func:`score_decimals`.

    Examples
    --------
    >>> exact_decimals([11.5, 12.0, 12.5], 0), exact_decimals([16.625, 15.0], 2)
    (1, 3)
    >>> exact_decimals([7.0, 8.0], 2), exact_decimals([1 / 3, 2 / 3], 2)
    (2, 2)
    """
    numbers = [
        float(value)
        for value in values
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    ]
    for decimals in range(least, MAX_DECIMALS + 1):
        if all(abs(number - round(number, decimals)) <= 1e-9 for number in numbers):
            return decimals
    return score_decimals(numbers, least)


def statistic_decimals(values: Iterable[Any]) -> int:
    """Decimals for a column of statistics: none when every value is whole (ranks, counts),
    else two, or more (up to MAX_DECIMALS) while a value other than 0 would print as 0.

    Examples
    --------
    >>> statistic_decimals([1.0, 24.0]), statistic_decimals([0.25, 1.0])
    (0, 2)
    >>> statistic_decimals([0.001, 0.5, 0.0]), statistic_decimals([-0.14, -2.2e-16, 0.14])
    (3, 2)
    """
    # Within 1e-9 of a whole number is that number, as scores are compared (float noise:
    # a leniency of exactly 0 computed as -2.2e-16).
    numbers = [
        round(float(value), 9)
        for value in values
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    ]
    if all(number.is_integer() for number in numbers):
        return 0
    smallest = min((abs(number) for number in numbers if number), default=1.0)
    decimals = DEFAULT_DECIMALS
    while decimals < MAX_DECIMALS and round(smallest, decimals) == 0:
        decimals += 1
    return decimals


def table_cells(table: Table, least: int) -> list[list[tuple[Any, int]]]:
    """Each row of ``table`` as (cell, decimals to show) pairs.

    Score columns get ``least`` decimals (the rubric's, else two) or as many more as they
    need (:func:`score_decimals`); other numbers (statistics, which the rubric does not
    round) as :func:`statistic_decimals` says.
    """
    exact = exact_decimals(
        [value for name in table.exact_columns for value in table.frame[name]], least
    )
    decimals = [
        exact
        if name in table.exact_columns
        else score_decimals(
            table.frame[name],
            max(least, DEFAULT_DECIMALS) if name in table.unrounded_columns else least,
        )
        if name in table.score_columns
        else statistic_decimals(table.frame[name])
        for name in table.frame.columns
    ]
    return [
        [
            # pandas' missing whole number (Int64) as the float NaN: a number cell, a dash.
            (
                _plain(
                    math.nan if cell is pd.NA else cell.item() if hasattr(cell, "item") else cell
                ),
                places,
            )
            for cell, places in zip(row, decimals, strict=True)
        ]
        for row in table.frame.itertuples(index=False, name=None)
    ]


def _plain(cell: Any) -> Any:
    """A number within 1e-9 of 0 as 0: float noise would print as "-0.00"."""
    if isinstance(cell, float) and abs(cell) < 1e-9:
        return 0.0
    return cell


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["number"] = format_number
    # A message that opens a sentence of its own (the CLI writes it after its location).
    env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    return env


def render_report(content: ReportContent) -> str:
    """The report page as HTML text."""
    from scoring.numbers import rubric_text

    template = environment().get_template("report.html")
    config = content.config
    # With rounding, the rubric's decimals; without, two, or more where scores need them.
    least = config.rounding.decimals if config.rounding.decimals is not None else DEFAULT_DECIMALS
    # Each rubric's criteria: the main one's for all teams, then each challenge's own.
    rubrics = [(None, config.criteria), *sorted(config.challenge_criteria.items())]
    criteria = [
        {
            "id": c.id,
            "label": c.label(get_language()),
            "weight": rubric_text(c.weight),
            "scale": f"{rubric_text(c.scale.min)}–{rubric_text(c.scale.max)}",
            "independent": c.independent,
            # The main rubric is for the teams whose challenge has none of its own.
            "teams": (
                (_("other teams") if config.challenge_criteria else _("all teams"))
                if challenge is None
                else _("challenge {challenge}").format(challenge=challenge)
            ),
        }
        for challenge, rubric in rubrics
        for c in rubric
    ]
    return template.render(
        language=get_language(),
        content=content,
        criteria=criteria,
        decimals=least,
        method=explain(
            config, samples=content.extra.get("samples"), seed=content.extra.get("seed")
        ),
        errors=[p for p in content.problems if p.severity == "error"],
        warnings=[p for p in content.problems if p.severity == "warning"],
        cells=lambda table: table_cells(table, least),
    )


def column_titles(config: Config) -> dict[str, str]:
    """Readable, translated headers for the result tables (criterion ids become labels)."""
    language = get_language()
    titles = {
        "rank": _("Rank"),
        "team": _("Team"),
        "name": _("Name"),
        "challenge": _("Challenge"),
        "score": _("Score"),
        "jurors": _("Jurors"),
        "disagreement": _("Disagreement (SD)"),
        "min": _("Lowest juror total"),
        "max": _("Highest juror total"),
        "tie_note": _("Tie note"),
        "statistic": _("Statistic"),
        "value": _("Value"),
        "teams": _("Teams"),
        "note": _("Note"),
        "juror": _("Juror"),
        "leniency": _("Leniency"),
        "leniency_z": _("Leniency (robust z)"),
        "spread": _("Spread (SD)"),
        "consensus_correlation": _("Agreement with the panel"),
        "outlier": _("Outlier"),
        "outlier_reason": _("Why"),
        "median_rank": _("Median rank"),
        "rank_low": _("Rank interval from"),
        "rank_high": _("Rank interval to"),
        "p_first": _("P(first)"),
        "p_top3": _("P(top 3)"),
        "p_unjudged": _("P(not judged)"),
    }
    titles.update({c.id: c.label(language) for c in config.all_criteria()})
    return titles


def result_tables(results: Any, config: Config) -> list[Table]:
    """The tables of the report, in reading order, with translated headers."""
    from scoring.outputs import rankings, with_names

    titles = column_titles(config)
    scores = {TOTAL, *(c.id for c in config.all_criteria())}
    stages = config.rounding.stages
    rounded = {TOTAL} if "total" in stages else set()
    if "criterion" in stages:
        rounded |= {c.id for c in config.all_criteria()}
    juror_totals = (MIN_TOTAL, MAX_TOTAL)
    tables = []
    for ranked in rankings(results, config):  # with names, when given
        frame = ranked.table
        title = (
            _("Ranking")
            if ranked.challenge is None
            else _("Ranking, challenge {challenge}").format(challenge=ranked.challenge)
        )
        tables.append(
            Table(
                title,
                frame.rename(columns=titles),
                score_columns=tuple(titles.get(c, c) for c in frame.columns if c in scores),
                exact_columns=tuple(titles.get(c, c) for c in frame.columns if c in juror_totals),
                unrounded_columns=tuple(
                    titles.get(c, c) for c in frame.columns if c in scores - rounded
                ),
            )
        )
    if results.stability is not None:
        tables.append(
            Table(
                _("Rank stability"),
                with_names(results.stability.summary, results.team_names).rename(columns=titles),
                _("Where each team's rank falls when the jury is resampled."),
            )
        )
    if results.agreement is not None:
        from scoring.agreement import STATISTIC, statistic_label

        described = results.agreement.assign(
            **{STATISTIC: results.agreement[STATISTIC].map(statistic_label)}
        )
        tables.append(
            Table(
                _("Agreement between jurors"),
                described.rename(columns=titles),
                _("1 means the jurors agree completely; 0 means no more than chance."),
            )
        )
    if results.jurors is not None:
        tables.append(
            Table(
                _("Jurors"),
                results.jurors.rename(columns=titles),
                _(
                    "Leniency: how far a juror's totals lie above (+) or below (−) "
                    "the other jurors' on the same teams."
                ),
            )
        )
    return tables


@dataclass(frozen=True)
class _PendingChart:
    """A chart not drawn yet, in the page as a placeholder for its address."""

    title: str
    uri: str


@dataclass(frozen=True)
class ReportDraft:
    """``report.html`` rendered but for its charts, being drawn meanwhile: :meth:`finish`
    puts them in and writes the file."""

    page: str
    path: Path
    placeholders: tuple[tuple[str, str], ...]  # (placeholder, chart name)

    def finish(self, drawn: Sequence[Any]) -> Path:
        """Put in the charts ``drawn`` ((spec, png, svg) of each) and write the page."""
        svgs = {spec.name: svg for spec, _png, svg in drawn}
        page = self.page
        for placeholder, name in self.placeholders:
            page = page.replace(placeholder, Chart(name, svgs[name].read_bytes()).uri)
        with replacing(self.path) as part:
            part.write_text(page, encoding="utf-8")
        return self.path


def chart_placeholders(count: int) -> list[str]:
    """``count`` texts to stand for charts in a page until they are drawn: in no text of the
    page (names and marks are escaped; the token is random), none the start of another
    ("chart-1-<token>" is not the start of "chart-10-<token>")."""
    token = secrets.token_hex(16)
    return [f"chart-{n}-{token}" for n in range(count)]


def begin_results_report(
    results: Any, config: Config, specs: Sequence[Any], options: Any, now: Any
) -> ReportDraft:
    """Render ``report.html`` for a ranking run, with a placeholder for each chart of
    ``specs`` (being drawn by other processes meanwhile)."""
    names = [spec.name for spec in specs]
    placeholders = tuple(zip(chart_placeholders(len(names)), names, strict=True))
    charts = [
        _PendingChart(spec.title, placeholder)
        for spec, (placeholder, _name) in zip(specs, placeholders, strict=True)
    ]
    content = ReportContent(
        config=config,
        tables=result_tables(results, config),
        charts=charts,
        problems=results.problems,
        inputs=[str(p) for p in results.files],
        generated=now.strftime("%Y-%m-%d %H:%M UTC"),
        extra={
            "samples": config.bootstrap.samples if results.stability is not None else 0,
            "seed": config.bootstrap.seed,
            # A signature line for each juror whose marks the ranking uses.
            "jurors": sorted({str(juror) for juror in results.scores.juror_totals[JUROR]}),
        },
    )
    return ReportDraft(render_report(content), options.out / "report.html", placeholders)
