"""The data rows of a wide sheet as numpy arrays: its marks, its team names, its faulty rows.

A jury of 100 sheets × 200 teams × 6 criteria has 120 000 marks: read column by column into
arrays, they cost less than reading the files; a record per mark would cost more. Only faulty
rows are looked at one by one. Nothing here imports pandas (see :mod:`scoring.reading`).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

import numpy as np

from scoring import columns as col
from scoring.cellvalues import cell, number, text
from scoring.extracted import Extracted, MarkColumns
from scoring.grid import Table, column_letter
from scoring.i18n import gettext as _
from scoring.tableproblems import comment_without_scores, not_a_number, problem
from scoring.tables import Header


class WideGrid:
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


def report_rows(grid: WideGrid, out: Extracted) -> None:
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
