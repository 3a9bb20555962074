"""The hackathon-score command line, run in-process through main([...]).

The small jury below is worked by hand: criterion a (weight 2) and b (weight 1), arithmetic
mean, no rounding. Panel means: T1 a=8 b=7 -> 23; T3 a=6 b=7 -> 19; T2 a=5 b=6 -> 16. Every
team's juror totals are m-1, m-1, m+2 in some order, so the disagreement (sample SD) is √3.
"""

from __future__ import annotations

import base64
import csv
import errno
import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from rich.console import Console

from scoring.cli import main, scan_language
from scoring.clierrors import describe_os_error
from scoring.i18n import set_language
from scoring.progress import Steps
from scoring.sheetwords import HEADER_ROW

SAMPLE = Path(__file__).parents[2] / "data" / "sample-jury"
RUBRIC = """\
min_jurors = 1
scale = { min = 0, max = 10 }

[method]
name = "mean"

[bootstrap]
samples = 50
seed = 7

[[criteria]]
id = "a"
weight = 2
label = { en = "Alpha", de = "Alfa" }

[[criteria]]
id = "b"
weight = 1
label = "Beta"
"""
MARKS = {  # juror -> team -> (a, b)
    "j1": {"T1": (8, 6), "T2": (5, 7), "T3": (6, 6)},
    "j2": {"T1": (7, 8), "T2": (6, 5), "T3": (6, 9)},
    "j3": {"T1": (9, 7), "T2": (4, 6), "T3": (6, 6)},
}
CANARY = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # main() sets the process-wide language; leave English behind for other tests.
    set_language("en")
    yield
    set_language("en")


def write_jury(folder: Path, marks: dict = MARKS) -> tuple[Path, Path]:
    """One long CSV per juror plus the rubric; returns (sheets folder, rubric path)."""
    sheets = folder / "sheets"
    sheets.mkdir()
    for juror, teams in marks.items():
        with (sheets / f"{juror}.csv").open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["juror", "team", "criterion", "score"])
            for team, (a, b) in teams.items():
                writer.writerow([juror, team, "a", a])
                writer.writerow([juror, team, "b", b])
    rubric = folder / "rubric.toml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    return sheets, rubric


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


def test_scan_language_finds_both_spellings() -> None:
    assert [
        scan_language(["rank", "--lang", "de"]),
        scan_language(["--lang=LB"]),
        scan_language(["rank", "--", "--lang", "fr"]),
        scan_language(["rank"]),
        scan_language(["--lang", "fr", "rank", "--lang", "de"]),  # the last, as options go
        scan_language(["rank", "--lang", "lb_LU"]),  # refused by the option: not a language
    ] == ["de", "lb", None, None, "de", None]


def test_lang_before_the_command_sets_the_report_s_language_too(tmp_path: Path) -> None:
    # README: --lang may come before the command. The report followed the rubric's language.
    sheets, rubric = write_jury(tmp_path)
    out = tmp_path / "out"

    code = main(["--lang", "de", "rank", str(sheets), "-c", str(rubric), "-o", str(out)])

    assert code == 0
    assert '<html lang="de">' in (out / "report.html").read_text(encoding="utf-8")


def test_rank_writes_ranking_with_contract_columns(tmp_path: Path) -> None:
    sheets, rubric = write_jury(tmp_path)
    out = tmp_path / "out"

    code = main(
        [
            "rank",
            str(sheets),
            "--config",
            str(rubric),
            "--out",
            str(out),
            "--no-charts",
            "--no-report",
        ]
    )

    assert code == 0
    rows = read_csv(out / "ranking.csv")
    assert rows[0] == [
        *("rank", "team", "score", "a", "b", "jurors", "disagreement", "min", "max", "tie_note")
    ]
    assert [row[:6] for row in rows[1:]] == [
        ["1", "T1", "23.0", "8.0", "7.0", "3"],
        ["2", "T3", "19.0", "6.0", "7.0", "3"],
        ["3", "T2", "16.0", "5.0", "6.0", "3"],
    ]
    # The jurors' weighted totals (2a + b): T1 22, 22, 25; T3 18, 21, 18; T2 17, 17, 14.
    assert [row[7:9] for row in rows[1:]] == [["22.0", "25.0"], ["18.0", "21.0"], ["14.0", "17.0"]]
    assert [math.isclose(float(row[6]), math.sqrt(3)) for row in rows[1:]] == [True] * 3
    assert [row[9] for row in rows[1:]] == ["", "", ""]  # no ties


