"""Recognise what a table is (wide jury sheet, long marks, teams, assignments) and extract it.

Every table is found by its header row: the first of the top rows with a team column. Then

* ``criterion`` and ``score`` columns: **long** marks, one row per juror, team and criterion;
* columns named like rubric criteria: a **wide** sheet, one row per team, the juror's id in a
  "Juror:" cell above the table (or in a juror column);
* a juror column and nothing else known: **assignments** (which juror scores which team);
* a name, challenge or site column: the **teams** file.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import zip_longest
from typing import TYPE_CHECKING

from scoring import columns as col
from scoring import headers
from scoring.errors import Problem
from scoring.grid import Table, column_letter
from scoring.i18n import gettext as _

if TYPE_CHECKING:  # reading stays free of pandas (see scoring.reading)
    import pandas as pd

HEADER_SEARCH_ROWS = 30
_SIDE_ROLES = (col.TEAM_NAME, col.CHALLENGE, col.SITE)
MARK_FRAME_COLUMNS = (
    col.JUROR,
    col.TEAM,
    col.CRITERION,
    col.SCORE,
    col.CHALLENGE,
    col.COMMENT,
    col.FILE,
    col.SHEET,
    col.ROW,
    col.COLUMN,
)


MarkColumns = dict[str, object]  # MARK_FRAME_COLUMNS -> an array, or one value for all rows
TEAM_NAME_FRAME_COLUMNS = (col.TEAM, col.TEAM_NAME, col.FILE, col.SHEET, col.ROW)


@dataclass
class Extracted:
    """What the tables of all files contributed, as plain records.

    ``marks`` holds a frame per long table and, per wide sheet, its columns (arrays, or one
    value for the whole sheet): :func:`scoring.sheets.read_inputs` joins them into one frame.
    """

    marks: list[pd.DataFrame | MarkColumns] = field(default_factory=list)
    teams: list[dict[str, object]] = field(default_factory=list)
    assignments: list[dict[str, object]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Rows of wide sheets that name a team but hold no score: where a missing score belongs.
    blank_rows: list[dict[str, object]] = field(default_factory=list)
    # The column of each criterion in each wide sheet, from its header row: where a missing
    # score belongs even when nobody wrote anything in that column.
    criterion_columns: list[dict[str, object]] = field(default_factory=list)
    # Rows of long tables that name a juror, team and criterion but hold no score.
    blank_marks: list[dict[str, object]] = field(default_factory=list)
    # Per wide sheet with a name column: each team row's id and name as the sheet writes
    # them (TEAM_NAME_FRAME_COLUMNS, as arrays or one value for the sheet).
    team_names: list[dict[str, object]] = field(default_factory=list)
    # Per wide sheet whose juror a "Juror:" cell names: that cell (JUROR_CELL_FRAME_COLUMNS),
    # where a problem with the juror's id is to be fixed.
    juror_cells: list[dict[str, object]] = field(default_factory=list)


# Cells repeat (scores, ids, criterion names): caching by value and type makes long tables fast.
@lru_cache(maxsize=1 << 16, typed=True)
def text(value: object) -> str:
    """A cell as an identifier: numbers without a spurious ".0", whitespace stripped."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


