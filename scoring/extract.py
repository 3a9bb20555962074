"""Turn a recognised table into records: marks (wide or long), teams, assignments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import zip_longest

import numpy as np

from scoring import columns as col
from scoring import headers
from scoring.grid import Table, column_letter
from scoring.headers import IGNORED, LANGUAGE, SUMMARY_SIGNS, SUMMARY_WORDS, normalise
from scoring.i18n import LANGUAGES
from scoring.i18n import gettext as _
from scoring.tables import (
    MARK_FRAME_COLUMNS,
    Extracted,
    Header,
    MarkColumns,
    cell,
    comment_without_scores,
    data_rows,
    juror_cell,
    no_rows,
    not_a_number,
    number,
    problem,
    text,
)


def extract_wide(table: Table, header: Header, lookup: dict[str, str], out: Extracted) -> None:
    """One row per team, one column per criterion; the juror in a "Juror:" cell or a column.

    Column by column rather than cell by cell: a jury of 100 sheets × 200 teams × 6 criteria
    has 120 000 marks, and a record per mark would cost more than reading the files.
    """
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
    if header.first(col.JUROR) is None and not sheet_juror:
        message = _(
            'says nowhere whose sheet it is; above the table write a cell "Juror:" and the '
            "juror's id in the cell to its right"
        )
        out.problems.append(problem("error", "no_juror", message, table))
        return
    team_columns = [j for j, role in header.roles.items() if role == col.TEAM]
    criteria = list(header.criteria.values())
    # An id column beside a name column may both say "team" ("Team-Nr", "Team"); tables
    # side by side also repeat their criteria.
    if len(team_columns) > 1 and len(set(criteria)) < len(criteria):
        message = _(
            "the header row has a team column {n} times ({columns}): the sheet seems to hold "
            "several tables side by side; put each juror's table on a sheet of its own"
        ).format(n=len(team_columns), columns=", ".join(map(column_letter, team_columns)))
        out.problems.append(
            problem("error", "tables_side_by_side", message, table, header.row, team_columns[1])
        )
        return
    _report_columns(table, header, lookup, out)
    _record_criterion_columns(table, header, out)
    rows = _without_summaries(table, header, _first_table(table, header, out), out)
    if not rows:
        import pandas as pd  # rare: reading otherwise stays free of pandas (scoring.reading)

        out.marks.append(pd.DataFrame(columns=list(MARK_FRAME_COLUMNS)))
        out.problems.append(no_rows(table, header))
        return
    grid = _WideGrid(table, header, rows, sheet_juror)
    _report_rows(grid, out)
    out.marks.append(grid.marks())
    if header.first(col.TEAM_NAME) is not None:
        out.team_names.append(grid.names())


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


class _WideGrid:
    """The data rows of a wide sheet as arrays: one entry per row, one column per criterion."""

    def __init__(
        self, table: Table, header: Header, rows: list[tuple[int, Sequence[object]]], juror: str
    ) -> None:
        self.table, self.header = table, header
        self.index = np.fromiter((i for i, _row in rows), dtype=np.int64, count=len(rows))
        self.cells = [row for _i, row in rows]
        # Transposed once, in C: a short row reads as empty cells, like cell() does.
        self.by_column = list(zip_longest(*self.cells, fillvalue=""))
        self.team = self.texts(header.first(col.TEAM))
        own = self.texts(header.first(col.JUROR))
        self.juror = np.where(own != "", own, juror)
        self.columns = list(header.criteria)
        raw = [list(map(number, self.column(j))) for j in self.columns]
        # number() gives None for an empty cell and NaN for text that is not a number.
        shape = (len(rows), len(self.columns))
        given = np.array([[v is not None for v in values] for values in raw], dtype=bool)
        self.given = given.T.reshape(shape)
        self.values = np.array(raw, dtype=float).T.reshape(shape)
        self.has_team = self.team != ""
        self.any_given = self.given.any(axis=1)

    def column(self, j: int) -> Sequence[object]:
        return self.by_column[j] if j < len(self.by_column) else ("",) * len(self.cells)

    def texts(self, j: int | None) -> np.ndarray:
        if j is None:
            return np.full(len(self.cells), "", dtype=object)
        return np.array(list(map(text, self.column(j))), dtype=object)

    def optional(self, role: str) -> np.ndarray:
        values = self.texts(self.header.first(role))
        values[values == ""] = None  # an object array of its own: texts() built it for us
        return values

    def marks(self) -> MarkColumns:
        """One row per given score of a row with a team, row by row, criteria left to right
        (as columns: one frame per sheet would cost more than all the sheets' cells)."""
        rows, criteria = np.nonzero(self.has_team[:, None] & self.given)
        ids = np.array([self.header.criteria[j] for j in self.columns], dtype=object)
        letters = np.array([column_letter(j) for j in self.columns], dtype=object)
        return {
            col.JUROR: self.juror[rows],
            col.TEAM: self.team[rows],
            col.CRITERION: ids[criteria],
            col.SCORE: self.values[rows, criteria],
            col.CHALLENGE: self.optional(col.CHALLENGE)[rows],
            col.COMMENT: self.optional(col.COMMENT)[rows],
            col.FILE: str(self.table.file),
            col.SHEET: self.table.sheet,
            col.ROW: self.index[rows] + 1,
            col.COLUMN: letters[criteria],
        }

    def names(self) -> dict[str, object]:
        """Each team row's id and name (TEAM_NAME_FRAME_COLUMNS), for rows that give both."""
        names = self.texts(self.header.first(col.TEAM_NAME))
        rows = np.flatnonzero(self.has_team & (names != ""))
        return {
            col.TEAM: self.team[rows],
            col.TEAM_NAME: names[rows],
            col.FILE: str(self.table.file),
            col.SHEET: self.table.sheet,
            col.ROW: self.index[rows] + 1,
        }


def _report_rows(grid: _WideGrid, out: Extracted) -> None:
    """Scores without a team, text where a score belongs, and team rows without any score,
    in the order of the rows (and, within a row, of the columns)."""
    table, header = grid.table, grid.header
    team_col = header.first(col.TEAM)
    no_team = ~grid.has_team & grid.any_given
    faulty = grid.has_team[:, None] & grid.given & np.isnan(grid.values)
    for r in np.flatnonzero(no_team | faulty.any(axis=1)):
        i = int(grid.index[r])
        if no_team[r]:
            message = _("has scores but no team; write the team id in this row")
            out.problems.append(problem("error", "no_team", message, table, i, team_col))
            continue
        for c in np.flatnonzero(faulty[r]):
            j = grid.columns[c]
            out.problems.append(not_a_number(table, i, j, cell(grid.cells[r], j)))
    comments = grid.optional(col.COMMENT)
    for r in np.flatnonzero(grid.has_team & ~grid.any_given):
        if comments[r] is not None:
            i = int(grid.index[r])
            found = comment_without_scores(table, i, header.first(col.COMMENT), comments[r])
            out.problems.append(found)
        out.blank_rows.append(
            {
                col.JUROR: grid.juror[r],
                col.TEAM: grid.team[r],
                col.FILE: str(table.file),
                col.SHEET: table.sheet,
                col.ROW: int(grid.index[r]) + 1,
            }
        )


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


def _report_columns(table: Table, header: Header, lookup: dict[str, str], out: Extracted) -> None:
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
    for j, role in header.roles.items():
        if role == IGNORED:
            out.problems.append(
                problem(
                    "warning",
                    "ignored_column",
                    _(
                        "column {label!r} was ignored: totals and ranks are computed by the scoring"
                    ).format(label=text(table.rows[header.row][j])),
                    table,
                    header.row,
                    j,
                )
            )


def extract_teams(table: Table, header: Header, lookup: dict[str, str], out: Extracted) -> None:
    """The teams file: team id, name, challenge, site."""
    roles = (col.TEAM, col.TEAM_NAME, col.CHALLENGE, col.SITE)
    where = {role: header.first(role) for role in roles}
    for i, row in data_rows(table, header):
        record = {role: text(cell(row, where[role])) or None for role in roles}
        if record[col.TEAM] is None:
            out.problems.append(
                problem(
                    "error",
                    "incomplete_row",
                    _("lacks the team id; fill it in or delete the row"),
                    table,
                    i,
                    where[col.TEAM],
                )
            )
            continue
        out.teams.append(
            {**record, col.FILE: str(table.file), col.SHEET: table.sheet, col.ROW: i + 1}
        )


def extract_assignments(
    table: Table, header: Header, lookup: dict[str, str], out: Extracted
) -> None:
    """The assignments file: which juror scores which team, and optionally in which language."""
    where = {role: header.first(role) for role in (col.JUROR, col.TEAM, LANGUAGE)}
    for i, row in data_rows(table, header):
        juror, team = text(cell(row, where[col.JUROR])), text(cell(row, where[col.TEAM]))
        language = text(cell(row, where[LANGUAGE])).lower() or None
        if not juror or not team:
            message = _("lacks the juror or the team; fill it in or delete the row")
            column = where[col.JUROR] if not juror else where[col.TEAM]
            out.problems.append(problem("error", "incomplete_row", message, table, i, column))
            continue
        if language is not None and language not in LANGUAGES:
            message = _(
                "language {value!r} is not one of {known}; use one of them or leave the cell empty"
            ).format(value=language, known=", ".join(LANGUAGES))
            out.problems.append(
                problem("error", "bad_language", message, table, i, where[LANGUAGE])
            )
            language = None
        out.assignments.append(
            {
                col.JUROR: juror,
                col.TEAM: team,
                LANGUAGE: language,
                col.FILE: str(table.file),
                col.SHEET: table.sheet,
                col.ROW: i + 1,
            }
        )


Extractor = Callable[[Table, Header, dict[str, str], Extracted], None]


def extract_long(table: Table, header: Header, lookup: dict[str, str], out: Extracted) -> None:
    """A long table (juror, team, criterion, score), read with pandas (see
    :mod:`scoring.longform`), which is imported here only when a long table comes."""
    from scoring.longform import extract_long_frame

    extract_long_frame(table, header, lookup, out)


EXTRACTORS: dict[str, Extractor] = {
    "wide": extract_wide,
    "long": extract_long,
    "teams": extract_teams,
    "assignments": extract_assignments,
}
