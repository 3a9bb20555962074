"""Turn a recognised table into records: marks (wide or long), teams, assignments."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from scoring import columns as col
from scoring.headers import IGNORED, LANGUAGE
from scoring.i18n import LANGUAGES
from scoring.i18n import gettext as _
from scoring.longform import extract_long_frame
from scoring.tables import (
    MARK_FRAME_COLUMNS,
    Extracted,
    Header,
    cell,
    data_rows,
    find_juror,
    mark,
    not_a_number,
    number,
    problem,
    text,
)
from scoring.workbook import Table


def extract_wide(table: Table, header: Header, lookup: dict[str, str], out: Extracted) -> None:
    """One row per team, one column per criterion; the juror in a "Juror:" cell or a column."""
    sheet_juror = find_juror(table, header.row)[1]
    if header.first(col.JUROR) is None and not sheet_juror:
        message = _(
            'says nowhere whose sheet it is; above the table write a cell "Juror:" and '
            "your juror id in the cell to its right"
        )
        out.problems.append(problem("error", "no_juror", message, table))
        return
    _report_columns(table, header, out)
    records: list[dict[str, object]] = []
    for i, row in data_rows(table, header):
        records.extend(_wide_row(table, header, i, row, sheet_juror, out))
    out.marks.append(pd.DataFrame.from_records(records, columns=list(MARK_FRAME_COLUMNS)))


def _wide_row(
    table: Table, header: Header, i: int, row: Sequence[object], sheet_juror: str, out: Extracted
) -> list[dict[str, object]]:
    """The marks of one team row; a row without any score is remembered as blank."""
    team_col = header.first(col.TEAM)
    team = text(cell(row, team_col))
    juror = text(cell(row, header.first(col.JUROR))) or sheet_juror
    values = {j: number(cell(row, j)) for j in header.criteria}
    given = {j: v for j, v in values.items() if v is not None}
    if not team:
        if given:
            message = _("has scores but no team; write the team id in this row")
            out.problems.append(problem("error", "no_team", message, table, i, team_col))
        return []
    if not given:
        out.blank_rows.append(
            {
                col.JUROR: juror,
                col.TEAM: team,
                col.FILE: str(table.file),
                col.SHEET: table.sheet,
                col.ROW: i + 1,
            }
        )
    challenge = text(cell(row, header.first(col.CHALLENGE)))
    comment = text(cell(row, header.first(col.COMMENT)))
    out.problems.extend(
        not_a_number(table, i, j, cell(row, j)) for j, v in given.items() if v != v
    )  # NaN: the cell holds text that is not a number
    return [
        mark(table, i, j, juror, team, header.criteria[j], value, challenge, comment)
        for j, value in given.items()
    ]


def _report_columns(table: Table, header: Header, out: Extracted) -> None:
    known = ", ".join(sorted(set(header.criteria.values()))) or _("none")
    for j, label in header.unknown.items():
        out.problems.append(
            problem(
                "error",
                "unknown_criterion",
                _(
                    "column {label!r} is not a criterion of the rubric; rename it to a criterion "
                    "id or label (criteria found in this sheet: {known}) or delete the column"
                ).format(label=label, known=known),
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
EXTRACTORS: dict[str, Extractor] = {
    "wide": extract_wide,
    "long": extract_long_frame,
    "teams": extract_teams,
    "assignments": extract_assignments,
}
