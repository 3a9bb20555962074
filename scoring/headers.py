"""Header words the jury sheets may use, in German, French, English and Luxembourgish.

Headers are compared after :func:`normalise`: case, accents, spaces and punctuation do not
matter, so "Équipe", "equipe" and "EQUIPE :" are the same word. Criterion columns match a
criterion id or its label in any language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from scoring import columns as col
from scoring.config import Criterion

# The words written by the templates, one per language: the reader knows them all.
TEMPLATE_WORDS = {
    "en": {col.JUROR: "Juror:", col.TEAM: "Team", col.TEAM_NAME: "Name", col.COMMENT: "Comment"},
    "de": {col.JUROR: "Juror:", col.TEAM: "Team", col.TEAM_NAME: "Name", col.COMMENT: "Kommentar"},
    "fr": {
        col.JUROR: "Juré :",
        col.TEAM: "Équipe",
        col.TEAM_NAME: "Nom",
        col.COMMENT: "Commentaire",
    },
    "lb": {
        col.JUROR: "Jury-Member:",
        col.TEAM: "Equipe",
        col.TEAM_NAME: "Numm",
        col.COMMENT: "Bemierkung",
    },
}

LANGUAGE = "language"
IGNORED = "ignored"

_SYNONYMS = {
    col.JUROR: (
        "juror",
        "jurorin",
        "juror id",
        "jury",
        "jury member",
        "jury-mitglied",
        "juré",
        "jurée",
        "membre du jury",
        "bewerter",
        "bewerterin",
        "gutachter",
        "gutachterin",
        "judge",
        "evaluator",
        "évaluateur",
        "évaluatrice",
        "bewäerter",
        "bewäerterin",
    ),
    col.TEAM: (
        "team",
        "team id",
        "team-nr",
        "team no",
        "équipe",
        "id équipe",
        "id de l'équipe",
        "mannschaft",
    ),
    col.TEAM_NAME: (
        "name",
        "team name",
        "teamname",
        "nom",
        "nom de l'équipe",
        "nom équipe",
        "numm",
        "projekt",
        "project",
        "projet",
    ),
    col.CRITERION: ("criterion", "criteria", "kriterium", "critère", "kritär"),
    col.SCORE: (
        "score",
        "scores",
        "note",
        "punkte",
        "punktzahl",
        "points",
        "punkten",
        "bewertung",
        "wertung",
        "bewäertung",
        "punktzuel",
    ),
    col.COMMENT: (
        "comment",
        "comments",
        "kommentar",
        "kommentare",
        "bemerkung",
        "bemerkungen",
        "anmerkung",
        "commentaire",
        "commentaires",
        "remarque",
        "remarques",
        "bemierkung",
        "bemierkungen",
    ),
    col.CHALLENGE: (
        "challenge",
        "challenge id",
        "défi",
        "défis",
        "herausforderung",
        "erausfuerderung",
    ),
    col.SITE: ("site", "city", "ville", "standort", "stadt", "lieu", "ort", "uert", "stad"),
    LANGUAGE: ("language", "lang", "sprache", "langue", "sprooch"),
    # Totals are computed by the scoring, never read from a sheet.
    IGNORED: (
        "total",
        "totals",
        "sum",
        "summe",
        "gesamt",
        "gesamtpunktzahl",
        "somme",
        "total général",
        "average",
        "mean",
        "moyenne",
        "durchschnitt",
        "rank",
        "rang",
        "platz",
    ),
}


# What a row below a table says when it sums up the rows above instead of scoring a team,
# in en, de, fr and lb (compared as normalise() gives them), and as a sign.
# Words a team might be called ("Max", "Mean Machines") are left out.
SUMMARY_WORDS = frozenset(
    {
        "total", "totals", "average", "summe", "gesamt", "insgesamt", "gesamtsumme",
        "durchschnitt", "mittelwert", "somme", "moyenne", "totaux", "duerchschnett",
    }
)  # fmt: skip
SUMMARY_SIGNS = frozenset({"Ø", "⌀", "Σ", "∑"})


# Cells repeat (the same team ids on every juror's sheet): cached by value, the checks of
# every data row's team cell (scoring.wideform) cost next to nothing.
@lru_cache(maxsize=1 << 16, typed=True)
def normalise(text: object) -> str:
    """Lower case, no accents, letters and digits only: the key headers are compared by.

    >>> normalise("Équipe :")
    'equipe'
    >>> normalise("Jury-Member")
    'jurymember'
    """
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]", "", plain.replace("ß", "ss"))


_WORDS = {normalise(word): role for role, words in _SYNONYMS.items() for word in words}


@lru_cache(maxsize=1 << 16, typed=True)
def role_of(header: object) -> str | None:
    """The role of a header cell (``col.TEAM``, ``col.JUROR``, ...) or None.

    A parenthesised suffix is ignored, so "Team (ID)" is a team column.
    """
    text = str(header)
    for candidate in (text, re.sub(r"\(.*\)\s*$", "", text)):
        role = _WORDS.get(normalise(candidate))
        if role is not None:
            return role
    return None


def juror_cell(text: object) -> tuple[bool, str]:
    """Whether a cell is a "Juror:" label, and the id written after the colon if any.

    >>> juror_cell("Juré : a.martin")
    (True, 'a.martin')
    """
    label, colon, rest = str(text).partition(":")
    if _WORDS.get(normalise(label)) != col.JUROR:
        return False, ""
    return True, rest.strip() if colon else ""


def criterion_lookup(criteria: Iterable[Criterion]) -> dict[str, str]:
    """Normalised id and labels (every language) -> criterion id."""
    lookup: dict[str, str] = {}
    for criterion in criteria:
        for name in (criterion.id, *criterion.labels.values()):
            lookup.setdefault(normalise(name), criterion.id)
    return lookup


def criterion_of(header: object, lookup: dict[str, str]) -> str | None:
    text = str(header)
    for candidate in (text, re.sub(r"\(.*\)\s*$", "", text)):
        found = lookup.get(normalise(candidate))
        if found is not None:
            return found
    return None
