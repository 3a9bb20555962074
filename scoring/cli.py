"""The ``hackathon-score`` command line: a thin layer over the scoring library.

``main(argv=None) -> int`` never raises for bad input: library errors (``ScoringError``) and
file errors (``OSError``) end as one clear message and exit code 2. The language of the help
and of every message comes from ``--lang``, else HACKATHON_SCORE_LANG, LC_ALL or LANG; since
the help text is built before the arguments are parsed, ``argv`` is scanned for ``--lang``
first and the command line is built in that language.

typer's own words (its vendored click writes "Usage:", "[OPTIONS]", "Try ... for help." with
no gettext at all; typer's help panels and messages use the stdlib ``gettext`` with no
catalog) are translated here: panel titles and typer's ``_`` are pointed at our catalog, the
usage line is written by command classes of our own, and usage errors are printed by
:func:`show_usage_error` in the current language.
"""

# No `from __future__ import annotations`: typer reads the annotations of the commands,
# which are local aliases built in the current language.
import errno
import gc
import os
import signal
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

# typer ships its own copy of click; its exceptions are the ones raised here.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from scoring.clihelp import (
    FLAG,
    HELP_OPTIONS,
    LocalisedCommand,
    LocalisedGroup,
    checked_language,
    localise,
    show_usage_error,
    translate_help_headings,
    whole_number,
)
from scoring.config import MAX_SAMPLES, MAX_SEED
from scoring.errors import ConfigError, InputError, ScoringError
from scoring.i18n import (
    LANGUAGES,
    language_from_environment,
    ngettext,
    set_language,
)
from scoring.i18n import gettext as _
from scoring.progress import print_problems, terminal_safe

if TYPE_CHECKING:
    from scoring.forks import Helper
    from scoring.reading import Prefetched

PROG = "hackathon-score"
# The errors of a full disk (or quota): only these are worth the advice to free some space.
FULL = frozenset(code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code)


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


# Placeholders of the help ("<path>", "<int>", "<bool>" by default), in the current language.
def _file() -> str:
    return _("FILE")


def _number_option(name: str, high: int, help_text: str) -> Any:
    """An option taking a whole number from 0 to ``high``, checked by our own callback (its
    refusal in the current language, whichever typer converts)."""
    return typer.Option(
        name,
        callback=whole_number(0, high),
        help=help_text,
        metavar=_("NUMBER") + f" [0<=x<={high}]",
    )


def _inputs() -> Any:
    return typer.Argument(
        help=_(
            "Jury sheets (.xlsx, .ods, .csv), with the teams and assignments files if any, or "
            "folders holding them."
        ),
        show_default=False,
        metavar=_("SHEETS"),
    )


def _config() -> Any:
    return typer.Option(
        "--config",
        "-c",
        help=_("The rubric: a TOML file with the criteria, weights and method."),
        metavar=_file(),
    )


def _lang() -> Any:
    # --lang is read before parsing (scan_language); the option exists for --help and validation.
    return typer.Option(
        "--lang",
        help=_("Language of messages, help, report and charts: de, fr, en or lb."),
        callback=checked_language,
        is_eager=True,  # checked before --help: "--lang xx --help" is refused, not English
        metavar="<" + "|".join(LANGUAGES) + ">",
    )


def _folder(help_text: str) -> Any:
    return typer.Option("--out", "-o", help=help_text, metavar=_("FOLDER"))


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
    def top(lang: Annotated[str | None, _lang()] = None) -> None:
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
        inputs: Annotated[list[Path], _inputs()],
        config: Annotated[Path, _config()],
        lang: Annotated[str | None, _lang()] = None,
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
        inputs: Annotated[list[Path], _inputs()],
        config: Annotated[Path, _config()],
        out: Annotated[Path, _folder(_("Folder for the results."))],
        lang: Annotated[str | None, _lang()] = None,
        no_charts: Annotated[
            bool, typer.Option("--no-charts", help=_("Do not draw charts."), metavar=FLAG)
        ] = False,
        no_report: Annotated[
            bool, typer.Option("--no-report", help=_("Do not write report.html."), metavar=FLAG)
        ] = False,
        samples: Annotated[
            str | None, _number_option("--samples", MAX_SAMPLES, samples_help)
        ] = None,
        seed: Annotated[str | None, _number_option("--seed", MAX_SEED, seed_help)] = None,
    ) -> None:
        # --lang before the command name counts as well (the top level's option).
        given = lang or scan_language(argv)
        # The files are read by a helper while this process loads pandas and the rest.
        with _prefetching(inputs, config, lang=given, event_language=True) as prefetch:
            from scoring.rankcommand import RankOptions, run_rank

            options = RankOptions(
                inputs=tuple(inputs),
                config=config,
                out=out,
                charts=not no_charts,
                report=not no_report,
                samples=None if samples is None else int(samples),
                seed=None if seed is None else int(seed),
                lang=given,
            )
            code = run_rank(options, argv=argv, prefetch=prefetch)
        raise typer.Exit(code)


