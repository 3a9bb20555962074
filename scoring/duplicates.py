"""Scores given twice: each at its second place, or, for a juror's scores on two sheets (a
corrected copy sent beside the first, a hidden old sheet, a folder copied in twice), once per
pair of sheets.

Vectorised: a jury folder copied in twice repeats every one of 120 000 marks, and a problem
built row by row costs about a millisecond.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pandas as pd

from scoring import columns as col
from scoring.config import Config, Criterion
from scoring.errors import Problem
from scoring.i18n import get_language, join_items, ngettext
from scoring.i18n import gettext as _
from scoring.numbers import exact_text
from scoring.places import at

_KEYS = [col.JUROR, col.TEAM, col.CRITERION]
_PAIR = ["juror", "first_file", "first_sheet", "file", "sheet"]
SHOWN = 8  # teams named in one problem


def duplicates(marks: pd.DataFrame, config: Config) -> Iterable[Problem]:
    """Every score a juror gave twice for the same team and criterion (see the module); on
    one sheet, a row given twice is one problem, with the scores of both."""
    repeated = marks[marks.duplicated(_KEYS, keep=False)]
    if repeated.empty:
        return
    first, mark = _later_marks(repeated)
    pairs = _sheet_pairs(first, mark)
    by_pair = pairs.groupby(_PAIR, sort=False)
    size = by_pair["juror"].transform("size").to_numpy()
    other_sheet = (pairs["first_file"] != pairs["file"]) | (pairs["first_sheet"] != pairs["sheet"])
    summed = other_sheet.to_numpy() & (size > 1)
    if summed.any():
        yield from _given_on_two_sheets(marks, first, mark, by_pair.ngroup().to_numpy(), summed)
    yield from _repeated_rows(first[~summed], mark[~summed], config, marks)


def _later_marks(repeated: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each repeated mark after the first of its (juror, team, criterion), beside that first
    mark: (the first marks, the later marks), row for row."""
    group = repeated.groupby(_KEYS, sort=False, observed=True).ngroup().to_numpy()
    position = np.arange(len(repeated))
    firsts = pd.Series(position).groupby(group).transform("min").to_numpy()
    later = position != firsts
    return repeated.iloc[firsts[later]], repeated.iloc[position[later]]


def _sheet_pairs(first: pd.DataFrame, mark: pd.DataFrame) -> pd.DataFrame:
    """The juror of each later mark, with the file and sheet of the first mark and its own
    (the columns of ``_PAIR``)."""
    return pd.DataFrame(
        dict(
            zip(
                _PAIR,
                (
                    _texts(mark[col.JUROR]),
                    *(_texts(first[key]) for key in (col.FILE, col.SHEET)),
                    *(_texts(mark[key]) for key in (col.FILE, col.SHEET)),
                ),
                strict=True,
            )
        )
    )


def _given_on_two_sheets(
    marks: pd.DataFrame,
    first: pd.DataFrame,
    mark: pd.DataFrame,
    pair: np.ndarray,
    summed: np.ndarray,
) -> Iterable[Problem]:
    """One problem per pair of sheets for the later marks ``summed`` (each given on another
    sheet than its first, with others of the same pair of sheets), at the later sheet;
    ``pair`` numbers each later mark's pair of sheets."""
    differ = first[col.SCORE].to_numpy() != mark[col.SCORE].to_numpy()
    numbered = pd.DataFrame({"pair": pair, "differ": differ, "row": np.arange(len(mark))})
    counts = numbered[summed].groupby("pair", sort=False)
    totals = counts.agg(n=("row", "size"), differ=("differ", "sum"), row=("row", "first"))
    # Each sheet's number of scores by the juror: two sheets that hold only the scores
    # given twice are copies, and one can go; else only those scores can.
    per_sheet = pd.DataFrame(
        {key: _texts(marks[key]) for key in (col.JUROR, col.FILE, col.SHEET)}
    ).value_counts()
    teams = counts["row"].agg(lambda rows: sorted(set(_texts(mark[col.TEAM].iloc[rows]))))
    for (n, different, row), named in zip(
        totals.itertuples(index=False, name=None), teams, strict=True
    ):
        earlier, again = first.iloc[row], mark.iloc[row]
        copies = _copies(per_sheet, n, earlier, again)
        yield _on_two_sheets(earlier, again, int(n), int(different), copies, named)


