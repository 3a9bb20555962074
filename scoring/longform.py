"""Long marks tables (one row per juror, team and criterion), extracted column-wise.

Long tables are the big ones (every mark of a whole jury in one csv), so they are handled
as pandas columns rather than cell by cell; only faulty rows are looked at one by one.
"""

from __future__ import annotations

import pandas as pd

from scoring import columns as col
from scoring.cellvalues import number, text
from scoring.errors import Problem
from scoring.extracted import Extracted
from scoring.grid import Table, column_letter
from scoring.headers import criterion_of
from scoring.i18n import gettext as _
from scoring.tableproblems import comment_without_scores, no_rows, not_a_number, problem
from scoring.tables import Header

_KEYS = (col.JUROR, col.TEAM, col.CRITERION)
# The columns read as texts: the keys, the score (given or blank) and the optional ones.
_TEXTS = (*_KEYS, col.SCORE, col.CHALLENGE, col.COMMENT)


def extract_long_frame(
    table: Table, header: Header, lookup: dict[str, str], out: Extracted
) -> None:
    """One row per juror, team and criterion; criteria named by id or label in any language."""
    score_col = header.first(col.SCORE)
    if score_col is None:
        out.problems.append(_no_score_column(table, header))
        return
    body = _body(table, header)
    if body.empty:
        out.problems.append(no_rows(table, header))
        return
    cells = body.map(text)
    filled = cells.ne("").any(axis=1)
    if not filled.any():
        out.problems.append(no_rows(table, header))
        return
    texts = {role: _column(cells, header, role) for role in _TEXTS}
    incomplete = filled & pd.concat([texts[r].eq("") for r in _KEYS], axis=1).any(axis=1)
    _report_incomplete(table, header, texts, incomplete[incomplete].index, out)
    keep = filled & ~incomplete & texts[col.SCORE].ne("")
    scores = _scores(table, body, keep, score_col, out)
    _split_decimals(table, header, cells, keep, score_col, out)
    blank = filled & ~incomplete & texts[col.SCORE].eq("")
    _report_comments(table, header, texts, blank, keep, out)
    _record_blanks(table, texts, blank, lookup, score_col, out)
    out.marks.append(_marks(table, texts, keep, scores, lookup, score_col))


def _body(table: Table, header: Header) -> pd.DataFrame:
    """The rows below the header row, indexed by their row in the spreadsheet (0-based, like
    Table.rows)."""
    rows = table.rows[header.row + 1 :]
    width = max(map(len, rows), default=0)
    if any(len(row) != width for row in rows):  # csv rows of any length: pad them
        rows = [[*row, *[None] * (width - len(row))] for row in rows]
    body = pd.DataFrame(rows, dtype=object)
    body.index = body.index + header.row + 1  # 0-based spreadsheet row, like Table.rows
    return body


def _column(cells: pd.DataFrame, header: Header, role: str) -> pd.Series:
    """The texts of the column of ``role`` (empty where the table has no such column)."""
    j = header.first(role)
    return cells[j] if j is not None and j in cells else pd.Series("", index=cells.index)


def _scores(
    table: Table, body: pd.DataFrame, keep: pd.Series, score_col: int, out: Extracted
) -> pd.Series:
    """The scores of the rows kept, as numbers; NaN, with an error, where one is text."""
    raw = body[score_col] if score_col in body else pd.Series("", index=body.index)
    scores = raw[keep].map(number).astype(float)
    for i in scores.index[scores.isna()]:
        out.problems.append(not_a_number(table, int(i), score_col, raw[i]))
    return scores


def _report_comments(
    table: Table,
    header: Header,
    texts: dict[str, pd.Series],
    blank: pd.Series,
    scored: pd.Series,
    out: Extracted,
) -> None:
    """A warning for each comment on the rows of a team its juror gave no score in this
    table (a comment beside a scored criterion is kept with the marks), once per juror, team
    and comment."""
    comments, jurors, teams = texts[col.COMMENT], texts[col.JUROR], texts[col.TEAM]
    judged = set(zip(jurors[scored], teams[scored], strict=True))
    said: set[tuple[str, str, str]] = set()  # a comment repeated on each criterion's row
    for i in blank[blank & comments.ne("")].index:
        key = (jurors[i], teams[i], comments[i])
        if key[:2] not in judged and key not in said:
            said.add(key)
            comment = comment_without_scores(table, int(i), header.first(col.COMMENT), key[2])
            out.problems.append(comment)


