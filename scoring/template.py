"""Jury sheet templates: one xlsx per juror, in the juror's language, that the reader reads back.

Each template holds the juror's id in a "Juror:" cell, short instructions, and one row per
assigned team with an empty, unlocked cell per criterion. Cells only accept a decimal within
the criterion's scale; everything else is locked (sheet protection without a password: it
prevents slips, not determined edits). The headers are the words :mod:`scoring.headers` knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scoring import columns as col
from scoring.blanks import refuse_replacing_work
from scoring.config import Config, Criterion
from scoring.errors import InputError, Problem
from scoring.filenames import caseless, distinct_names
from scoring.headers import LANGUAGE, TEMPLATE_WORDS
from scoring.i18n import LANGUAGES, get_language, ngettext, set_language
from scoring.i18n import gettext as _
from scoring.partfiles import remove_stale, replacing
from scoring.places import at
from scoring.sheets import team_values
from scoring.sheetwords import HEADER_ROW, instructions, validate_scores

# A juror's part of their file's name, at most (see scoring.filenames).
NAME_BYTES = 64
SHARED = "jury-sheet"
_INPUT = PatternFill("solid", fgColor="FFFFFFFF")
_LOCKED = PatternFill("solid", fgColor="FFEFEFEF")


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """Translate the template's texts into the juror's language, whatever the CLI speaks."""
    previous = get_language()
    set_language(language)
    try:
        yield
    finally:
        set_language(previous)


def write_templates(
    config: Config,
    teams: pd.DataFrame | None,
    assignments: pd.DataFrame | None,
    out_dir: Path,
    *,
    language: str | None = None,
) -> list[Path]:
    """Write one xlsx jury sheet per juror into ``out_dir``.

    Parameters
    ----------
    config : Config
        The rubric: criteria, labels, scales and conflicts.
    teams : DataFrame or None
        TEAM, TEAM_NAME (and CHALLENGE for challenge rubrics).
    assignments : DataFrame or None
        JUROR, TEAM and optionally ``language``; without it, one blank sheet with all teams.
    out_dir : Path
        Created when missing.
    language : str, optional
        Language for jurors whose assignment gives none (default: the rubric's language).

    Returns
    -------
    list of Path
        The files written, in juror order.

    Examples
    --------
    >>> import tempfile
    >>> from scoring.config import load_config
    >>> config = load_config("data/sample-jury/rubric.toml")
    >>> teams = pd.DataFrame({"team": ["T1", "T2"], "name": ["Pulse", "Breathe"]})
    >>> folder = tempfile.TemporaryDirectory()
    >>> [path.name for path in write_templates(config, teams, None, Path(folder.name))]
    ['jury-sheet.xlsx']
    >>> folder.cleanup()
    """
    plan, _problems = _plan(teams, assignments, config, language)
    default = _default_language(language, config)
    files = file_names(plan)
    names = team_values(teams, col.TEAM_NAME)
    # A juror's filled-in sheet back in this folder is never written over (nothing is).
    shown = {team: ILLEGAL_CHARACTERS_RE.sub("", name) for team, name in names.items()}
    refuse_replacing_work((out_dir / files[juror] for juror in plan), config, shown)
    out_dir.mkdir(parents=True, exist_ok=True)
    # The hidden part files of a run killed while writing these sheets.
    remove_stale(out_dir, "|".join(re.escape(files[juror]) for juror in plan))
    challenges = team_values(teams, col.CHALLENGE)
    written: list[Path] = []
    for juror, (team_ids, juror_language) in plan.items():
        lang = juror_language or default
        path = out_dir / files[juror]
        with _speaking(lang), replacing(path) as part:  # whole or not at all
            _workbook(config, juror, team_ids, names, challenges, lang).save(part)
        written.append(path)
    return written


def write_templates_from_files(
    config: Config,
    out_dir: Path,
    *,
    teams: Path | None = None,
    assignments: Path | None = None,
    language: str | None = None,
) -> tuple[list[Path], list[Problem]]:
    """:func:`write_templates` from a teams file and/or an assignments file (xlsx, ods, csv):
    the files written, and warnings about the assignments (see :func:`assignment_warnings`).

    Raises
    ------
    InputError
        When a side file cannot be read, or neither is given.

    Examples
    --------
    >>> import tempfile
    >>> from scoring.config import load_config
    >>> config = load_config("data/sample-jury/rubric.toml")
    >>> folder = tempfile.TemporaryDirectory()
    >>> written, warnings = write_templates_from_files(
    ...     config, Path(folder.name), assignments=Path("data/sample-jury/assignments.csv")
    ... )
    >>> [path.name for path in written][:3]
    ['anna.weber.xlsx', 'claire.martin.xlsx', 'elena.rossi.xlsx']
    >>> folder.cleanup()
    """
    from scoring.sheets import read_inputs

    jury = read_inputs([p for p in (teams, assignments) if p is not None], config)
    # As validate reports them: a sheet would get a row for a team without a name, and the
    # teams of a challenge the rubric misspells would get the main rubric's criteria.
    from scoring.identities import rubric_references
    from scoring.teamchecks import teams_listed_twice, teams_without_rubric, unknown_teams

    problems = [
        *jury.problems,
        *unknown_teams(jury),
        *teams_listed_twice(jury),
        *rubric_references(jury, config),
        *teams_without_rubric(jury, config),  # their sheet would have no criteria
    ]
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    written = write_templates(config, jury.teams, jury.assignments, out_dir, language=language)
    warnings = [*problems, *assignment_warnings(config, jury.teams, jury.assignments, language)]
    return written, warnings


def assignment_warnings(
    config: Config,
    teams: pd.DataFrame | None,
    assignments: pd.DataFrame | None,
    language: str | None = None,
) -> list[Problem]:
    """What :func:`write_templates` does otherwise than the assignments say: teams left out
    of a juror's sheet for a declared conflict of interest (and no sheet for a juror left
    without teams), and a juror's language that is unknown or given twice."""
    return _plan(teams, assignments, config, language)[1]