def test_rank_criteria_table_follows_each_challenge_s_rubric(tmp_path: Path) -> None:
    # README: criteria.csv lists each team's criteria in its rubric's order. Challenge rubrics
    # (zeta before alpha) came out in the method's alphabetical order: the panel scores carry no
    # challenge column, so the order was looked up in the main rubric, which has neither.
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    rows = ["juror,team,criterion,score"] + [
        f"{juror},{team},{criterion},{score}"
        for juror, bonus in (("j1", 0), ("j2", 1))
        for team, criteria in (("T1", ("zeta", "alpha")), ("T2", ("overall",)))
        for criterion, score in zip(criteria, (5, 6), strict=False)
        for score in [score + bonus]
    ]
    (sheets / "marks.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (sheets / "teams.csv").write_text("team,challenge\nT1,x\nT2,y\n", encoding="utf-8")
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(
        "min_jurors = 1\nscale = { min = 0, max = 10 }\n"
        '[[criteria]]\nid = "overall"\n'
        '[[challenges.x.criteria]]\nid = "zeta"\n[[challenges.x.criteria]]\nid = "alpha"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--no-charts"])

    assert code == 0
    assert read_csv(out / "criteria.csv") == [
        ["team", "criterion", "score"],
        ["T1", "zeta", "5.5"],
        ["T1", "alpha", "6.5"],
        ["T2", "overall", "5.5"],
    ]
    # T1 is judged on challenge x's rubric, T2 on the main one: every statistic says so.
    notes = {row[-1] for row in read_csv(out / "agreement.csv")[1:]}
    assert notes == {
        "these teams are judged on 2 different rubrics (their challenges'), so this value "
        "compares totals of different criteria"
    }


def test_rank_with_challenge_rubrics_alone(tmp_path: Path) -> None:
    # No [[criteria]]: every team's challenge has criteria of its own.
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    rows = ["juror,team,criterion,score"] + [
        f"{juror},{team},{criterion},{score + bonus}"
        for juror, bonus in (("j1", 0), ("j2", 1))
        for team, criterion, score in (("T1", "zeta", 5), ("T2", "beta", 7))
    ]
    (sheets / "marks.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (sheets / "teams.csv").write_text("team,challenge\nT1,x\nT2,y\n", encoding="utf-8")
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(
        "min_jurors = 1\nscale = { min = 0, max = 10 }\n"
        '[[challenges.x.criteria]]\nid = "zeta"\n[[challenges.y.criteria]]\nid = "beta"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--samples", "0"])

    assert code == 0
    assert [row[:5] for row in read_csv(out / "ranking.csv")] == [
        ["rank", "team", "challenge", "score", "zeta"],
        ["1", "T2", "y", "7.5", ""],
        ["2", "T1", "x", "5.5", "5.5"],
    ]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert ("challenge x" in report, "other teams" in report) == (True, False)


def test_report_shows_the_jurors_totals_as_they_are_beside_rounded_scores(tmp_path: Path) -> None:
    # With whole-number scores, the highest juror total 12.5 of team V printed as 13, a
    # total no juror gave; the rubric rounds the teams' scores, not the jurors' totals.
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    marks = {"V": (11.5, 12, 12.5), "U": (10, 10, 10.5)}
    rows = ["juror,team,criterion,score"] + [
        f"j{j},{team},a,{value}" for team, values in marks.items() for j, value in enumerate(values)
    ]
    (sheets / "marks.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(
        "min_jurors = 1\nscale = { min = 0, max = 20, step = 0.5 }\n"
        '[rounding]\ndecimals = 0\nstages = ["total"]\n[[criteria]]\nid = "a"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"

    code = main(
        ["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--no-charts", "--samples", "0"]
    )

    report = (out / "report.html").read_text(encoding="utf-8")
    ranking = report[report.index("<td>V</td>") :]
    cells = re.findall(r'<td class="number">([^<]*)</td>', ranking)
    assert code == 0
    # score, a, jurors, disagreement, lowest and highest juror total; criterion a is not
    # rounded (only the total is): U's 10.1667 read "10" beside its total 10, so a team
    # adding up its weighted criteria from the report got another total.
    assert cells[:6] == ["12", "12.00", "3", "0.50", "11.5", "12.5"]
    assert cells[7:13] == ["10", "10.17", "3", "0.29", "10.0", "10.5"]
    assert read_csv(out / "ranking.csv")[1][-3:-1] == ["11.5", "12.5"]


def test_rank_criteria_table_has_the_same_order_whatever_the_method(tmp_path: Path) -> None:
    # judge_effects computes criterion by criterion, the other methods team by team.
    sheets, rubric = write_jury(tmp_path)
    rubric.write_text(RUBRIC.replace('name = "mean"', 'name = "judge_effects"'), encoding="utf-8")
    out = tmp_path / "out"

    code = main(["rank", str(sheets), "--config", str(rubric), "--out", str(out), "--no-charts"])

    rows = read_csv(out / "criteria.csv")[1:]
    assert code == 0
    assert [(team, criterion) for team, criterion, _score in rows] == [
        ("T1", "a"), ("T1", "b"), ("T3", "a"), ("T3", "b"), ("T2", "a"), ("T2", "b"),
    ]  # fmt: skip


def test_rank_writes_criteria_and_statistics_tables(tmp_path: Path) -> None:
    sheets, rubric = write_jury(tmp_path)
    out = tmp_path / "out"

    main(
        [
            "rank",
            str(sheets),
            "--config",
            str(rubric),
            "--out",
            str(out),
            "--no-charts",
            "--no-report",
        ]
    )

    # Teams in the ranking's order, criteria in the rubric's, whatever the method's order.
    assert read_csv(out / "criteria.csv") == [
        ["team", "criterion", "score"],
        ["T1", "a", "8.0"],
        ["T1", "b", "7.0"],
        ["T3", "a", "6.0"],
        ["T3", "b", "7.0"],
        ["T2", "a", "5.0"],
        ["T2", "b", "6.0"],
    ]
    assert read_csv(out / "agreement.csv")[0] == ["statistic", "value", "teams", "jurors", "note"]
    assert read_csv(out / "jurors.csv")[0][:3] == ["juror", "teams", "leniency"]
    assert [row[0] for row in read_csv(out / "jurors.csv")[1:]] == ["j1", "j2", "j3"]
    assert read_csv(out / "stability.csv")[0] == [
        "team",
        "median_rank",
        "rank_low",
        "rank_high",
        "p_first",
        "p_top3",
        "p_unjudged",
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        "agreement.csv",
        "criteria.csv",
        "jurors.csv",
        "manifest.json",
        "ranking.csv",
        "results.xlsx",
        "stability.csv",
    ]


def test_rank_workbook_holds_each_juror_s_totals_as_the_method_used_them(tmp_path: Path) -> None:
    # zscore on the jurors' totals (juror-first): a team's score is the mean of its adjusted
    # totals, which a chair can now recompute from the "totals" sheet.
    sheets, rubric = write_jury(tmp_path)
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace(
            'name = "mean"', 'name = "zscore"\norder = "juror-first"\nmin_marks = 3'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--no-charts"])

    book = pd.read_excel(out / "results.xlsx", sheet_name=None, engine="calamine")
    assert code == 0
    assert list(book) == [
        "ranking", "criteria", "jurors", "agreement", "stability", "rank-probabilities",
        "totals", "marks",
    ]  # fmt: skip
    totals = book["totals"]
    assert totals.columns.tolist() == ["juror", "team", "score", "normalised"]
    # j1's weighted totals (a x 2 + b): T1 22, T2 17, T3 18.
    assert totals.loc[totals["juror"] == "j1", ["team", "score"]].values.tolist() == [
        ["T1", 22],
        ["T2", 17],
        ["T3", 18],
    ]
    means = totals.groupby("team")["normalised"].mean()
    ranking = book["ranking"].set_index("team")["score"]
    assert means.round(9).to_dict() == ranking.round(9).to_dict()


def test_rank_refuses_to_write_into_a_folder_of_jury_sheets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The next run given that folder would read results.xlsx as a second copy of every mark.
    sheets, rubric = write_jury(tmp_path)
    before = sorted(p.name for p in sheets.iterdir())
    # The folder given, or its files (as a shell's *.csv gives them).
    files = [str(path) for path in sorted(sheets.iterdir())]
    assert main(["rank", *files, "-c", str(rubric), "-o", str(sheets)]) == 2
    capsys.readouterr()

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(sheets / "." / "")])

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: the output folder {sheets} is also a folder of jury sheets: the next run would "
        f"read the results written there as sheets; choose another output folder, for example "
        f"{sheets / 'results'}"
    ]
    assert sorted(p.name for p in sheets.iterdir()) == before


def test_rank_without_resamples_says_so_and_claims_no_stability(tmp_path: Path) -> None:
    sheets, rubric = write_jury(tmp_path)
    out = tmp_path / "out"

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--samples", "0"])

    report = (out / "report.html").read_text(encoding="utf-8")
    svg = (out / "charts" / "ranking.svg").read_text(encoding="utf-8")
    assert code == 0
    assert "Rank stability was not computed: the run drew no resamples." in report
    assert ">Ranking<" in svg and "stability" not in svg


def test_rank_manifest_records_inputs_config_and_versions(tmp_path: Path) -> None:
    sheets, rubric = write_jury(tmp_path)
    out = tmp_path / "out"
    argv = [
        "rank",
        str(sheets),
        "--config",
        str(rubric),
        "--out",
        str(out),
        "--no-charts",
        "--no-report",
        "--seed",
        "11",
    ]

    main(argv)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == ["hackathon-score", *argv]
    assert [Path(item["path"]).name for item in manifest["inputs"]] == [
        "j1.csv",
        "j2.csv",
        "j3.csv",
    ]
    assert [len(item["sha256"]) for item in manifest["inputs"]] == [64, 64, 64]
    assert manifest["config_file"]["path"] == str(rubric)
    assert (manifest["seed"], manifest["samples"]) == (11, 50)
    assert manifest["config"]["bootstrap"] == {"samples": 50, "seed": 11, "interval": 0.9}
    assert [c["weight"] for c in manifest["config"]["criteria"]] == ["2", "1"]
    assert set(manifest["versions"]) == {
        "python",
        "pandas",
        "numpy",
        "scipy",
        "matplotlib",
        "pillow",  # lays out the charts' labels
        "python-calamine",
        "openpyxl",
        "babel",  # writes the numbers of the report and the charts
        "jinja2",
        "quattropole-hackathon",
        "scoring",
    }
    assert manifest["time"].endswith("Z")
    # The method's options that its method does not use are left out (a rubric refuses them).
    assert manifest["config"]["method"] == {"name": "mean", "order": "criterion-first"}
    # Each output's SHA-256, to check a published file against the run that wrote it.
    written = sorted(path.name for path in out.iterdir() if path.name != "manifest.json")
    assert sorted(manifest["output_sha256"]) == written
    assert (
        manifest["output_sha256"]["ranking.csv"]
        == hashlib.sha256((out / "ranking.csv").read_bytes()).hexdigest()
    )
    assert manifest["working_directory"] == str(Path.cwd())


def test_rank_neutralises_formula_team_names_in_csv_and_xlsx(tmp_path: Path) -> None:
    marks = {
        juror: {CANARY if team == "T2" else team: v for team, v in teams.items()}
        for juror, teams in MARKS.items()
    }
    sheets, rubric = write_jury(tmp_path, marks)
    out = tmp_path / "out"

    code = main(
        [
            "rank",
            str(sheets),
            "--config",
            str(rubric),
            "--out",
            str(out),
            "--no-charts",
            "--no-report",
        ]
    )

    assert code == 0
    assert read_csv(out / "ranking.csv")[3][1] == "'" + CANARY
    with zipfile.ZipFile(out / "results.xlsx") as archive:
        xml = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert [name for name, text in xml.items() if "<f>" in text or "<f " in text] == []
    assert "'=HYPERLINK(" in xml["xl/sharedStrings.xml"]


def test_rank_plain_progress_lines_when_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, rubric = write_jury(tmp_path)

    main(
        [
            "rank",
            str(sheets),
            "--config",
            str(rubric),
            "--out",
            str(tmp_path / "o"),
            "--no-charts",
            "--no-report",
            "--samples",
            "0",
        ]
    )

    lines = capsys.readouterr().out.splitlines()
    assert lines[:6] == [
        "[1/6] reading sheets ...",
        "[2/6] checking the marks ...",
        "[3/6] computing the scores ...",
        "[4/6] agreement and juror statistics ...",
        "[5/6] writing tables ...",
        "[6/6] writing the manifest ...",
    ]


def test_rank_missing_input_is_exit_2_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, rubric = write_jury(tmp_path)
    missing = tmp_path / "nowhere.xlsx"
    given = [str(sheets / "j1.csv"), str(missing)]

    code = main(["rank", *given, "--config", str(rubric), "--out", str(tmp_path / "o")])

    out, err = capsys.readouterr()
    assert code == 2
    assert f"error: {missing}: does not exist; check the path" in err
    assert "Traceback" not in err
    # Nothing is computed, nor said to be, once a file could not be read (a review saw the
    # scores and statistics stages go by before the error).
    assert out.splitlines() == ["[1/9] reading sheets ...", "[2/9] checking the marks ..."]


def test_rank_missing_config_is_exit_2_with_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, _rubric = write_jury(tmp_path)

    code = main(
        ["rank", str(sheets), "--config", str(tmp_path / "none.toml"), "--out", str(tmp_path / "o")]
    )

    err = capsys.readouterr().err
    assert code == 2
    assert "none.toml" in err
    assert "Traceback" not in err


def test_rank_bad_config_key_is_exit_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, rubric = write_jury(tmp_path)
    rubric.write_text(RUBRIC.replace('name = "mean"', 'name = "average"'), encoding="utf-8")

    code = main(["rank", str(sheets), "--config", str(rubric), "--out", str(tmp_path / "o")])

    err = capsys.readouterr().err
    assert code == 2
    assert "method.name" in err
    assert "Traceback" not in err


def test_validate_clean_input_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets, rubric = write_jury(tmp_path)

    code = main(["validate", str(sheets), "--config", str(rubric)])

    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 files checked: 0 errors, 0 warnings"


def test_validate_out_of_scale_mark_exits_2_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = {**MARKS, "j2": {**MARKS["j2"], "T2": (11, 5)}}
    sheets, rubric = write_jury(tmp_path, marks)

    code = main(["validate", str(sheets), "--config", str(rubric)])

    out = capsys.readouterr().out
    assert code == 2
    assert [line for line in out.splitlines() if line.startswith("error:")] == [
        f"error: {sheets / 'j2.csv'}, row 4, column D: 11 is outside the scale of 'Alpha' "
        "(a), from 0 to 10; correct the score"
    ]
    assert out.splitlines()[-1] == "3 files checked: 1 error, 0 warnings"


def test_rank_refuses_input_with_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = {**MARKS, "j2": {**MARKS["j2"], "T2": (11, 5)}}
    sheets, rubric = write_jury(tmp_path, marks)

    code = main(["rank", str(sheets), "--config", str(rubric), "--out", str(tmp_path / "o")])

    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == "1 error: nothing was written."
    assert not (tmp_path / "o" / "ranking.csv").exists()


def test_help_is_in_the_language_of_lang(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rank", "--help", "--lang", "de"])

    out = capsys.readouterr().out
    assert code == 0
    assert "Ordner für die Ergebnisse." in out
    assert "Folder for the results." not in out


@pytest.mark.parametrize(
    "argv", [["--lang", "xx", "--help"], ["rank", "--lang", "de_DE", "--help"]]
)
def test_help_with_a_language_that_is_none_refuses_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by a review: the English help came with exit code 0, the bad value unsaid.
    code = main(argv)

    err = capsys.readouterr().err
    assert code == 2
    assert "is not one of de, fr, en, lb" in err


def test_help_language_from_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HACKATHON_SCORE_LANG", "fr")

    main(["--help"])

    assert "Vérifier" in capsys.readouterr().out


def test_unknown_option_is_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--frobnicate"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_template_writes_one_sheet_per_assigned_juror(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sheets, rubric = write_jury(tmp_path)
    plan = tmp_path / "plan.csv"
    plan.write_text("juror,team\nj1,T1\nj1,T2\nj2,T2\n", encoding="utf-8")
    out = tmp_path / "templates"

    code = main(
        ["template", "--config", str(rubric), "--assignments", str(plan), "--out", str(out)]
    )

    written = capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(written) == 2
    assert [Path(line).exists() for line in written] == [True, True]


def test_template_prints_its_warnings_before_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sheets, rubric = write_jury(tmp_path)
    rubric.write_text(
        rubric.read_text(encoding="utf-8") + '\n[conflicts]\nj1 = ["T2"]\n', encoding="utf-8"
    )
    plan = tmp_path / "plan.csv"
    plan.write_text("juror,team\nj1,T1\nj1,T2\nj2,T2\n", encoding="utf-8")
    out = tmp_path / "templates"

    code = main(
        ["template", "--config", str(rubric), "--assignments", str(plan), "--out", str(out)]
    )

    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"warning: {plan}, row 3: juror 'j1' is assigned team T2, with which the rubric "
        "declares a conflict of interest: it is left out of their sheet",
        str(out / "j1.xlsx"),
        str(out / "j2.xlsx"),
    ]


def test_template_into_the_folder_of_a_filled_in_sheet_exits_2_and_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sheets, rubric = write_jury(tmp_path)
    plan = tmp_path / "plan.csv"
    plan.write_text("juror,team\nj1,T1\nj2,T2\n", encoding="utf-8")
    out = tmp_path / "templates"
    template = ["template", "--config", str(rubric), "--assignments", str(plan), "--out", str(out)]
    assert main(template) == 0
    book = openpyxl.load_workbook(out / "j2.xlsx")
    book.worksheets[0].cell(HEADER_ROW + 1, 3, 7)  # j2 scores T2, and sends the sheet back
    book.save(out / "j2.xlsx")
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    capsys.readouterr()

    code = main(template)

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {out / 'j2.xlsx'}: is in the output folder and template would replace it, but it "
        "is not a blank jury sheet (scores, comments, notes, team names other than the teams "
        "file's, or other content are in it): move it out of the folder, or give another folder "
        "with --out",
        "1 error: nothing was written.",
    ]
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_template_without_teams_or_assignments_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sheets, rubric = write_jury(tmp_path)

    code = main(["template", "--config", str(rubric), "--out", str(tmp_path / "t")])

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: templates need the teams: give a teams file (--teams) or an assignments file "
        "(--assignments)",
        "1 error: nothing was written.",
    ]


@pytest.mark.skipif(not SAMPLE.exists(), reason="data/sample-jury is not in this checkout")
def test_rank_sample_jury_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"

    code = main(
        [
            "rank",
            str(SAMPLE),
            "--config",
            str(SAMPLE / "rubric.toml"),
            "--out",
            str(out),
            "--samples",
            "50",
        ]
    )

    assert code == 0
    assert sorted(p.name for p in (out / "charts").iterdir()) == sorted(
        f"{name}.{ext}"
        for name in ("ranking", "criteria", "jurors-teams", "leniency", "rank-probabilities")
        for ext in ("png", "svg")
    )
    ranking = read_csv(out / "ranking.csv")
    assert ranking[0] == [
        "rank",
        "team",
        "name",
        "challenge",
        "score",
        "impact",
        "feasibility",
        "innovation",
        "user",
        "pitch",
        "jurors",
        "disagreement",
        "min",
        "max",
        "tie_note",
    ]
    assert len(ranking) == 25
    # Each team's name from teams.csv beside its id, in every table that lists the teams.
    with (SAMPLE / "teams.csv").open(encoding="utf-8") as stream:
        listed = list(csv.DictReader(stream))
    teams = {row["team"]: row["name"] for row in listed}
    assert {row[1]: row[2] for row in ranking[1:]} == teams
    stability = read_csv(out / "stability.csv")
    assert stability[0][:3] == ["team", "name", "challenge"]
    assert {row[0]: row[1] for row in stability[1:]} == teams
    # The stability rows line up with the ranking's (the library orders by median rank).
    assert [row[0] for row in stability[1:]] == [row[1] for row in ranking[1:]]
    mental = read_csv(out / "ranking-mental-health.csv")
    assert mental[0][:4] == ["rank", "team", "name", "challenge"]
    assert {row[1]: row[2] for row in mental[1:]} == {
        row["team"]: row["name"] for row in listed if row["challenge"] == "mental-health"
    }
    sheet = pd.read_excel(out / "results.xlsx", sheet_name="ranking", engine="calamine")
    assert dict(zip(sheet["team"], sheet["name"], strict=True)) == teams
    assert sorted(p.name for p in out.glob("ranking-*.csv")) == [
        "ranking-ageing-at-home.csv",
        "ranking-cross-border-care.csv",
        "ranking-diabetes.csv",
        "ranking-mental-health.csv",
    ]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert [team in report for team in (row[1] for row in ranking[1:])] == [True] * 24
    # Each team's name from teams.csv beside its id, in the ranking the chair signs.
    # ... in the ranking, the ranking of its challenge and the rank stability table.
    assert len(re.findall(r"<td>T01</td>\s*<td>GlucoBuddy</td>", report)) == 3
    assert "<th>Name</th>" in report
    # A signature line for each of the nine jurors.
    signatures = re.findall(r"<p>Jury member ([a-z.]+): date, signature</p>", report)
    assert signatures == sorted(path.stem for path in SAMPLE.glob("*.*") if "." in path.stem)
    # The page is rendered while chart helpers draw; each chart is put in afterwards.
    embedded = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', report)
    names = ("ranking", "criteria", "jurors-teams", "leniency", "rank-probabilities")
    charts = [(out / "charts" / f"{name}.svg").read_bytes() for name in names]
    assert [base64.b64decode(uri) for uri in embedded] == charts
    assert re.findall(r"chart-\d+-[0-9a-f]{32}", report) == []  # no placeholder left


def test_plain_progress_of_a_long_stage_says_how_far_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found by a review: 100,000 resamples of a large jury ran for minutes with one line in a
    # CI log. A stage that runs PLAIN_PROGRESS_EVERY seconds says how far it is (here at once).
    from scoring import progress

    monkeypatch.setattr(progress, "PLAIN_PROGRESS_EVERY", 0.0)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=100)

    with Steps(2, console=console) as steps:
        steps.step("reading sheets")
        steps.step("rank stability (bootstrap)")
        steps.fraction(1200, 100000)
        steps.fraction(100000, 100000)  # done: the next stage says so

    assert buffer.getvalue().splitlines() == [
        "[1/2] reading sheets ...",
        "[2/2] rank stability (bootstrap) ...",
        "[2/2] rank stability (bootstrap): 1,200 of 100,000",
    ]


