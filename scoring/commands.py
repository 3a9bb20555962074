"""What each command of ``hackathon-score`` does, stage by stage, without the argument parsing.

Heavy libraries (scipy, matplotlib, Jinja2, Babel) are imported inside the stage that needs
them, so ``--help`` starts fast and ``--no-charts --no-report`` never loads matplotlib.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from rich.console import Console

from scoring import columns as col
from scoring.config import Config, load_config
from scoring.errors import InputError, Problem
from scoring.i18n import gettext as _
from scoring.i18n import ngettext, use_event_language
from scoring.outfolder import (
    left_over,
    made,
    refuse_file_as_folder,
    remove_killed_parts,
    writing,
)
from scoring.progress import Steps, print_problems

if TYPE_CHECKING:
    from scoring.aggregate import Scores
    from scoring.chartjobs import ChartJob
    from scoring.forks import Helper
    from scoring.outputs import ChartSpec, Results, WorkbookJob
    from scoring.reading import Prefetched
    from scoring.report import ReportDraft
    from scoring.sheets import JuryInput


# In the weights of scoring.outputs.chart_specs (about milliseconds): writing the workbook
# costs one per this many marks; the report a base and one per this many teams.
TABLE_ROWS_PER_WEIGHT = 270
REPORT_BASE, REPORT_TEAMS_PER_WEIGHT = 80, 2


@dataclass(frozen=True)
class RankOptions:
    inputs: tuple[Path, ...]
    config: Path
    out: Path
    charts: bool = True
    report: bool = True
    samples: int | None = None
    seed: int | None = None
    lang: str | None = None  # given on the command line


def check(
    inputs: Sequence[Path],
    config: Config,
    steps: Steps | None = None,
    prefetch: Helper[Prefetched] | None = None,
) -> tuple[JuryInput, tuple[Problem, ...]]:
    """Read and validate the jury's files: (JuryInput, every problem found)."""
    from scoring.validate import validate

    jury = read(inputs, config, steps, prefetch)
    if steps is not None:
        steps.step(_("checking the marks"))
    return jury, tuple(validate(jury, config))


def read(
    inputs: Sequence[Path],
    config: Config,
    steps: Steps | None = None,
    prefetch: Helper[Prefetched] | None = None,
) -> JuryInput:
    """Read the jury's files, with helper processes when the machine has CPUs to spare (one
    may have begun already: ``prefetch``, see :func:`scoring.reading.prefetch`)."""
    from scoring import forks
    from scoring.sheets import read_inputs

    return read_inputs(
        list(inputs),
        config,
        progress=steps.detail if steps else None,
        processes=forks.processes(),
        pause=steps.paused if steps else None,
        prefetch=prefetch,
    )


def run_validate(
    inputs: Sequence[Path], config_file: Path, *, prefetch: Helper[Prefetched] | None = None
) -> int:
    """Print every problem of the jury's files; 2 when there is an error, else 0."""
    console = Console(soft_wrap=True)  # scripts read whole lines, however long
    config = load_config(config_file)
    jury, problems = check(inputs, config, prefetch=prefetch)
    if not any(problem.severity == "error" for problem in problems):
        problems = (*problems, *method_problems(jury, config))
    print_problems(problems, console)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    files = len(jury.files)
    # Translators: the summary of `validate`, e.g. "3 files checked: 1 error, 0 warnings".
    summary = _("{files}: {errors}, {warnings}").format(
        files=ngettext("{n} file checked", "{n} files checked", files).format(n=files),
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
    )
    console.print(summary, markup=False, highlight=False)
    return 2 if errors else 0


def method_problems(jury: JuryInput, config: Config) -> tuple[Problem, ...]:
    """What the rubric's method says of valid marks, as ``rank`` would say it: its refusal
    (too few marks to trim, jurors who share no teams) as an error, else its warnings (a
    juror who cannot be standardised)."""
    from scoring.aggregate import score
    from scoring.errors import MethodError

    try:
        return score(scoring_marks(jury.marks), config).problems
    except MethodError as error:
        return (Problem("error", "method", str(error)),)


