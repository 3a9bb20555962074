"""What reading the tables yields, before any frame is made: the records of
:class:`Extracted` and the columns they are joined into.

Plain records (lists, dicts, arrays) rather than frames: reading wide sheets stays free of
pandas (see :mod:`scoring.reading`), and :mod:`scoring.sheets` joins them once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scoring import columns as col
from scoring.errors import Problem

if TYPE_CHECKING:  # reading stays free of pandas (see scoring.reading)
    import pandas as pd

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