def _record_blanks(
    table: Table,
    texts: dict[str, pd.Series],
    blank: pd.Series,
    lookup: dict[str, str],
    score_col: int,
    out: Extracted,
) -> None:
    """Where a missing score belongs (see scoring.coverage): the rows without a score."""
    for i in blank[blank].index:
        name = texts[col.CRITERION][i]
        out.blank_marks.append(
            {
                col.JUROR: texts[col.JUROR][i],
                col.TEAM: texts[col.TEAM][i],
                col.CRITERION: criterion_of(name, lookup) or name,
                col.FILE: str(table.file),
                col.SHEET: table.sheet,
                col.ROW: int(i) + 1,
                col.COLUMN: column_letter(score_col),
            }
        )


def _marks(
    table: Table,
    texts: dict[str, pd.Series],
    keep: pd.Series,
    scores: pd.Series,
    lookup: dict[str, str],
    score_col: int,
) -> pd.DataFrame:
    """The marks of the rows kept, criteria by their ids."""
    criteria = texts[col.CRITERION][keep]
    names = {name: criterion_of(name, lookup) or name for name in criteria.unique()}
    return pd.DataFrame(
        {
            col.JUROR: texts[col.JUROR][keep],
            col.TEAM: texts[col.TEAM][keep],
            col.CRITERION: criteria.map(names),
            col.SCORE: scores,
            col.CHALLENGE: _optional(texts[col.CHALLENGE][keep]),
            col.COMMENT: _optional(texts[col.COMMENT][keep]),
            col.FILE: str(table.file),
            col.SHEET: table.sheet,
            col.ROW: scores.index + 1,
            col.COLUMN: column_letter(score_col),
        }
    ).reset_index(drop=True)


def _split_decimals(
    table: Table,
    header: Header,
    cells: pd.DataFrame,
    keep: pd.Series,
    score_col: int,
    out: Extracted,
) -> None:
    """In a comma-separated file, an unquoted 7,5 is two cells, 7 and 5: with the comment
    column right after the score, the row keeps the header's width, and 5 would be read as
    the comment and 7 as the score. An error for each such row."""
    after = score_col + 1
    if table.delimiter != "," or header.roles.get(after) != col.COMMENT or after not in cells:
        return
    score, next_cell = cells[score_col][keep], cells[after][keep]
    split = score.str.fullmatch(r"[+-]?\d+") & next_cell.str.fullmatch(r"\d+")
    width = len(table.rows[header.row])
    # A row longer than the header has its error already (scoring.tableproblems.headless_cells).
    for i in (i for i in split[split].index if len(table.rows[int(i)]) <= width):
        whole, fraction = score[i], next_cell[i]
        message = _(
            "{whole},{fraction} was read as the score {whole} and the comment {fraction}: in a "
            'comma-separated file a decimal comma splits the cell; write "{whole},{fraction}" '
            "in quotes, or {whole}.{fraction}"
        ).format(whole=whole, fraction=fraction)
        out.problems.append(problem("error", "split_decimal", message, table, int(i), score_col))


def _no_score_column(table: Table, header: Header) -> Problem:
    message = _(
        "has a criterion column but no score column; name the column that holds the scores "
        "Score (or Punkte, Note, Points)"
    )
    return problem("error", "no_score_column", message, table, header.row)


def _optional(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.ne(""), None)


def _report_incomplete(
    table: Table, header: Header, texts: dict[str, pd.Series], rows: pd.Index, out: Extracted
) -> None:
    for i in rows:
        missing = [role for role in _KEYS if not texts[role][i]]
        out.problems.append(
            problem(
                "error",
                "incomplete_row",
                _("lacks the {what}; fill it in or delete the row").format(what=", ".join(missing)),
                table,
                int(i),
                header.first(missing[0]),
            )
        )
