"""The ``hackathon-score`` command line: a thin layer over the scoring library.

``main(argv=None) -> int`` never raises for bad input: library errors (``ScoringError``) and
file errors (``OSError``) end as one clear message (:mod:`scoring.clierrors`) and exit code 2.
The language of the help and of every message comes from ``--lang``, else
HACKATHON_SCORE_LANG, LC_ALL or LANG; since the help text is built before the arguments are
parsed, ``argv`` is scanned for ``--lang`` first and the command line is built in that
language (its arguments and options: :mod:`scoring.clioptions`).

typer's own words (its vendored click writes "Usage:", "[OPTIONS]", "Try ... for help." with
no gettext at all; typer's help panels and messages use the stdlib ``gettext`` with no
catalog) are translated here: panel titles and typer's ``_`` are pointed at our catalog, the
usage line is written by command classes of our own, and usage errors are printed by
:func:`show_usage_error` in the current language.
"""

# No `from __future__ import annotations`: typer reads the annotations of the commands,
# which are local aliases built in the current language.
import gc
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

# typer ships its own copy of click; its exceptions are the ones raised here.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from scoring.blas import one_blas_thread
from scoring.clierrors import print_failure
from scoring.clihelp import (
    FLAG,
    HELP_OPTIONS,
    LocalisedCommand,
    LocalisedGroup,
    localise,
    show_usage_error,
    translate_help_headings,
)
from scoring.clioptions import (
    config_option,
    file_metavar,
    inputs_argument,
    lang_option,
    number_option,
    out_option,
)
from scoring.config import MAX_SAMPLES, MAX_SEED
from scoring.errors import ScoringError
from scoring.i18n import LANGUAGES, language_from_environment, set_language
from scoring.i18n import gettext as _

if TYPE_CHECKING:
    from scoring.forks import Helper
    from scoring.reading import Prefetched

PROG = "hackathon-score"


