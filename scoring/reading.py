"""The jury's files read into plain records, without pandas.

:func:`read_files` opens each file (python-calamine, the csv module) and extracts its tables
(:mod:`scoring.extract`, numpy) into an :class:`~scoring.tables.Extracted`;
:mod:`scoring.sheets` then turns the records into frames. Nothing here imports pandas, so that
:func:`prefetch` can have a helper process read the files while this process is still loading
pandas and the rest (about half a second that the helper spends reading instead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import fields
from itertools import pairwise
from pathlib import Path

from scoring import columns as col
from scoring import forks
from scoring.errors import Problem
from scoring.extract import EXTRACTORS
from scoring.grid import Table
from scoring.headers import criterion_lookup
from scoring.i18n import get_language, use_event_language
from scoring.i18n import gettext as _
from scoring.spellings import folded
from scoring.tables import (
    Extracted,
    Header,
    cell,
    data_rows,
    find_header,
    find_juror,
    headless_cells,
    kind_of,
    problem,
    text,
)
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


def _ids_of(marks: Sequence[object], key: str = col.TEAM) -> set[str]:
    """The ids of ``key`` (teams, jurors) in marks extracted (frames of long tables, columns
    of wide sheets)."""
    teams: set[str] = set()
    for block in marks:
        values = block[key]  # type: ignore[index]
        if isinstance(values, str):
            teams.add(values)
        else:
            teams.update(map(str, values))
    return teams


def _listed_teams(table: Table, header: Header) -> set[str]:
    """The team ids in the team column of ``table`` (none: an empty table lists nothing)."""
    column = header.first(col.TEAM)
    return {team for _i, row in data_rows(table, header) if (team := text(cell(row, column)))}


def _hidden(table: Table) -> Problem:
    """Scores on a sheet nobody sees in the spreadsheet program: read, and said so."""
    message = _(
        "is a hidden sheet, and its scores are read; show it (right-click a sheet tab, "
        "Unhide) to check them, or delete it if they are old"
    )
    return problem("warning", "hidden_sheet", message, table)


def _could_hold_scores(table: Table, header: Header) -> bool:
    """Whether a table with a team column has criterion columns or says whose it is."""
    roles = set(header.roles.values())
    return bool(header.criteria) or col.JUROR in roles or find_juror(table, header.row)[0]


def _start_reading(share: Sequence[Path], lookup: dict[str, str]) -> forks.Helper[Extracted] | None:
    try:
        return forks.start(lambda: read_files(share, lookup, Extracted(), None))
    except OSError:  # no process to spare: read here
        return None


def _append(out: Extracted, more: Extracted) -> None:
    for field in fields(Extracted):
        getattr(out, field.name).extend(getattr(more, field.name))


def extract_file(tables: list[Table], lookup: dict[str, str], out: Extracted) -> None:
    """The records of one file's ``tables`` into ``out``, each table recognised by its header
    row; a file with nothing recognisable in it is a problem."""
    unrecognised: list[Table] = []
    recognised = 0
    unscored: list[tuple[Table, Header]] = []
    listings: list[tuple[Table, Header]] = []  # team lists: read once the marks are known
    first_marks = len(out.marks)  # this file's marks are out.marks[first_marks:]
    for table in tables:
        header = find_header(table, lookup)
        if header is None:
            if any(text(c) for row in table.rows for c in row):
                unrecognised.append(table)
            continue
        recognised += 1
        kind = kind_of(table, header)
        if kind == "wide" and not _could_hold_scores(table, header):
            unscored.append((table, header))
            continue
        if kind == "teams":
            listings.append((table, header))
            continue
        EXTRACTORS[kind](table, header, lookup, out)
        out.problems.extend(headless_cells(table, header))
        if table.hidden and kind in ("wide", "long"):
            out.problems.append(_hidden(table))
    # One juror's scores: a list of teams beside them is that juror's own overview (names,
    # totals), not the event's teams file; a chair's workbook of every juror's marks and the
    # teams is read whole. (Worked out only for such a list: a jury sheet has none.)
    own = (
        bool(listings)
        and len({folded(juror) for juror in _ids_of(out.marks[first_marks:], col.JUROR)}) == 1
    )
    for table, header in listings:
        if own:
            message = _(
                "was not read as the teams file: it lists teams beside one juror's scores "
                "(their own overview, say); give the teams file as a file of its own"
            )
            out.problems.append(problem("warning", "not_teams_file", message, table, header.row))
        else:
            EXTRACTORS["teams"](table, header, lookup, out)
            out.problems.extend(headless_cells(table, header))
    scored = _ids_of(out.marks[first_marks:]) if unscored else set()
    for table, header in unscored:
        if _listed_teams(table, header) <= scored:  # teams scored beside it: a summary, say
            message = _(
                "was not read as scores: it has a team column but no criterion column and no "
                "juror, and lists only teams scored on another sheet; if it holds scores, head "
                "its columns with the criteria"
            )
            out.problems.append(problem("warning", "not_scores", message, table, header.row))
        else:  # read as a wide sheet, whose problems say what to fix
            EXTRACTORS["wide"](table, header, lookup, out)
            out.problems.extend(headless_cells(table, header))
            if table.hidden:
                out.problems.append(_hidden(table))
    if tables and not recognised and not unrecognised:
        out.problems.append(
            Problem(
                "warning",
                "empty_file",
                _("is empty; check that the right file was sent"),
                file=str(tables[0].file),
            )
        )
    # A stray notes sheet beside a jury sheet is harmless; a file with no table at all is not.
    for table in unrecognised:
        out.problems.append(
            problem(
                "warning" if recognised else "error",
                "no_table",
                _(
                    "has no table with a team column; the header row needs a column named Team (or "
                    "Équipe, Equipe)"
                ),
                table,
            )
        )
