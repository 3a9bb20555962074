"""The printable HTML report: the method in plain words, the ranking, the statistics, warnings.

One self-contained page (charts embedded as ``data:`` images, no external resources), rendered
from the autoescaped template ``scoring/templates/report.html`` in the current language, with a
print stylesheet and signature lines so that a jury chair can print and sign it.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from scoring.columns import JUROR
from scoring.config import Config
from scoring.errors import Problem
from scoring.explain import explain
from scoring.i18n import get_language, gettext, ngettext
from scoring.i18n import gettext as _
from scoring.partfiles import replacing
from scoring.reportnumbers import DEFAULT_DECIMALS, format_number, table_cells
from scoring.reporttables import Table, result_tables

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Chart:
    """A chart as it appears in the report: a caption and its SVG bytes."""

    title: str
    svg: bytes

    @property
    def uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


@dataclass(frozen=True)
class ReportContent:
    config: Config
    tables: Sequence[Table]
    charts: Sequence[Chart | _PendingChart] = ()
    problems: Sequence[Problem] = ()
    inputs: Sequence[str] = ()
    generated: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


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
