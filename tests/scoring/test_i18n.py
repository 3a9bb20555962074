"""Language-dependent punctuation: lists inside sentences are joined as each language writes them.

French typography puts a no-break space (U+00A0) before a semicolon; German and English do not.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from scoring.columns import CRITERION, JUROR, SCORE, TEAM
from scoring.config import Method
from scoring.errors import MethodError
from scoring.explain import tie_break_text
from scoring.i18n import join_items, set_language
from scoring.methods import trimmed_mean
from tests.scoring.fixtures import rubric


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("language", "joined"),
    [
        ("en", "a, b; c"),
        ("de", "a, b; c"),
        ("fr", "a, b ; c"),
        ("lb", "a, b; c"),
    ],
)
def test_join_items_separates_as_the_language_writes(language: str, joined: str) -> None:
    set_language(language)

    assert join_items(["a, b", "c"]) == joined


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            "Les scores égaux sont départagés, dans cet ordre, par : le score supérieur sur "
            "« Impact » ; plus de premières places chez les jurés. Les équipes encore à "
            "égalité partagent le rang.",
        ),
        (
            "de",
            "Gleiche Punktzahlen werden in dieser Reihenfolge entschieden durch: die höhere "
            "Punktzahl in „Wirkung“; mehr erste Plätze bei den Juroren. Teams, die dann noch "
            "gleichauf liegen, teilen sich den Rang.",
        ),
    ],
)
def test_tie_breaks_are_listed_with_the_separator_of_the_language(
    language: str, sentence: str
) -> None:
    config = rubric(tie_breaks=["criterion:impact", "first_places"])
    set_language(language)

    assert tie_break_text(config, language) == sentence


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr",
            "trimmed_mean avec trim = 1 nécessite au moins 3 notes par équipe et par critère ; "
            "ces équipes en ont moins : B (c : 2 notes) ; C (c : 1 note). Baissez trim ou "
            "choisissez une autre méthode.",
        ),
        (
            "de",
            "trimmed_mean mit trim = 1 braucht mindestens 3 Bewertungen je Team und Kriterium; "
            "diese Teams haben weniger: B (c: 2 Bewertungen); C (c: 1 Bewertung). Senken Sie "
            "trim oder wählen Sie eine andere Methode.",
        ),
    ],
)
def test_trimmed_mean_lists_short_teams_with_the_separator_of_the_language(
    language: str, message: str
) -> None:
    rows = [("a", "A", 6.0), ("b", "A", 7.0), ("c", "A", 8.0), ("a", "B", 6.0), ("b", "B", 7.0)]
    marks = pd.DataFrame(
        [(*row, "c") for row in [*rows, ("a", "C", 5.0)]], columns=[JUROR, TEAM, SCORE, CRITERION]
    )
    set_language(language)

    with pytest.raises(MethodError) as raised:
        trimmed_mean(marks, Method(name="trimmed_mean", trim=1))

    assert str(raised.value) == message
