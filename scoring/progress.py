"""What a command tells the user as it works: its progress, and the problems it found.

Progress is a rich progress bar on a terminal and plain numbered lines otherwise.

Scripts and CI logs get one line per stage (``[2/7] reading sheets ...``) and nothing that
redraws; people at a terminal get a bar over the stages with the current file and the
bootstrap's progress.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from rich.console import Console

from scoring.errors import Problem
from scoring.i18n import gettext as _

# Without a terminal, a stage that runs this long reports how far it is, then again each
# time this long has passed (seconds): a log must not fall silent for minutes.
PLAIN_PROGRESS_EVERY = 10.0


class Steps:
    """Announce ``total`` stages one after another; use as a context manager."""

    def __init__(self, total: int, *, console: Console | None = None) -> None:
        self.total = total
        self.done = 0
        self.console = console or Console(soft_wrap=True)
        self.live = self.console.is_terminal
        self._bar: Any = None
        self._stage_task: Any = None
        self._detail_task: Any = None
        self._label = ""
        self._said = 0.0  # when the current stage last printed a line (plain output)

    def __enter__(self) -> Steps:
        if self.live:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._stage_task = self._bar.add_task("", total=self.total)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._stop_bar()

    def _stop_bar(self) -> None:
        # rich signals its refresh thread to end without waiting for it; wait here, so that
        # no other thread runs once stopped (rich names no public handle for the thread).
        refresher = getattr(self._bar.live, "_refresh_thread", None)
        self._bar.stop()
        if refresher is not None:
            refresher.join(timeout=1.0)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The bar stands still inside (its refresh thread is stopped): e.g. while helper
        processes are forked, which must not happen while another thread runs."""
        if self._bar is None:
            yield
            return
        self._stop_bar()
        try:
            yield
        finally:
            self._bar.start()

    def step(self, label: str) -> None:
        """Start the next stage."""
        label = terminal_safe(label)
        self.done += 1
        self._label, self._said = label, time.monotonic()
        if self._bar is None:
            self.console.print(
                f"[{self.done}/{self.total}] {label} ...", markup=False, highlight=False
            )
            return
        self._bar.update(self._stage_task, completed=self.done - 1, description=label)
        if self._detail_task is not None:
            self._bar.remove_task(self._detail_task)
            self._detail_task = None

    def detail(self, text: str) -> None:
        """What the current stage is doing now (e.g. the file being read); terminal only."""
        if self._bar is not None:
            self._bar.update(self._stage_task, description=terminal_safe(text))

    def fraction(self, done: int, total: int) -> None:
        """Progress within the current stage (e.g. bootstrap resamples): on the bar, or
        without a terminal, a line every PLAIN_PROGRESS_EVERY seconds of a long stage
        (``[5/9] rank stability (bootstrap): 1,200 of 100,000``)."""
        if self._bar is None:
            now = time.monotonic()
            if now - self._said >= PLAIN_PROGRESS_EVERY and done < total:
                self._said = now
                from scoring.numbers import rubric_text

                line = _("[{stage}/{stages}] {label}: {done} of {total}").format(
                    stage=self.done,
                    stages=self.total,
                    label=self._label,
                    done=rubric_text(done),
                    total=rubric_text(total),
                )
                self.console.print(line, markup=False, highlight=False)
            return
        if self._detail_task is None:
            self._detail_task = self._bar.add_task("", total=total)
        self._bar.update(self._detail_task, completed=done, total=total)


def print_problems(problems: Sequence[Problem], console: Console) -> None:
    """One line per problem: severity, where, what to fix, in the current language."""
    for problem in problems:
        console.print(problem_line(problem), markup=False, highlight=False, soft_wrap=True)


def problem_line(problem: Problem) -> str:
    """``error: where: what to fix`` with the punctuation of the current language (French
    puts a space before the colon), like the rubric's errors.

    Examples
    --------
    >>> problem_line(Problem("warning", "x", "check it", file="a.csv", row=4))
    'warning: a.csv, row 4: check it'
    """
    where, message = terminal_safe(problem.location()), terminal_safe(problem.message)
    if problem.severity == "error":
        if where:
            return _("error: {where}: {message}").format(where=where, message=message)
        return _("error: {message}").format(message=message)
    if where:
        return _("warning: {where}: {message}").format(where=where, message=message)
    return _("warning: {message}").format(message=message)


def terminal_safe(text: str) -> str:
    r"""``text`` with control characters written out (``\x1b``): a sheet or file name a juror
    chose must not move the cursor, erase lines or turn text around on the chair's terminal
    (escape sequences, carriage returns, bidirectional overrides).

    Examples
    --------
    >>> terminal_safe("Marks\x1b[2K\rALL GOOD"), terminal_safe("Jury\u202e"), terminal_safe("Ä b")
    ('Marks\\x1b[2K\\rALL GOOD', 'Jury\\u202e', 'Ä b')
    """
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable()
        else char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Cf")
        else char
        for char in text
    )
