"""How ``hackathon-score`` says that a command failed: one "error: ..." line, as written and
whole; a file error in words that say which file and what to check; every problem of the jury's
files or of the rubric. :func:`scoring.cli.main` ends with these and exit code 2, never with a
traceback for bad input.
"""

from __future__ import annotations

import errno

from rich.console import Console

from scoring.errors import ConfigError, InputError, ScoringError
from scoring.i18n import gettext as _
from scoring.i18n import ngettext
from scoring.progress import print_problems, terminal_safe

# The errors of a full disk (or quota): only these are worth the advice to free some space.
FULL = frozenset(code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code)


def print_failure(console: Console, error: ScoringError | OSError) -> None:
    """What ``error`` is to the user: the problems of the jury's files and how many errors
    there are, each problem of the rubric on a line, or one line for any other error."""
    if isinstance(error, InputError):
        print_problems(error.problems, console)
        count = sum(problem.severity == "error" for problem in error.problems)
        console.print(
            ngettext(
                "{n} error: nothing was written.", "{n} errors: nothing was written.", count
            ).format(n=count),
            markup=False,
            highlight=False,
        )
    elif isinstance(error, ConfigError):
        for problem in error.problems:  # every problem of the rubric, one line each
            print_error(console, problem)
    elif isinstance(error, ScoringError):
        print_error(console, error)
    else:
        print_error(console, describe_os_error(error))


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
