"""typer's own words in the current language: help panels, the usage line, usage errors.

typer vendors click, whose help and errors are English only ("Usage:", "[OPTIONS]", "Try ...
for help.", "Missing option ..."), and typer's own strings go through the stdlib ``gettext``
with no catalog. :mod:`scoring.cli` calls :func:`localise` once the language is set; the
strings live in the scoring catalog like every other message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import get_close_matches
from typing import Any

import typer
from rich.console import Console
from typer._click.decorators import help_option
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperCommand, TyperGroup

from scoring.i18n import LANGUAGES, gettext
from scoring.i18n import gettext as _

HELP_OPTIONS = ("--help", "-h")
# How click words an extra argument; the words inside the brackets are the user's.
EXTRA_ARGUMENTS = "Got unexpected extra argument(s) ("
# A flag takes no value: no placeholder beside it in the help.
FLAG = ""
# What --samples and --seed take (int() would take "1_000" and "١٢" as well).
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def localise(command: Any) -> None:
    """Put the help of ``command`` and its subcommands into the current language."""
    _translate_help_options(command)
    _translate_argument_types(command)


def translate_help_headings() -> None:
    """Route typer's own messages ("Missing command.", ...) through our catalog."""
    # typer.core calls `_` (the stdlib gettext, which has no catalog for it) when it writes
    # "Missing command.", "No such command 'x'." and the like: give it ours.
    from typer import core

    core._ = gettext


def _translate_rich_help() -> None:
    # typer's rich help reads these module constants when it renders; they are English only.
    # Set when help is drawn, not at start: importing rich_utils costs a run 0.1 s.
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = _("Arguments")
    rich_utils.OPTIONS_PANEL_TITLE = _("Options")
    rich_utils.COMMANDS_PANEL_TITLE = _("Commands")
    rich_utils.ERRORS_PANEL_TITLE = _("Error")
    rich_utils.DEFAULT_STRING = _("[default: {}]")
    rich_utils.REQUIRED_LONG_STRING = _("[required]")
    rich_utils.RICH_HELP = _("Try [blue]'{command_path} {help_option}'[/] for help.")
    rich_utils.ABORTED_TEXT = _("Aborted.")


def typer_messages() -> tuple[str, ...]:
    """typer's own messages that reach a user of hackathon-score, marked for extraction.

    typer.core looks them up through our catalog (see ``translate_help_headings``); naming
    them here puts them into scoring.pot, so the catalogs must translate them.
    """
    return (
        _("Missing command."),
        _("No such command {name!r}."),
        _("Aborted!"),
        _("default: {default}"),
        _("required"),
    )


class _Localised:
    """Usage line and help in the current language, and usage errors that name the command;
    mixed into typer's command and group classes (before them, so these methods win)."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(
            ctx.command_path, " ".join(usage_pieces(self, ctx)), prefix=_("Usage: ")
        )

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _translate_rich_help()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return with_context(super().parse_args, ctx, args)  # type: ignore[misc]


def usage_pieces(command: Any, ctx: Any) -> list[str]:
    """The usage line after the command's name, as click writes it: ``[OPTIONS] SHEETS...``
    (typer writes a required argument in braces, ``{SHEETS}``, and leaves out the dots)."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            piece = (param.metavar or (param.name or "").upper()) + (
                "..." if param.nargs != 1 else ""
            )
            pieces.append(piece if param.required else f"[{piece}]")
    if isinstance(command, TyperGroup) and command.subcommand_metavar:
        pieces.append(command.subcommand_metavar)
    return pieces


class LocalisedCommand(_Localised, TyperCommand):
    """A command whose usage line starts with "Usage:" in the current language."""