def test_progress_bar_on_a_terminal_draws_stages_and_no_plain_lines() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)

    with Steps(2, console=console) as steps:
        steps.step("reading sheets")
        steps.detail("Reading j1.csv")
        steps.fraction(5, 10)
        steps.step("writing tables")

    drawn = buffer.getvalue()
    assert "writing tables" in drawn
    assert "[1/2]" not in drawn


# --- help and usage errors in the chosen language -----------------------------------------

HELP_WORDS = {  # language -> (usage, [OPTIONS], sheets, panels, --help text, [required], types)
    "de": (
        "Aufruf:",
        "[OPTIONEN]",
        "BÖGEN...",
        ("Argumente", "Optionen", "Befehle"),
        "Diese Hilfe anzeigen und beenden.",
        "[erforderlich]",
        ("DATEI", "ORDNER", "ZAHL", "Dateien oder Ordner"),
    ),
    "fr": (
        "Utilisation :",
        "[OPTIONS]",
        "FEUILLES...",
        ("Arguments", "Options", "Commandes"),
        "Afficher cette aide et quitter.",
        "[obligatoire]",
        ("FICHIER", "DOSSIER", "NOMBRE", "fichiers ou dossiers"),
    ),
    "lb": (
        "Benotzung:",
        "[OPTIOUNEN]",
        "FICHIEREN...",
        ("Argumenter", "Optiounen", "Befeeler"),
        "Dës Hëllef weisen an ophalen.",
        "[obligatoresch]",
        ("FICHIER", "DOSSIER", "ZUEL", "Fichieren oder Dossieren"),
    ),
}
SUBCOMMAND = {
    "de": "BEFEHL [ARGUMENTE]...",
    "fr": "COMMANDE [ARGUMENTS]...",
    "lb": "BEFEEL [ARGUMENTER]...",
}
# typer's English words, none of which may be left in a translated help.
ENGLISH = (
    "Usage",
    "COMMAND [ARGS]",
    "Show this message",
    "[required]",
    "[default",
    "<path>",
    "<bool>",
    "<int",
    "list[Path]",
    "FILE",
    "FOLDER",
    "NUMBER",
    "SHEETS",
    "files or folders",
    "Commands",
)


