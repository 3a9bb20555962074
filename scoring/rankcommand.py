"""The ``rank`` command of ``hackathon-score``, stage by stage: the output folder checked before
anything is read, the files read and checked, the results computed and written with the
manifest, and what the run says at the end (the warnings, the files of earlier runs removed,
the files written).

Heavy libraries are imported inside the stage that needs them, as in :mod:`scoring.commands`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from scoring.commands import read
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
from scoring.pipeline import checked_compute
from scoring.progress import Steps, print_problems
from scoring.writeout import write_all

if TYPE_CHECKING:
    from scoring.aggregate import Scores
    from scoring.earlier import Earlier, Leftovers
    from scoring.forks import Helper
    from scoring.outputs import Results
    from scoring.reading import Prefetched
    from scoring.sheets import JuryInput
    from scoring.workbookjob import WorkbookJob


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
    from scoring.earlier import forget_earlier, remove_leftovers
    from scoring.workbookjob import WorkbookJob

    earlier, certain = _checked_folder(options)
    console = Console(soft_wrap=True)  # scripts read whole lines, however long
    config = resolved_config(load_config(options.config), options)
    use_event_language(options.lang, config.language)  # the report's, by default
    now = datetime.now(UTC)
    workbook = WorkbookJob(options.out)
    with Steps(stage_count(options, config.bootstrap.samples), console=console) as steps:
        steps.step(_("reading sheets"))
        jury = read(options.inputs, config, steps, prefetch)
        steps.step(_("checking the marks"))
        results, removed, written = _write_outputs(
            jury, config, options, steps, workbook, earlier, certain=certain, argv=argv, now=now
        )
    leftovers = remove_leftovers(earlier, written)
    forget_earlier(options.out)
    _say_done(results.problems, leftovers, removed, written, options.out, console)
    return 0


def _checked_folder(options: RankOptions) -> tuple[Earlier, list[str]]:
    """What earlier runs wrote into the output folder, and the files every run writes, once
    the folder is known to be one the run may write into (see :mod:`scoring.outfolder` and
    :mod:`scoring.earlier`): checked before the files are read."""
    from scoring.earlier import read_earlier, refuse_replacing
    from scoring.writeout import certain_outputs, possible_output

    refuse_file_as_folder(options.out)
    if options.charts:
        refuse_file_as_charts_folder(options.out)
    refuse_input_folder(options.out, options.inputs)
    earlier = read_earlier(options.out)
    certain = certain_outputs(options)
    # The files every run writes, before the work; and any other this run may write.
    refuse_replacing(earlier, certain, more=lambda name: possible_output(name, options))
    return earlier, certain


def _write_outputs(
    jury: JuryInput,
    config: Config,
    options: RankOptions,
    steps: Steps,
    workbook: WorkbookJob,
    earlier: Earlier,
    *,
    certain: Sequence[str],
    argv: Sequence[str],
    now: datetime,
) -> tuple[Results, list[Path], list[Path]]:
    """Score the marks and write the outputs, then the manifest: the results, the files of
    earlier runs set aside, and the files written. Interrupted once it began to change the
    folder, it says what the folder holds."""
    from scoring.earlier import refuse_replacing, set_aside
    from scoring.writeout import planned_outputs

    # The folder exists from here on: results.xlsx is begun as soon as the marks are scored.
    changing = False
    try:
        with writing(options.out), made(options.out), workbook:
            remove_killed_parts(options.out)
            results = _computed(jury, config, steps, workbook)
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
            _say_interrupted(options.out)
        raise
    return results, removed, written


def _computed(jury: JuryInput, config: Config, steps: Steps, workbook: WorkbookJob) -> Results:
    """The results of the marks; ``workbook`` begins results.xlsx as soon as they are scored."""

    def scored(scores: Scores) -> None:
        workbook.start(jury.marks, scores.normalised, steps.paused)

    return checked_compute(jury, config, config.bootstrap.samples, steps, scored=scored)


def _say_interrupted(out: Path) -> None:
    """Say what ``out`` holds after a run interrupted while writing into it."""
    Console(stderr=True, soft_wrap=True).print(
        _("error: {message}").format(message=interrupted(out)),
        markup=False,
        highlight=False,
    )


def _say_done(
    problems: Sequence[Problem],
    leftovers: Leftovers,
    removed: Sequence[Path],
    written: Sequence[Path],
    out: Path,
    console: Console,
) -> None:
    """What a run says at its end: its warnings (with the files of earlier runs kept, and
    why), the files of earlier runs it removed, and how many files it wrote, where."""
    warnings = [p for p in problems if p.severity == "warning"]
    print_problems([*warnings, *leftovers.problems], console)
    _say_removed([*removed, *leftovers.removed], out, console)
    console.print(
        ngettext("Wrote {n} file to {folder}", "Wrote {n} files to {folder}", len(written)).format(
            n=len(written), folder=out
        ),
        markup=False,
        highlight=False,
    )


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
