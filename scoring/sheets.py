"""Read jury sheets (xlsx, ods, csv; wide and long) and the optional teams and assignments files.

Inputs are files or directories; a directory stands for every .xlsx, .ods and .csv directly
inside it. Each table is recognised by its columns (see :mod:`scoring.tables`), so teams and
assignment files may sit next to the jury sheets:

* team + name (+ challenge, site), no scores: the **teams** file;
* juror + team (+ language), no criterion or score: the **assignments** file.

Reading never stops at the first problem: every problem of every file ends up in
``JuryInput.problems``, and :func:`scoring.validate.validate` adds the cross-file checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring import forks
from scoring.config import Config
from scoring.errors import Problem
from scoring.extracted import MARK_FRAME_COLUMNS, TEAM_NAME_FRAME_COLUMNS, MarkColumns
from scoring.headers import LANGUAGE, criterion_lookup
from scoring.reading import Prefetched, read_all

BLANK_FRAME_COLUMNS = (col.JUROR, col.TEAM, col.FILE, col.SHEET, col.ROW)
BLANK_MARK_FRAME_COLUMNS = (
    col.JUROR,
    col.TEAM,
    col.CRITERION,
    col.FILE,
    col.SHEET,
    col.ROW,
    col.COLUMN,
)
CRITERION_COLUMN_FRAME_COLUMNS = (col.FILE, col.SHEET, col.CRITERION, col.COLUMN)
TEAM_FRAME_COLUMNS = (
    col.TEAM,
    col.TEAM_NAME,
    col.CHALLENGE,
    col.SITE,
    col.FILE,
    col.SHEET,
    col.ROW,
)
ASSIGNMENT_FRAME_COLUMNS = (col.JUROR, col.TEAM, LANGUAGE, col.FILE, col.SHEET, col.ROW)
JUROR_CELL_FRAME_COLUMNS = (col.FILE, col.SHEET, col.JUROR, col.ROW, col.COLUMN)


@dataclass(frozen=True)
class JuryInput:
    """Everything read from the jury's files, with the problems found while reading."""

    marks: pd.DataFrame
    teams: pd.DataFrame | None
    assignments: pd.DataFrame | None
    files: tuple[Path, ...]
    problems: tuple[Problem, ...]
    # Rows of wide sheets naming a team without any score (JUROR, TEAM, FILE, SHEET, ROW).
    blank_rows: pd.DataFrame | None = None
    # Each criterion's column in each wide sheet, from its header (FILE, SHEET, CRITERION, COLUMN).
    criterion_columns: pd.DataFrame | None = None
    # Rows of long tables naming a mark without a score (BLANK_MARK_FRAME_COLUMNS).
    blank_marks: pd.DataFrame | None = None
    # Team rows of wide sheets with a name column: the id and the name the sheet gives
    # (TEAM_NAME_FRAME_COLUMNS).
    team_names: pd.DataFrame | None = None
    # The "Juror:" cell of each wide sheet that has one (JUROR_CELL_FRAME_COLUMNS).
    juror_cells: pd.DataFrame | None = None


def read_inputs(
    paths: Sequence[Path],
    config: Config,
    *,
    progress: Callable[[str], None] | None = None,
    processes: int = 1,
    pause: Callable[[], AbstractContextManager[object]] | None = None,
    prefetch: forks.Helper[Prefetched] | None = None,
) -> JuryInput:
    """Read jury sheets and side files from files and directories.

    Parameters
    ----------
    paths : sequence of Path
        Files (.xlsx, .ods, .csv) or directories holding them.
    config : Config
        The rubric: criterion columns are matched against its ids and labels.
    progress : callable, optional
        Called with a short text for each file read.
    processes : int
        With more than one, helper processes read a share of the files each (see
        :mod:`scoring.forks`); the result is the same, in the same order.
    pause : callable, optional
        A context manager that stops other threads (e.g. a progress bar's) while helpers are
        forked.
    prefetch : Helper, optional
        A helper already reading these files (:func:`scoring.reading.prefetch`): what it read
        is used when it succeeded with this rubric's columns, else the files are read here.

    Returns
    -------
    JuryInput
        ``marks`` has one row per juror, team and criterion with the cell it came from.

    Examples
    --------
    >>> from scoring.config import load_config
    >>> config = load_config("data/sample-jury/rubric.toml")
    >>> jury = read_inputs([Path("data/sample-jury")], config)
    >>> sorted(jury.marks.columns)[:3]
    ['challenge', 'column', 'comment']
    """
    lookup = criterion_lookup(config.every_criterion())
    files, extracted = read_all(
        paths, lookup, progress=progress, processes=processes, pause=pause, prefetch=prefetch
    )
    teams = _frame(extracted.teams, TEAM_FRAME_COLUMNS) if extracted.teams else None
    assignments = (
        _frame(extracted.assignments, ASSIGNMENT_FRAME_COLUMNS) if extracted.assignments else None
    )
    marks = _marks(extracted.marks)
    jury = JuryInput(
        marks,
        teams,
        assignments,
        tuple(files),
        tuple(extracted.problems),
        blank_rows=_frame(extracted.blank_rows, BLANK_FRAME_COLUMNS),
        criterion_columns=_frame(extracted.criterion_columns, CRITERION_COLUMN_FRAME_COLUMNS),
        blank_marks=_frame(extracted.blank_marks, BLANK_MARK_FRAME_COLUMNS),
        team_names=_team_names(extracted.team_names),
        juror_cells=_frame(extracted.juror_cells, JUROR_CELL_FRAME_COLUMNS),
    )
    from scoring.teamids import restored  # it uses JuryInput

    jury = restored(jury)
    return dataclasses.replace(jury, marks=_with_challenges(jury.marks, jury.teams))