def help_of(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[str]]:
    monkeypatch.setenv("COLUMNS", "100")
    code = main(args)
    return code, [line.strip() for line in capsys.readouterr().out.splitlines() if line.strip()]


def panel_titles(lines: list[str]) -> list[str]:
    return [line.split(" ")[1] for line in lines if line.startswith("╭─ ")]


@pytest.mark.parametrize("language", ["de", "fr", "lb"])
def test_help_of_the_top_command_is_wholly_in_the_chosen_language(
    language: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    usage, options, _sheets, panels, help_text, _required, _types = HELP_WORDS[language]

    code, lines = help_of(["--lang", language, "--help"], capsys, monkeypatch)

    assert code == 0
    assert lines[0] == f"{usage} hackathon-score {options} {SUBCOMMAND[language]}"
    assert panel_titles(lines) == [panels[1], panels[2]]
    assert re.findall(r"--help\s+-h\s+(.*?)\s*│", "\n".join(lines)) == [help_text]
    assert [word for word in ENGLISH if any(word in line for line in lines)] == []


@pytest.mark.parametrize("language", ["de", "fr", "lb"])
@pytest.mark.parametrize("command", ["validate", "rank", "template"])
def test_help_of_each_command_is_wholly_in_the_chosen_language(
    language: str,
    command: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usage, options, sheets, panels, help_text, required, types = HELP_WORDS[language]
    file, folder, number, inputs = types

    code, lines = help_of([command, "--help", "--lang", language], capsys, monkeypatch)

    text = "\n".join(lines)
    arguments = "" if command == "template" else f" {sheets}"
    assert code == 0
    assert lines[0] == f"{usage} hackathon-score {command} {options}{arguments}"
    assert panel_titles(lines) == ([panels[1]] if command == "template" else list(panels[:2]))
    assert re.findall(r"--help\s+-h\s+(.*?)\s*│", text) == [help_text]
    assert required in text
    assert re.findall(rf"--config\s+-c\s+({file}) ", text) == [file]
    assert (f"{inputs}  " in text) == (command != "template")
    assert (f"      {folder}  " in text) == (command != "validate")
    assert (f"{number} [0<=x<=100000]" in text) == (command == "rank")
    assert [word for word in ENGLISH if word in text] == []


def test_usage_error_is_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rank", "sheets", "--lang", "de"])

    err = [line.strip("│╭╮╰╯─ ") for line in capsys.readouterr().err.splitlines()]
    assert code == 2
    assert [line for line in err if line] == [
        "Aufruf: hackathon-score rank [OPTIONEN] BÖGEN...",
        "Hilfe mit 'hackathon-score rank --help'.",
        "Fehler",
        "Option '--config' / '-c' fehlt.",
    ]


def test_unknown_option_is_named_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["validate", "--frobnicate", "--lang", "fr"])

    err = capsys.readouterr().err
    assert code == 2
    assert "Option inconnue : --frobnicate" in err
    assert "Utilisation : hackathon-score validate [OPTIONS] FEUILLES..." in err


# --- the rubric's problems, all at once --------------------------------------------------


def test_rank_bad_rubric_lists_every_problem_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, rubric = write_jury(tmp_path)
    bad = RUBRIC.replace("min_jurors = 1", "min_jurors = 0").replace(
        'name = "mean"', 'name = "average"'
    )
    rubric.write_text(bad, encoding="utf-8")

    code = main(["rank", str(sheets), "--config", str(rubric), "--out", str(tmp_path / "o")])

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: rubric.toml: method.name: must be one of mean, median, trimmed_mean, zscore, "
        "judge_effects, borda, copeland, got 'average'",
        "error: rubric.toml: min_jurors: must be a whole number from 1 to 1000, got 0",
    ]