class LocalisedGroup(_Localised, TyperGroup):
    """The top command, with the usage line and the "did you mean" of a mistyped command in
    the current language (typer writes the latter in English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggest_commands = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            matches = get_close_matches(args[0], list(self.commands)) if args else []
            if matches:
                error.message = _("{message} Did you mean {commands}?").format(
                    message=error.message, commands=", ".join(repr(m) for m in matches)
                )
            raise


def with_context(parse: Callable[..., list[str]], ctx: Any, args: list[str]) -> list[str]:
    """``parse(ctx, args)``, with the command added to the usage errors that lack it.

    click's parser raises "option needs a value" without the command: with it, the usage line
    and the hint to --help are shown as for any other mistake.
    """
    try:
        return parse(ctx, args)
    except UsageError as error:
        if error.ctx is None:
            error.ctx, error.cmd = ctx, ctx.command
        raise


def _showing(text: str) -> Callable[..., str]:
    def get_metavar(*args: Any, **kwargs: Any) -> str:
        return text

    return get_metavar


def _translate_argument_types(command: Any) -> None:
    # typer shows an argument's type ("<path>") beside it, whatever its metavar; say in words
    # what goes there instead (each argument has a type object of its own).
    for each in (command, *getattr(command, "commands", {}).values()):
        for param in each.params:
            if isinstance(param, TyperArgument) and param.name == "inputs":
                param.type.get_metavar = _showing(_("files or folders"))  # type: ignore[method-assign]


def _translate_help_options(command: Any) -> None:
    # The --help option is built by typer with an English text; build it ourselves, once per
    # command, the way typer caches it, with the text in the current language.
    for each in (command, *getattr(command, "commands", {}).values()):
        help_option(list(HELP_OPTIONS))(each)
        each._help_option = each.params.pop()
        each._help_option.help = _("Show this message and exit.")
        each._help_option.metavar = FLAG


def show_usage_error(error: UsageError, console: Console) -> None:
    """A usage error as typer shows it (usage line, hint, framed message), in our language."""
    from rich.markup import escape
    from rich.panel import Panel

    if error.ctx is not None:
        console.print(error.ctx.get_usage(), markup=False, highlight=False)
        if error.ctx.command.get_help_option(error.ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=error.ctx.command_path, option=error.ctx.help_option_names[0]
            )
            console.print(hint, markup=False, highlight=False)
    console.print(
        Panel(escape(usage_message(error)), title=_("Error"), title_align="left", style="red")
    )


def usage_message(error: UsageError) -> str:
    """The message of a usage error in the current language (click's own is English)."""
    if isinstance(error, MissingParameter) and error.param is not None:
        if error.param.param_type_name == "argument":
            name = repr(error.param.metavar or error.param.name)
            return _("Missing argument {name}.").format(name=name)
        name = " / ".join(repr(o) for o in error.param.opts)
        return _("Missing option {name}.").format(name=name)
    if isinstance(error, BadParameter) and error.param is not None:
        name = " / ".join(repr(o) for o in error.param.opts)
        return _("Invalid value for {name}: {reason}").format(name=name, reason=error.message)
    if isinstance(error, BadOptionUsage):
        name = repr(error.option_name)
        if error.message.endswith("does not take a value."):
            return _("Option {name} takes no value; remove the '=' and what follows.").format(
                name=name
            )
        return _("Option {name} needs a value: write it after the option.").format(name=name)
    if isinstance(error, NoSuchOption):
        message = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            possible = ", ".join(sorted(error.possibilities))
            message += " " + _("(Possible options: {options})").format(options=possible)
        return message
    if error.message.startswith(EXTRA_ARGUMENTS) and error.message.endswith(")"):
        extra = error.message[len(EXTRA_ARGUMENTS) : -1]
        return _("Unexpected argument(s): {arguments}; remove them.").format(arguments=extra)
    return error.format_message()


def checked_language(
    ctx: typer.Context, param: typer.CallbackParam, value: str | None
) -> str | None:
    """The value of ``--lang`` as a language code, in any case (``--lang DE``); a usage error
    in the current language for any other."""
    if value is None:
        return None
    code = value.lower()
    if code not in LANGUAGES:
        reason = _("{value!r} is not one of {choices}; use one of them.").format(
            value=value, choices=", ".join(LANGUAGES)
        )
        raise BadParameter(reason, ctx=ctx, param=param)
    return code


def whole_number(low: int, high: int) -> Callable[..., str | None]:
    """The callback of an option taking a whole number from ``low`` to ``high``: a usage error
    in the current language for any other value (the option's value stays the text given)."""

    def check(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
        if value is None:
            return None
        if not WHOLE_NUMBER.fullmatch(value.strip()):
            reason = _("{value!r} is not a whole number; write one such as 1000.")
            raise BadParameter(reason.format(value=value), ctx=ctx, param=param)
        number = int(value)
        if number < low:
            reason = _("{value} is less than {limit}; use {limit} or more.")
            raise BadParameter(reason.format(value=number, limit=low), ctx=ctx, param=param)
        if number > high:
            reason = _("{value} is more than {limit}; use {limit} or less.")
            raise BadParameter(reason.format(value=number, limit=high), ctx=ctx, param=param)
        return value

    return check
