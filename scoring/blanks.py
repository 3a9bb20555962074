"""Which files ``template`` may replace in its output folder: blank jury sheets only.

A chair who writes the templates into the folder where the filled-in sheets come back, and
runs ``template`` again for a late team, must not lose a juror's scores. A file already there
under a name the run writes is replaced only when it is a blank jury sheet: every table in it
headed by a team column, with nothing written below the header but the teams' ids and names
(the juror's id above it may be filled in). Anything else (a score, a comment, a note in a
column of its own, a file that is no jury sheet) stops the run before it writes anything,
naming every such file at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from scoring import columns as col
from scoring.config import Config
from scoring.errors import InputError, Problem
from scoring.headers import criterion_lookup
from scoring.i18n import gettext as _
from scoring.tables import data_rows, find_header, text
from scoring.workbook import read_tables


def refuse_replacing_work(paths: Iterable[Path], config: Config) -> None:
    """:class:`InputError` naming each of ``paths`` that exists and is not a blank jury
    sheet; nothing when each is missing or blank."""
    lookup = criterion_lookup(config.every_criterion())
    problems = [
        Problem(
            "error",
            "not_a_blank_sheet",
            _(
                "is in the output folder and template would replace it, but it is not a blank "
                "jury sheet (scores, comments or other content are in it): move it out of the "
                "folder, or give another folder with --out"
            ),
            file=str(path),
        )
        for path in paths
        if (path.exists() or path.is_symlink()) and not blank_sheet(path, lookup)
    ]
    if problems:
        raise InputError(problems)


def blank_sheet(path: Path, lookup: dict[str, str]) -> bool:
    """Whether ``path`` is a blank jury sheet, as the module's text says (a symbolic link,
    a folder or a file that cannot be read is not).

    Examples
    --------
    >>> blank_sheet(Path("data/sample-jury/anna.weber.xlsx"), {})  # filled in
    False
    """
    if path.is_symlink() or not path.is_file():
        return False
    tables, problems = read_tables(path)
    if problems or not tables:
        return False
    for table in tables:
        header = find_header(table, lookup)
        if header is None:
            if any(text(value) for row in table.rows for value in row):
                return False
            continue
        given = {header.first(col.TEAM), header.first(col.TEAM_NAME)}
        for _i, row in data_rows(table, header):
            if any(text(value) for j, value in enumerate(row) if j not in given):
                return False
    return True
