"""Team ids that a spreadsheet kept without their leading zeros.

A cell that holds a number keeps the number, not what was typed: a juror who types ``07`` in
a team cell of Excel or LibreOffice sends back ``7``, while the teams file says ``07`` (or the
other way round, when the teams file went through a spreadsheet). Such an id (digits only,
not listed itself) is read as the one listed id it equals as a number, with a warning that
says so; an id that two listed ids equal (``7`` for ``07`` and ``007``) is left as it is, for
validation to report as unknown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from scoring import columns as col
from scoring.i18n import gettext as _
from scoring.places import at
from scoring.sheets import JuryInput
from scoring.spellings import digits

SHOWN = 5  # pairs named in the warning


def zeros_restored(ids: Iterable[str], listed: Collection[str]) -> dict[str, str]:
    """Each id of ``ids`` that names one ``listed`` id but for leading zeros, with that id.

    Examples
    --------
    >>> zeros_restored(["7", "12", "T1", "3", "5"], ["07", "012", "T01", "003", "0003", "5"])
    {'7': '07', '12': '012'}
    """
    by_number: dict[int, list[str]] = {}
    for known in listed:
        if digits(known):
            by_number.setdefault(int(known), []).append(known)
    found = {}
    for identifier in ids:
        if identifier in listed or not digits(identifier):
            continue
        matches = by_number.get(int(identifier), [])
        if len(matches) == 1:
            found[identifier] = matches[0]
    return found


def restored(jury: JuryInput) -> JuryInput:
    """``jury`` with the team ids a spreadsheet cut short (see :func:`zeros_restored`) written
    as the teams file writes them (else the assignments file), and a warning naming them at
    the first place one was found; ``jury`` itself when there is none."""
    source = jury.teams if jury.teams is not None else jury.assignments
    if source is None or source.empty:
        return jury
    listed = {str(v) for v in source[col.TEAM].dropna().unique()}
    frames = {
        "marks": jury.marks,
        "blank_rows": jury.blank_rows,
        "blank_marks": jury.blank_marks,
        "assignments": jury.assignments if jury.teams is not None else None,
        "team_names": jury.team_names,
    }
    present: set[str] = set()
    for frame in frames.values():
        if frame is not None and not frame.empty:
            present.update(str(v) for v in frame[col.TEAM].dropna().unique())
    found = zeros_restored(sorted(present), listed)
    if not found:
        return jury
    first = next(
        frame.loc[hit.idxmax()]
        for frame in frames.values()
        if frame is not None
        and not frame.empty
        and (hit := frame[col.TEAM].isin(list(found))).any()
    )
    changed = {
        name: frame.assign(**{col.TEAM: frame[col.TEAM].replace(found)})
        for name, frame in frames.items()
        if frame is not None and not frame.empty
    }
    message = _message(found, jury.teams is not None)
    warning = at(first, "warning", "team_zeros", message, column=False)
    return dataclasses.replace(jury, **changed, problems=(*jury.problems, warning))


def _message(found: dict[str, str], teams_file: bool) -> str:
    pairs = sorted(found.items(), key=lambda pair: (int(pair[0]), pair[1]))
    named = ", ".join(f"{short} → {long}" for short, long in pairs[:SHOWN])
    if len(pairs) > SHOWN:
        named += ", …"
    if teams_file:
        message = _(
            "some team ids differ from the teams file's only in leading zeros (a spreadsheet "
            "keeps a typed 07 as the number 7); they were read as the teams file writes them: "
            "{pairs}"
        )
    else:
        message = _(
            "some team ids differ from the assignments file's only in leading zeros (a "
            "spreadsheet keeps a typed 07 as the number 7); they were read as the assignments "
            "file writes them: {pairs}"
        )
    return message.format(pairs=named)
