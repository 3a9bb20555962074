"""Recognise what a table is (wide jury sheet, long marks, teams, assignments) by its header.

Every table is found by its header row: the first of the top rows with a team column. Then

* ``criterion`` and ``score`` columns: **long** marks, one row per juror, team and criterion;
* columns named like rubric criteria: a **wide** sheet, one row per team, the juror's id in a
  "Juror:" cell above the table (or in a juror column);
* a juror column and nothing else known: **assignments** (which juror scores which team);
* a name, challenge or site column: the **teams** file.

Each kind is extracted by :mod:`scoring.extract`; the cells are read by
:mod:`scoring.cellvalues`, and the problems of a table located by :mod:`scoring.tableproblems`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

from scoring import columns as col
from scoring import headers
from scoring.cellvalues import cell, text
from scoring.grid import Table

HEADER_SEARCH_ROWS = 30
_SIDE_ROLES = (col.TEAM_NAME, col.CHALLENGE, col.SITE)


@dataclass(frozen=True)
class Header:
    """The header row of a table: its index and the role or criterion of each column."""

    row: int
    roles: dict[int, str]  # column index -> role (col.TEAM, ...) for known non-criterion columns
    criteria: dict[int, str]  # column index -> criterion id
    unknown: dict[int, str]  # column index -> header text matching nothing

    def first(self, role: str) -> int | None:
        return next((j for j, r in self.roles.items() if r == role), None)


def find_header(table: Table, lookup: dict[str, str]) -> Header | None:
    """The first row with a team column among the first rows; with the row below it when
    that row completes it (a header of two rows: "Criteria (0-10)" merged across the
    columns, the criteria's names below it)."""
    for i, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if any(headers.role_of(cell) == col.TEAM for cell in row if text(cell)):
            header = _header(i, row, lookup)
            below = table.rows[i + 1] if i + 1 < len(table.rows) else ()
            if _completes(header, below, lookup):
                joined = [
                    low if text(low) else high
                    for high, low in zip_longest(row, below, fillvalue="")
                ]
                return _header(i + 1, joined, lookup)
            return header
    return None


def _completes(header: Header, below: Sequence[object], lookup: dict[str, str]) -> bool:
    """Whether ``below`` is the second row of ``header``: nothing in the team column, a
    criterion's name in it, and each of its cells a criterion's or a column's name under a
    header cell that names no column (empty, merged, or a heading such as "Scores")."""
    team = header.first(col.TEAM)
    if team is None or text(cell(below, team)):
        return False
    names = [(j, value) for j, value in enumerate(below) if text(value)]
    if not any(headers.criterion_of(value, lookup) for _j, value in names):
        return False
    # A heading over the score columns may read as a long table's column ("Criteria",
    # "Scores"): it names no column of a wide sheet.
    headings = (None, col.CRITERION, col.SCORE)
    return all(
        (headers.criterion_of(value, lookup) or headers.role_of(value))
        and header.roles.get(j) in headings
        and j not in header.criteria
        for j, value in names
    )


def _header(index: int, row: Sequence[object], lookup: dict[str, str]) -> Header:
    roles: dict[int, str] = {}
    criteria: dict[int, str] = {}
    unknown: dict[int, str] = {}
    # A long table names the criteria in its rows, never in its header: there, "score" and
    # "criterion" are the columns they say, even when a criterion is called so.
    long = any(headers.role_of(label) == col.CRITERION for label in map(text, row) if label)
    for j, value in enumerate(row):
        label = text(value)
        if not label:
            continue
        role = headers.role_of(label)
        criterion = None if long and role is not None else headers.criterion_of(label, lookup)
        # A criterion may be called like a side column ("Project", even "Team"): the first
        # team and juror columns are identifiers, any other match is the criterion.
        first_id = role in (col.TEAM, col.JUROR) and role not in roles.values()
        if role is not None and (first_id or criterion is None):
            roles[j] = role
        elif criterion is not None:
            criteria[j] = criterion
        else:
            unknown[j] = label
    return Header(index, roles, criteria, unknown)


def kind_of(table: Table, header: Header) -> str:
    """ "long", "wide", "assignments" or "teams" (see the module docstring)."""
    roles = set(header.roles.values())
    # A criterion column makes a marks table even without a score column, so that the
    # missing score column is reported as such (see extract_long_frame).
    if col.CRITERION in roles:
        return "long"
    if header.criteria or find_juror(table, header.row)[0]:
        return "wide"
    if col.JUROR in roles:
        return "assignments"
    if roles & set(_SIDE_ROLES):
        return "teams"
    return "wide"


def find_juror(table: Table, header_row: int) -> tuple[bool, str]:
    """Whether a "Juror:" cell sits above the table, and the id written with or after it."""
    found = juror_cell(table, header_row)
    return (False, "") if found is None else (True, found[0])


def juror_cell(table: Table, header_row: int) -> tuple[str, int, int] | None:
    """The id of a "Juror:" cell above the table, with the 0-based row and column of the cell
    that holds it (the label's own, "Juror: anna", or the next filled one to its right);
    None without such a cell (the id is then "" at the label's cell when nothing follows)."""
    for i, row in enumerate(table.rows[:header_row]):
        for j, value in enumerate(row):
            found, ident = headers.juror_cell(text(value))
            if found:
                if ident:
                    return ident, i, j
                after = next((k for k in range(j + 1, len(row)) if text(row[k])), None)
                return ("", i, j) if after is None else (text(row[after]), i, after)
    return None


def data_rows(table: Table, header: Header) -> list[tuple[int, Sequence[object]]]:
    return [(i, row) for i, row in enumerate(table.rows) if i > header.row and any(map(text, row))]
