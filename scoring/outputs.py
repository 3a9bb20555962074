"""The files of a ranking run, a stable contract for scripts (see the README, "Outputs").

``ranking.csv`` (rank, team, score, one column per criterion, jurors, disagreement, tie_note),
``ranking-<challenge>.csv``, ``criteria.csv`` (team, criterion, score), ``jurors.csv``,
``agreement.csv``, ``stability.csv``, ``results.xlsx`` (all of them plus the raw and normalised
marks) and the charts as PNG and SVG under ``charts/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring import forks
from scoring.config import Config
from scoring.errors import Problem
from scoring.export import write_csv, write_xlsx
from scoring.filenames import distinct_names, utf16_length
from scoring.i18n import get_language
from scoring.i18n import gettext as _
from scoring.partfiles import part_path
from scoring.places import none_if_missing

if TYPE_CHECKING:
    from scoring.aggregate import Scores
    from scoring.stability import Stability

RANKING_TAIL = (col.N_JURORS, col.DISAGREEMENT, col.MIN_TOTAL, col.MAX_TOTAL, col.TIE_NOTE)
MARKS_SHEET = "marks"
TOTALS_SHEET = "totals"
# What drawing a chart costs, in about milliseconds (measured on a run of 200 teams and 100
# jurors, to share the charts between processes): a chart without labels (axes, files), one
# per labelled row or column, one per two dots of the ranking chart, and the colour matrix of
# a grid of MATRIX_CELLS cells or more.
CHART_BASE = 70
MATRIX = 160
MATRIX_CELLS = 10_000
# The challenge's part of a ranking's file name, at most (see scoring.filenames): with the
# hidden name a file is written under first, well below the 255 bytes of a disk's names.
NAME_BYTES = 64
SHEET_CHARACTERS = 31
RANKING_PREFIX = "ranking-"


@dataclass(frozen=True)
class Results:
    """Everything a ranking run computed, as the writers need it."""

    marks: pd.DataFrame
    scores: Scores
    agreement: pd.DataFrame | None = None
    jurors: pd.DataFrame | None = None
    stability: Stability | None = None
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    files: tuple[Path, ...] = ()
    # Team id -> name, from the teams file: shown beside the id in the report.
    team_names: Mapping[str, str] = field(default_factory=dict)


def ranking_table(
    ranking: pd.DataFrame, criteria: pd.DataFrame, config: Config, challenge: str | None = None
) -> pd.DataFrame:
    """The ranking in the contract's column order, with one score column per criterion (of
    ``challenge``'s rubric when given, else of every rubric).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Scale
    >>> from scoring.config import Criterion
    >>> c = Criterion("idea", {"en": "Idea"}, Decimal(1), Scale(Decimal(0), Decimal(10)))
    >>> ranking = pd.DataFrame({"rank": [1], "team": ["t"], "score": [8.0], "jurors": [3],
    ...                         "disagreement": [0.5], "tie_note": [""]})
    >>> criteria = pd.DataFrame({"team": ["t"], "criterion": ["idea"], "score": [8.0]})
    >>> list(ranking_table(ranking, criteria, Config(criteria=(c,))).columns)
    ['rank', 'team', 'score', 'idea', 'jurors', 'disagreement', 'tie_note']
    """
    rubric = config.all_criteria() if challenge is None else config.criteria_for(challenge)
    ids = [c.id for c in rubric]
    wide = criteria.pivot_table(
        index=col.TEAM, columns=col.CRITERION, values=col.TOTAL, aggfunc="first", sort=False
    )
    missing = [i for i in ids if i in wide.columns and i not in ranking.columns]
    table = ranking.merge(wide[missing], left_on=col.TEAM, right_index=True, how="left")
    head = [name for name in (col.RANK, col.TEAM, col.CHALLENGE, col.TOTAL) if name in table]
    present = [i for i in ids if i in table.columns and i not in head]
    tail = [name for name in RANKING_TAIL if name in table]
    return table[[*head, *present, *tail]].reset_index(drop=True)


def criteria_table(
    criteria: pd.DataFrame,
    config: Config | None = None,
    challenges: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The panel score per team and criterion in the contract's columns; with ``config``,
    teams in the order of ``criteria`` (the ranking's, as the methods give it) and each team's
    criteria in the order of its rubric (its challenge's own, if it has one: from ``criteria``'s
    CHALLENGE column, else from ``challenges``, team id -> challenge), whatever order the
    method computed them in."""
    keep = [
        name for name in (col.TEAM, col.CHALLENGE, col.CRITERION, col.TOTAL) if name in criteria
    ]
    table = criteria[keep]
    if config is not None and len(table):
        place = {team: i for i, team in enumerate(dict.fromkeys(table[col.TEAM]))}
        if col.CHALLENGE in table:
            challenge_of = table[col.CHALLENGE]
        else:
            challenge_of = table[col.TEAM].map(challenges or {})
        position = [
            _position_in(config, none_if_missing(challenge), str(criterion))
            for challenge, criterion in zip(challenge_of, table[col.CRITERION], strict=True)
        ]
        by_team = table[col.TEAM].map(place).to_numpy()
        table = table.iloc[np.lexsort((np.array(position), by_team))]  # stable, team first
    return table.reset_index(drop=True)


