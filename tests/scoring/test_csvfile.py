"""Reading CSV files: quotation marks a juror got wrong, and files too large or not text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scoring.errors import Problem
from scoring.sheets import read_inputs
from scoring.workbook import read_tables
from tests.scoring.fixtures import rubric

HEADER = "juror,team,criterion,score,comment\n"
UNCLOSED = (
    'a quotation mark (") opens a cell in this row and is not closed at the end of the cell, '
    "so the rows after it would be read into that one cell; add the closing quotation mark at "
    "the end of the cell, or remove the opening one"
)
LONG = (
    "a cell in this row holds more than 32767 characters, more than a spreadsheet cell holds; "
    "shorten it"
)
ROOT = Path(__file__).parents[2]


def marks(rows: int, juror: str = "x1") -> str:
    return "".join(f"{juror},T{i},impact,5,fine\n" for i in range(1, rows + 1))


def written(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


def problems_of(path: Path) -> list[Problem]:
    tables, problems = read_tables(path)
    assert tables == [] or problems == []
    return problems


def test_a_quotation_mark_never_closed_is_an_error_at_its_row(tmp_path: Path) -> None:
    # Read leniently, the cell would hold every row after it, and the file pass without a word.
    path = written(tmp_path / "a.csv", HEADER + marks(2) + 'x0,T24,pitch,2.5,"Nice\n' + marks(3))

    assert problems_of(path) == [Problem("error", "unclosed_quote", UNCLOSED, str(path), row=4)]


def test_a_quotation_mark_closed_rows_later_names_the_line(tmp_path: Path) -> None:
    # The next quoted cell closes it: "Good" then ends a cell that went on.
    text = HEADER + 'x0,T1,pitch,2,"Nice\n' + marks(2) + 'x0,T9,pitch,4,"Good"\n'

    assert problems_of(written(tmp_path / "a.csv", text)) == [
        Problem(
            "error",
            "unclosed_quote",
            'a quotation mark (") opens a cell in this row and closes only on line 5 of the '
            "file, so the rows between would be read into that one cell; add the closing "
            "quotation mark at the end of the cell, or remove the opening one",
            str(tmp_path / "a.csv"),
            row=2,
        )
    ]


def test_text_after_a_closing_quotation_mark_is_an_error(tmp_path: Path) -> None:
    # "Nice" prototype: the quotes as typed, or a cell in quotes? Read leniently, they vanish.
    path = written(tmp_path / "a.csv", HEADER + marks(1) + 'x1,T2,impact,5,"Nice" prototype\n')

    assert problems_of(path) == [
        Problem(
            "error",
            "stray_quote",
            'a cell in this row goes on after its closing quotation mark ("); put the whole '
            'cell in quotation marks and write each quotation mark inside it twice (""), or '
            "remove the quotation marks",
            str(path),
            row=3,
        )
    ]


def test_quotation_marks_inside_a_cell_are_read_as_typed(tmp_path: Path) -> None:
    text = HEADER + 'x1,T1,impact,5,Nice "prototype"\nx1,T2,impact,6,"He said ""ok, fine"""\n'

    tables, problems = read_tables(written(tmp_path / "a.csv", text))

    assert problems == []
    assert [row[4] for row in tables[0].rows[1:]] == ['Nice "prototype"', 'He said "ok, fine"']


def test_a_separator_after_a_quotation_mark_inside_a_cell_says_so(tmp_path: Path) -> None:
    path = written(tmp_path / "a.csv", HEADER + 'x1,T1,impact,5,He said "ok, fine"\n')

    jury = read_inputs([path], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "extra_cells",
            'has more cells than the header row: a quotation mark (") inside this cell does not '
            "keep the separator after it in the cell; put the whole cell in quotation marks and "
            'write each quotation mark inside it twice ("He said ""ok, fine""")',
            str(path),
            row=2,
            column="E",
        ),
    )


