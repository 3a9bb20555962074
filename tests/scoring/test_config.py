"""The TOML rubric: every key read exactly, every bad key refused with its name."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from scoring.config import Bootstrap, Criterion, Method, Rounding, Scale, load_config, parse_config
from scoring.errors import ConfigError
from scoring.i18n import set_language

SAMPLE = Path(__file__).parents[2] / "data" / "sample-jury" / "rubric.toml"
MINIMAL = """
[[criteria]]
id = "impact"
scale = { min = 0, max = 10 }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rubric.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return str(caught.value)


def test_load_config_minimal_gets_documented_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))

    assert config.criteria == (
        Criterion("impact", {}, Decimal(1), Scale(Decimal(0), Decimal(10), None)),
    )
    assert config.method == Method("mean", "criterion-first", 0, 5)
    assert config.rounding == Rounding(None, ())
    assert config.bootstrap == Bootstrap(1000, 20261122, 0.90)
    assert (config.tie_breaks, config.min_jurors, config.language) == ((), 1, "en")
    assert (dict(config.conflicts), dict(config.challenge_criteria)) == ({}, {})


def test_load_config_sample_reads_every_key() -> None:
    config = load_config(SAMPLE)

    assert [c.id for c in config.criteria] == [
        "impact",
        "feasibility",
        "innovation",
        "user",
        "pitch",
    ]
    assert [c.weight for c in config.criteria] == [
        Decimal("0.30"),
        Decimal("0.20"),
        Decimal("0.20"),
        Decimal("0.15"),
        Decimal("0.15"),
    ]
    assert config.criteria[0].labels == {
        "de": "Gesundheitlicher Nutzen",
        "fr": "Impact sur la santé",
        "en": "Health impact",
        "lb": "Gesondheetlechen Notzen",
    }
    assert config.criteria[4].scale == Scale(Decimal(0), Decimal(10), Decimal("0.5"))
    assert config.method == Method("judge_effects", "criterion-first", 0, 5)
    assert config.rounding == Rounding(2, ("total",))
    assert config.tie_breaks == ("criterion:impact", "median", "first_places")
    assert config.min_jurors == 3
    assert dict(config.conflicts) == {"julien.roux": frozenset({"T07"})}
    assert config.bootstrap == Bootstrap(1000, 2026, 0.90)


def test_load_config_weights_are_exact_decimals(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL.replace("id =", "weight = 0.1\nid =")))

    assert config.criteria[0].weight == Decimal("0.1")


def test_load_config_challenge_rubric_replaces_criteria(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + """
[[challenges.cross-border.criteria]]
id = "interop"
label = { en = "Interoperability", de = "Interoperabilität" }
scale = { min = 1, max = 5, step = 1 }
independent = false
"""
    )
    config = load_config(write(tmp_path, text))

    assert [c.id for c in config.criteria_for("cross-border")] == ["interop"]
    assert [c.id for c in config.criteria_for("diabetes")] == ["impact"]
    assert [c.id for c in config.all_criteria()] == ["impact", "interop"]