def _position_in(config: Config, challenge: str | None, criterion: str) -> int:
    ids = [c.id for c in config.criteria_for(challenge)]
    return ids.index(criterion) if criterion in ids else len(ids)


@dataclass(frozen=True)
class RankingTable:
    """A ranking as written: the challenge it ranks (None: every team), the stem of its file
    and the name of its sheet in ``results.xlsx``."""

    challenge: str | None
    file: str
    sheet: str
    table: pd.DataFrame


def challenge_names(challenges: Iterable[str]) -> dict[str, tuple[str, str]]:
    """challenge -> (its file's stem, its sheet's name): ``ranking-<name>``, the name made by
    :func:`scoring.filenames.distinct_names` (at most 64 bytes in a file name; 31 characters
    in all in a sheet's).

    Examples
    --------
    >>> challenge_names(["diabetes", "a/b"])["a/b"]
    ('ranking-a_b~c14cddc0', 'ranking-a_b~c14cddc0')
    >>> [len(name) for name in challenge_names(["x" * 300])["x" * 300]]
    [72, 31]
    """
    given = [str(c) for c in challenges]
    files = distinct_names(given, NAME_BYTES, default="challenge")
    room = SHEET_CHARACTERS - utf16_length(RANKING_PREFIX)
    sheets = distinct_names(given, room, utf16_length, default="challenge")
    return {c: (RANKING_PREFIX + files[c], RANKING_PREFIX + sheets[c]) for c in given}


def rankings(results: Results, config: Config) -> list[RankingTable]:
    """The ranking of every team, then one per challenge (sorted), in contract columns
    (with each team's name when the teams file gives names, see :func:`with_names`)."""
    scores = results.scores
    names = results.team_names
    whole = with_names(ranking_table(scores.ranking, scores.criteria, config), names)
    tables = [RankingTable(None, "ranking", "ranking", whole)]
    by_challenge = {str(c): frame for c, frame in scores.by_challenge.items()}
    named = challenge_names(by_challenge)
    for challenge, frame in sorted(by_challenge.items()):
        table = with_names(ranking_table(frame, scores.criteria, config, challenge), names)
        tables.append(RankingTable(challenge, *named[challenge], table))
    return tables