def test_an_unclosed_quote_in_a_large_file_is_a_problem_and_the_other_files_are_read(
    tmp_path: Path,
) -> None:
    # Past 128 KiB the csv module stops at its field limit with an exception of its own.
    bad = written(tmp_path / "a.csv", HEADER + 'x0,T1,impact,1,"Nice\n' + marks(6000))
    good = written(tmp_path / "b.csv", HEADER + marks(2, "x2"))
    assert bad.stat().st_size > 128 * 1024

    jury = read_inputs([bad, good], rubric())

    assert jury.problems == (Problem("error", "unclosed_quote", UNCLOSED, str(bad), row=2),)
    assert sorted(jury.marks["team"]) == ["T1", "T2"]


def test_a_cell_longer_than_a_spreadsheet_cell_is_refused(tmp_path: Path) -> None:
    # 40,000 characters pass the csv module's field limit (131,072); 200,000 do not.
    for length in (40_000, 200_000):
        path = written(
            tmp_path / f"{length}.csv", HEADER + marks(1) + f"x1,T2,impact,5,{'A' * length}\n"
        )

        assert problems_of(path) == [Problem("error", "long_cell", LONG, str(path), row=3)]


def test_a_quoted_cell_spanning_more_than_a_cell_holds_names_where_it_closes(
    tmp_path: Path,
) -> None:
    # The quotation mark closes at the end of a line, so nothing is malformed: the rows in
    # between are in the cell, which grew longer than any spreadsheet cell.
    text = HEADER + 'x1,T1,impact,5,"Nice\n' + marks(2000) + 'x1,T9,impact,5,ok"\n' + marks(1)

    problems = problems_of(written(tmp_path / "a.csv", text))

    assert [(p.code, p.row) for p in problems] == [("unclosed_quote", 2)]
    assert "closes only on line 2003 of the file" in problems[0].message


def test_a_row_wider_than_a_jury_sheet_is_refused(tmp_path: Path) -> None:
    # 300,000 separators took 35 s and 936 MB to read.
    path = written(tmp_path / "a.csv", HEADER + "," * 300_000 + "\n")

    assert problems_of(path) == [
        Problem(
            "error",
            "too_many_columns",
            "this row has 300001 cells, more than the 1000 columns that are read; remove the "
            "separators after its last cell, or check that the file is a jury sheet",
            str(path),
            row=2,
        )
    ]


def test_more_cells_than_are_read_are_refused(tmp_path: Path) -> None:
    rows = 2_000_000 // 500 + 1  # 500 columns
    path = written(tmp_path / "a.csv", ("," * 499 + "\n") * rows)

    assert problems_of(path) == [
        Problem(
            "error",
            "too_many_cells",
            "holds more than 2000000 cells (rows × columns up to the last cell with a value, "
            "empty cells included), more than is read; delete what is not needed (empty rows or "
            "columns, old sheets), or split it into several files",
            str(path),
        )
    ]


def test_a_nul_character_is_refused_at_its_row(tmp_path: Path) -> None:
    # It reached ranking.csv and report.html as it was.
    path = tmp_path / "a.csv"
    path.write_bytes((HEADER + marks(1) + "x1,T\x002,impact,5,\n").encode())

    assert problems_of(path) == [
        Problem(
            "error",
            "nul_character",
            "holds a NUL character (a zero byte), which no text file holds: it was saved as "
            'UTF-16 ("Unicode text") or is no CSV file; in Excel save it as "CSV UTF-8", in '
            'LibreOffice choose the character set "Unicode (UTF-8)"',
            str(path),
            row=3,
        )
    ]


def test_a_csv_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    # A sparse file of 2 GiB, read in a process that may not take 1 GiB of memory: reading
    # the file whole first (16 s, 2.2 GB) fails there.
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(2 * 2**30)
    code = (
        "import resource, sys; from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "from scoring.workbook import read_tables\n"
        "print([(p.code, p.message) for p in read_tables(Path(sys.argv[1]))[1]])\n"
    )

    child = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )

    assert (child.returncode, child.stdout) == (
        0,
        "[('too_large', 'is larger than 20 MiB; split it')]\n",
    )


def test_a_first_line_longer_than_the_csv_module_reads_is_a_problem(tmp_path: Path) -> None:
    # The separator is guessed from the first line, which the csv module refused too.
    path = written(tmp_path / "a.csv", "A" * 200_000 + "\n" + marks(1))

    assert problems_of(path) == [Problem("error", "long_cell", LONG, str(path), row=1)]