# --- the report tells different scores apart -----------------------------------------------


def test_rank_report_shows_the_decimals_that_tell_close_scores_apart(tmp_path: Path) -> None:
    # One criterion, one juror, no rounding: totals 7.614 and 7.606 (7.61 twice with 2 decimals).
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "j1.csv").write_text(
        "juror,team,criterion,score\nj1,T1,a,7.614\nj1,T2,a,7.606\nj1,T3,a,5\n", encoding="utf-8"
    )
    rubric = tmp_path / "rubric.toml"
    rubric.write_text('[[criteria]]\nid = "a"\nscale = { min = 0, max = 10 }\n', encoding="utf-8")
    out = tmp_path / "out"

    code = main(
        [
            *("rank", str(sheets), "--config", str(rubric)),
            *("--out", str(out), "--no-charts"),
            *("--samples", "0"),
        ]
    )

    report = (out / "report.html").read_text(encoding="utf-8")
    ranking = report[report.index("<td>T1</td>") :]
    assert code == 0
    # Score, criterion a, and the lowest and highest juror total (one juror: the same).
    assert [ranking.count(f'<td class="number">{n}</td>') for n in ("7.614", "7.606", "5.000")] == [
        4,
        4,
        4,
    ]


def test_mistyped_command_suggests_the_right_one_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["rnak", "--lang", "de"])

    err = capsys.readouterr().err
    assert code == 2
    assert "Unbekannter Befehl 'rnak'. Meinten Sie 'rank'?" in err
    assert "Aufruf: hackathon-score [OPTIONEN] BEFEHL [ARGUMENTE]..." in err