def _copies(per_sheet: pd.Series, n: int, earlier: pd.Series, again: pd.Series) -> bool:
    """Whether the sheets of ``earlier`` and ``again`` hold, by their juror, only the ``n``
    scores given on both (``per_sheet``: each sheet's number of scores by each juror)."""
    sheets = [
        per_sheet[(_texts(m[[col.JUROR]])[0], *_texts(m[[col.FILE, col.SHEET]]))]
        for m in (earlier, again)
    ]
    return all(count == n for count in sheets)


def _repeated_rows(
    first: pd.DataFrame, mark: pd.DataFrame, config: Config, marks: pd.DataFrame
) -> Iterable[Problem]:
    """One problem per row that gives a team's scores again (a row copied, or pasted with a
    correction), at that row, with the scores of both places; ``marks``: all of them, to tell
    rows that score the same criteria from a row with fewer scores than the other."""
    if mark.empty:
        return
    where_keys = [col.FILE, col.SHEET, col.ROW, col.JUROR]
    per_row = pd.DataFrame({key: _texts(marks[key]) for key in where_keys}).value_counts()
    criteria = {c.id: c for c in config.all_criteria()}
    language = get_language()
    places = [col.FILE, col.SHEET, col.ROW]
    keys = pd.DataFrame(
        {
            **{f"first_{key}": _texts(first[key]) for key in places},
            **{key: _texts(mark[key]) for key in [col.JUROR, col.TEAM, *places]},
        }
    )
    for _key, positions in keys.groupby(list(keys.columns), sort=False).indices.items():
        earlier, again = first.iloc[positions], mark.iloc[positions]
        pairs = [
            (named(criteria, str(criterion), language), _score(before), _score(after))
            for criterion, before, after in zip(
                again[col.CRITERION], earlier[col.SCORE], again[col.SCORE], strict=True
            )
        ]
        counts = {_count(per_row, row, where_keys) for row in (earlier.iloc[0], again.iloc[0])}
        yield _repeated_row(earlier.iloc[0], again.iloc[0], pairs, len(counts) > 1)


def _repeated_row(
    earlier: pd.Series, head: pd.Series, pairs: list[tuple[str, str, str]], uneven: bool
) -> Problem:
    """The problem of the row of ``head`` that gives again, for each of ``pairs`` (criterion,
    score there, score here), a score of the row of ``earlier``; ``uneven``: the two rows
    hold different numbers of scores."""
    different = [(name, a, b) for name, a, b in pairs if a != b]
    where = at(earlier, "", "", "", column=len(pairs) == 1).location()
    if not different and uneven:
        message = _(
            "juror {juror!r} scored team {team!r} twice, here and at {where}, with the same "
            "scores where both rows give one, but one row leaves some criteria empty; keep "
            "the complete row and delete the other"
        ).format(
            juror=head[col.JUROR],
            team=head[col.TEAM],
            where=at(earlier, "", "", "", column=False).location(),
        )
        return at(head, "error", "duplicate_score", message, column=False)
    if len(pairs) == 1:
        message = _one_score_again(head, pairs[0], where)
        return at(head, "error", "duplicate_score", message)
    message = _row_again(head, different, where)
    return at(head, "error", "duplicate_score", message, column=False)


