"""Drawing a run's charts in several processes at once.

The charts of a run are independent of each other and of the tables, and drawing them (text
layout above all: a jury of 200 teams has hundreds of labelled rows) takes longer than all
the scoring. On Linux, :class:`ChartJob` forks helper processes that draw a share of the
charts while this process goes on (writing the tables, then drawing its own share). A forked
process already holds the computed tables and matplotlib, so nothing is copied or imported
again, and each chart is drawn from the same data by the same code: the files are the same
bytes whichever process writes them. Helpers are forked only from a single-threaded process.

A helper never outlives the run: it dies with this process (Linux's parent-death signal), stops
between charts once orphaned, and is killed when the run fails. A share that cannot be given
to a helper (no process to spare) is drawn here.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from scoring.outputs import ChartSpec

MAX_PROCESSES = 4
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# What CPython 3.12 and later warn (DeprecationWarning) when os.fork() runs while the process
# has other OS threads (Modules/posixmodule.c, warn_about_fork_with_threads).
FORK_WARNING = (
    r"This process \(pid=\d+\) is multi-threaded, "
    r"use of fork\(\) may lead to deadlocks in the child\."
)


def chart_processes() -> int:
    """How many processes should draw the charts: one per CPU this process may use (at most
    ``MAX_PROCESSES``) on Linux, where forking is cheap; one elsewhere."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


def shares(
    specs: Sequence[ChartSpec], processes: int, *, head_start: int = 0
) -> list[list[ChartSpec]]:
    """``specs`` split into at most ``processes`` shares of about equal weight, each in the
    order of ``specs``; the first share (this process's) starts ``head_start`` heavier.

    Examples
    --------
    >>> from scoring.outputs import ChartSpec
    >>> specs = [ChartSpec(n, n, print, w) for n, w in (("a", 3), ("b", 2), ("c", 2))]
    >>> [[spec.name for spec in share] for share in shares(specs, 2)]
    [['a'], ['b', 'c']]
    """
    count = max(1, min(processes, len(specs)))
    split: list[list[ChartSpec]] = [[] for _ in range(count)]
    loads = [head_start] + [0] * (count - 1)
    for spec in sorted(specs, key=lambda s: -s.weight):  # heaviest first, into the lightest
        lightest = loads.index(min(loads))
        split[lightest].append(spec)
        loads[lightest] += spec.weight
    order = {spec.name: i for i, spec in enumerate(specs)}
    return [sorted(share, key=lambda s: order[s.name]) for share in split]


class ChartJob:
    """The charts ``specs`` being drawn into ``out``: helpers start on entering, the rest
    is drawn by :meth:`finish`. Use as a context manager: on leaving, the helpers are waited
    for, or killed when the work in between failed.

    ``head_start`` is the weight of the work this process does before :meth:`finish`.
    """

    def __init__(
        self, specs: Sequence[ChartSpec], out: Path, *, processes: int = 1, head_start: int = 0
    ) -> None:
        self.specs, self.out = list(specs), out
        own, *others = shares(self.specs, processes, head_start=head_start)
        self.own = own
        self.others = others
        self.helpers: list[tuple[int, list[ChartSpec]]] = []

    def __enter__(self) -> ChartJob:
        self.out.mkdir(parents=True, exist_ok=True)
        if threading.active_count() > 1 or not hasattr(os, "fork"):
            # A lock held by another thread at the fork stays locked in the child for good
            # (a progress bar writing to the terminal, a server's worker): draw them all here.
            self.own, self.others = self.specs, []
        try:
            self._start()
        except BaseException:
            self._stop()  # __exit__ is not called when __enter__ fails
            raise
        return self

    def _start(self) -> None:
        others = [share for share in self.others if share]
        if not others:
            return
        import scoring.charts  # noqa: F401  (imported before forking, not once per helper)

        _prctl()  # looked up before forking too
        # The child's garbage collector would otherwise touch every object the two processes
        # share, copying the memory that holds them (Python documents gc.freeze for this). A
        # host that froze its own objects (a pre-forking server) keeps them frozen: freezing
        # ours on top would make them permanent, as gc.unfreeze cannot tell them apart.
        freeze = gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        try:
            for share in others:
                try:
                    _fork_helper(share, self.out, self.helpers)
                except OSError:  # EAGAIN, ENOMEM: no process to spare, so draw it here
                    self.own = [*self.own, *share]
        finally:
            if freeze:
                gc.unfreeze()

    def finish(self) -> list[tuple[ChartSpec, Path, Path]]:
        """Draw this process's share, wait for the helpers and draw again whatever a failed
        helper left (so that its error is raised here); (spec, png, svg) for every chart."""
        _draw(self.own, self.out)
        for share in self._wait():
            _draw(share, self.out)
        return [(s, self.out / f"{s.name}.png", self.out / f"{s.name}.svg") for s in self.specs]

    def _wait(self) -> list[list[ChartSpec]]:
        """Wait for every helper; the shares of those that failed. A helper is forgotten only
        once reaped, so that an interrupted wait leaves the rest to :meth:`_stop`."""
        failed = []
        while self.helpers:
            pid, share = self.helpers[0]
            try:
                status: int | None = os.waitpid(pid, 0)[1]
            except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): not known
                status = None
            del self.helpers[0]
            if status != 0:
                failed.append(share)
        return failed

    def _stop(self) -> None:
        """Kill the helpers and reap them: the run failed, their charts are not wanted."""
        for pid, _share in self.helpers:
            try:  # still ours (running, or exited and not reaped), so its pid is no one else's
                os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:  # reaped by someone else (SIGCHLD ignored)
                continue
            os.kill(pid, signal.SIGKILL)
        self._wait()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self._wait()
        else:
            self._stop()