def test_load_config_rank_method_defaults_to_juror_first(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[method]\nname = "borda"\n' + MINIMAL))

    assert config.method.order == "juror-first"


def test_load_config_trimmed_mean_trims_one_by_default(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[method]\nname = "trimmed_mean"\n' + MINIMAL))

    assert config.method == Method("trimmed_mean", "criterion-first", 1, 5)


def test_load_config_rounding_decimals_alone_round_the_total(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[rounding]\ndecimals = 1\n" + MINIMAL))

    assert config.rounding == Rounding(1, ("total",))


def test_criterion_label_falls_back_to_english_then_id() -> None:
    labelled = Criterion(
        "a", {"en": "Impact", "de": "Wirkung"}, Decimal(1), Scale(Decimal(0), Decimal(1))
    )
    bare = Criterion("b", {}, Decimal(1), Scale(Decimal(0), Decimal(1)))

    assert (labelled.label("de"), labelled.label("fr"), bare.label("fr")) == (
        "Wirkung",
        "Impact",
        "b",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'colour = "red"\n' + MINIMAL,
            "rubric.toml: colour: unknown key; correct its spelling or remove it (known keys "
            "here: ",
        ),
        (
            MINIMAL + "[[criteria]]\nid = \"b\"\nweight = 'high'\nscale = { min = 0, max = 1 }\n",
            "rubric.toml: criteria[2].weight: must be a positive number, got 'high'",
        ),
        (
            MINIMAL.replace("id =", "weight = -1\nid ="),
            "rubric.toml: criteria[1].weight: must be a positive number, got -1",
        ),
        (
            # Beyond floating point, every team would tie at infinity.
            MINIMAL.replace("id =", "weight = 1e300\nid ="),
            "rubric.toml: criteria[1].weight: must be from 0.000001 to 1000000 (weights only "
            "compare the criteria: 1, 2, 3 or 20, 30, 50 will do), got 1E+300",
        ),
        (
            MINIMAL.replace("id =", "weight = 1e-400\nid ="),
            "rubric.toml: criteria[1].weight: must be from 0.000001 to 1000000",
        ),
        (
            MINIMAL.replace("max = 10", "max = 10, step = 1e-300"),  # ended with a traceback
            "rubric.toml: criteria[1].scale.step: must be from 0.000001 to 10, got 1E-300",
        ),
        (
            MINIMAL.replace("max = 10", "max = 1e300"),
            "rubric.toml: criteria[1].scale.max: must be from -1000000 to 1000000, got 1E+300",
        ),
        (
            MINIMAL.replace("id =", "wieght = 1\nid ="),
            "rubric.toml: criteria[1].wieght: unknown key",
        ),
        (
            MINIMAL.replace("max = 10", "max = 0"),
            "rubric.toml: criteria[1].scale.max: must be greater than min (0), got 0",
        ),
        (
            MINIMAL.replace("max = 10", "max = 10, step = 3"),
            "rubric.toml: criteria[1].scale.step: must be positive and divide max - min (10), "
            "got 3",
        ),
        ('[[criteria]]\nid = "a"\n', "rubric.toml: criteria[1].scale: missing"),
        (MINIMAL + MINIMAL, "rubric.toml: criteria[2].id: 'impact' is used twice"),
        (
            'language = "it"\n' + MINIMAL,
            "rubric.toml: language: must be one of de, fr, en, lb, got 'it'",
        ),
        ('[method]\nname = "best"\n' + MINIMAL, "rubric.toml: method.name: must be one of mean, "),
        (
            '[method]\nname = "copeland"\norder = "criterion-first"\n' + MINIMAL,
            "rubric.toml: method.order: copeland ranks each juror's totals, so it needs "
            "juror-first",
        ),
        ("[method]\ntrim = 1\n" + MINIMAL, "rubric.toml: method.trim: only used by trimmed_mean"),
        (
            '[rounding]\ndecimals = 2\nstages = ["final"]\n' + MINIMAL,
            "rubric.toml: rounding.stages: must list some of criterion, weighted, total, "
            "got 'final'",
        ),
        (
            # juror-first totals each juror's raw marks: no weighted product would be rounded.
            '[method]\norder = "juror-first"\n[rounding]\ndecimals = 1\nstages = ["weighted"]\n'
            + MINIMAL,
            "rubric.toml: rounding.stages: weighted rounds the weighted criterion scores of "
            "criterion-first; juror-first totals each juror's raw marks, so remove it",
        ),
        (
            # Only the criterion columns shown for information would be rounded, not the score.
            '[method]\norder = "juror-first"\n[rounding]\ndecimals = 1\nstages = ["criterion"]\n'
            + MINIMAL,
            "rubric.toml: rounding.stages: in juror-first, criterion rounds only the criterion "
            "columns shown for information, not the score; add total to round the score",
        ),
        (
            '[method]\nname = "borda"\n[rounding]\ndecimals = 1\nstages = ["weighted"]\n' + MINIMAL,
            "rubric.toml: rounding.stages: weighted rounds the weighted criterion scores of "
            "criterion-first; borda is always juror-first, which totals each juror's raw marks, "
            "so remove it",
        ),
        ('tie_breaks = ["criterion:nope"]\n' + MINIMAL, "rubric.toml: tie_breaks[1]: must be "),
        ("min_jurors = 0\n" + MINIMAL, "rubric.toml: min_jurors: must be a whole number from 1 "),
        (
            "[bootstrap]\ninterval = 1.5\n" + MINIMAL,
            "rubric.toml: bootstrap.interval: must be between 0 and 1",
        ),
        ('[conflicts]\n"a.b" = "T1"\n' + MINIMAL, "rubric.toml: conflicts.a.b: must be a list"),
        (
            MINIMAL.replace("id =", "independent = true\nid ="),
            "rubric.toml: criteria: every criterion is independent",
        ),
        (
            "",
            "rubric.toml: criteria: at least one criterion is needed ([[criteria]] with an id, "
            "or [[challenges.<challenge>.criteria]] for each challenge)",
        ),
        ("criteria = [\n", "rubric.toml: not valid TOML"),
    ],
)
def test_load_config_bad_value_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    assert refusal(tmp_path, text).startswith(message)


def test_load_config_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file; check the path of the rubric"):
        load_config(tmp_path / "nope.toml")


def test_parse_config_accepts_python_floats_exactly() -> None:
    config = parse_config(
        {"criteria": [{"id": "a", "weight": 0.1, "scale": {"min": 0, "max": 1}}]}, source="x.toml"
    )

    assert config.criteria[0].weight == Decimal("0.1")


def test_load_config_reports_every_problem_at_once_each_naming_its_key(tmp_path: Path) -> None:
    text = """
colour = "red"
min_jurors = 0
[method]
name = "best"
[bootstrap]
interval = 1.5
[[criteria]]
id = "impact"
weight = "high"
scale = { min = 0, max = 0 }
[[criteria]]
id = "impact"
label = { de = "" }
[[criteria]]
id = "bad id!"
independent = "yes"
scale = { min = 0, max = 10, step = 3 }
"""

    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))

    expected = [
        "rubric.toml: colour: unknown key; correct its spelling or remove it (known keys here: "
        "bootstrap, challenges, conflicts, criteria, language, method, min_jurors, rounding, "
        "scale, tie_breaks)",
        "rubric.toml: criteria[1].weight: must be a positive number, got 'high'",
        "rubric.toml: criteria[1].scale.max: must be greater than min (0), got 0",
        "rubric.toml: criteria[2].label.de: must be a non-empty text, got ''",
        "rubric.toml: criteria[2].scale: missing; write for example scale = { min = 0, max = 10 }",
        "rubric.toml: criteria[2].id: 'impact' is used twice; give each criterion an id of its own",
        "rubric.toml: criteria[3].id: must be a text of the letters a to z and A to Z (no "
        "accents), digits, '-', '_' or '.', beginning with a letter or a digit, got 'bad id!'",
        "rubric.toml: criteria[3].independent: must be true or false, got 'yes'",
        "rubric.toml: criteria[3].scale.step: must be positive and divide max - min (10), got 3",
        "rubric.toml: method.name: must be one of mean, median, trimmed_mean, zscore, "
        "judge_effects, borda, copeland, got 'best'",
        "rubric.toml: min_jurors: must be a whole number from 1 to 1000, got 0",
        "rubric.toml: bootstrap.interval: must be between 0 and 1, e.g. 0.9, got 1.5",
    ]
    assert caught.value.problems == tuple(expected)
    assert str(caught.value) == "\n".join(expected)


