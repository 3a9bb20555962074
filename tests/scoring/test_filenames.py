"""Names made from ids: every challenge its own ranking file and sheet, every juror their own
template, readable, short, and distinct on disks that ignore case."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from scoring.cli import main
from scoring.filenames import caseless, distinct_names, utf16_length
from scoring.i18n import set_language
from tests.scoring.test_cli import RUBRIC, read_csv

# The review's ids: one name, ranking-a_b.csv, held only the last of the first four.
CHALLENGES = ["a/b", "a b", "a?b", "a_b", "Diabetes", "diabetes", "CON", "x" * 300]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def sha(text: str) -> str:
    """The suffix the README gives: the first 8 hex digits of the id's SHA-256 (UTF-8)."""
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def write_challenge_jury(folder: Path, challenges: list[str]) -> tuple[Path, Path]:
    """One team per challenge (T1, T2, ...), marked by one juror; the teams file names its
    challenge. Returns (sheets folder, rubric)."""
    sheets = folder / "sheets"
    sheets.mkdir()
    teams = [f"T{i}" for i in range(1, len(challenges) + 1)]
    with (sheets / "teams.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["team", "name", "challenge"])
        rows = zip(teams, challenges, strict=True)
        writer.writerows([team, f"Name {team}", challenge] for team, challenge in rows)
    with (sheets / "j1.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["juror", "team", "criterion", "score"])
        for i, team in enumerate(teams):
            writer.writerows([["j1", team, "a", i % 10], ["j1", team, "b", 5]])
    rubric = folder / "rubric.toml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    return sheets, rubric


def test_every_challenge_gets_its_own_ranking_file_and_sheet(tmp_path: Path) -> None:
    sheets, rubric = write_challenge_jury(tmp_path, CHALLENGES)
    out = tmp_path / "out"

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--no-charts"])

    x_file = "x" * 55 + "~0d4e2ca9"  # 64 bytes, the digest of the whole id kept
    files = {
        "a/b": "a_b~c14cddc0",
        "a b": "a_b~c8687a08",
        "a?b": "a_b~c2a7b64a",
        "a_b": "a_b",
        "Diabetes": "Diabetes~c3311c4c",
        "diabetes": "diabetes~6a5d28d6",
        "CON": "CON~a3dbc4b6",
        "x" * 300: x_file,
    }
    assert code == 0
    assert sorted(p.name for p in out.glob("ranking-*.csv")) == sorted(
        f"ranking-{name}.csv" for name in files.values()
    )
    # Each file ranks its own challenge's team, nothing lost.
    for i, challenge in enumerate(CHALLENGES, start=1):
        rows = read_csv(out / f"ranking-{files[challenge]}.csv")
        assert [row[1:4] for row in rows[1:]] == [[f"T{i}", f"Name T{i}", challenge]]
    names = openpyxl.load_workbook(out / "results.xlsx", read_only=True).sheetnames
    assert names[:9] == [
        "ranking",
        "ranking-CON~a3dbc4b6",
        "ranking-Diabetes~c3311c4c",
        "ranking-a_b~c8687a08",
        "ranking-a_b~c14cddc0",
        "ranking-a_b~c2a7b64a",
        "ranking-a_b",
        "ranking-diabetes~6a5d28d6",
        "ranking-xxxxxxxxxxxxxx~0d4e2ca9",
    ]
    assert len({caseless(name) for name in names}) == len(names)
    assert max(map(len, names)) == 31
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Ranking, challenge a/b<" in report and "Ranking, challenge a?b<" in report
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert f"ranking-{x_file}.csv" in manifest["outputs"]


def test_names_are_kept_as_they_are_when_plain_else_readable_and_suffixed() -> None:
    decomposed = "e\u0301lodie"
    ids = ["anna.weber", "Élodie", decomposed, "COM1", "com1.txt", "lpt9", "nul.", "-x", "ﬁ"]

    names = distinct_names(ids, 64)

    assert [names[i] for i in ids] == [
        "anna.weber",
        "Élodie",  # plain: letters of any language are kept
        f"élodie~{sha(decomposed)}",  # decomposed: recomposed, and told apart
        f"COM1~{sha('COM1')}",
        f"com1_txt~{sha('com1.txt')}",  # not com1.txt~...: still COM1 to Windows
        f"lpt9~{sha('lpt9')}",
        f"nul~{sha('nul.')}",
        f"x~{sha('-x')}",
        f"fi~{sha('ﬁ')}",  # a ligature, spelt out
    ]


def test_names_fit_the_limit_as_a_disk_or_a_spreadsheet_counts_it() -> None:
    # UTF-8 bytes in a file name, UTF-16 units in a sheet's: é is 2 and 1, 𠀀 4 and 2; an
    # emoji is no letter, and a name of none gets "x" before its suffix.
    ids = ["é" * 40, "𠀀" * 20, "😀" * 20, "a" * 64, "a" * 65]

    in_files = distinct_names(ids, 64)
    in_sheets = distinct_names(ids, 23, utf16_length)

    assert [len(in_files[i].encode()) for i in ids] == [63, 61, 10, 64, 64]
    assert [in_files["a" * 64], in_files["😀" * 20]] == ["a" * 64, f"x~{sha('😀' * 20)}"]
    assert [utf16_length(in_sheets[i]) for i in ids] == [23, 23, 10, 23, 23]


def test_two_ids_whose_digests_meet_still_get_two_names() -> None:
    # 8 hex digits can be searched for: a crafted teams file could give two challenges one
    # name. Separators of two to eight characters all read "a_b": find two with one digest.
    seen: dict[str, str] = {}
    pair: tuple[str, str] | None = None
    for size in range(2, 9):
        for separator in itertools.product("/?*: ", repeat=size):
            text = f"a{''.join(separator)}b"
            digest = sha(text)
            if digest in seen:
                pair = seen[digest], text
                break
            seen[digest] = text
        if pair:
            break
    assert pair is not None
    first, second = sorted(pair)

    names = distinct_names(pair, 64)

    digest = sha(first)
    assert names == {first: f"a_b~{digest}", second: f"a_b~{digest}~2"}
