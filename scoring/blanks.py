"""Which files ``template`` may replace in its output folder: blank jury sheets only.

A chair who writes the templates into the folder where the filled-in sheets come back, and
runs ``template`` again for a late team, must not lose a juror's scores. A file already there
under a name the run writes is replaced only when it is a blank jury sheet as ``template``
writes them: every table headed by a team column; below the header nothing but the teams'
ids and their names as the teams file gives them; above it nothing but the first column's
labels and instructions and the juror's id beside the "Juror:" label; no formula, cell note,
picture or drawing anywhere. Anything else (a score, a comment, a note, a renamed team, a file
that is no jury sheet) stops the run before it writes anything, naming every such file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from scoring import columns as col
from scoring import headers
from scoring.cellvalues import cell, text
from scoring.config import Config
from scoring.errors import InputError, Problem
from scoring.grid import Table
from scoring.headers import criterion_lookup
from scoring.i18n import gettext as _
from scoring.tables import Header, data_rows, find_header
from scoring.workbook import read_tables

# Parts of an xlsx file that template never writes: cell notes, pictures, drawings, objects.
_ADDED_PARTS = ("xl/comments", "xl/threadedcomments", "xl/media/", "xl/drawings/", "xl/embeddings/")
# A formula element (<f>, <f t="shared" .../>), not the <formula1> of a cell's validation: a
# formula whose result was not saved reads as an empty cell, yet the reader takes it for a score.
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def refuse_replacing_work(paths: Iterable[Path], config: Config, names: Mapping[str, str]) -> None:
    """:class:`InputError` naming each of ``paths`` that exists and is not a blank jury
    sheet; nothing when each is missing or blank. ``names``: team id -> the name the sheets
    give it (as ``template`` writes it)."""
    lookup = criterion_lookup(config.every_criterion())
    problems = [
        Problem(
            "error",
            "not_a_blank_sheet",
            _(
                "is in the output folder and template would replace it, but it is not a blank "
                "jury sheet (scores, comments, notes, team names other than the teams file's, "
                "or other content are in it): move it out of the folder, or give another "
                "folder with --out"
            ),
            file=str(path),
        )
        for path in paths
        if (path.exists() or path.is_symlink()) and not blank_sheet(path, lookup, names)
    ]
    if problems:
        raise InputError(problems)


def blank_sheet(path: Path, lookup: dict[str, str], names: Mapping[str, str]) -> bool:
    """Whether ``path`` is a blank jury sheet, as the module's text says (a symbolic link,
    a folder or a file that cannot be read is not).

    Examples
    --------
    >>> blank_sheet(Path("data/sample-jury/anna.weber.xlsx"), {}, {})  # filled in
    False
    """
    if path.is_symlink() or not path.is_file():
        return False
    tables, problems = read_tables(path)  # which refuses zip bombs first
    if problems or not tables or _added_to(path):
        return False
    for table in tables:
        header = find_header(table, lookup)
        if header is None:
            if any(text(value) for row in table.rows for value in row):
                return False
        elif _written_above(table, header) or _written_below(table, header, names):
            return False
    return True


def _added_to(path: Path) -> bool:
    """Whether the xlsx file holds what template never writes: a formula, a cell note, a
    picture (True too when it cannot be looked into)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if any(part.filename.lower().startswith(_ADDED_PARTS) for part in parts):
                return True
            sheets = [p for p in parts if p.filename.lower().startswith("xl/worksheets/sheet")]
            if sum(part.file_size for part in sheets) > 2**24:  # a blank sheet is small
                return True
            return any(_FORMULA.search(archive.read(part)) for part in sheets)
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return True


def _written_above(table: Table, header: Header) -> bool:
    """Text above the header outside the first column, but the juror's id to the right of
    the "Juror:" label."""
    for row in table.rows[: header.row]:
        labelled = bool(row) and headers.juror_cell(text(row[0]))[0]
        if any(text(value) for j, value in enumerate(row) if j > 1 or (j == 1 and not labelled)):
            return True
    return False


def _written_below(table: Table, header: Header, names: Mapping[str, str]) -> bool:
    """Below the header, anything but the teams' ids and their names as the sheets give them."""
    team, name = header.first(col.TEAM), header.first(col.TEAM_NAME)
    for _i, row in data_rows(table, header):
        if any(text(value) for j, value in enumerate(row) if j not in (team, name)):
            return True
        if name is not None and text(cell(row, name)) != text(names.get(text(cell(row, team)), "")):
            return True
    return False