def test_bad_option_value_names_the_option_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["rank", "sheets", "-c", "r.toml", "-o", "out", "--samples", "x", "--lang", "fr"])

    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "Valeur non valide pour '--samples' :" in err


def test_validate_locates_problems_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = {**MARKS, "j2": {**MARKS["j2"], "T2": (11, 5)}}
    sheets, rubric = write_jury(tmp_path, marks)

    code = main(["validate", str(sheets), "--config", str(rubric), "--lang", "de"])

    out = capsys.readouterr().out
    assert code == 2
    assert [line for line in out.splitlines() if line.startswith("Fehler:")] == [
        f"Fehler: {sheets / 'j2.csv'}, Zeile 4, Spalte D: 11 liegt außerhalb der Skala von "
        "'Alfa' (a), von 0 bis 10; korrigieren Sie die Punktzahl"
    ]


def error_lines(err: str) -> list[str]:
    """stderr of a usage error without the frame of its panel."""
    return [line.strip("│╭╮╰╯─ ") for line in err.splitlines() if line.strip("│╭╮╰╯─ ")]


def panel_text(err: str) -> str:
    """The message inside the frame of a usage error, its wrapped lines joined."""
    lines = err.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    inside = [line.strip("│ ") for line in lines[top + 1 :] if line.startswith("│")]
    return " ".join(inside)