def resolved_config(config: Config, options: RankOptions) -> Config:
    """``config`` with the command line's bootstrap overrides applied."""
    bootstrap = config.bootstrap
    if options.samples is not None:
        bootstrap = dataclasses.replace(bootstrap, samples=options.samples)
    if options.seed is not None:
        bootstrap = dataclasses.replace(bootstrap, seed=options.seed)
    return dataclasses.replace(config, bootstrap=bootstrap)


def stage_count(options: RankOptions, samples: int) -> int:
    # read, check, score, statistics, tables, manifest + the optional ones
    return 6 + (samples > 0) + options.charts + options.report


def run_rank(
    options: RankOptions,
    *,
    argv: Sequence[str] = (),
    prefetch: Helper[Prefetched] | None = None,
) -> int:
    """Rank the teams and write every output into ``options.out``; returns the exit code.
    ``prefetch``: a helper already reading the files (see :func:`scoring.reading.prefetch`).
    """
    from scoring.manifest import previous_outputs, remove_leftovers
    from scoring.outputs import WorkbookJob

    refuse_file_as_folder(options.out)
    console = Console(soft_wrap=True)  # scripts read whole lines, however long
    config = resolved_config(load_config(options.config), options)
    use_event_language(options.lang, config.language)  # the report's, by default
    samples = config.bootstrap.samples
    now = datetime.now(UTC)
    workbook = WorkbookJob(options.out)
    earlier = previous_outputs(options.out)
    with Steps(stage_count(options, samples), console=console) as steps:
        steps.step(_("reading sheets"))
        jury = read(options.inputs, config, steps, prefetch)
        steps.step(_("checking the marks"))
        # The folder exists from here on: results.xlsx is begun as soon as the marks are scored.
        with writing(options.out), made(options.out), workbook:
            remove_killed_parts(options.out)

            def scored(scores: Scores) -> None:
                workbook.start(jury.marks, scores.normalised, steps.paused)

            results = checked_compute(jury, config, samples, steps, scored=scored)
            written = write_all(results, config, options, steps, now, workbook)
        steps.step(_("writing the manifest"))
        with writing(options.out):
            written.append(_write_manifest(jury.files, options, config, argv, written, now))
    kept = [left_over(path, error) for path, error in remove_leftovers(earlier, written) if error]
    print_problems([p for p in results.problems if p.severity == "warning"] + kept, console)
    console.print(
        ngettext("Wrote {n} file to {folder}", "Wrote {n} files to {folder}", len(written)).format(
            n=len(written), folder=options.out
        ),
        markup=False,
        highlight=False,
    )
    return 0


def scoring_marks(marks: pd.DataFrame) -> pd.DataFrame:
    """The columns the methods use; CHALLENGE only when some team has a challenge."""
    keep = [col.JUROR, col.TEAM, col.CRITERION, col.SCORE]
    if col.CHALLENGE in marks and marks[col.CHALLENGE].notna().any():
        keep.append(col.CHALLENGE)
    return marks[keep].reset_index(drop=True)


def checked_compute(
    jury: JuryInput,
    config: Config,
    samples: int,
    steps: Steps,
    *,
    scored: Callable[[Scores], None] | None = None,
) -> Results:
    """Validate the marks, then compute the results (see :func:`compute`); InputError when
    the marks have errors.

    Marks are usually valid: when a helper process can be forked (see :mod:`scoring.forks`),
    it validates them while this process computes the scores and statistics, and its verdict
    is awaited before the bootstrap (the long stage): an error it finds ends the run just as
    it would have before the computation, whatever the computation did with the marks.
    """
    from scoring import forks
    from scoring.validate import validate

    checking = None
    with steps.paused():
        if forks.can_fork():
            try:
                checking = forks.start(lambda: tuple(validate(jury, config)))
            except OSError:  # no process to spare: validate first, here
                checking = None
    if checking is None:
        problems = _valid(tuple(validate(jury, config)))
        return compute(jury, config, samples, steps, problems, scored=scored)
    found: list[tuple[Problem, ...]] = []

    def verdict() -> None:
        if not found:
            found.append(_valid(_checked(checking, jury, config)))

    try:
        try:
            results = compute(jury, config, samples, steps, (), scored=scored, checked=verdict)
        except InputError:
            raise
        except Exception:
            verdict()  # the marks' errors first, if any
            raise
        verdict()
    finally:
        checking.stop()  # killed when interrupted; nothing to do once its result was read
    return dataclasses.replace(results, problems=(*found[0], *results.problems))