def _plan(
    teams: pd.DataFrame | None,
    assignments: pd.DataFrame | None,
    config: Config,
    language: str | None = None,
) -> tuple[dict[str, tuple[list[str], str | None]], list[Problem]]:
    """juror -> (team ids, language or None for the default), and what differs from the
    assignments: conflicted teams are left out, and a juror left without teams gets no sheet."""
    if assignments is None:
        if teams is None:
            raise InputError(
                [
                    Problem(
                        "error",
                        "no_teams",
                        _(
                            "templates need the teams: give a teams file (--teams) or an "
                            "assignments file (--assignments)"
                        ),
                    )
                ]
            )
        return {"": (list(dict.fromkeys(teams[col.TEAM])), None)}, []
    default = _default_language(language, config)
    plan: dict[str, tuple[list[str], str | None]] = {}
    problems: list[Problem] = []
    for juror, group in assignments.groupby(col.JUROR, sort=True):
        juror = str(juror)
        conflicts = config.conflicts.get(juror, frozenset())
        assigned = list(dict.fromkeys(group[col.TEAM]))
        team_ids = [t for t in assigned if t not in conflicts]
        left_out = [t for t in assigned if t in conflicts]
        if left_out:
            first = group[group[col.TEAM].isin(left_out)].iloc[0]
            problems.append(_left_out(first, juror, left_out, bool(team_ids)))
        juror_language, problem = _language_of(juror, group, default)
        problems += [problem] if problem is not None else []
        if team_ids:
            plan[juror] = (team_ids, juror_language)
    return plan, problems


def _default_language(language: str | None, config: Config) -> str:
    """The language of sheets whose juror has none: ``language`` (any case) when the sheets
    speak it, else the rubric's."""
    code = (language or "").strip().lower()
    return code if code in LANGUAGES else config.language


def _left_out(first: pd.Series, juror: str, teams: list[str], others: bool) -> Problem:
    listed = ", ".join(teams)
    if others:
        message = ngettext(
            "juror {juror!r} is assigned team {teams}, with which the rubric declares a "
            "conflict of interest: it is left out of their sheet",
            "juror {juror!r} is assigned teams {teams}, with which the rubric declares "
            "conflicts of interest: they are left out of their sheet",
            len(teams),
        )
    else:
        message = ngettext(
            "juror {juror!r} is assigned only team {teams}, with which the rubric declares a "
            "conflict of interest: no sheet is written for them; assign them other teams",
            "juror {juror!r} is assigned only teams {teams}, with which the rubric declares "
            "conflicts of interest: no sheet is written for them; assign them other teams",
            len(teams),
        )
    return at(first, "warning", "conflicted_assignment", message.format(juror=juror, teams=listed))


def _language_of(
    juror: str, group: pd.DataFrame, default: str
) -> tuple[str | None, Problem | None]:
    """The language of ``juror``'s sheet from their assignments (None: ``default``), and a
    warning when they give several, or one that is not a language of the sheets."""
    if LANGUAGE not in group:
        return None, None
    given = group[LANGUAGE].dropna().astype(str).str.strip()
    given = given[given != ""]
    if given.empty:
        return None, None
    codes = list(dict.fromkeys(given.str.lower()))
    first = group.loc[given.index[0]]
    if codes[0] not in LANGUAGES:
        message = _(
            "juror {juror!r} has the language {value!r}, which is none of de, fr, en, lb: "
            "their sheet is in {language}"
        ).format(juror=juror, value=given.iloc[0], language=default)
        return None, at(first, "warning", "unknown_language", message, column=False)
    if len(codes) > 1:
        message = _(
            "juror {juror!r} has several languages in the assignments ({languages}): their "
            "sheet is in {language}, the first"
        ).format(juror=juror, languages=", ".join(codes), language=codes[0])
        return codes[0], at(first, "warning", "several_languages", message, column=False)
    return codes[0], None


def file_names(jurors: Iterable[str]) -> dict[str, str]:
    """juror -> the name of their sheet's file: ``<juror>.xlsx``, the id made a name by
    :func:`scoring.filenames.distinct_names` (at most 64 bytes before ``.xlsx``; distinct
    without case, never a Windows device name); ``jury-sheet.xlsx`` for the sheet of every
    juror (id "").

    Examples
    --------
    >>> names = file_names(["Anna", "anna", "CON", "tom", ""])
    >>> [names[j] for j in ("Anna", "anna", "CON", "tom", "")]
    ['Anna~bf4fccd6.xlsx', 'anna~55579b55.xlsx', 'CON~a3dbc4b6.xlsx', 'tom.xlsx', 'jury-sheet.xlsx']
    """
    given = list(jurors)
    names = distinct_names((j for j in given if j), NAME_BYTES, default="juror")
    shared = {"": f"{SHARED}.xlsx"} if "" in given else {}
    return shared | {j: f"{name}.xlsx" for j, name in names.items()}


def _workbook(
    config: Config,
    juror: str,
    team_ids: list[str],
    names: dict[str, str],
    challenges: dict[str, str],
    language: str,
) -> Workbook:
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
