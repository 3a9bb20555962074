"""One file's tables sorted out: which are read, and as what (marks, teams, assignments).

Each table is recognised by its header row (:mod:`scoring.tables`) and handed to its extractor
(:mod:`scoring.extract`); what a table is can depend on the rest of the file: a list of teams
beside one juror's scores is that juror's overview, a table of teams without scores a summary
of the teams scored beside it. A file with nothing recognisable in it is a problem. Nothing here
imports pandas (see :mod:`scoring.reading`).
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring import columns as col
from scoring.cellvalues import cell, text
from scoring.errors import Problem
from scoring.extract import EXTRACTORS
from scoring.extracted import Extracted
from scoring.grid import Table
from scoring.i18n import gettext as _
from scoring.spellings import folded
from scoring.tableproblems import headless_cells, problem
from scoring.tables import Header, data_rows, find_header, find_juror, kind_of

Found = tuple[Table, Header]  # a table and its header row


def extract_file(tables: list[Table], lookup: dict[str, str], out: Extracted) -> None:
    """The records of one file's ``tables`` into ``out``, each table recognised by its header
    row; a file with nothing recognisable in it is a problem."""
    first_marks = len(out.marks)  # this file's marks are out.marks[first_marks:]
    recognised, unrecognised, listings, unscored = _extract_marks(tables, lookup, out)
    _extract_team_lists(listings, out.marks[first_marks:], lookup, out)
    _extract_unscored(unscored, out.marks[first_marks:], lookup, out)
    _report_unread(tables, recognised, unrecognised, out)


def _extract_marks(
    tables: list[Table], lookup: dict[str, str], out: Extracted
) -> tuple[int, list[Table], list[Found], list[Found]]:
    """Extract the tables of marks and assignments into ``out``, in order. Returns how many
    tables were recognised, the unrecognised ones with text in them, and the tables read once
    the file's marks are known: the lists of teams, and the tables with a team column that
    could not hold scores."""
    unrecognised: list[Table] = []
    recognised = 0
    unscored: list[Found] = []
    listings: list[Found] = []  # team lists: read once the marks are known
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
        elif kind == "teams":
            listings.append((table, header))
        else:
            _extract_table(table, header, kind, lookup, out)
    return recognised, unrecognised, listings, unscored


def _extract_table(
    table: Table, header: Header, kind: str, lookup: dict[str, str], out: Extracted
) -> None:
    """The records of ``table`` read as ``kind``, its cells outside the header's columns, and
    a warning if it holds marks on a hidden sheet."""
    EXTRACTORS[kind](table, header, lookup, out)
    out.problems.extend(headless_cells(table, header))
    if table.hidden and kind in ("wide", "long"):
        out.problems.append(_hidden(table))


def _extract_team_lists(
    listings: list[Found], marks: Sequence[object], lookup: dict[str, str], out: Extracted
) -> None:
    """The lists of teams of a file read as the teams file, unless the file's ``marks`` are
    one juror's (a warning each)."""
    # One juror's scores: a list of teams beside them is that juror's own overview (names,
    # totals), not the event's teams file; a chair's workbook of every juror's marks and the
    # teams is read whole. (Worked out only for such a list: a jury sheet has none.)
    own = bool(listings) and len({folded(juror) for juror in _ids_of(marks, col.JUROR)}) == 1
    for table, header in listings:
        if own:
            message = _(
                "was not read as the teams file: it lists teams beside one juror's scores "
                "(their own overview, say); give the teams file as a file of its own"
            )
            out.problems.append(problem("warning", "not_teams_file", message, table, header.row))
        else:
            _extract_table(table, header, "teams", lookup, out)


def _extract_unscored(
    unscored: list[Found], marks: Sequence[object], lookup: dict[str, str], out: Extracted
) -> None:
    """The tables with a team column that could not hold scores, read as wide sheets unless
    they list only teams of the file's ``marks`` (a warning each)."""
    scored = _ids_of(marks) if unscored else set()
    for table, header in unscored:
        if _listed_teams(table, header) <= scored:  # teams scored beside it: a summary, say
            message = _(
                "was not read as scores: it has a team column but no criterion column and no "
                "juror, and lists only teams scored on another sheet; if it holds scores, head "
                "its columns with the criteria"
            )
            out.problems.append(problem("warning", "not_scores", message, table, header.row))
        else:  # read as a wide sheet, whose problems say what to fix
            _extract_table(table, header, "wide", lookup, out)


def _report_unread(
    tables: list[Table], recognised: int, unrecognised: list[Table], out: Extracted
) -> None:
    """A file of empty tables, and the tables with no header row: warnings beside a table
    read, else errors."""
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
