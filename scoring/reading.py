"""The jury's files read into plain records, without pandas.

:func:`read_files` opens each file (python-calamine, the csv module) and extracts its tables
(:mod:`scoring.filetables`, :mod:`scoring.extract`, numpy) into an
:class:`~scoring.extracted.Extracted`; :mod:`scoring.sheets` then turns the records into frames.
Nothing here imports pandas, so that :func:`prefetch` can have a helper process read the files
while this process is still loading pandas and the rest (about half a second that the helper
spends reading instead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import fields
from itertools import pairwise
from pathlib import Path

from scoring import forks
from scoring.errors import Problem
from scoring.extracted import Extracted
from scoring.filetables import extract_file
from scoring.headers import criterion_lookup
from scoring.i18n import get_language, use_event_language
from scoring.i18n import gettext as _
from scoring.workbook import SUFFIXES, read_tables

# Spreadsheet formats a juror may send that are not read: reported, not silently skipped.
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".xltx", ".ots", ".fods", ".numbers", ".tsv")
# Fewer files than this are read by this process alone: a helper would cost more than it saves.
FILES_PER_HELPER = 8
# The share of the files a prefetching helper reads: it starts while this process still loads
# pandas and the rest, which takes about as long as reading two thirds of a large jury.
PREFETCH_SHARE = 2 / 3
Read = tuple[list[Path], Extracted]  # the files, and what they hold
# What a prefetching helper read: the language of its messages, the columns it knew, the
# files it found, and the records of the last of them (see prefetch_start).
Prefetched = tuple[str, dict[str, str], list[Path], Extracted]


def prefetch(
    paths: Sequence[Path], config_file: Path, *, lang: str | None, event_language: bool
) -> forks.Helper[Prefetched] | None:
    """A helper process reading the later files of the jury (``PREFETCH_SHARE`` of them),
    started before the caller loads the libraries it needs after reading; None when no helper
    can be forked, or for a jury of few files. :func:`read_all` reads the earlier files and
    takes the helper's records.

    The helper loads the rubric itself, as it needs the criteria to recognise the columns;
    with ``event_language``, its messages follow :func:`scoring.i18n.use_event_language` as
    the run's will. Its records are used only if the run finds the same files and reads them
    with the same columns in the same language. A helper that fails (a rubric that does not
    load, say) costs nothing but its time: the files are then read the usual way.
    """
    if not forks.can_fork() or len(expand(paths)[0]) < 2 * FILES_PER_HELPER:
        return None  # a few files are read faster than a helper starts

    def work() -> Prefetched:
        from scoring.config import load_config

        config = load_config(config_file)
        if event_language:
            use_event_language(lang, config.language)
        lookup = criterion_lookup(config.every_criterion())
        files = expand(paths)[0]
        later = read_files(files[prefetch_start(len(files)) :], lookup, Extracted(), None)
        return get_language(), lookup, files, later

    try:
        return forks.start(work)
    except OSError:  # no process to spare
        return None


def prefetch_start(count: int) -> int:
    """The first of ``count`` files that a prefetching helper reads."""
    return count - round(count * PREFETCH_SHARE)


def read_all(
    paths: Sequence[Path],
    lookup: dict[str, str],
    *,
    progress: Callable[[str], None] | None = None,
    processes: int = 1,
    pause: Callable[[], AbstractContextManager[object]] | None = None,
    prefetch: forks.Helper[Prefetched] | None = None,
) -> Read:
    """The files ``paths`` stand for (a folder: the spreadsheets directly in it), read in
    order, with helper processes when ``processes`` > 1 (see :func:`read_shared`), and the
    later files' records from ``prefetch`` when it read them (see :func:`prefetch`)."""
    files, extracted = expand(paths)
    pause = pause or nullcontext
    start = prefetch_start(len(files)) if prefetch is not None else len(files)
    read_shared(files[:start], lookup, extracted, progress, processes, pause)
    later = _prefetched(prefetch, lookup, files)
    if later is None:  # no helper, or it failed or read something else: read them here
        read_shared(files[start:], lookup, extracted, progress, processes, pause)
    else:
        _append(extracted, later)
    return files, extracted