def test_a_criterion_id_with_accents_or_named_as_a_ranking_column_is_refused_with_the_rubric(
    tmp_path: Path,
) -> None:
    text = "scale = { min = 0, max = 10 }\n" + "".join(
        f'[[criteria]]\nid = "{ident}"\n'
        for ident in ("faisabilité", "jurors", "tie_note", "ok", "impact\\n")
    )

    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))

    columns = "rank, team, name, challenge, score, jurors, disagreement, min, max, tie_note"
    assert caught.value.problems == (
        "rubric.toml: criteria[1].id: must be a text of the letters a to z and A to Z (no "
        "accents), digits, '-', '_' or '.', beginning with a letter or a digit, got "
        "'faisabilité'",
        f"rubric.toml: criteria[2].id: 'jurors' names a column the ranking has already "
        f"({columns}): choose another id",
        f"rubric.toml: criteria[3].id: 'tie_note' names a column the ranking has already "
        f"({columns}): choose another id",
        "rubric.toml: criteria[5].id: must be a text of the letters a to z and A to Z (no "
        "accents), digits, '-', '_' or '.', beginning with a letter or a digit, got "
        "'impact\\n'",
    )


def test_load_config_one_problem_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, "min_jurors = 0\n" + MINIMAL))

    assert caught.value.problems == (
        "rubric.toml: min_jurors: must be a whole number from 1 to 1000, got 0",
    )
    assert str(caught.value) == caught.value.problems[0]


def test_load_config_problems_are_in_the_current_language(tmp_path: Path) -> None:
    set_language("de")
    try:
        message = refusal(tmp_path, "min_jurors = 0\n" + MINIMAL)
    finally:
        set_language("en")

    assert (
        message == "rubric.toml: min_jurors: muss eine ganze Zahl von 1 bis 1000 sein, erhalten: 0"
    )


def test_load_config_a_scale_that_is_not_a_table_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[[criteria]]\nid = "a"\nscale = [0, 10]\n'))

    assert caught.value.problems == (
        "rubric.toml: criteria[1].scale: must be a table, got [0, 10]",
    )


def test_load_config_a_scale_without_max_says_how_to_write_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[[criteria]]\nid = "a"\nscale = { min = 0 }\n'))

    assert caught.value.problems == (
        "rubric.toml: criteria[1].scale.max: missing; write for example "
        "scale = { min = 0, max = 10 }",
    )


