"""Who gets which teams in which language: the plan of the jury sheets :mod:`scoring.template`
writes, from the assignments, and the warnings where it differs from them.

A team the rubric declares a conflict of interest with is left out of its juror's sheet (a juror
left without teams gets none); a juror's language that is unknown or given twice is warned, and
their sheet is in the default language or the first they give.
"""

from __future__ import annotations

import pandas as pd

from scoring import columns as col
from scoring.config import Config
from scoring.errors import InputError, Problem
from scoring.headers import LANGUAGE
from scoring.i18n import LANGUAGES, ngettext
from scoring.i18n import gettext as _
from scoring.places import at


def assignment_warnings(
    config: Config,
    teams: pd.DataFrame | None,
    assignments: pd.DataFrame | None,
    language: str | None = None,
) -> list[Problem]:
    """What :func:`scoring.template.write_templates` does otherwise than the assignments say:
    teams left out of a juror's sheet for a declared conflict of interest (and no sheet for a
    juror left without teams), and a juror's language that is unknown or given twice."""
    return plan_sheets(teams, assignments, config, language)[1]


def plan_sheets(
    teams: pd.DataFrame | None,
    assignments: pd.DataFrame | None,
    config: Config,
    language: str | None = None,
) -> tuple[dict[str, tuple[list[str], str | None]], list[Problem]]:
    """juror -> (team ids, language or None for the default), and what differs from the
    assignments: conflicted teams are left out, and a juror left without teams gets no sheet.

    Raises
    ------
    InputError
        When neither the teams nor the assignments are given.
    """
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
    default = default_language(language, config)
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


def default_language(language: str | None, config: Config) -> str:
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
