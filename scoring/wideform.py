"""Wide jury sheets (one row per team, one column per criterion): the usual juror's sheet.

What the sheet says as a whole is checked here: whose it is, its header's columns, where its
table ends (a second table below, rows that sum up the rest); its rows are read column-wise
(:mod:`scoring.widegrid`). Nothing here imports pandas but for a sheet without rows (see
:mod:`scoring.reading`).
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring import columns as col
from scoring import headers
from scoring.cellvalues import cell, text
from scoring.errors import Problem
from scoring.extracted import MARK_FRAME_COLUMNS, Extracted
from scoring.grid import Table, column_letter
from scoring.headers import IGNORED, SUMMARY_SIGNS, SUMMARY_WORDS, normalise
from scoring.i18n import gettext as _
from scoring.tableproblems import no_rows, problem
from scoring.tables import Header, data_rows, juror_cell
from scoring.widegrid import WideGrid, report_rows


def extract_wide(table: Table, header: Header, lookup: dict[str, str], out: Extracted) -> None:
    """One row per team, one column per criterion; the juror in a "Juror:" cell or a column.

    Column by column rather than cell by cell: a jury of 100 sheets × 200 teams × 6 criteria
    has 120 000 marks, and a record per mark would cost more than reading the files.
    """
    sheet_juror = _sheet_juror(table, header, out)
    refused = _no_juror(table, header, sheet_juror) or _tables_side_by_side(table, header)
    if refused is not None:
        out.problems.append(refused)
        return
    _report_unknown_columns(table, header, lookup, out)
    _report_ignored_columns(table, header, out)
    _record_criterion_columns(table, header, out)
    rows = _without_summaries(table, header, _first_table(table, header, out), out)
    if not rows:
        import pandas as pd  # rare: reading otherwise stays free of pandas (scoring.reading)

        out.marks.append(pd.DataFrame(columns=list(MARK_FRAME_COLUMNS)))
        out.problems.append(no_rows(table, header))
        return
    grid = WideGrid(table, header, rows, sheet_juror)
    report_rows(grid, out)
    out.marks.append(grid.marks())
    if header.first(col.TEAM_NAME) is not None:
        out.team_names.append(grid.names())


def _sheet_juror(table: Table, header: Header, out: Extracted) -> str:
    """The juror a "Juror:" cell above the table names ("" if none), its cell recorded in
    ``out`` (where a problem with the juror's id is to be fixed)."""
    found = juror_cell(table, header.row)
    sheet_juror = "" if found is None else found[0]
    if sheet_juror and found is not None:
        out.juror_cells.append(
            {
                col.FILE: str(table.file),
                col.SHEET: table.sheet,
                col.JUROR: sheet_juror,
                col.ROW: found[1] + 1,
                col.COLUMN: column_letter(found[2]),
            }
        )
    return sheet_juror


def _no_juror(table: Table, header: Header, sheet_juror: str) -> Problem | None:
    """The error of a sheet that names its juror neither in a column nor above the table."""
    if header.first(col.JUROR) is not None or sheet_juror:
        return None
    message = _(
        'says nowhere whose sheet it is; above the table write a cell "Juror:" and the '
        "juror's id in the cell to its right"
    )
    return problem("error", "no_juror", message, table)


def _tables_side_by_side(table: Table, header: Header) -> Problem | None:
    """The error of a sheet holding several tables side by side, read as none."""
    team_columns = [j for j, role in header.roles.items() if role == col.TEAM]
    criteria = list(header.criteria.values())
    # An id column beside a name column may both say "team" ("Team-Nr", "Team"); tables
    # side by side also repeat their criteria.
    if len(team_columns) <= 1 or len(set(criteria)) == len(criteria):
        return None
    message = _(
        "the header row has a team column {n} times ({columns}): the sheet seems to hold "
        "several tables side by side; put each juror's table on a sheet of its own"
    ).format(n=len(team_columns), columns=", ".join(map(column_letter, team_columns)))
    return problem("error", "tables_side_by_side", message, table, header.row, team_columns[1])


def _first_table(
    table: Table, header: Header, out: Extracted
) -> list[tuple[int, Sequence[object]]]:
    """The data rows down to a row that begins another table (its team cell says "Juror:" or
    "Team"): a second juror's table pasted below the first, whose rows are not read (an error
    says so)."""
    j = header.first(col.TEAM)
    rows = data_rows(table, header)
    for index, (i, row) in enumerate(rows):
        if headers.role_of(text(cell(row, j))) in (col.TEAM, col.JUROR):
            message = _(
                "this row begins a second table below the first (a juror's id or a header "
                "row), which was not read; put each juror's table on a sheet of its own"
            )
            out.problems.append(problem("error", "tables_one_below", message, table, i, j))
            return rows[:index]
    return rows


def _without_summaries(
    table: Table, header: Header, rows: list[tuple[int, Sequence[object]]], out: Extracted
) -> list[tuple[int, Sequence[object]]]:
    """``rows`` without those at the bottom of the table whose team cell says they sum up
    the rows above ("Total", "Durchschnitt", "Moyenne", ...): read as a team, such a row would
    be ranked among the teams (and, for the normalising methods, shift the juror's standing).
    Each gets a warning. Only rows below every team row count: a team may be called so."""
    j = header.first(col.TEAM)
    end = len(rows)
    while end > 1 and _sums_up(text(cell(rows[end - 1][1], j))):
        end -= 1
    for i, row in rows[end:]:
        message = _(
            "{label!r} sums up the rows above, so this row was not read as a team; if it is a "
            "team, give it another id"
        ).format(label=text(cell(row, j)))
        out.problems.append(problem("warning", "summary_row", message, table, i, j))
    return rows[:end]


def _sums_up(label: str) -> bool:
    return label in SUMMARY_SIGNS or normalise(label) in SUMMARY_WORDS


def _record_criterion_columns(table: Table, header: Header, out: Extracted) -> None:
    """Each criterion's column as the header row names it (the first, if named twice)."""
    first: dict[str, int] = {}
    for j, criterion in header.criteria.items():
        first.setdefault(criterion, j)
    out.criterion_columns.extend(
        {
            col.FILE: str(table.file),
            col.SHEET: table.sheet,
            col.CRITERION: criterion,
            col.COLUMN: column_letter(j),
        }
        for criterion, j in first.items()
    )


def _report_unknown_columns(
    table: Table, header: Header, lookup: dict[str, str], out: Extracted
) -> None:
    """An error for each column whose header is no criterion of the rubric."""
    # The rubric's criteria this sheet has no column for: most likely what a renamed
    # header ("Innovationsgrad") holds.
    absent = ", ".join(sorted(set(lookup.values()) - set(header.criteria.values())))
    for j, label in header.unknown.items():
        message = (
            _(
                "column {label!r} is not a criterion of the rubric; rename it to the id or label "
                "of the criterion it holds (the rubric's criteria without a column in this "
                "sheet: {absent}) or delete the column"
            )
            if absent
            else _(
                "column {label!r} is not a criterion of the rubric, and every criterion has a "
                "column in this sheet already; delete the column"
            )
        )
        out.problems.append(
            problem(
                "error",
                "unknown_criterion",
                message.format(label=label, absent=absent),
                table,
                header.row,
                j,
            )
        )


def _report_ignored_columns(table: Table, header: Header, out: Extracted) -> None:
    """A warning for each column of totals or ranks, which the scoring computes itself."""
    for j, role in header.roles.items():
        if role == IGNORED:
            i, label = _label(table, header, j)
            message = _(
                "column {label!r} was ignored: totals and ranks are computed by the scoring"
            ).format(label=label)
            out.problems.append(problem("warning", "ignored_column", message, table, i, j))


def _label(table: Table, header: Header, j: int) -> tuple[int, str]:
    """The header's text over column ``j``, with its row: the header's row, or the row above
    when the header has two rows and the upper one alone names the column ("Total" over the
    scores, the lower row shorter)."""
    for i in (header.row, header.row - 1):
        if i >= 0 and (label := text(cell(table.rows[i], j))):
            return i, label
    return header.row, ""
