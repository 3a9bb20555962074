"""Turn a recognised table into records: marks (wide or long), teams, assignments.

:data:`EXTRACTORS` holds the extractor of each kind of table (see
:func:`scoring.tables.kind_of`); the marks tables have modules of their own,
:mod:`scoring.wideform` and :mod:`scoring.longform`; the side files (teams, assignments) are
read here.
"""

from __future__ import annotations

from collections.abc import Callable

from scoring import columns as col
from scoring.cellvalues import cell, text
from scoring.extracted import Extracted
from scoring.grid import Table
from scoring.headers import LANGUAGE
from scoring.i18n import LANGUAGES
from scoring.i18n import gettext as _
from scoring.tableproblems import problem
from scoring.tables import Header, data_rows
from scoring.wideform import extract_wide


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