@pytest.mark.parametrize(
    ("args", "language", "message"),
    [
        (
            ["--samples", "x"],
            "de",
            "Ungültiger Wert für '--samples': 'x' ist keine ganze Zahl; schreiben Sie eine wie "
            "1000.",
        ),
        (
            ["--samples", "-1"],
            "fr",
            "Valeur non valide pour '--samples' : -1 est inférieur à 0 ; utilisez 0 ou plus.",
        ),
        (
            ["--seed", "-5"],  # ended with a traceback from numpy
            "lb",
            "Ongëltege Wäert fir '--seed': -5 ass méi kleng wéi 0; benotzt 0 oder méi.",
        ),
        (
            # The rubric's own bound: a million resamples took minutes and 550 MB.
            ["--samples", "1000000"],
            "de",
            "Ungültiger Wert für '--samples': 1000000 ist größer als 100000; verwenden Sie "
            "100000 oder weniger.",
        ),
        (
            ["--seed", "1.5"],
            "en",
            "Invalid value for '--seed': '1.5' is not a whole number; write one such as 1000.",
        ),
        (
            ["--samples", "1_000"],  # int() takes it; the help asks for a number
            "en",
            "Invalid value for '--samples': '1_000' is not a whole number; write one such as 1000.",
        ),
        (
            ["--seed", "+7", "--samples", "0x10"],
            "fr",
            "Valeur non valide pour '--samples' : '0x10' n'est pas un nombre entier ; écrivez-en "
            "un comme 1000.",
        ),
        (
            ["--no-charts=yes"],
            "lb",
            "D'Optioun '--no-charts' hëlt kee Wäert; läscht de '=' an alles duerno.",
        ),
        (
            ["--samples"],
            "de",
            "Option '--samples' braucht einen Wert: schreiben Sie ihn hinter die Option.",
        ),
    ],
)
def test_bad_option_value_says_what_to_fix_in_the_chosen_language(
    args: list[str], language: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--lang", language, "rank", "sheets", "-c", "r.toml", "-o", "out", *args])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(HELP_WORDS.get(language, ("Usage:",))[0] + " hackathon-score rank ")
    assert panel_text(err) == message


@pytest.mark.parametrize("value", ["xx", "de_DE"])
def test_unknown_language_is_refused_in_the_language_of_the_environment(
    value: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HACKATHON_SCORE_LANG", "fr")

    code = main(["rank", "sheets", "-c", "r.toml", "-o", "out", "--lang", value])

    assert code == 2
    assert panel_text(capsys.readouterr().err) == (
        f"Valeur non valide pour '--lang' : '{value}' ne fait pas partie de de, fr, en, lb ; "
        "utilisez l'une de ces valeurs."
    )


def test_language_code_in_capitals_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, rubric = write_jury(tmp_path, MARKS)

    code = main(["--lang", "FR", "validate", str(sheets), "--config", str(rubric), "--lang=DE"])

    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 Dateien geprüft: 0 Fehler, 0 Warnungen"


def test_extra_argument_is_named_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["template", "stray", "--config", "r.toml", "--out", "o", "--lang", "de"])

    assert code == 2
    assert error_lines(capsys.readouterr().err) == [
        "Aufruf: hackathon-score template [OPTIONEN]",
        "Hilfe mit 'hackathon-score template --help'.",
        "Fehler",
        "Unerwartete(s) Argument(e): stray; entfernen Sie sie.",
    ]


def test_rank_out_that_is_a_file_says_to_give_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, rubric = write_jury(tmp_path)
    taken = tmp_path / "results"
    taken.write_text("not a folder", encoding="utf-8")

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(taken), "--samples", "0"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines()[-1] == (
        f"error: {taken} exists and is not a folder; give a folder for the results."
    )


def test_config_that_is_a_folder_says_to_give_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets, _rubric = write_jury(tmp_path)

    code = main(["validate", str(sheets), "--config", str(tmp_path), "--lang", "fr"])

    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"erreur : {tmp_path} est un dossier, un fichier était attendu ; indiquez le chemin du "
        "fichier."
    ]


