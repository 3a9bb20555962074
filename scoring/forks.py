"""Work handed to forked helper processes, so that a run uses more than one CPU.

A run's stages are mostly independent of each other in part: the second half of the jury's
files can be read while this process reads the first, and the charts and the results workbook
can be written while this process writes the rest. On Linux, :func:`start` forks a helper that
runs a function and sends its result back pickled through a pipe; the helper already holds
everything this process computed and imported, so nothing is copied or imported again.

The rules every helper keeps (see :mod:`scoring.chartjobs` for the charts' use of them):

* helpers are forked only from a single-threaded process (a lock held by another thread at the
  fork would stay locked in the child for good), and only on Linux;
* a helper never outlives the run: it dies with this process (Linux's parent-death signal),
  and :meth:`Helper.stop` kills and reaps it when the run fails;
* a helper that fails, or cannot be forked, changes nothing but the time taken: its caller
  does the work itself, so the result is the same whichever process computed it.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Generic, NoReturn, TypeVar

T = TypeVar("T")
# The ends of helpers' pipes this process holds (see _close_inherited).
_PARENT_ENDS: set[int] = set()
MAX_PROCESSES = 4  # by default, however many CPUs there are
SETTING = "HACKATHON_SCORE_PROCESSES"  # the environment variable that sets the number
LARGEST = 16
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# What CPython 3.12 and later warn (DeprecationWarning) when os.fork() runs while the process
# has other OS threads (Modules/posixmodule.c, warn_about_fork_with_threads).
FORK_WARNING = (
    r"This process \(pid=\d+\) is multi-threaded, "
    r"use of fork\(\) may lead to deadlocks in the child\."
)


def processes() -> int:
    """How many processes a run should use: on Linux, where forking is cheap, the number
    HACKATHON_SCORE_PROCESSES gives (1 to ``LARGEST``), else one per CPU this process may use
    (at most ``MAX_PROCESSES``); one elsewhere. ScoringError for a setting that is not such
    a number."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    setting = os.environ.get(SETTING, "").strip()
    if setting:
        if not setting.isdigit() or not 1 <= int(setting) <= LARGEST:
            from scoring.errors import ScoringError
            from scoring.i18n import gettext as _

            message = _("{name} must be a whole number from 1 to {largest}, not {value}")
            raise ScoringError(message.format(name=SETTING, largest=LARGEST, value=setting))
        return int(setting)
    return max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


def can_fork() -> bool:
    """Whether a helper may be forked now: on Linux, from a single-threaded process."""
    return processes() > 1 and threading.active_count() == 1


class Helper(Generic[T]):
    """A forked process running one function; :meth:`result` waits for what it returned,
    :meth:`post` sends it what it waits for (a helper started with ``inbox``)."""

    def __init__(self, pid: int, pipe: int | None, inbox: int | None = None) -> None:
        self.pid = pid
        self._pipe = pipe
        self._inbox = inbox
        self._reaped = False

    def post(self, value: object) -> None:
        """Send ``value`` (it must pickle) to the helper, once; a helper that died meanwhile
        is not an error here: :meth:`result` says that it failed."""
        if self._inbox is None:
            raise RuntimeError("this helper has no inbox, or was sent its value already")
        inbox, self._inbox = self._inbox, None
        try:
            _write_all(inbox, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except BrokenPipeError:
            pass
        finally:
            _close(inbox)

    def ready(self) -> bool:
        """Whether :meth:`result` can be had now: the helper has sent what it returned, or
        ended (a helper without a pipe is never ready)."""
        if self._pipe is None:
            return False
        import select

        return bool(select.select([self._pipe], [], [], 0)[0])

    def result(self) -> tuple[bool, T | None]:
        """Wait for the helper: (True, what it returned), or (False, None) when it failed.

        The helper is forgotten only once reaped, so that an interrupted wait leaves it to
        :meth:`stop`. A helper with an inbox that was posted nothing sees its end (EOFError).
        """
        if self._inbox is not None:
            _close(self._inbox)
            self._inbox = None
        data = b""
        if self._pipe is not None:
            chunks = []
            while chunk := os.read(self._pipe, 1 << 20):
                chunks.append(chunk)
            _close(self._pipe)
            self._pipe = None
            data = b"".join(chunks)
        ok = self._reap() == 0
        if not ok or not data:
            return ok, None
        # Our own child's bytes, through a pipe only the two processes hold.
        return True, pickle.loads(data)  # noqa: S301

    def _reap(self) -> int | None:
        try:
            status: int | None = os.waitpid(self.pid, 0)[1]
        except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): not known
            status = None
        self._reaped = True
        return status

    def stop(self) -> None:
        """Kill the helper and reap it: its work is not wanted any more."""
        for fd in (self._pipe, self._inbox):
            if fd is not None:
                _close(fd)
        self._pipe = self._inbox = None
        if self._reaped:  # its pid may be another process's by now
            return
        try:  # still ours (running, or exited and not reaped), so its pid is no one else's
            os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:  # reaped by someone else (SIGCHLD ignored)
            return
        os.kill(self.pid, signal.SIGKILL)
        self._reap()


