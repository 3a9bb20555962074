"""Problems located in a table (file, sheet, row, column) that reading it finds: values
without a heading, a row with more cells than its header, a header with no row below it, a
comment without scores, a score that is not a number.

Every kind of table locates its problems with :func:`problem`; those that wide sheets and
long tables both find are worded here once.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from scoring.cellvalues import text
from scoring.errors import Problem
from scoring.grid import Table, column_letter
from scoring.i18n import gettext as _
from scoring.tables import Header, data_rows


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