def with_names(table: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``table`` with a ``name`` column after its team ids when the teams file gives names
    (empty for a team it does not name): the ranking a chair hands on is read by names.

    Examples
    --------
    >>> table = pd.DataFrame({"team": ["T1", "T2"], "score": [8.0, 7.0]})
    >>> with_names(table, {"T1": "GlucoBuddy"}).to_dict("list")
    {'team': ['T1', 'T2'], 'name': ['GlucoBuddy', ''], 'score': [8.0, 7.0]}
    >>> list(with_names(table, {}).columns)
    ['team', 'score']
    """
    if not names or col.TEAM_NAME in table:
        return table
    named = table.copy()
    ids = named[col.TEAM].astype(object)
    named.insert(named.columns.get_loc(col.TEAM) + 1, col.TEAM_NAME, ids.map(names).fillna(""))
    return named


def write_tables(
    results: Results, config: Config, out: Path, workbook: WorkbookJob | None = None
) -> list[Path]:
    """Write every CSV and ``results.xlsx`` into ``out``; returns the paths written.

    With a started ``workbook`` job, ``results.xlsx`` is left to it: its sheets are posted
    to it here, and the file is complete once the job has finished.
    """
    ranked_tables = rankings(results, config)
    whole = ranked_tables[0].table
    ranked = {team: i for i, team in enumerate(whole[col.TEAM])}
    ranking = results.scores.ranking
    tables = [(r.file, r.sheet, r.table) for r in ranked_tables]
    criteria = criteria_table(
        results.scores.criteria.sort_values(
            col.TEAM, key=lambda teams: teams.map(ranked), kind="stable"
        ),
        config,
        dict(zip(ranking[col.TEAM], ranking[col.CHALLENGE], strict=True))
        if col.CHALLENGE in ranking
        else None,
    )
    tables.append(("criteria", "criteria", criteria))
    if results.jurors is not None:
        tables.append(("jurors", "jurors", results.jurors))
    if results.agreement is not None:
        tables.append(("agreement", "agreement", results.agreement))
    if results.stability is not None:
        summary = with_names(results.stability.summary, results.team_names)
        tables.append(("stability", "stability", summary))
    sheets = [(sheet, frame) for _file, sheet, frame in tables]
    if results.stability is not None:
        sheets.append(("rank-probabilities", results.stability.probabilities.reset_index()))
    # Each juror's weighted total per team (and, juror-first, as the method used it): what
    # a juror-first score, and every juror's order in Borda and Copeland, is computed from.
    sheets.append((TOTALS_SHEET, results.scores.juror_totals))
    if workbook is not None:
        workbook.post(sheets)
    written = [write_csv(frame, out / f"{file}.csv") for file, _sheet, frame in tables]
    if workbook is not None:
        written.append(workbook.path)
    else:
        marks = marks_sheet(results.marks, results.scores.normalised)
        written.append(write_workbook(out, marks, lambda: sheets))
    return written


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


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    draw: Callable[[], Any]  # returns the Axes
    # Rough cost of drawing it (labelled rows and columns): to share charts between processes.
    weight: int = 1


def _charts() -> ModuleType:
    """:mod:`scoring.charts`, loaded when a chart is drawn: listing the charts (and rendering
    the report beside them) needs no matplotlib."""
    from scoring import charts

    return charts


def weighted_criteria(scores: Scores, config: Config) -> pd.DataFrame:
    """TEAM, CRITERION, SCORE: each team's criterion scores times their weight in the team's
    own rubric (a challenge's rubric may weigh an id of the main rubric otherwise), for the
    criteria that count in its total.

    Examples
    --------
    >>> from decimal import Decimal
    >>> from scoring.config import Criterion, Scale
    >>> scale = Scale(Decimal(0), Decimal(10))
    >>> config = Config(criteria=(Criterion("a", {}, Decimal("0.5"), scale),),
    ...                 challenge_criteria={"x": (Criterion("a", {}, Decimal(1), scale),)})
    >>> from scoring.aggregate import score
    >>> marks = pd.DataFrame({"juror": ["j", "j"], "team": ["A", "C"], "criterion": ["a", "a"],
    ...                       "score": [9.0, 8.0], "challenge": [None, "x"]})
    >>> weighted_criteria(score(marks, config), config)["score"].tolist()
    [4.5, 8.0]
    """
    ranking = scores.ranking
    challenges = (
        dict(zip(ranking[col.TEAM], ranking[col.CHALLENGE], strict=True))
        if col.CHALLENGE in ranking
        else {}
    )
    weight: dict[tuple[object, str], float] = {}
    for team in scores.criteria[col.TEAM].unique():
        challenge = challenges.get(team)
        own = None if challenge is None or pd.isna(challenge) else str(challenge)
        for criterion in config.criteria_for(own):
            if not criterion.independent:
                weight[(team, criterion.id)] = float(criterion.weight)
    frame = scores.criteria
    factor = np.array(
        [
            weight.get((team, criterion), np.nan)
            for team, criterion in zip(frame[col.TEAM], frame[col.CRITERION], strict=True)
        ]
    )
    kept = ~np.isnan(factor)
    return frame[kept].assign(**{col.SCORE: frame[col.SCORE].to_numpy()[kept] * factor[kept]})


# The charts of every run, then those of a run with juror statistics and with resamples.
ALWAYS_CHARTS = ("ranking", "criteria", "jurors-teams")


def chart_names(results: Results) -> list[str]:
    """The names of the charts :func:`chart_specs` gives, in its order, without building them."""
    return [
        *ALWAYS_CHARTS,
        *(["leniency"] if results.jurors is not None else []),
        *(["rank-probabilities"] if results.stability is not None else []),
    ]


def chart_specs(results: Results, config: Config) -> list[ChartSpec]:
    """The charts this run can draw, each with its file name and translated title."""
    from scoring.chartaxes import MAX_LABELS, NUMBER_TICKS
    from scoring.stability import RANK_HIGH, RANK_LOW

    scores = results.scores
    ranking = ranking_table(scores.ranking, scores.criteria, config)
    if results.stability is not None:
        summary = results.stability.summary
        interval = summary[[col.TEAM, RANK_LOW, RANK_HIGH]].drop_duplicates(col.TEAM)
        ranking = ranking.merge(interval, on=col.TEAM, how="left")
    counted = [c for c in config.every_criterion() if not c.independent]
    language = get_language()

    def labels(count: int) -> int:
        return min(count, MAX_LABELS)

    def matrix(rows: int, columns: int) -> int:
        return round(MATRIX * min(1.0, rows * columns / MATRIX_CELLS))

    teams = labels(len(ranking))
    totals = scores.juror_totals
    specs = [
        ChartSpec(
            "ranking",
            _("Ranking and its stability") if results.stability is not None else _("Ranking"),
            lambda: _charts().plot_ranking(ranking),
            CHART_BASE + teams + len(ranking) // 2,
        ),
        ChartSpec(
            "criteria",
            _("Score by criterion"),
            lambda: _charts().plot_criteria(
                weighted_criteria(scores, config),
                # Weighted already, each team by its own rubric's weights.
                weights=dict.fromkeys((c.id for c in counted), 1.0),
                # An id a challenge keeps is named as the main rubric names it.
                labels={c.id: c.label(language) for c in reversed(counted)},
                order=list(ranking[col.TEAM]),
                adds_up=config.method.order == "criterion-first",
            ),
            CHART_BASE + teams,
        ),
        ChartSpec(
            "jurors-teams",
            _("Marks by juror and team"),
            lambda: _charts().plot_juror_heatmap(totals, order=list(ranking[col.TEAM])),
            CHART_BASE
            + teams
            + labels(totals[col.JUROR].nunique())
            + matrix(len(ranking), totals[col.JUROR].nunique()),
        ),
    ]
    jurors, stable = results.jurors, results.stability
    if jurors is not None:
        specs.append(
            ChartSpec(
                "leniency",
                _("Juror leniency"),
                lambda: _charts().plot_leniency(jurors),
                CHART_BASE + labels(len(jurors)),
            )
        )
    if stable is not None:
        probabilities = stable.probabilities
        specs.append(
            ChartSpec(
                "rank-probabilities",
                _("How sure is each rank?"),
                lambda: _charts().plot_rank_probabilities(probabilities),
                CHART_BASE
                + teams
                + min(probabilities.shape[1], NUMBER_TICKS)
                + matrix(*probabilities.shape),
            )
        )
    return specs


def draw_charts(
    specs: Sequence[ChartSpec], out: Path, *, processes: int = 1
) -> list[tuple[ChartSpec, Path, Path]]:
    """Draw each chart and save it as ``out/<name>.png`` and ``.svg``; with ``processes`` > 1,
    several at once (see :mod:`scoring.chartjobs`)."""
    from scoring.chartjobs import ChartJob

    with ChartJob(specs, out, processes=processes) as job:
        return job.finish()