def _checked(
    checking: Helper[tuple[Problem, ...]], jury: JuryInput, config: Config
) -> tuple[Problem, ...]:
    """The helper's problems; validated here when the helper failed."""
    from scoring.validate import validate

    ok, problems = checking.result()
    return problems if ok and problems is not None else tuple(validate(jury, config))


def _valid(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """``problems`` when none is an error; else InputError with them all."""
    if any(problem.severity == "error" for problem in problems):
        raise InputError(problems)
    return problems


def compute(
    jury: JuryInput,
    config: Config,
    samples: int,
    steps: Steps,
    problems: Sequence[Problem],
    *,
    scored: Callable[[Scores], None] | None = None,
    checked: Callable[[], None] | None = None,
) -> Results:
    """Scores, agreement, juror statistics and (when ``samples``) the rank stability;
    ``scored`` is called with the scores as soon as they are computed, ``checked`` before
    the bootstrap (it raises to end the run there)."""
    from scoring.aggregate import score
    from scoring.agreement import agreement
    from scoring.jurors import juror_stats
    from scoring.outputs import Results

    steps.step(_("computing the scores"))
    marks = scoring_marks(jury.marks)
    scores = score(marks, config)
    if scored is not None:
        scored(scores)
    steps.step(_("agreement and juror statistics"))
    stats = agreement(scores.juror_totals), juror_stats(scores.juror_totals)
    if checked is not None:
        checked()
    stable = None
    if samples > 0:
        from scoring.stability import stability

        steps.step(_("rank stability (bootstrap)"))
        stable = stability(marks, config, progress=steps.fraction)
    return Results(
        marks=jury.marks,
        scores=scores,
        agreement=stats[0],
        jurors=stats[1],
        stability=stable,
        problems=(*problems, *scores.problems),
        files=tuple(jury.files),
    )


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
    from scoring.outputs import chart_specs, write_tables

    steps.step(_("writing tables"))
    # The tables first: a workbook helper waits for them (its other sheets) to finish, and
    # can do so while this process loads matplotlib and starts the chart helpers.
    written = write_tables(results, config, options.out, workbook)
    with ExitStack() as stack:
        specs = chart_specs(results, config) if options.charts else []
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
        drawn: list[tuple[ChartSpec, Path, Path]] = []
        if job is not None:
            steps.step(_("drawing charts"))
            job.draw_own()
        report = None
        if options.report:
            from scoring.report import begin_results_report

            steps.step(_("writing the report"))
            # Rendered while charts are drawn (by a helper when one could be forked); the
            # charts are put in after.
            ok, report = reporting.result() if reporting is not None else (False, None)
            if not ok or report is None:
                report = begin_results_report(results, config, specs, options, now)
        if job is not None:
            drawn = job.finish()
            written.extend(path for _spec, png, svg in drawn for path in (png, svg))
        if report is not None:
            written.append(report.finish(drawn))
    if workbook is not None:
        workbook.finish()
    return written


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


def _write_manifest(
    files: Sequence[Path],
    options: RankOptions,
    config: Config,
    argv: Sequence[str],
    written: Sequence[Path],
    now: datetime,
) -> Path:
    from scoring.manifest import build_manifest, write_manifest

    manifest = build_manifest(
        inputs=files,
        config_file=options.config,
        config=config,
        seed=config.bootstrap.seed,
        samples=config.bootstrap.samples,
        argv=argv,
        outputs=[p.relative_to(options.out) for p in written],
        now=now,
    )
    return write_manifest(manifest, options.out / "manifest.json")


def run_template(
    config_file: Path,
    out: Path,
    *,
    teams: Path | None,
    assignments: Path | None,
    lang: str | None = None,
) -> int:
    """Write blank jury sheets; prints the files written."""
    refuse_file_as_folder(out)
    from scoring.template import write_templates_from_files

    console = Console(soft_wrap=True)  # scripts read whole lines, however long
    written = write_templates_from_files(
        load_config(config_file), out, teams=teams, assignments=assignments, language=lang
    )
    for path in written:
        console.print(str(path), markup=False, highlight=False)
    return 0
