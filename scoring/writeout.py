"""Writing a run's files: the tables, then the charts (shared with helper processes) and the
report (rendered by a helper while this process loads matplotlib), the workbook last.

matplotlib and Jinja2 are imported inside the stage that needs them, so that
``--no-charts --no-report`` never loads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scoring.config import Config
from scoring.i18n import gettext as _
from scoring.progress import Steps

if TYPE_CHECKING:
    from scoring.chartjobs import ChartJob
    from scoring.chartspecs import ChartSpec
    from scoring.forks import Helper
    from scoring.outputs import Results
    from scoring.rankcommand import RankOptions
    from scoring.report import ReportDraft
    from scoring.workbookjob import WorkbookJob


# In the weights of scoring.chartspecs.chart_specs (about milliseconds): writing the workbook
# costs one per this many marks; the report a base and one per this many teams.
TABLE_ROWS_PER_WEIGHT = 270
REPORT_BASE, REPORT_TEAMS_PER_WEIGHT = 80, 2
# The tables of Results that a run may leave out (no statistics without enough jurors, no
# stability without resamples).
STATISTICS = ("jurors", "agreement", "stability")


def certain_outputs(options: RankOptions) -> list[str]:
    """The files (relative to the output folder) that every run with ``options`` writes,
    whatever the marks: what can be checked before they are read."""
    from scoring.chartspecs import ALWAYS_CHARTS

    charts = [f"charts/{name}.{kind}" for name in ALWAYS_CHARTS for kind in ("png", "svg")]
    return [
        "ranking.csv",
        "criteria.csv",
        "results.xlsx",
        *(["report.html"] if options.report else []),
        *(charts if options.charts else []),
        "manifest.json",
    ]


def possible_output(name: str, options: RankOptions) -> bool:
    """Whether a run with ``options`` may write ``name`` (an output's name relative to the
    output folder): not the report with --no-report, nor a chart with --no-charts."""
    if name == "report.html":
        return options.report
    return options.charts or not name.startswith("charts/")


def planned_outputs(results: Results, options: RankOptions) -> list[str]:
    """The files (relative to the output folder) that :func:`write_all` and the manifest
    will write for ``results``."""
    from scoring.chartspecs import chart_names
    from scoring.outputs import challenge_names

    challenges = challenge_names(results.scores.by_challenge)
    tables = [
        "ranking",
        *(challenges[c][0] for c in sorted(challenges)),
        "criteria",
        *(name for name in STATISTICS if getattr(results, name) is not None),
    ]
    charts = chart_names(results) if options.charts else []
    return [
        *(f"{name}.csv" for name in tables),
        "results.xlsx",
        *(f"charts/{name}.{kind}" for name in charts for kind in ("png", "svg")),
        *(["report.html"] if options.report else []),
        "manifest.json",
    ]


def write_all(
    results: Results,
    config: Config,
    options: RankOptions,
    steps: Steps,
    now: datetime,
    workbook: WorkbookJob | None = None,
) -> list[Path]:
    """Tables, then charts and the report when asked; returns every path written.

    Chart helper processes (see :mod:`scoring.chartjobs`) draw while this process draws its
    own share and renders the report; a ``workbook`` job (begun when the marks were scored)
    is finished last.
    """
    from scoring.chartspecs import chart_specs
    from scoring.outputs import write_tables

    steps.step(_("writing tables"))
    # The tables first: a workbook helper waits for them (its other sheets) to finish, and
    # can do so while this process loads matplotlib and starts the chart helpers.
    written = write_tables(results, config, options.out, workbook)
    with ExitStack() as stack:
        specs = chart_specs(results, config) if options.charts else []
        reporting, job = _helpers(stack, specs, results, config, options, steps, now, workbook)
        drawn: list[tuple[ChartSpec, Path, Path]] = []
        if job is not None:
            steps.step(_("drawing charts"))
            job.draw_own()
        report = _report(reporting, specs, results, config, options, steps, now)
        if job is not None:
            drawn = job.finish()
            written.extend(path for _spec, png, svg in drawn for path in (png, svg))
        if report is not None:
            written.append(report.finish(drawn))
    if workbook is not None:
        workbook.finish()
    return written


def _helpers(
    stack: ExitStack,
    specs: Sequence[ChartSpec],
    results: Results,
    config: Config,
    options: RankOptions,
    steps: Steps,
    now: datetime,
    workbook: WorkbookJob | None,
) -> tuple[Helper[ReportDraft] | None, ChartJob | None]:
    """The helper rendering the report and the chart job (with its helpers), each started
    when asked for and stopped with ``stack``; the report's helper only with charts."""
    reporting = job = None
    with steps.paused():  # no refresh thread while helpers are forked
        if options.report and options.charts:  # without charts, nothing to overlap
            reporting = _reporting(results, config, specs, options, now)
            if reporting is not None:
                stack.callback(reporting.stop)
        if options.charts:
            helped = workbook is not None and workbook.helped
            job = stack.enter_context(
                _chart_job(specs, results, options, helped, reporting is not None)
            )
    return reporting, job


def _report(
    reporting: Helper[ReportDraft] | None,
    specs: Sequence[ChartSpec],
    results: Results,
    config: Config,
    options: RankOptions,
    steps: Steps,
    now: datetime,
) -> ReportDraft | None:
    """The report rendered, but for its charts, when asked for: by ``reporting`` when it
    could, else here."""
    report = None
    if options.report:
        from scoring.report import begin_results_report

        steps.step(_("writing the report"))
        # Rendered while charts are drawn (by a helper when one could be forked); the
        # charts are put in after.
        ok, report = reporting.result() if reporting is not None else (False, None)
        if not ok or report is None:
            report = begin_results_report(results, config, specs, options, now)
    return report


def _reporting(
    results: Results,
    config: Config,
    specs: Sequence[ChartSpec],
    options: RankOptions,
    now: datetime,
) -> Helper[ReportDraft] | None:
    """A helper rendering the report (see :func:`scoring.report.begin_results_report`) while
    this process loads matplotlib and draws charts, when one can be forked."""
    from scoring import forks
    from scoring.report import begin_results_report

    if not forks.can_fork():
        return None
    try:
        return forks.start(lambda: begin_results_report(results, config, specs, options, now))
    except OSError:  # no process to spare: rendered here
        return None


def _chart_job(
    specs: Sequence[ChartSpec],
    results: Results,
    options: RankOptions,
    workbook_helped: bool,
    report_helped: bool,
) -> ChartJob:
    from scoring import forks
    from scoring.chartjobs import ChartJob

    # Besides its share of the charts, this process writes the workbook and renders the
    # report unless helpers do: its share is lighter by as much.
    rows = len(results.marks) * (not workbook_helped)
    teams = len(results.scores.ranking)
    helped = report_helped or not options.report
    report = 0 if helped else REPORT_BASE + teams // REPORT_TEAMS_PER_WEIGHT
    return ChartJob(
        specs,
        options.out / "charts",
        processes=forks.processes(),
        head_start=rows // TABLE_ROWS_PER_WEIGHT + report,
    )