def start(work: Callable[..., T], *, send: bool = True, inbox: bool = False) -> Helper[T]:
    """Fork a helper that runs ``work``; with ``send``, what it returns comes back through
    :meth:`Helper.result` (it must pickle). With ``inbox``, ``work`` is called with a function
    that returns the value :meth:`Helper.post` sends, waiting for it (EOFError when nothing is
    sent). Raises OSError when the system has no process to spare (the caller then does the
    work itself)."""
    _prctl()  # looked up before forking
    parent = os.getpid()
    pipes: list[int] = []
    try:
        read, write = _pipe(pipes) if send else (None, None)
        inbox_read, inbox_write = _pipe(pipes) if inbox else (None, None)
    except OSError:  # out of file descriptors: no helper
        for fd in pipes:
            os.close(fd)
        raise
    # The child's garbage collector would otherwise touch every object the two processes
    # share, copying the memory that holds them (Python documents gc.freeze for this). A host
    # that froze its own objects (a pre-forking server) keeps them frozen: freezing ours on
    # top would make them permanent, as gc.unfreeze cannot tell them apart.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    # Signals are blocked from before the fork until the child stands in a try that ends in
    # os._exit, and until the parent has recorded the child: a KeyboardInterrupt in between
    # would otherwise carry on in the caller's stack in the child, or lose the child's pid.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        with fork_warning_ignored():
            pid = os.fork()
            if pid == 0:
                _helper(work, parent, mask, write, inbox_read, close=(read, inbox_write))
        for child_end in (write, inbox_read):
            if child_end is not None:
                os.close(child_end)
        _PARENT_ENDS.update(end for end in (read, inbox_write) if end is not None)
        return Helper(pid, read, inbox_write)
    except BaseException:
        for fd in pipes:
            os.close(fd)
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if freeze:
            gc.unfreeze()


def _close(fd: int) -> None:
    _PARENT_ENDS.discard(fd)
    os.close(fd)


def _pipe(opened: list[int]) -> tuple[int, int]:
    read, write = os.pipe()
    opened += [read, write]
    return read, write


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _helper(
    work: Callable[..., object],
    parent: int,
    mask: set[int | signal.Signals],
    write: int | None,
    inbox: int | None,
    *,
    close: tuple[int | None, ...],
) -> NoReturn:
    """The life of a helper: run ``work``, send its result, then leave with status 0, or 1
    on any failure (including an orphaned helper's, whose work nobody waits for)."""
    status = 1
    try:
        _close_inherited(close)
        _die_with_parent(parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        result = work() if inbox is None else work(_receiver(inbox))
        if os.getppid() == parent:
            if write is not None:
                _write_all(write, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
    finally:
        # Leave at once: no atexit handlers, no flushing of output buffered by the parent.
        os._exit(status)


def _close_inherited(own: tuple[int | None, ...]) -> None:
    """Close the parent's ends of this helper's pipes (``own``) and of other helpers' pipes:
    a helper holding a write end of an inbox would keep its reader from ever seeing the end
    of what is posted."""
    for fd in _PARENT_ENDS | {fd for fd in own if fd is not None}:
        os.close(fd)
    _PARENT_ENDS.clear()


def _receiver(inbox: int) -> Callable[[], object]:
    """A function returning what the parent posts to ``inbox``. The pipe is read from now on
    by a thread, so that the parent's post never waits for this helper to ask."""
    chunks: list[bytes] = []

    def drain() -> None:
        while chunk := os.read(inbox, 1 << 20):
            chunks.append(chunk)
        os.close(inbox)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()

    def receive() -> object:
        reader.join()
        if not chunks:
            raise EOFError("nothing was posted to this helper")
        # Our parent's bytes, through a pipe only the two processes hold.
        return pickle.loads(b"".join(chunks))  # noqa: S301

    return receive


@contextmanager
def fork_warning_ignored() -> Iterator[None]:
    """CPython's warning about forking a multi-threaded process, ignored.

    Python threads are refused before forking (:func:`can_fork`). Python 3.12+ also counts
    the threads of C libraries (/proc/self/stat on Linux), which Python cannot see: numpy's
    OpenBLAS starts a pool of workers on import (/proc/self/task holds two threads after
    ``import numpy`` on two CPUs), so refusing to fork whenever /proc shows another thread
    would end the parallelism wherever numpy is loaded. OpenBLAS registers a pthread_atfork
    handler that stops its pool before the fork (started again on demand), so its threads are
    safe to fork past; the count cannot tell them from another library's, so it is no guide
    here. Only that one warning is ignored: shown, it would alarm users for nothing, and under
    ``-W error`` (pytest's filterwarnings) Python 3.15 reports it through
    ``sys.unraisablehook`` in the parent (3.12 and 3.13 drop it silently).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", FORK_WARNING, DeprecationWarning)
        yield


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
