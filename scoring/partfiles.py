"""Output files written whole or not at all.

Every file of a run is written beside its final path, under a hidden name that carries the
writing process's id (``.ranking.csv.4242.part``), then renamed over the final path: a run
interrupted while writing leaves the previous file, never a truncated one. A run killed
outright (SIGKILL, the machine's out-of-memory killer, a power cut) cannot remove its partial
file; the next run into the same folder does (:func:`remove_stale`), once the process that was
writing it no longer exists.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PART = re.compile(r"\.(.+)\.(\d+)\.part")


def part_path(path: Path, pid: int | None = None) -> Path:
    """Where process ``pid`` (default: this one) writes ``path`` before renaming it.

    Examples
    --------
    >>> part_path(Path("out/ranking.csv"), 4242).as_posix()
    'out/.ranking.csv.4242.part'
    """
    return path.with_name(f".{path.name}.{os.getpid() if pid is None else pid}.part")


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A path beside ``path`` to write; it replaces ``path`` once the block succeeds, and is
    removed when the block fails."""
    part = part_path(path)
    try:
        yield part
        try:
            os.replace(part, path)
        except OSError as error:  # said of the file written, not of the hidden part
            raise type(error)(error.errno, error.strerror, str(path)) from error
    finally:
        part.unlink(missing_ok=True)


def final_name(path: Path) -> Path:
    """The file a partial file (see :func:`part_path`) stands for; any other path as it is.

    Examples
    --------
    >>> final_name(Path("out/.ranking.csv.4242.part")).as_posix()
    'out/ranking.csv'
    """
    found = _PART.fullmatch(path.name)
    return path.with_name(found[1]) if found else path


def remove_stale(folder: Path, outputs: str) -> list[Path]:
    """Remove the partial files that killed runs left in ``folder`` (see the module's text):
    those of the files whose names match the regular expression ``outputs`` (what a run
    writes there; a hidden file of the user's stays) and of processes that no longer exist
    on this machine. Returns the files removed. On systems without POSIX signals nothing is
    removed, as a process's existence cannot be asked safely there (``os.kill(pid, 0)`` on
    Windows ends the process)."""
    if os.name != "posix":
        return []
    try:
        entries = list(folder.iterdir())
    except OSError:  # no such folder yet, or not readable: nothing to tidy
        return []
    removed = []
    for entry in entries:
        found = _PART.fullmatch(entry.name)
        if found is None or not re.fullmatch(outputs, found[1]):
            continue
        if _running(int(found[2])) or not entry.is_file():
            continue
        try:
            entry.unlink()
        except OSError:  # removed meanwhile, or not ours to remove: left as it is
            continue
        removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (POSIX): signal 0 checks without sending anything."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OverflowError:  # not a process id at all
        return False
    return True