def _prefetched(
    helper: forks.Helper[Prefetched] | None, lookup: dict[str, str], files: list[Path]
) -> Extracted | None:
    """The records ``helper`` read, if it read these files with these columns in the current
    language; None otherwise (the caller reads them)."""
    if helper is None:
        return None
    ok, found = helper.result()
    if not ok or found is None:
        return None
    language, known, seen, later = found
    return later if (language, known, seen) == (get_language(), lookup, files) else None


def expand(paths: Sequence[Path]) -> tuple[list[Path], Extracted]:
    """The spreadsheet files ``paths`` stand for, each once, in order (a folder: the .xlsx,
    .ods and .csv files directly in it, sorted), and the problems of paths that are none."""
    extracted = Extracted()
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if _is_sheet(p)))
            extracted.problems.extend(_skipped(path))
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            files.append(path)
        else:
            if path.exists():
                code = "not_a_spreadsheet"
                message = _(
                    "is not an .xlsx, .ods or .csv file; open it in your spreadsheet program and "
                    "save it as .xlsx, .ods or .csv, or leave it out of the files given"
                )
            else:
                code, message = "no_such_file", _("does not exist; check the path")
            extracted.problems.append(Problem("error", code, message, file=str(path)))
    return list(dict.fromkeys(files)), extracted


def _skipped(folder: Path) -> list[Problem]:
    """Spreadsheets in another format: most likely a juror's sheet saved in it, whose marks
    would be missing from a ranking written without a word; an error until it is converted
    or moved out of the folder."""
    message = _(
        "was not read: only .xlsx, .ods and .csv files are read; open it in your spreadsheet "
        "program and save it as .xlsx, or move it out of the folder if it is no jury sheet"
    )
    return [
        Problem("error", "skipped_file", message, file=str(p))
        for p in sorted(folder.iterdir())
        if p.is_file()
        and p.suffix.lower() in OTHER_SPREADSHEETS
        and not p.name.startswith(("~$", "."))  # lock files of an open workbook, hidden files
    ]


def _is_sheet(path: Path) -> bool:
    # Office lock files (~$x.xlsx, .~lock.x.ods#) and hidden files are not jury sheets.
    return (
        path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith(("~$", "."))
    )


def read_files(
    files: Sequence[Path],
    lookup: dict[str, str],
    out: Extracted,
    progress: Callable[[str], None] | None,
) -> Extracted:
    """Read ``files`` in order into ``out`` (returned); ``progress`` is told of each file."""
    for path in files:
        if progress is not None:
            progress(_("Reading {file}").format(file=path.name))
        tables, problems = read_tables(path)
        out.problems.extend(problems)
        extract_file(tables, lookup, out)
    return out


def read_shared(
    files: Sequence[Path],
    lookup: dict[str, str],
    out: Extracted,
    progress: Callable[[str], None] | None,
    processes: int,
    pause: Callable[[], AbstractContextManager[object]],
) -> None:
    """Read ``files`` into ``out`` in file order, the later shares by helper processes.

    Each helper reads a consecutive run of files into an :class:`Extracted` of its own, which
    is appended to ``out`` in turn: the same records in the same order as reading them all
    here. A share whose helper could not be forked, or failed, is read here.
    """
    count = max(1, min(processes, len(files) // FILES_PER_HELPER))
    bounds = [len(files) * i // count for i in range(count + 1)]
    own, *others = [files[a:b] for a, b in pairwise(bounds)]
    helpers: list[tuple[forks.Helper[Extracted] | None, Sequence[Path]]] = []
    try:
        if others:
            with pause():
                forking = forks.can_fork()
                for share in others:
                    helpers.append((_start_reading(share, lookup) if forking else None, share))
        read_files(own, lookup, out, progress)
        while helpers:
            helper, share = helpers[0]
            ok, theirs = helper.result() if helper is not None else (False, None)
            del helpers[0]
            if ok and theirs is not None:
                _append(out, theirs)
            else:
                read_files(share, lookup, out, progress)
    finally:
        for helper, _share in helpers:
            if helper is not None:
                helper.stop()


def _start_reading(share: Sequence[Path], lookup: dict[str, str]) -> forks.Helper[Extracted] | None:
    try:
        return forks.start(lambda: read_files(share, lookup, Extracted(), None))
    except OSError:  # no process to spare: read here
        return None


def _append(out: Extracted, more: Extracted) -> None:
    for field in fields(Extracted):
        getattr(out, field.name).extend(getattr(more, field.name))