def test_load_config_a_label_that_is_neither_text_nor_table_says_how_to_write_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL.replace("id =", "label = 5\nid =")))

    assert caught.value.problems == (
        "rubric.toml: criteria[1].label: must be a text, or a table with a text per language "
        'such as { en = "Impact", de = "Wirkung" }, got 5',
    )


def test_load_config_names_each_repeated_tie_break(tmp_path: Path) -> None:
    text = 'tie_breaks = ["median", "max", "median", "max", "min"]\n' + MINIMAL

    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))

    assert caught.value.problems == (
        "rubric.toml: tie_breaks: names 'median' twice; list each tie-break once",
        "rubric.toml: tie_breaks: names 'max' twice; list each tie-break once",
    )


def test_load_config_bad_toml_says_where_to_correct_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, "x = \n"))

    assert caught.value.problems == (
        "rubric.toml: not valid TOML: Invalid value (at line 1, column 5); correct the rubric "
        "at that place",
    )


def test_load_config_refuses_a_label_that_names_two_criteria(tmp_path: Path) -> None:
    # A French sheet headed "Impact" would put reach's scores on impact.
    text = """
scale = { min = 0, max = 10 }

[[criteria]]
id = "impact"
label = { en = "Impact", fr = "Effet" }

[[criteria]]
id = "reach"
label = { en = "Reach", fr = "Impact" }

[[challenges.x.criteria]]
id = "impact"
label = "Cross-border impact"

[[challenges.x.criteria]]
id = "care"
label = "reach"
"""
    assert refusal(tmp_path, text).splitlines() == [
        "rubric.toml: criteria[2].label: 'Impact' also names criterion 'impact': a sheet headed "
        "'Impact' could mean either; give each criterion labels of its own",
        "rubric.toml: challenges.x.criteria[2].label: 'reach' also names criterion 'reach': a "
        "sheet headed 'reach' could mean either; give each criterion labels of its own",
    ]


def test_load_config_a_misspelt_method_is_one_error_not_advice_about_its_options(
    tmp_path: Path,
) -> None:
    text = MINIMAL + '\n[method]\nname = "judge_effect"\nmin_marks = 5\n'

    assert refusal(tmp_path, text).splitlines() == [
        "rubric.toml: method.name: must be one of mean, median, trimmed_mean, zscore, "
        "judge_effects, borda, copeland, got 'judge_effect'"
    ]


def test_load_config_a_decimal_comma_is_named_as_the_likely_cause(tmp_path: Path) -> None:
    message = refusal(tmp_path, MINIMAL + "weight = 0,3\n")

    assert message.endswith(
        "; correct the rubric at that place (TOML writes decimals with a point: 0.3, not 0,3)"
    )
    assert "0.3, not 0,3" not in refusal(tmp_path, MINIMAL + "weight = = 3\n")


def test_load_config_of_challenge_rubrics_alone_has_no_main_rubric(tmp_path: Path) -> None:
    # [[criteria]] is for the teams whose challenge has no rubric of its own: when every
    # challenge has one, it is not needed (it was refused, and a placeholder criterion then
    # showed as an empty column in every ranking).
    text = MINIMAL.replace("[[criteria]]", "[[challenges.care.criteria]]")

    config = load_config(write(tmp_path, text))

    assert (config.criteria, [c.id for c in config.criteria_for("care")]) == ((), ["impact"])


def test_load_config_samples_zero_skips_rank_stability(tmp_path: Path) -> None:
    # As --samples 0 does; a run's manifest records it so, and an auditor may write it back.
    config = load_config(write(tmp_path, "[bootstrap]\nsamples = 0\n" + MINIMAL))

    assert config.bootstrap.samples == 0
    assert refusal(tmp_path, "[bootstrap]\nsamples = -1\n" + MINIMAL).startswith(
        "rubric.toml: bootstrap.samples: must be a whole number from 0 to 100000"
    )


def test_the_readme_s_rubric_loads(tmp_path: Path) -> None:
    # A chair copies it: it set trim under judge_effects, which the rubric refuses.
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The rubric (TOML)") :]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]

    config = load_config(write(tmp_path, block))

    assert (config.method.name, [c.id for c in config.criteria]) == (
        "judge_effects",
        ["impact", "pitch"],
    )


def test_load_config_trim_of_trimmed_mean_is_one_or_more_whatever_is_given(tmp_path: Path) -> None:
    # -1 was "from 0 to 100", 0 then "use 1 or more" (found by a review).
    method = '[method]\nname = "trimmed_mean"\ntrim = {trim}\n'
    refusals = {
        trim: refusal(tmp_path, method.format(trim=trim) + MINIMAL).splitlines()[0]
        for trim in (-1, 0)
    }

    assert refusals == {
        trim: f"rubric.toml: method.trim: must be a whole number from 1 to 100, got {trim}"
        for trim in (-1, 0)
    }
