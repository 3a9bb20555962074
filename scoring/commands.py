"""What each command of ``hackathon-score`` does, stage by stage, without the argument parsing.

Heavy libraries (scipy, matplotlib, Jinja2, Babel) are imported inside the stage that needs
them, so ``--help`` starts fast and ``--no-charts --no-report`` never loads matplotlib.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from scoring.config import Config, load_config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.i18n import ngettext, use_event_language
from scoring.outfolder import (
    interrupted,
    made,
    refuse_file_as_charts_folder,
    refuse_file_as_folder,
    refuse_input_folder,
    remove_killed_parts,
    writing,
)
from scoring.pipeline import checked_compute, method_problems
from scoring.progress import Steps, print_problems
from scoring.writeout import write_all

if TYPE_CHECKING:
    from scoring.aggregate import Scores
    from scoring.forks import Helper
    from scoring.reading import Prefetched
    from scoring.sheets import JuryInput


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
    from scoring.earlier import (
        forget_earlier,
        read_earlier,
        refuse_replacing,
        remove_leftovers,
        set_aside,
    )
    from scoring.workbookjob import WorkbookJob
    from scoring.writeout import certain_outputs, planned_outputs, possible_output

    refuse_file_as_folder(options.out)
    if options.charts:
        refuse_file_as_charts_folder(options.out)
    refuse_input_folder(options.out, options.inputs)
    earlier = read_earlier(options.out)
    certain = certain_outputs(options)
    # The files every run writes, before the work; and any other this run may write.
    refuse_replacing(earlier, certain, more=lambda name: possible_output(name, options))
    console = Console(soft_wrap=True)  # scripts read whole lines, however long
    config = resolved_config(load_config(options.config), options)
    use_event_language(options.lang, config.language)  # the report's, by default
    samples = config.bootstrap.samples
    now = datetime.now(UTC)
    workbook = WorkbookJob(options.out)
    with Steps(stage_count(options, samples), console=console) as steps:
        steps.step(_("reading sheets"))
        jury = read(options.inputs, config, steps, prefetch)
        steps.step(_("checking the marks"))
        # The folder exists from here on: results.xlsx is begun as soon as the marks are scored.
        changing = False
        try:
            with writing(options.out), made(options.out), workbook:
                remove_killed_parts(options.out)

                def scored(scores: Scores) -> None:
                    workbook.start(jury.marks, scores.normalised, steps.paused)

                results = checked_compute(jury, config, samples, steps, scored=scored)
                planned = planned_outputs(results, options)
                refuse_replacing(earlier, [name for name in planned if name not in certain])
                changing = True
                removed = set_aside(earlier, planned)
                written = write_all(results, config, options, steps, now, workbook)
            steps.step(_("writing the manifest"))
            with writing(options.out):
                written.append(_write_manifest(jury.files, options, config, argv, written, now))
        except KeyboardInterrupt:
            if changing:  # typer ends the run with exit code 130 and no word
                Console(stderr=True, soft_wrap=True).print(
                    _("error: {message}").format(message=interrupted(options.out)),
                    markup=False,
                    highlight=False,
                )
            raise
    leftovers = remove_leftovers(earlier, written)
    forget_earlier(options.out)
    warnings = [p for p in results.problems if p.severity == "warning"]
    print_problems([*warnings, *leftovers.problems], console)
    _say_removed([*removed, *leftovers.removed], options.out, console)
    console.print(
        ngettext("Wrote {n} file to {folder}", "Wrote {n} files to {folder}", len(written)).format(
            n=len(written), folder=options.out
        ),
        markup=False,
        highlight=False,
    )
    return 0


def _say_removed(removed: Sequence[Path], out: Path, console: Console) -> None:
    """Name the files of earlier runs that a run removed (see :mod:`scoring.earlier`)."""
    if removed:
        console.print(
            ngettext(
                "Removed {n} file that an earlier run wrote into {folder} and this run did not "
                "write again: {files}",
                "Removed {n} files that an earlier run wrote into {folder} and this run did not "
                "write again: {files}",
                len(removed),
            ).format(
                n=len(removed),
                folder=out,
                files=", ".join(path.relative_to(out).as_posix() for path in removed),
            ),
            markup=False,
            highlight=False,
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
        output_folder=options.out,
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
    """Write blank jury sheets; prints the warnings about the assignments, then the files
    written."""
    refuse_file_as_folder(out)
    from scoring.template import write_templates_from_files

    console = Console(soft_wrap=True)  # scripts read whole lines, however long
    written, warnings = write_templates_from_files(
        load_config(config_file), out, teams=teams, assignments=assignments, language=lang
    )
    print_problems(warnings, console)
    for path in written:
        console.print(str(path), markup=False, highlight=False)
    return 0