@lru_cache(maxsize=1 << 16, typed=True)
def number(value: object) -> float | None:
    """A score cell as a float; None when empty; NaN when it is not a number.

    Decimal commas are understood: "7,5" is 7.5.

    >>> number("7,5"), number(""), number("1_0")
    (7.5, None, nan)
    """
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, int | float):
        return float(value)
    raw = text(value)
    if not raw:
        return None
    if "_" in raw:  # Decimal reads "1_0" as 10, as Python's literals do; a score does not
        return math.nan
    try:
        parsed = Decimal(raw.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        return math.nan
    return float(parsed) if parsed.is_finite() else math.nan


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
    for j, cell in enumerate(row):
        label = text(cell)
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


def _where(table: Table, row: int | None = None, column: int | None = None) -> dict[str, object]:
    return {
        "file": str(table.file),
        "sheet": table.sheet,
        "row": None if row is None else row + 1,
        "column": None if column is None else column_letter(column),
    }


def problem(
    severity: str,
    code: str,
    message: str,
    table: Table,
    row: int | None = None,
    column: int | None = None,
) -> Problem:
    return Problem(severity, code, message, **_where(table, row, column))  # type: ignore[arg-type]


def headless_cells(table: Table, header: Header) -> list[Problem]:
    """Values the table's columns do not take in, which would otherwise be dropped without a
    word: in a csv file, a row with more cells than its header (an error: a decimal comma in
    a comma-separated file splits "7,5" into 7 and 5, and moves the cells after it along);
    in any table, values below an empty header cell (a warning per column, at its first
    value). A separator at the end of every data row (one empty cell past the header in
    each) is no error."""
    heading = table.rows[header.row]
    headed = {*header.roles, *header.criteria, *header.unknown}
    rows = data_rows(table, header)
    width = max((len(row) for _i, row in rows), default=0)
    headless = [j for j in range(width) if j not in headed]
    if not headless:  # the usual table: every column has a heading
        return []
    trailing = all(len(row) == len(heading) + 1 and not text(row[-1]) for _i, row in rows)
    found = []
    first_value: dict[int, int] = {}
    for i, row in rows:
        if table.delimiter is not None and len(row) > len(heading) and not trailing:
            found.append(_extra_cells(table, i, row, len(heading)))
            continue
        for j in headless:
            if j < len(row) and text(row[j]):
                first_value.setdefault(j, i)
    for j, i in sorted(first_value.items()):
        message = _(
            "{value!r} and what is below it are ignored: the column has no heading; give the "
            "column a heading, or remove its values"
        ).format(value=text(table.rows[i][j]))
        found.append(problem("warning", "no_heading", message, table, i, j))
    return found


def _extra_cells(table: Table, row: int, cells: Sequence[object], column: int) -> Problem:
    # A cell with an odd number of quotation marks: a separator after a quotation mark inside
    # a cell (He said "ok, fine") ended it, as the cell did not start with one.
    quoted = next((j for j, value in enumerate(cells) if str(value).count('"') % 2), None)
    if quoted is not None:
        message = _(
            'has more cells than the header row: a quotation mark (") inside this cell does '
            "not keep the separator after it in the cell; put the whole cell in quotation "
            'marks and write each quotation mark inside it twice ("He said ""ok, fine""")'
        )
        return problem("error", "extra_cells", message, table, row, quoted)
    if table.delimiter == ",":
        message = _(
            "has more cells than the header row; in a comma-separated file a decimal comma "
            "splits a number in two: write 7.5, put the number in quotes, or save the file "
            "with semicolons"
        )
    else:
        message = _(
            "has more cells than the header row; give the extra cells a heading in the header "
            "row, or remove them"
        )
    return problem("error", "extra_cells", message, table, row, column)


def no_rows(table: Table, header: Header) -> Problem:
    """A marks table with its header row and nothing below it: most likely the blank sheet
    was sent back instead of the filled-in one."""
    message = _("has a header row but no team below it; check that the filled-in sheet was sent")
    return problem("warning", "no_rows", message, table, header.row)


def data_rows(table: Table, header: Header) -> list[tuple[int, Sequence[object]]]:
    return [(i, row) for i, row in enumerate(table.rows) if i > header.row and any(map(text, row))]


def cell(row: Sequence[object], index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else ""


COMMENT_SHOWN = 200  # characters of a comment quoted in a problem, at most


def comment_without_scores(table: Table, i: int, j: int | None, comment: str) -> Problem:
    """A team's row with a comment and no score: the comment goes with no mark (the marks hold
    scored rows), and it often says why (a conflict of interest, a team the juror missed)."""
    shown = comment if len(comment) <= COMMENT_SHOWN else comment[: COMMENT_SHOWN - 1] + "…"
    message = _(
        "has a comment but no score: {comment!r}; it is kept only in this warning, so read it "
        "now: it may say why the team was not scored (a conflict of interest, a team the juror "
        "did not see)"
    ).format(comment=shown)
    return problem("warning", "comment_without_scores", message, table, i, j)


def not_a_number(table: Table, i: int, j: int, value: object) -> Problem:
    if isinstance(value, datetime.date | datetime.time):
        # Typed as 7.5 in a spreadsheet app set to German or French: 7 May, or 07:05.
        message = _(
            "{value!r} is a date or time, not a number: a spreadsheet app set to German or "
            "French reads 7.5 as one; type the score with a decimal comma, such as 7,5"
        )
    else:
        message = _(
            "{value!r} is not a number; write a number such as 7 or 7.5 (a team the juror could "
            "not judge has all its cells empty, and its assignment is removed)"
        )
    return problem("error", "not_a_number", message.format(value=text(value)), table, i, j)
