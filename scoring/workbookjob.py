"""``results.xlsx``, the workbook of a ranking run: every table of the run (see
:mod:`scoring.outputs`) and the marks, as read and as the method used them.

The marks sheet is the bulk of the file and is known as soon as the marks are scored, so the
workbook is begun then, by a helper process (see :class:`WorkbookJob`), while this process
computes the statistics; its other sheets follow when they are ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pandas as pd

from scoring import columns as col
from scoring import forks
from scoring.export import write_xlsx
from scoring.partfiles import part_path

MARKS_SHEET = "marks"


def write_workbook(
    out: Path, marks: pd.DataFrame, others: Callable[[], Sequence[tuple[str, pd.DataFrame]]]
) -> Path:
    """``out/results.xlsx``: the marks sheet is written first (the bulk of the file, known as
    soon as the marks are scored), then the sheets ``others`` returns (it may wait for them
    to be computed); in the workbook, the marks come last."""

    def sheets() -> Iterator[tuple[str, pd.DataFrame]]:
        yield MARKS_SHEET, marks
        yield from others()

    return write_xlsx(sheets(), out / "results.xlsx", last={MARKS_SHEET})


class WorkbookJob:
    """``results.xlsx`` written by a helper process (see :mod:`scoring.forks`) from the moment
    the marks are scored: the marks sheet, the bulk of the file, while this process computes
    the statistics, then the sheets :meth:`post` sends. Without a helper (none could be
    forked, or it failed), :meth:`finish` writes the whole file here: the same bytes either
    way. Use as a context manager: when the run fails, the helper is killed and its
    unfinished file removed."""

    def __init__(self, out: Path) -> None:
        self.path = out / "results.xlsx"
        self._marks: tuple[pd.DataFrame, pd.DataFrame | None] | None = None
        self._sheets: Sequence[tuple[str, pd.DataFrame]] = ()
        self._helper: forks.Helper[None] | None = None

    def start(
        self,
        marks: pd.DataFrame,
        normalised: pd.DataFrame | None,
        pause: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        """Begin with the marks as read and as the method used them."""
        self._marks = marks, normalised
        out = self.path.parent

        def write(receive: Callable[[], Sequence[tuple[str, pd.DataFrame]]]) -> None:
            write_workbook(out, marks_sheet(marks, normalised), receive)

        with pause():
            if forks.can_fork():
                try:
                    self._helper = forks.start(write, send=False, inbox=True)
                except OSError:  # no process to spare: written here by finish()
                    self._helper = None

    @property
    def helped(self) -> bool:
        """Whether a helper process is writing the file."""
        return self._helper is not None

    def post(self, sheets: Sequence[tuple[str, pd.DataFrame]]) -> None:
        """The workbook's other sheets, in order."""
        self._sheets = sheets
        if self._helper is not None:
            self._helper.post(sheets)

    def finish(self) -> Path:
        """Wait for the helper; write the file here when there was none or it failed."""
        if self._helper is not None:
            ok = self._helper.result()[0]  # an interrupted wait leaves it to __exit__
            self._helper = None
            if ok:
                return self.path
        if self._marks is None:
            raise RuntimeError("the workbook job was not started")
        marks, normalised = self._marks
        sheets = self._sheets
        return write_workbook(self.path.parent, marks_sheet(marks, normalised), lambda: sheets)

    def __enter__(self) -> WorkbookJob:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_exc: object) -> None:
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.stop()  # only when finish() was not reached: the run failed
            part_path(self.path, helper.pid).unlink(missing_ok=True)


def marks_sheet(raw: pd.DataFrame, normalised: pd.DataFrame | None) -> pd.DataFrame:
    """Every mark as read (with the cell it came from) and, beside it, the mark as the method
    used it (the NORMALISED column; empty for marks the method did not use).

    Examples
    --------
    >>> raw = pd.DataFrame({"juror": ["j"], "team": ["t"], "criterion": ["c"], "score": [7.0]})
    >>> used = raw.assign(normalised=[0.5])
    >>> marks_sheet(raw, used)["normalised"].tolist()
    [0.5]
    """
    if normalised is None or col.NORMALISED not in normalised:
        return raw
    keys = [col.JUROR, col.TEAM, col.CRITERION]
    if _same_marks(raw, normalised, keys):
        # The usual case: the method's marks keep the index of the marks read, so the column
        # lines up by index; a merge on three text keys would cost more than the whole score.
        return raw.assign(**{col.NORMALISED: normalised[col.NORMALISED].reindex(raw.index)})
    used = normalised[[*keys, col.NORMALISED]].drop_duplicates(keys)
    return raw.merge(used, on=keys, how="left")


def _same_marks(raw: pd.DataFrame, normalised: pd.DataFrame, keys: list[str]) -> bool:
    """Whether every row of ``normalised`` is the row of ``raw`` with the same label."""
    index = normalised.index
    if not (index.is_unique and raw.index.is_unique and index.isin(raw.index).all()):
        return False
    if not (set(keys) <= set(raw.columns) and set(keys) <= set(normalised.columns)):
        return False
    mine = raw.loc[index, keys]
    return all(
        mine[key].astype(object).to_numpy().tolist() == normalised[key].astype(object).tolist()
        for key in keys
    )