def _team_names(blocks: list[dict[str, object]]) -> pd.DataFrame:
    """The wide sheets' team rows with their names as one frame (TEAM_NAME_FRAME_COLUMNS)."""
    if not blocks:
        return _frame([], TEAM_NAME_FRAME_COLUMNS)
    return _joined(blocks, TEAM_NAME_FRAME_COLUMNS, length=col.TEAM)


def _frame(records: list[dict[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    if col.SCORE in frame:
        frame = frame.assign(**{col.SCORE: frame[col.SCORE].astype(float)})
    if col.ROW in frame:
        frame = frame.assign(**{col.ROW: frame[col.ROW].astype("Int64")})
    return frame


def _marks(blocks: list[pd.DataFrame | MarkColumns]) -> pd.DataFrame:
    blocks = [block for block in blocks if _length(block)]
    if not blocks:
        return _frame([], MARK_FRAME_COLUMNS)
    if all(isinstance(block, dict) for block in blocks):
        marks = _joined([block for block in blocks if isinstance(block, dict)])
    else:
        frames = [
            block if isinstance(block, pd.DataFrame) else _block_frame(block) for block in blocks
        ]
        marks = pd.concat(frames, ignore_index=True)
    return marks.assign(
        **{col.SCORE: marks[col.SCORE].astype(float), col.ROW: marks[col.ROW].astype("Int64")}
    )


def _length(block: pd.DataFrame | MarkColumns) -> int:
    if isinstance(block, pd.DataFrame):
        return 0 if block.empty else len(block)
    return len(block[col.SCORE])  # type: ignore[arg-type]


def _block_frame(block: MarkColumns) -> pd.DataFrame:
    return pd.DataFrame(block, columns=list(MARK_FRAME_COLUMNS))


def _joined(
    blocks: list[MarkColumns],
    names: Sequence[str] = MARK_FRAME_COLUMNS,
    *,
    length: str = col.SCORE,
) -> pd.DataFrame:
    """The blocks of wide sheets (their ``names`` columns: arrays, or one value for the
    block, whose ``length`` column is always an array) as one frame, column by column: the
    same frame as a frame per block concatenated (the same dtypes and missing values),
    without building those."""
    lengths = [len(block[length]) for block in blocks]  # type: ignore[arg-type]
    columns = {name: _joined_column([block[name] for block in blocks], lengths) for name in names}
    return pd.DataFrame(columns, index=pd.RangeIndex(sum(lengths)))


def _joined_column(parts: list[object], lengths: list[int]) -> pd.Series | np.ndarray:
    arrays = [
        part if isinstance(part, np.ndarray) else np.full(n, part, dtype=object)
        for part, n in zip(parts, lengths, strict=True)
    ]
    if all(array.dtype != object for array in arrays):
        return np.concatenate(arrays)
    # In a frame per block, a text column is a string column (missing values as NaN) where
    # the block has some text, and a column of None objects where it has none; concatenated,
    # it stays a string column only if it is one in every block.
    texts = [pd.api.types.infer_dtype(array, skipna=True) == "string" for array in arrays]
    joined = np.concatenate(arrays)
    if all(texts):
        return pd.Series(joined, index=pd.RangeIndex(len(joined)))
    for array, text_column, start in zip(arrays, texts, np.cumsum([0, *lengths]), strict=False):
        if text_column:
            part = joined[start : start + len(array)]
            part[pd.isna(part)] = np.nan
    return pd.Series(joined, index=pd.RangeIndex(len(joined)), dtype=object)


def _with_challenges(marks: pd.DataFrame, teams: pd.DataFrame | None) -> pd.DataFrame:
    """Fill the challenge of marks whose sheet did not say it from the teams file."""
    if teams is None or marks.empty:
        return marks
    known = teams.drop_duplicates(col.TEAM).set_index(col.TEAM)[col.CHALLENGE]
    return marks.assign(**{col.CHALLENGE: marks[col.CHALLENGE].fillna(marks[col.TEAM].map(known))})


def team_values(teams: pd.DataFrame | None, column: str) -> dict[str, str]:
    """Team id -> its ``column`` (name, challenge) in the teams file ``teams``; the first of a
    team listed twice; none without the file or the column."""
    if teams is None or column not in teams:
        return {}
    frame = teams.dropna(subset=[column]).drop_duplicates(col.TEAM)
    return dict(zip(frame[col.TEAM].astype(str), frame[column].astype(str), strict=True))
