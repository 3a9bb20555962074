"""What each command of ``hackathon-score`` does, stage by stage, without the argument parsing:
the jury's files read and checked, ``validate`` and ``template``; ``rank``, the command with
the most stages, has a module of its own (:mod:`scoring.rankcommand`).

Heavy libraries (scipy, matplotlib, Jinja2, Babel) are imported inside the stage that needs
them, so ``--help`` starts fast and ``--no-charts --no-report`` never loads matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from scoring.config import Config, load_config
from scoring.errors import Problem
from scoring.i18n import gettext as _
from scoring.i18n import ngettext
from scoring.outfolder import refuse_file_as_folder
from scoring.pipeline import method_problems
from scoring.progress import Steps, print_problems

if TYPE_CHECKING:
    from scoring.forks import Helper
    from scoring.reading import Prefetched
    from scoring.sheets import JuryInput


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