def _one_score_again(head: pd.Series, pair: tuple[str, str, str], where: str) -> str:
    """The message of a row that gives a single score again: ``pair`` is its criterion, the
    score at ``where`` and the score here."""
    name, before, after = pair
    return (
        _(
            "juror {juror!r} scored team {team!r} on {criterion} twice, {second} here "
            "and {first} at {where}; delete the wrong one"
        )
        if before != after
        else _(
            "juror {juror!r} scored team {team!r} on {criterion} twice, {second} both "
            "here and at {where}; delete one of the two"
        )
    ).format(
        juror=head[col.JUROR],
        team=head[col.TEAM],
        criterion=name,
        first=before,
        second=after,
        where=where,
    )


def _row_again(head: pd.Series, different: list[tuple[str, str, str]], where: str) -> str:
    """The message of a row that gives several scores again, ``different`` of them (criterion,
    score at ``where``, score here) not the same."""
    if not different:
        return _(
            "juror {juror!r} scored team {team!r} twice, here and at {where}, with the same "
            "scores; delete one of the two rows"
        ).format(juror=head[col.JUROR], team=head[col.TEAM], where=where)
    scores = join_items(
        _("{criterion}: {first} there, {second} here").format(criterion=name, first=a, second=b)
        for name, a, b in different
    )
    return ngettext(
        "juror {juror!r} scored team {team!r} twice, here and at {where}, with one "
        "score different ({scores}); delete the wrong row",
        "juror {juror!r} scored team {team!r} twice, here and at {where}, with {n} "
        "scores different ({scores}); delete the wrong row",
        len(different),
    ).format(
        juror=head[col.JUROR],
        team=head[col.TEAM],
        where=where,
        n=len(different),
        scores=scores,
    )


def _count(per_row: pd.Series, mark: pd.Series, keys: list[str]) -> int:
    """How many marks the juror gave in the row of ``mark``."""
    return int(per_row.get(tuple(_texts(mark[keys])), 0))


def named(criteria: dict[str, Criterion], criterion: str, language: str) -> str:
    """A criterion as messages name it; one the rubric does not know by its id."""
    found = criteria.get(criterion)
    return found.named(language) if found is not None else repr(criterion)


def _score(value: object) -> str:
    """A score as the juror's language writes it (7,5 in German)."""
    return exact_text(Decimal(repr(float(value))))  # type: ignore[arg-type]


def _texts(values: pd.Series) -> np.ndarray:
    """``values`` as objects with missing ones as one marker: groupby drops NaN keys."""
    return values.astype(object).where(values.notna(), "\0").to_numpy()


def _on_two_sheets(
    first: pd.Series, mark: pd.Series, n: int, different: int, copies: bool, teams: list[str]
) -> Problem:
    """The problem of ``n`` scores (``different`` of them not the same) that the juror of
    ``mark`` gave both on its sheet and on the sheet of ``first``; ``copies``: the two sheets
    hold nothing else, else the scores of ``teams`` are the ones to delete from one of them."""
    where = replace(at(first, "", "", ""), row=None, column=None).location()
    juror = str(mark[col.JUROR])
    if not copies:
        shown = ", ".join(repr(team) for team in teams[:SHOWN]) + (
            ", …" if len(teams) > SHOWN else ""
        )
        named = ngettext("team {names}", "teams {names}", len(teams)).format(names=shown)
        message = _(
            "juror {juror!r} gave {n} scores both here and at {where} ({differ} of them "
            "different), and other scores on each; delete the scores given twice, of {teams}, "
            "from one of the two"
        ).format(juror=juror, n=n, where=where, differ=different, teams=named)
    elif different == 0:
        message = _(
            "juror {juror!r} gave the same {n} scores both here and at {where}; keep one of "
            "the two sheets"
        ).format(juror=juror, n=n, where=where)
    else:
        message = ngettext(
            "juror {juror!r} gave {n} scores both here and at {where}, {differ} of them "
            "different; keep one of the two sheets, or delete the scores given twice",
            "juror {juror!r} gave {n} scores both here and at {where}, {differ} of them "
            "different; keep one of the two sheets, or delete the scores given twice",
            different,
        ).format(juror=juror, n=n, where=where, differ=different)
    return replace(at(mark, "error", "duplicate_score", message), row=None, column=None)
