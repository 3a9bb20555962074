"""The workbook of one jury sheet: its sheets, cells, protection and the rule of each score cell.

Each template holds the juror's id in a "Juror:" cell, short instructions, and one row per
assigned team with an empty, unlocked cell per criterion. Cells only accept a decimal within
the criterion's scale; everything else is locked (sheet protection without a password: it
prevents slips, not determined edits). The headers are the words :mod:`scoring.headers` knows.
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scoring import columns as col
from scoring.config import Config, Criterion
from scoring.filenames import caseless
from scoring.headers import TEMPLATE_WORDS
from scoring.i18n import gettext as _
from scoring.sheetwords import HEADER_ROW, instructions, validate_scores

_INPUT = PatternFill("solid", fgColor="FFFFFFFF")
_LOCKED = PatternFill("solid", fgColor="FFEFEFEF")


def jury_workbook(
    config: Config,
    juror: str,
    team_ids: list[str],
    names: dict[str, str],
    challenges: dict[str, str],
    language: str,
) -> Workbook:
    """The workbook of ``juror``'s sheet (``""``: the sheet of every juror): a sheet per set
    of criteria among ``team_ids``, its texts in ``language``.

    Parameters
    ----------
    config : Config
        The rubric: the criteria of each team's challenge.
    juror : str
        The id written at the top; ``""`` leaves the cell for the juror to fill in.
    team_ids : list of str
        The teams, one row each, in this order.
    names, challenges : dict
        team -> its name, and team -> its challenge (teams missing: none).
    language : str
        The language of the criteria's labels and the column headings.

    Returns
    -------
    Workbook
        Not yet saved.
    """
    book = Workbook()
    book.remove(book.active)
    # Teams are grouped by what their sheet shows and checks: each criterion's id, labels and
    # scale (criteria hold label dicts, which are not hashable).
    groups: dict[tuple[object, ...], tuple[tuple[Criterion, ...], list[str]]] = {}
    for team in team_ids:
        rubric = config.criteria_for(challenges.get(team))
        key = tuple((c.id, tuple(sorted(c.labels.items())), c.scale) for c in rubric)
        groups.setdefault(key, (rubric, []))[1].append(team)
    if not groups:
        groups[()] = (config.criteria, [])
    titles = _titles(config, [group for _rubric, group in groups.values()], challenges)
    for title, (criteria, group) in zip(titles, groups.values(), strict=True):
        sheet = book.create_sheet(title)
        rows = [(t, names.get(t, "")) for t in group]
        _fill(sheet, juror, criteria, rows, language, sheets=titles)
    return book


def _titles(config: Config, groups: list[list[str]], challenges: dict[str, str]) -> list[str]:
    """The sheet of each group of teams: "Scores" for the main rubric's (any group holding a
    team without a rubric of its own); with several rubrics, a challenge's own named by its
    challenge ("Scores diabetes"), or by a number when challenges share one. Distinct, at most
    31 characters, without the characters a sheet name may not hold."""
    titles: list[str] = []
    for index, group in enumerate(groups, start=1):
        kinds = {challenges.get(team) for team in group}
        own = kinds & set(config.challenge_criteria)
        suffix = "" if own != kinds or not own else f" {own.pop() if len(own) == 1 else index}"
        title = ILLEGAL_CHARACTERS_RE.sub("", re.sub(r"[\[\]:*?/\\]", "-", _("Scores") + suffix))
        title = title[:31].strip("' ") or _("Scores")
        # Cut to 31 characters, two names may meet: a number keeps them apart.
        # Distinct without case too: a spreadsheet app refuses "Scores a" beside "Scores A".
        number = 2
        while caseless(title) in {caseless(t) for t in titles}:
            title = f"{title[: 31 - len(f' ({number})')].rstrip()} ({number})"
            number += 1
        titles.append(title)
    return titles


def _text(sheet: Worksheet, row: int, column: int, value: str) -> Cell:
    """A text cell that is never a formula, whatever it starts with (=, +, -, @); control
    characters, which a workbook cannot hold, left out."""
    cell = sheet.cell(row, column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    return cell


def _fill(
    sheet: Worksheet,
    juror: str,
    criteria: tuple[Criterion, ...],
    rows: list[tuple[str, str]],
    language: str,
    *,
    sheets: list[str],
) -> None:
    words = TEMPLATE_WORDS[language]
    _text(sheet, 1, 1, words[col.JUROR]).font = Font(bold=True)
    identity = _text(sheet, 1, 2, juror)
    identity.font = Font(bold=True)
    if not juror:  # one sheet for every juror: each writes their id here
        identity.protection, identity.fill = Protection(locked=False), _INPUT
    lines = instructions(criteria, language, shared=not juror)
    if len(sheets) > 1:  # teams of challenges with rubrics of their own: a sheet for each
        lines.append(
            _("This file has {n} sheets, one for each set of criteria: {sheets}; fill in each.")
            .format(n=len(sheets), sheets=", ".join(sheets))
        )  # fmt: skip
    for offset, line in enumerate(lines):
        _text(sheet, 2 + offset, 1, line)
    headings = [
        words[col.TEAM],
        words[col.TEAM_NAME],
        *(c.label(language) for c in criteria),
        words[col.COMMENT],
    ]
    for j, heading in enumerate(headings, start=1):
        cell = _text(sheet, HEADER_ROW, j, heading)
        cell.font, cell.fill = Font(bold=True), _LOCKED
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, (team, name) in enumerate(rows, start=HEADER_ROW + 1):
        _text(sheet, i, 1, team).fill = _LOCKED
        _text(sheet, i, 2, name).fill = _LOCKED
        for j in range(3, len(headings) + 1):
            sheet.cell(i, j).protection = Protection(locked=False)
            sheet.cell(i, j).fill = _INPUT
    validate_scores(sheet, criteria, len(rows))
    _layout(sheet, len(headings))


def _layout(sheet: Worksheet, width: int) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # False means allowed: jurors may widen columns
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 28
    for j in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(j)].width = 18 if j < width else 40