@contextmanager
def fork_warning_ignored() -> Iterator[None]:
    """CPython's warning about forking a multi-threaded process, ignored.

    Python threads are refused before forking (``threading.active_count()``). Python 3.12+
    also counts the threads of C libraries (/proc/self/stat on Linux), which Python cannot
    see: numpy's OpenBLAS starts a pool of workers on import (/proc/self/task holds two
    threads after ``import numpy`` on two CPUs), so refusing to fork whenever /proc shows
    another thread would end the parallelism wherever numpy is loaded. OpenBLAS registers a
    pthread_atfork handler that stops its pool before the fork (started again on demand), so
    its threads are safe to fork past; the count cannot tell them from another library's,
    so it is no guide here. Only that one warning is ignored: shown, it would alarm users for
    nothing, and under ``-W error`` (pytest's filterwarnings) Python 3.15 reports it through
    ``sys.unraisablehook`` in the parent (3.12 and 3.13 drop it silently).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", FORK_WARNING, DeprecationWarning)
        yield


def _draw(share: Sequence[ChartSpec], out: Path, *, parent: int | None = None) -> bool:
    """Save each chart of ``share``; in a helper (``parent`` given), stop once orphaned, as
    nobody waits for these charts any more (False then)."""
    from scoring.charts import save_chart

    for spec in share:
        if parent is not None and os.getppid() != parent:
            return False
        save_chart(spec.draw(), out / spec.name)
    return True


def _fork_helper(
    share: list[ChartSpec], out: Path, helpers: list[tuple[int, list[ChartSpec]]]
) -> None:
    """Fork a helper that draws ``share`` and add it to ``helpers``; OSError when the system
    has no process to spare."""
    parent = os.getpid()
    # Signals are blocked from before the fork until the child stands in a try that ends in
    # os._exit, and until the parent has recorded the child: a KeyboardInterrupt in between
    # would otherwise carry on in the caller's stack in the child, or lose the child's pid.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        with fork_warning_ignored():
            pid = os.fork()
            if pid == 0:
                _helper(share, out, parent, mask)
        helpers.append((pid, share))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _helper(
    share: Sequence[ChartSpec], out: Path, parent: int, mask: set[int | signal.Signals]
) -> NoReturn:
    """The life of a helper: draw ``share``, then leave with status 0, or 1 on any failure."""
    status = 1
    try:
        _die_with_parent(parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if _draw(share, out, parent=parent):
            status = 0
    finally:
        # Leave at once: no atexit handlers, no flushing of output buffered by the parent.
        os._exit(status)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this helper when its parent dies, even by SIGKILL (Linux; the
    "parent" is the thread that forked, and only a single-threaded process forks)."""
    prctl = _prctl()
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # died before the signal was asked for
        os._exit(1)


@cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl, on Linux."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl
