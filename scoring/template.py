"""Jury sheet templates: one xlsx per juror, in the juror's language, that the reader reads back.

The plan of who gets which teams in which language, and its warnings, is
:mod:`scoring.templateplan`; the workbook of each sheet is :mod:`scoring.templatebook`. Here: the
files, their names, and the folder they are written to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from scoring import columns as col
from scoring.blanks import refuse_replacing_work
from scoring.config import Config
from scoring.errors import InputError, Problem
from scoring.filenames import distinct_names
from scoring.i18n import get_language, set_language
from scoring.partfiles import remove_stale, replacing
from scoring.sheets import team_values
from scoring.templatebook import jury_workbook
from scoring.templateplan import assignment_warnings, default_language, plan_sheets

# A juror's part of their file's name, at most (see scoring.filenames).
NAME_BYTES = 64
SHARED = "jury-sheet"


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
    plan, _problems = plan_sheets(teams, assignments, config, language)
    default = default_language(language, config)
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
            jury_workbook(config, juror, team_ids, names, challenges, lang).save(part)
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
    the files written, and warnings about the assignments (see
    :func:`scoring.templateplan.assignment_warnings`).

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