def _add_template(app: typer.Typer, argv: Sequence[str]) -> None:
    help_text = _(
        "Write blank jury sheets for the rubric, one per juror when assignments are given."
    )
    teams_help = _("File listing the teams (team, name, challenge, site).")
    assignments_help = _("File listing which juror marks which team.")

    @app.command("template", help=help_text, cls=LocalisedCommand)
    def template_command(
        config: Annotated[Path, _config()],
        out: Annotated[Path, _folder(_("Folder for the sheets."))],
        teams: Annotated[
            Path | None, typer.Option("--teams", help=teams_help, metavar=_file())
        ] = None,
        assignments: Annotated[
            Path | None, typer.Option("--assignments", help=assignments_help, metavar=_file())
        ] = None,
        lang: Annotated[str | None, _lang()] = None,
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
    except InputError as error:
        print_problems(error.problems, errors)
        count = sum(problem.severity == "error" for problem in error.problems)
        errors.print(
            ngettext(
                "{n} error: nothing was written.", "{n} errors: nothing was written.", count
            ).format(n=count),
            markup=False,
            highlight=False,
        )
        return 2
    except ConfigError as error:
        for problem in error.problems:  # every problem of the rubric, one line each
            print_error(errors, problem)
        return 2
    except ScoringError as error:
        print_error(errors, error)
        return 2
    except OSError as error:
        print_error(errors, describe_os_error(error))
        return 2
    return result if isinstance(result, int) else 0


def print_error(console: Console, message: object) -> None:
    """One "error: ..." line, as written (no markup), whole (no wrapping)."""
    console.print(
        _("error: {message}").format(message=terminal_safe(str(message))),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def describe_os_error(error: OSError) -> str:
    """A file error in words that say which file and what to check."""
    name = error.filename if error.filename is not None else ""
    if isinstance(error, FileNotFoundError):
        return _("{file} does not exist; check the path.").format(file=name)
    if isinstance(error, PermissionError):
        return _(
            "{file} cannot be opened: permission denied; ask for read access or copy the file."
        ).format(file=name)
    if isinstance(error, FileExistsError):
        return _("{file} exists and is not a folder; give a folder for the results.").format(
            file=name
        )
    if isinstance(error, IsADirectoryError):
        return _("{file} is a folder, a file was expected; give the path of the file.").format(
            file=name
        )
    reason = error.strerror or str(error)
    if error.errno in FULL:
        if not name:
            return _("{reason}; free some disk space, or write to another disk.").format(
                reason=reason
            )
        return _(
            "{file} could not be written ({reason}); free some disk space, or write to "
            "another disk."
        ).format(file=name, reason=reason)
    if not name:
        return _("{reason}; check the paths given.").format(reason=reason)
    return _("{file} could not be read or written ({reason}); check the path.").format(
        file=name, reason=reason
    )


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


BLAS_SETTINGS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def one_blas_thread(environ: MutableMapping[str, str] | None = None) -> None:
    """Let numpy's matrix library (OpenBLAS or MKL) run on one thread, unless the user set
    its number of threads: to be called before numpy is imported.

    A run already shares its work among processes (see :mod:`scoring.forks`); BLAS threads
    on top only wait for work, spinning. On the benchmark's jury (benchmarks/) they cost 0.12
    s of CPU with the tables alone and 0.27 s with the charts, for no gain in time, and 0.2 s
    of CPU in a run of one process, again for none.
    """
    environ = os.environ if environ is None else environ
    if not any(environ.get(name) for name in BLAS_SETTINGS):
        environ["OPENBLAS_NUM_THREADS"] = environ["MKL_NUM_THREADS"] = "1"


def _terminated(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


if __name__ == "__main__":
    run()