def test_rank_missing_folder_is_one_error_not_also_an_empty_jury(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sheets, rubric = write_jury(tmp_path)
    missing = tmp_path / "nowhere"

    code = main(["rank", str(missing), "--config", str(rubric), "--out", str(tmp_path / "o")])

    assert code == 2
    assert capsys.readouterr().err.splitlines()[-2:] == [
        f"error: {missing}: does not exist; check the path",
        "1 error: nothing was written.",
    ]


# --- tie notes in the run's language ------------------------------------------------------


def test_rank_tie_notes_are_in_the_run_language_in_csv_and_report(tmp_path: Path) -> None:
    # One juror; a weighs 2, b 1: T1 2*8 + 8 = 24 and T2 2*7 + 10 = 24 tie, and the rubric
    # breaks ties on criterion a, so T1 (8) is ahead of T2 (7). T3 totals 18.
    marks = {"j1": {"T1": (8, 8), "T2": (7, 10), "T3": (6, 6)}}
    sheets, rubric = write_jury(tmp_path, marks)
    rubric.write_text('tie_breaks = ["criterion:a"]\n' + RUBRIC, encoding="utf-8")
    out = tmp_path / "out"

    code = main(
        [
            *("rank", str(sheets), "-c", str(rubric), "-o", str(out)),
            *("--lang", "de", "--no-charts", "--samples", "0"),
        ]
    )

    header, *rows = read_csv(out / "ranking.csv")
    notes = {row[1]: row[header.index("tie_note")] for row in rows}
    report = (out / "report.html").read_text(encoding="utf-8")
    assert code == 0
    assert notes == {
        "T1": "vor T2 durch Gleichstandsregel: Kriterium Alfa",
        "T2": "hinter T1 durch Gleichstandsregel: Kriterium Alfa",
        "T3": "",
    }
    assert "<td>vor T2 durch Gleichstandsregel: Kriterium Alfa</td>" in report
    assert "<td>hinter T1 durch Gleichstandsregel: Kriterium Alfa</td>" in report


# --- problem lines in the run's language; --out refused before any work -----------------------


def test_validate_problem_lines_use_the_punctuation_of_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # j1 gives 11 on a 0-10 scale (an error); j2 scores only two teams (a warning).
    marks = {**MARKS, "j1": {**MARKS["j1"], "T2": (11, 7)}, "j2": {"T1": (7, 8), "T2": (6, 5)}}
    sheets, rubric = write_jury(tmp_path, marks)

    code = main(["validate", str(sheets), "--config", str(rubric), "--lang", "fr"])

    assert code == 2
    assert capsys.readouterr().out.splitlines() == [
        f"erreur : {sheets / 'j1.csv'}, ligne 4, colonne D : 11 est hors de l'échelle de "
        "'Alpha' (a), de 0 à 10 ; corrigez la note",
        f"avertissement : {sheets / 'j2.csv'}, ligne 2 : le juré 'j2' n'a noté que 2 équipes "
        "(moins de 3) ; ses notes apportent peu d'information, vérifiez que toute la feuille a "
        "été envoyée",
        "3 fichiers vérifiés : 1 erreur, 1 avertissement",
    ]


@pytest.mark.parametrize("command", ["rank", "template"])
def test_out_that_is_a_file_is_refused_before_anything_is_read(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rubric does not exist: had anything been read first, the error would be about it.
    taken = tmp_path / "results"
    taken.write_text("not a folder", encoding="utf-8")
    rubric = tmp_path / "missing.toml"
    inputs = [str(tmp_path / "sheets")] if command == "rank" else []

    code = main([command, *inputs, "-c", str(rubric), "-o", str(taken), "--lang", "fr"])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"erreur : {taken} existe et n'est pas un dossier ; indiquez un dossier pour les résultats."
    ]
    assert taken.read_text(encoding="utf-8") == "not a folder"


def test_validate_says_what_the_method_would_refuse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Valid marks that trimmed_mean cannot use (5 marks needed to drop 2 at each end): the
    # chair learns it from validate the night before, not from rank at the final.
    sheets, rubric = write_jury(tmp_path)
    rubric.write_text(RUBRIC.replace('name = "mean"', 'name = "trimmed_mean"\ntrim = 2'))

    validated = main(["validate", str(sheets), "--config", str(rubric)])
    said = capsys.readouterr().out.splitlines()
    ranked = main(["rank", str(sheets), "--config", str(rubric), "--out", str(tmp_path / "o")])
    refused = capsys.readouterr().err.splitlines()

    assert (validated, ranked) == (2, 2)
    assert [line for line in said if line.startswith("error:")] == refused[-1:]
    assert refused[-1].startswith("error: trimmed_mean with trim = 2 needs at least 5 marks")
    assert said[-1] == "3 files checked: 1 error, 0 warnings"


def test_names_from_a_juror_s_file_cannot_steer_the_chair_s_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A sheet named with escape codes erased the line before and printed "ALL GOOD" in red.
    sheets, rubric = write_jury(tmp_path)
    sheet = "Marks&#27;[2K&#27;[1A&#27;[31mALL GOOD&#13;"
    book = openpyxl.Workbook()
    book.active.title = "Marks"
    book.active.append(["Juror:", "j4"])
    book.active.append(["Team", "Alpha", "Beta"])
    book.active.append(["T1", "x", 5])
    book.save(sheets / "j4.xlsx")
    with zipfile.ZipFile(sheets / "j4.xlsx") as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'name="Marks"', f'name="{sheet}"'.encode()
    )
    with zipfile.ZipFile(sheets / "j4.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)

    code = main(["validate", str(sheets), "--config", str(rubric)])

    out = capsys.readouterr()
    assert code == 2
    assert "\x1b" not in out.out + out.err and "\r" not in out.out + out.err
    assert (
        "error: j4.xlsx, sheet Marks\\x1b[2K\\x1b[1A\\x1b[31mALL GOOD\\r, row 3, column B: 'x' is "
        "not a number"
    ) in out.out.replace(str(sheets) + "/", "")


def test_a_failed_write_blames_the_disk_only_when_it_is_full() -> None:
    long = OSError(errno.ENAMETOOLONG, "File name too long", "out/" + "x" * 300)
    full = OSError(errno.ENOSPC, "No space left on device", "out/results.xlsx")

    assert describe_os_error(long) == (
        f"out/{'x' * 300} could not be read or written (File name too long); check the path."
    )
    assert describe_os_error(full) == (
        "out/results.xlsx could not be written (No space left on device); free some disk "
        "space, or write to another disk."
    )
    assert describe_os_error(OSError(errno.EIO, "Input/output error")) == (
        "Input/output error; check the paths given."
    )
