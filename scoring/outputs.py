"""The files of a ranking run, a stable contract for scripts (see the README, "Outputs").

``ranking.csv`` (rank, team, score, one column per criterion, jurors, disagreement, tie_note),
``ranking-<challenge>.csv``, ``criteria.csv`` (team, criterion, score), ``jurors.csv``,
``agreement.csv``, ``stability.csv``, ``results.xlsx`` (all of them plus the raw and normalised
marks) and the charts as PNG and SVG under ``charts/``.

Here, the tables; the workbook is written by :mod:`scoring.workbookjob`, the charts are listed
by :mod:`scoring.chartspecs`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import Problem
from scoring.export import write_csv
from scoring.filenames import distinct_names, utf16_length
from scoring.places import none_if_missing
from scoring.workbookjob import WorkbookJob, marks_sheet, write_workbook

if TYPE_CHECKING:
    from scoring.aggregate import Scores
    from scoring.stability import Stability

RANKING_TAIL = (col.N_JURORS, col.DISAGREEMENT, col.MIN_TOTAL, col.MAX_TOTAL, col.TIE_NOTE)
TOTALS_SHEET = "totals"
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
