"""CSV and XLSX exports are safe to open in a spreadsheet (SECURITY.md item 23)."""

from __future__ import annotations

import csv
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scoring.export import neutralise, neutralise_frame, sheet_title, write_csv, write_xlsx

CANARY = '=HYPERLINK("http://evil.example","click")'


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "team": [CANARY, "+41 79", "-x", "@SUM(A1)", "\tTab", "\rCR", "\0NUL", "Kinase"],
            "score": [1.5, -2.0, 3.25, 0.0, math.nan, 7.0, 8.0, 9.0],
            "jurors": [3, 4, 5, 6, 7, 8, 9, 10],
            "outlier": [True, False, True, False, True, False, True, False],
        }
    )


def xml_of(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_neutralise_prefixes_every_formula_start(start: str) -> None:
    assert neutralise(start + "1+1") == "'" + start + "1+1"


def test_neutralise_leaves_plain_text_and_numbers() -> None:
    assert [neutralise("Team 1"), neutralise(-3.5), neutralise(7), neutralise(None)] == [
        "Team 1",
        -3.5,
        7,
        None,
    ]


def test_neutralise_frame_keeps_numeric_columns_numeric() -> None:
    result = neutralise_frame(frame())

    assert result["team"].tolist() == [
        "'" + CANARY,
        "'+41 79",
        "'-x",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "'\0NUL",
        "Kinase",
    ]
    assert [str(result[name].dtype) for name in ("score", "jurors", "outlier")] == [
        "float64",
        "int64",
        "bool",
    ]


def test_write_csv_neutralises_text_cells(tmp_path: Path) -> None:
    path = write_csv(frame().iloc[[0, 7]], tmp_path / "t.csv")

    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows == [
        ["team", "score", "jurors", "outlier"],
        ["'" + CANARY, "1.5", "3", "True"],
        ["Kinase", "9.0", "10", "False"],
    ]


def test_write_csv_writes_floats_without_binary_noise(tmp_path: Path) -> None:
    values = [0.1 + 0.2, 7.300000000000001, 23.0, math.nan, 2 / 3]
    path = write_csv(pd.DataFrame({"score": values}), tmp_path / "t.csv")

    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows == [["score"], ["0.3"], ["7.3"], ["23.0"], [""], ["0.666666666666667"]]


def test_write_xlsx_has_no_formula_element(tmp_path: Path) -> None:
    path = write_xlsx({"ranking": frame(), "second": frame()}, tmp_path / "r.xlsx")

    xml = xml_of(path)
    assert [name for name, text in xml.items() if "<f>" in text or "<f " in text] == []
    assert "'=HYPERLINK(" in xml["xl/sharedStrings.xml"]


def test_write_xlsx_cells_read_back_as_text_and_numbers(tmp_path: Path) -> None:
    path = write_xlsx({"ranking": frame()}, tmp_path / "r.xlsx")

    sheet = openpyxl.load_workbook(path)["ranking"]
    rows = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [("team", "s"), ("score", "s"), ("jurors", "s"), ("outlier", "s")]
    assert rows[1] == [("'" + CANARY, "s"), (1.5, "n"), (3, "n"), (True, "b")]
    assert rows[5] == [("'\tTab", "s"), (None, "n"), (7, "n"), (True, "b")]
    assert rows[7] == [("'\ufffdNUL", "s"), (8, "n"), (9, "n"), (True, "b")]


def test_write_xlsx_reads_back_with_calamine(tmp_path: Path) -> None:
    data = pd.DataFrame({"team": ["a & <b>", " padded "], "score": [1.25, 2.0]})
    path = write_xlsx({"s": data}, tmp_path / "r.xlsx")

    back = pd.read_excel(path, sheet_name="s", engine="calamine")

    assert back.to_dict("records") == [
        {"team": "a & <b>", "score": 1.25},
        {"team": " padded ", "score": 2.0},
    ]


def test_write_xlsx_same_tables_same_bytes(tmp_path: Path) -> None:
    first = write_xlsx({"ranking": frame()}, tmp_path / "a.xlsx").read_bytes()
    second = write_xlsx({"ranking": frame()}, tmp_path / "b.xlsx").read_bytes()

    assert first == second


def test_write_xlsx_many_rows_keep_their_order(tmp_path: Path) -> None:
    data = pd.DataFrame({"n": range(12_001), "t": [f"r{i}" for i in range(12_001)]})
    path = write_xlsx({"big": data}, tmp_path / "big.xlsx")

    back = pd.read_excel(path, sheet_name="big", engine="calamine")

    assert back["n"].tolist() == list(range(12_001))
    assert back["t"].iloc[[0, 5_000, 12_000]].tolist() == ["r0", "r5000", "r12000"]


def test_write_xlsx_sheets_written_first_can_come_last_in_the_workbook(tmp_path: Path) -> None:
    def sheets() -> Iterator[tuple[str, pd.DataFrame]]:  # as results.xlsx: the marks first
        yield "marks", pd.DataFrame({"m": [1]})
        yield "ranking", pd.DataFrame({"r": [2]})
        yield "ranking", pd.DataFrame({"r": [3]})  # a second title is made unique

    path = write_xlsx(sheets(), tmp_path / "r.xlsx", last={"marks"})

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["ranking", "ranking~2", "marks"]
    assert [book[name]["A2"].value for name in book.sheetnames] == [2, 3, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]  # no part file left


def test_sheet_title_is_valid_and_unique() -> None:
    taken: set[str] = set()
    titles = [
        sheet_title(name, taken)
        for name in ("ranking-a/b:c", "ranking-A/B:C", "x" * 40, "x" * 40, "'quoted'")
    ]

    assert titles == ["ranking-a_b_c", "ranking-A_B_C~2", "x" * 31, "x" * 29 + "~2", "quoted"]


def test_criteria_table_lists_each_team_s_criteria_in_its_rubric_s_order() -> None:
    # Challenge x has its own rubric (c, then a); the other teams the main one (a, b).
    from decimal import Decimal

    from scoring.config import Config, Criterion, Scale
    from scoring.outputs import criteria_table

    def criterion(ident: str) -> Criterion:
        return Criterion(ident, {}, Decimal(1), Scale(Decimal(0), Decimal(10)))

    config = Config(
        criteria=(criterion("a"), criterion("b")),
        challenge_criteria={"x": (criterion("c"), criterion("a"))},
    )
    criteria = pd.DataFrame(
        {
            "team": ["T2", "T1", "T2", "T1"],
            "challenge": [None, "x", None, "x"],
            "criterion": ["b", "a", "a", "c"],
            "score": [1.0, 2.0, 3.0, 4.0],
        }
    )

    table = criteria_table(criteria, config)

    assert table[["team", "criterion"]].to_numpy().tolist() == [
        ["T2", "a"],
        ["T2", "b"],
        ["T1", "c"],
        ["T1", "a"],
    ]