def scan_language(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` in ``argv`` (``--lang de`` or ``--lang=de``), if any; the last
    one when given twice (before and after the command), as options go.

    Examples
    --------
    >>> scan_language(["rank", "x", "--lang=fr"])
    'fr'
    >>> scan_language(["--lang", "fr", "rank", "--lang", "de"])
    'de'
    """
    found = None
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument.startswith("--lang="):
            found = _language_code(argument.split("=", 1)[1])
        elif argument == "--lang" and index + 1 < len(argv):
            found = _language_code(argv[index + 1])
    return found


def _language_code(value: str) -> str | None:
    """``value`` as the option accepts it (a language code, in any case), else None: an
    option refused (``--lang de_DE``) is refused in the environment's language."""
    code = value.lower()
    return code if code in LANGUAGES else None


def build_app(argv: Sequence[str] = ()) -> typer.Typer:
    """The command line, with every help text in the current language.

    ``argv`` is recorded in the manifest of a ``rank`` run. The commands are defined inside
    helpers called here, after the language is set, because typer reads the help texts from
    the annotations when a command is defined.
    """
    translate_help_headings()
    app = typer.Typer(
        name=PROG,
        cls=LocalisedGroup,
        help=_(
            "Turn jury sheets into a ranking you can defend: check the sheets, rank the "
            "teams, write blank sheets for the jurors."
        ),
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        options_metavar=_("[OPTIONS]"),
        subcommand_metavar=_("COMMAND [ARGS]..."),
        context_settings={"help_option_names": list(HELP_OPTIONS)},
    )

    # --lang is read from argv before parsing; here it is accepted (and shown in the help)
    # before the command name too: `hackathon-score --lang de --help`.
    @app.callback()
    def top(lang: Annotated[str | None, lang_option()] = None) -> None:
        pass

    _add_validate(app)
    _add_rank(app, argv)
    _add_template(app, argv)
    return app


def _add_validate(app: typer.Typer) -> None:
    help_text = _(
        "Check jury sheets and print every problem with its location. Exit code 2 when there "
        "are errors."
    )

    @app.command("validate", help=help_text, cls=LocalisedCommand)
    def validate_command(
        inputs: Annotated[list[Path], inputs_argument()],
        config: Annotated[Path, config_option()],
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        # The files are read by a helper while this process loads pandas and the rest.
        with _prefetching(inputs, config, lang=None, event_language=False) as prefetch:
            from scoring.commands import run_validate

            code = run_validate(inputs, config, prefetch=prefetch)
        raise typer.Exit(code)


@contextmanager
def _prefetching(
    inputs: Sequence[Path], config: Path, *, lang: str | None, event_language: bool
) -> "Iterator[Helper[Prefetched] | None]":
    """A helper reading the files (see :func:`scoring.reading.prefetch`), stopped on leaving
    if the command did not wait for it (it failed before reading)."""
    from scoring.reading import prefetch

    helper = prefetch(list(inputs), config, lang=lang, event_language=event_language)
    try:
        yield helper
    finally:
        if helper is not None:
            helper.stop()


def _add_rank(app: typer.Typer, argv: Sequence[str]) -> None:
    help_text = _(
        "Rank the teams and write the tables, charts, report and manifest into the output folder."
    )
    samples_help = _("Bootstrap resamples for rank stability (0: skip); default from the rubric.")
    seed_help = _("Random seed of the bootstrap; default from the rubric.")

    @app.command("rank", help=help_text, cls=LocalisedCommand)
    def rank_command(
        inputs: Annotated[list[Path], inputs_argument()],
        config: Annotated[Path, config_option()],
        out: Annotated[Path, out_option(_("Folder for the results."))],
        lang: Annotated[str | None, lang_option()] = None,
        no_charts: Annotated[
            bool, typer.Option("--no-charts", help=_("Do not draw charts."), metavar=FLAG)
        ] = False,
        no_report: Annotated[
            bool, typer.Option("--no-report", help=_("Do not write report.html."), metavar=FLAG)
        ] = False,
        samples: Annotated[
            str | None, number_option("--samples", MAX_SAMPLES, samples_help)
        ] = None,
        seed: Annotated[str | None, number_option("--seed", MAX_SEED, seed_help)] = None,
    ) -> None:
        charts, report = not no_charts, not no_report
        raise typer.Exit(
            _rank(argv, inputs, config, out, lang, charts, report, samples=samples, seed=seed)
        )


def _rank(
    argv: Sequence[str],
    inputs: list[Path],
    config: Path,
    out: Path,
    lang: str | None,
    charts: bool,
    report: bool,
    *,
    samples: str | None,
    seed: str | None,
) -> int:
    """The ``rank`` command once its arguments are parsed; returns the exit code."""
    # --lang before the command name counts as well (the top level's option).
    given = lang or scan_language(argv)
    # The files are read by a helper while this process loads pandas and the rest.
    with _prefetching(inputs, config, lang=given, event_language=True) as prefetch:
        from scoring.rankcommand import RankOptions, run_rank

        options = RankOptions(
            inputs=tuple(inputs),
            config=config,
            out=out,
            charts=charts,
            report=report,
            samples=None if samples is None else int(samples),
            seed=None if seed is None else int(seed),
            lang=given,
        )
        return run_rank(options, argv=argv, prefetch=prefetch)


def _add_template(app: typer.Typer, argv: Sequence[str]) -> None:
    help_text = _(
        "Write blank jury sheets for the rubric, one per juror when assignments are given."
    )
    teams_help = _("File listing the teams (team, name, challenge, site).")
    assignments_help = _("File listing which juror marks which team.")

    @app.command("template", help=help_text, cls=LocalisedCommand)
    def template_command(
        config: Annotated[Path, config_option()],
        out: Annotated[Path, out_option(_("Folder for the sheets."))],
        teams: Annotated[
            Path | None, typer.Option("--teams", help=teams_help, metavar=file_metavar())
        ] = None,
        assignments: Annotated[
            Path | None,
            typer.Option("--assignments", help=assignments_help, metavar=file_metavar()),
        ] = None,
        lang: Annotated[str | None, lang_option()] = None,
    ) -> None:
        from scoring.commands import run_template

        language = lang or scan_language(argv)
        raise typer.Exit(
            run_template(config, out, teams=teams, assignments=assignments, lang=language)
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(scan_language(args) or language_from_environment())
    errors = Console(stderr=True)
    command = typer.main.get_command(build_app(args))
    localise(command)
    try:
        result: Any = command.main(args=args, prog_name=PROG, standalone_mode=False)
    except NoArgsIsHelpError as error:  # `hackathon-score` alone: the help, as click does it
        error.show()
        return error.exit_code
    except UsageError as error:
        show_usage_error(error, errors)
        return error.exit_code
    except ClickException as error:
        error.show()
        return error.exit_code
    except typer.Abort:
        errors.print(_("Aborted."), markup=False)
        return 1
    except (ScoringError, OSError) as error:
        print_failure(errors, error)
        return 2
    return result if isinstance(result, int) else 0


def run() -> None:
    """The ``hackathon-score`` console script: :func:`main`, then a quick exit. SIGTERM (a
    CI job's timeout, a service stopped) ends a run as Ctrl-C does: files half written are
    removed and the folder is left as the interruption message says."""
    signal.signal(signal.SIGTERM, _terminated)
    one_blas_thread()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Every object still alive (pandas, matplotlib, the computed tables) would be traversed
    # by the collections of interpreter shutdown, 0.2-0.4 s after a large jury; frozen, they
    # are left alone. Nothing of ours needs a finaliser: every file is closed by now.
    gc.freeze()
    sys.exit(code)


def _terminated(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


if __name__ == "__main__":
    run()
