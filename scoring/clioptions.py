"""The arguments and options of ``hackathon-score``'s commands, in the current language.

typer reads the help texts from the annotations when a command is defined, so these are built
by functions that :mod:`scoring.cli` calls once the language is set; the placeholders of the
help ("<path>", "<int>", "<bool>" by default) are words of the current language too.
"""

from __future__ import annotations

from typing import Any

import typer

from scoring.clihelp import checked_language, whole_number
from scoring.i18n import LANGUAGES
from scoring.i18n import gettext as _


# Placeholders of the help ("<path>", "<int>", "<bool>" by default), in the current language.
def file_metavar() -> str:
    """The placeholder of a file in the help."""
    return _("FILE")


def number_option(name: str, high: int, help_text: str) -> Any:
    """An option taking a whole number from 0 to ``high``, checked by our own callback (its
    refusal in the current language, whichever typer converts)."""
    return typer.Option(
        name,
        callback=whole_number(0, high),
        help=help_text,
        metavar=_("NUMBER") + f" [0<=x<={high}]",
    )


def inputs_argument() -> Any:
    """The jury's files, the argument of ``validate`` and ``rank``."""
    return typer.Argument(
        help=_(
            "Jury sheets (.xlsx, .ods, .csv), with the teams and assignments files if any, or "
            "folders holding them."
        ),
        show_default=False,
        metavar=_("SHEETS"),
    )


def config_option() -> Any:
    """``--config``: the rubric."""
    return typer.Option(
        "--config",
        "-c",
        help=_("The rubric: a TOML file with the criteria, weights and method."),
        metavar=file_metavar(),
    )


def lang_option() -> Any:
    """``--lang``: the language of everything the command says and writes."""
    # --lang is read before parsing (scan_language); the option exists for --help and validation.
    return typer.Option(
        "--lang",
        help=_("Language of messages, help, report and charts: de, fr, en or lb."),
        callback=checked_language,
        is_eager=True,  # checked before --help: "--lang xx --help" is refused, not English
        metavar="<" + "|".join(LANGUAGES) + ">",
    )


def out_option(help_text: str) -> Any:
    """``--out``: the folder a command writes into, as ``help_text`` says."""
    return typer.Option("--out", "-o", help=help_text, metavar=_("FOLDER"))
