"""Reading jury sheets: formats, shapes, header languages, and every reading problem located."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from scoring import columns as col
from scoring.errors import Problem
from scoring.sheets import read_inputs
from tests.scoring.fixtures import rubric, write_csv, write_ods, write_xlsx

SAMPLE = Path(__file__).parents[2] / "data" / "sample-jury"
WHERE = [col.JUROR, col.TEAM, col.CRITERION, col.SCORE, col.SHEET, col.ROW, col.COLUMN]


def marks_of(frame: pd.DataFrame, fields: list[str] = WHERE) -> list[tuple[object, ...]]:
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in frame[fields].itertuples(index=False)
    ]


def test_read_inputs_wide_xlsx_german_headers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [
            ["Jurorin:", "anna"],
            [],
            ["Team", "Name", "Wirkung", "PRÄSENTATION", "Kommentar"],
            ["T1", "Alpha", 7.5, 4, "stark"],
            ["T2", "Beta", "6,5", None, None],
        ],
        title="Bewertung",
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks) == [
        ("anna", "T1", "impact", 7.5, "Bewertung", 4, "C"),
        ("anna", "T1", "pitch", 4.0, "Bewertung", 4, "D"),
        ("anna", "T2", "impact", 6.5, "Bewertung", 5, "C"),
    ]
    assert marks_of(jury.marks, [col.COMMENT, col.FILE]) == [("stark", str(path))] * 2 + [
        (None, str(path))
    ]
    assert (jury.problems, jury.teams, jury.assignments, jury.files) == ((), None, None, (path,))


def test_read_inputs_wide_ods_french_juror_in_one_cell(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "claire.ods",
        [
            [None, "Juré : claire"],
            [None, "Équipe", "Présentation", "commentaire"],
            [None, "T3", 5.0, "bien"],
        ],
        title="Évaluation",
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks) == [("claire", "T3", "pitch", 5.0, "Évaluation", 3, "C")]
    assert jury.problems == ()


def test_read_inputs_ods_formula_cell_reads_its_value(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "f.ods",
        [
            ["Juror:", "tom"],
            ["Team", "Impact", "Pitch"],
            ["T1", 3.0, ("of:=[.B3]+1", 4.0)],
        ],
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks, [col.CRITERION, col.SCORE]) == [("impact", 3.0), ("pitch", 4.0)]


def test_read_inputs_long_csv_semicolons_decimal_commas_and_bom(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "long.csv",
        [
            ["Jury", "Équipe", "Critère", "Note", "Commentaire"],
            ["elena", "T1", "Wirkung", "7,5", "gut"],
            ["elena", "T1", "pitch", "3", ""],
            ["elena", "T2", "impact", "", ""],
        ],
        delimiter=";",
        encoding="utf-8-sig",
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks) == [
        ("elena", "T1", "impact", 7.5, None, 2, "D"),
        ("elena", "T1", "pitch", 3.0, None, 3, "D"),
    ]
    assert jury.problems == ()


def test_read_inputs_side_files_detected_in_a_directory(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "teams.csv",
        [["team", "name", "challenge", "site"], ["T1", "Alpha", "diabetes", "Metz"]],
    )
    write_csv(tmp_path / "plan.csv", [["Juror", "Team", "Sprache"], ["anna", "T1", "DE"]])
    write_csv(
        tmp_path / "anna.csv",
        [["juror", "team", "criterion", "score"], ["anna", "T1", "impact", "8"]],
    )
    (tmp_path / "~$anna.xlsx").write_bytes(b"lock file")
    (tmp_path / "notes.txt").write_text("not a sheet", encoding="utf-8")
    seen: list[str] = []

    jury = read_inputs([tmp_path], rubric(), progress=seen.append)

    assert seen == ["Reading anna.csv", "Reading plan.csv", "Reading teams.csv"]
    assert jury.files == (tmp_path / "anna.csv", tmp_path / "plan.csv", tmp_path / "teams.csv")
    assert marks_of(jury.teams, [col.TEAM, col.TEAM_NAME, col.CHALLENGE, col.SITE]) == [
        ("T1", "Alpha", "diabetes", "Metz")
    ]
    assert marks_of(jury.assignments, [col.JUROR, col.TEAM, "language"]) == [("anna", "T1", "de")]
    assert marks_of(jury.marks, [col.TEAM, col.CHALLENGE]) == [("T1", "diabetes")]


def test_read_inputs_table_below_empty_rows_keeps_spreadsheet_positions(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            [],
            [],
            [None, None, "Juror:", "x"],
            [],
            [None, None, "Team", "Impact"],
            [None, None, "T9", 2],
        ],
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks) == [("x", "T9", "impact", 2.0, "Scores", 6, "D")]


def test_read_inputs_not_a_number_is_a_located_problem_and_nan(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["Juror:", "x"], ["Team", "Impact"], ["T1", "gut"]])

    jury = read_inputs([path], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "not_a_number",
            "'gut' is not a number; write a number such as 7 or 7.5 (a team the juror could not "
            "judge has all its cells empty, and its assignment is removed)",
            str(path),
            "Scores",
            3,
            "B",
        ),
    )
    assert math.isnan(jury.marks[col.SCORE].iloc[0])


def test_read_inputs_wide_sheet_without_juror_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["Team", "Impact"], ["T1", 3]])

    jury = read_inputs([path], rubric())

    assert [(p.code, p.file, p.sheet, p.row, p.column) for p in jury.problems] == [
        ("no_juror", str(path), "Scores", None, None)
    ]
    # Said to the chair, who reads it, not to the juror.
    assert jury.problems[0].message == (
        'says nowhere whose sheet it is; above the table write a cell "Juror:" and the juror\'s '
        "id in the cell to its right"
    )
    assert jury.marks.empty


def test_read_inputs_unknown_and_ignored_columns_are_reported(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [["Juror:", "x"], ["Team", "Impact", "Kreativität", "Summe"], ["T1", 3, 4, 7]],
    )

    jury = read_inputs([path], rubric())

    assert [(p.severity, p.code, p.row, p.column) for p in jury.problems] == [
        ("error", "unknown_criterion", 2, "C"),
        ("warning", "ignored_column", 2, "D"),
    ]
    # It names the criteria the sheet lacks (what a renamed header most likely holds), not
    # those it has.
    assert jury.problems[0].message == (
        "column 'Kreativität' is not a criterion of the rubric; rename it to the id or label of "
        "the criterion it holds (the rubric's criteria without a column in this sheet: pitch) or "
        "delete the column"
    )
    assert marks_of(jury.marks, [col.CRITERION, col.SCORE]) == [("impact", 3.0)]


def test_read_inputs_a_column_more_than_the_criteria_is_to_be_deleted(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [["Juror:", "x"], ["Team", "Impact", "Pitch", "Kreativität"], ["T1", 3, 4, 7]],
    )

    jury = read_inputs([path], rubric())

    assert [p.message for p in jury.problems] == [
        "column 'Kreativität' is not a criterion of the rubric, and every criterion has a column "
        "in this sheet already; delete the column"
    ]


def test_read_inputs_scores_without_team_are_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "w.csv", [["Juror:", "x"], ["Team", "Pitch"], ["", "3"]])

    jury = read_inputs([path], rubric())

    assert [(p.code, p.sheet, p.row, p.column) for p in jury.problems] == [
        ("no_team", None, 3, "A")
    ]


def test_read_inputs_csv_not_utf8_says_how_to_save(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [["juror", "team", "criterion", "score"], ["Zoé", "T1", "impact", "3"]],
        encoding="cp1252",
    )

    jury = read_inputs([path], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "not_utf8",
            "is not UTF-8 text: it was saved in another character set (such as Windows-1252, "
            'which Excel uses for "CSV"); in Excel save it as "CSV UTF-8", in LibreOffice '
            'choose the character set "Unicode (UTF-8)"',
            str(path),
            row=2,  # where Zoé is
        ),
    )


def test_read_inputs_csv_not_utf8_counts_rows_as_records(tmp_path: Path) -> None:
    # A comment over three lines is one row, as in every other problem of a CSV file.
    path = tmp_path / "l.csv"
    path.write_bytes(
        b'juror,team,criterion,score,comment\nx,T1,impact,3,"one\ntwo\nthree"\nZo\xe9,T1,pitch,3,\n'
    )

    jury = read_inputs([path], rubric())

    assert [(p.code, p.row) for p in jury.problems] == [("not_utf8", 3)]


def test_read_inputs_directory_ignores_the_lock_files_of_open_workbooks(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "marks.csv", [["juror", "team", "criterion", "score"], ["x", "T1", "pitch", 3]]
    )
    (tmp_path / "~$anna.xlsm").write_bytes(b"anna")

    assert read_inputs([tmp_path], rubric()).problems == ()


def test_read_inputs_csv_in_utf16_says_so(tmp_path: Path) -> None:
    # What Excel writes as "Unicode text", with its byte order mark.
    path = write_csv(
        tmp_path / "l.csv",
        [["juror", "team", "criterion", "score"], ["Zoé", "T1", "impact", "3"]],
        encoding="utf-16",
    )

    jury = read_inputs([path], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "not_utf8",
            'is saved as UTF-16 ("Unicode text"), not as UTF-8; in Excel save it as "CSV UTF-8", '
            'in LibreOffice choose the character set "Unicode (UTF-8)"',
            str(path),
        ),
    )


def test_read_inputs_zip_bomb_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/big.xml", b"\0" * (2 * 1024 * 1024))

    jury = read_inputs([path], rubric())

    assert [(p.code, p.file) for p in jury.problems] == [("zip_bomb", str(path))]


def test_read_inputs_too_many_zip_entries_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.ods"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(101):
            archive.writestr(f"part{index}.xml", "<x/>")

    jury = read_inputs([path], rubric())

    assert [p.code for p in jury.problems] == ["zip_bomb"]


def test_read_inputs_fake_xlsx_and_missing_path_reported_together(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("juror,team\n", encoding="utf-8")

    jury = read_inputs([fake, tmp_path / "gone.csv"], rubric())

    assert [(p.code, p.file) for p in jury.problems] == [
        ("no_such_file", str(tmp_path / "gone.csv")),
        ("unreadable_file", str(fake)),
    ]


def test_read_inputs_names_what_a_renamed_file_really_is(tmp_path: Path) -> None:
    page = tmp_path / "export.xlsx"
    page.write_bytes(b"\xef\xbb\xbf\r\n<!DOCTYPE html><html><table><tr><td>T1</td></tr></table>")
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    other = tmp_path / "other.ods"
    other.write_bytes(b"juror,team\n")
    text = tmp_path / "text.xlsx"
    with zipfile.ZipFile(text, "w") as archive:
        archive.writestr("notes.txt", "no workbook")

    jury = read_inputs([page, old, other, text], rubric())

    assert sorted((Path(p.file or "").name, p.code, p.message) for p in jury.problems) == [
        (
            "export.xlsx",
            "unreadable_file",
            "is a web page (HTML) with a .xlsx name, not a spreadsheet; open it in your "
            "spreadsheet program and save it as xlsx",
        ),
        (
            "old.xlsx",
            "unreadable_file",
            "is an old Excel file (.xls) with a .xlsx name; open it in your spreadsheet program "
            "and save it as xlsx",
        ),
        (
            "other.ods",
            "unreadable_file",
            "is not a valid ods file (it is not a zip archive); open it in your spreadsheet "
            "program and save it again as ods",
        ),
        ("text.xlsx", "unreadable_file", "is not a valid xlsx file; save it again as xlsx"),
    ]


def test_read_inputs_a_summary_beside_the_score_sheet_is_not_read_as_scores(
    tmp_path: Path,
) -> None:
    # A juror's own summary (team and total): neither criteria nor a juror, so it would
    # have ended the run with "says nowhere whose sheet it is".
    path = tmp_path / "anna.xlsx"
    book = openpyxl.Workbook()
    scores = book.active
    scores.title = "Scores"
    for row in (["Juror:", "anna"], ["Team", "Impact", "Pitch"], ["T1", 7, 4]):
        scores.append(row)
    summary = book.create_sheet("Summary")
    for row in (["My totals"], ["Team", "Total"], ["T1", "=Scores!B3+Scores!C3"]):
        summary.append(row)
    book.save(path)
    alone = write_xlsx(tmp_path / "alone.xlsx", [["Team", "Total"], ["T1", 11]])

    jury = read_inputs([path], rubric())
    only = read_inputs([alone], rubric())

    assert marks_of(jury.marks, [col.TEAM, col.CRITERION, col.SCORE]) == [
        ("T1", "impact", 7.0),
        ("T1", "pitch", 4.0),
    ]
    assert [(p.severity, p.code, p.sheet, p.row) for p in jury.problems] == [
        ("warning", "not_scores", "Summary", 2)
    ]
    assert jury.problems[0].message == (
        "was not read as scores: it has a team column but no criterion column and no juror, "
        "and lists only teams scored on another sheet; if it holds scores, head its columns "
        "with the criteria"
    )
    # Without a score sheet, or listing other teams (a second score sheet with misspelt
    # criteria, say), it is read as a score sheet, whose problems say what to fix.
    assert [p.code for p in only.problems] == ["no_juror"]
    summary.append(["T2", 9])
    book.save(path)
    assert [p.code for p in read_inputs([path], rubric()).problems] == ["no_juror"]


def test_read_inputs_scores_on_a_hidden_sheet_are_read_and_said_so(tmp_path: Path) -> None:
    path = tmp_path / "anna.xlsx"
    book = openpyxl.Workbook()
    for title, state, score in (("Scores", "visible", 7), ("Old", "hidden", 5)):
        sheet = book.active if title == "Scores" else book.create_sheet(title)
        sheet.title, sheet.sheet_state = title, state
        for row in (["Juror:", "anna"], ["Team", "Impact"], ["T1", score]):
            sheet.append(row)
    book.save(path)

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks, [col.SHEET, col.SCORE]) == [("Scores", 7.0), ("Old", 5.0)]
    assert [(p.severity, p.code, p.sheet, p.row) for p in jury.problems] == [
        ("warning", "hidden_sheet", "Old", None)
    ]
    assert jury.problems[0].message == (
        "is a hidden sheet, and its scores are read; show it (right-click a sheet tab, Unhide) "
        "to check them, or delete it if they are old"
    )


def test_read_inputs_file_of_another_format_says_how_to_fix_it(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("juror,team\n", encoding="utf-8")

    jury = read_inputs([notes], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "not_a_spreadsheet",
            "is not an .xlsx, .ods or .csv file; open it in your spreadsheet program and save it "
            "as .xlsx, .ods or .csv, or leave it out of the files given",
            str(notes),
        ),
    )


def test_read_inputs_sheet_without_team_column_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])

    jury = read_inputs([path], rubric())

    assert [(p.severity, p.code) for p in jury.problems] == [("error", "no_table")]


def test_read_inputs_sample_jury_reads_every_juror() -> None:
    from scoring.config import load_config

    jury = read_inputs([SAMPLE], load_config(SAMPLE / "rubric.toml"))

    assert jury.problems == ()
    assert jury.marks.groupby(col.JUROR)[col.TEAM].nunique().to_dict() == {
        "anna.weber": 9,
        "claire.martin": 9,
        "elena.rossi": 10,
        "jonas.becker": 9,
        "julien.roux": 10,
        "lena.hoffmann": 9,
        "marc.schmit": 9,
        "sophie.laurent": 9,
        "tom.muller": 10,
    }
    assert len(jury.teams) == 24
    assert set(jury.marks[col.CHALLENGE]) == {
        "diabetes",
        "mental-health",
        "ageing-at-home",
        "cross-border-care",
    }


def test_read_inputs_wide_sheet_with_a_juror_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "w.csv", [["Juror", "Team", "Pitch"], ["a", "T1", "2"], ["b", "T1", "4"]]
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks) == [
        ("a", "T1", "pitch", 2.0, None, 2, "C"),
        ("b", "T1", "pitch", 4.0, None, 3, "C"),
    ]


def test_read_inputs_criterion_called_team_is_a_criterion_after_the_team_column(
    tmp_path: Path,
) -> None:
    # (The id itself may not be "team": the ranking has a column of that name.)
    config = rubric(
        criteria=[{"id": "teamwork", "label": {"en": "Team"}, "scale": {"min": 0, "max": 5}}]
    )
    path = write_csv(tmp_path / "w.csv", [["Juror:", "a"], ["Team", "Team"], ["T1", "4"]])

    jury = read_inputs([path], config)

    assert marks_of(jury.marks) == [("a", "T1", "teamwork", 4.0, None, 3, "B")]


def test_read_inputs_long_row_lacking_juror_is_reported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [
            ["juror", "team", "criterion", "score"],
            ["", "T1", "impact", "3"],
            ["a", "T1", "impact", "4"],
        ],
    )

    jury = read_inputs([path], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "incomplete_row",
            "lacks the juror; fill it in or delete the row",
            str(path),
            None,
            2,
            "A",
        ),
    )
    assert marks_of(jury.marks, [col.JUROR, col.ROW]) == [("a", 3)]


def test_read_inputs_assignment_language_must_be_known(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv", [["juror", "team", "langue"], ["a", "T1", "it"], ["a", "T2", "FR"]]
    )

    jury = read_inputs([path], rubric())

    assert [(p.code, p.row, p.column) for p in jury.problems] == [("bad_language", 2, "C")]
    assert marks_of(jury.assignments, [col.TEAM, "language"]) == [("T1", None), ("T2", "fr")]


def test_sample_jury_design_is_connected_and_partial() -> None:
    from scoring.config import load_config

    marks = read_inputs([SAMPLE], load_config(SAMPLE / "rubric.toml")).marks
    pairs = marks.drop_duplicates([col.JUROR, col.TEAM])
    reached, frontier = set(), {"juror:anna.weber"}
    while frontier:
        node = frontier.pop()
        reached.add(node)
        kind, name = node.split(":", 1)
        side, other = (col.JUROR, col.TEAM) if kind == "juror" else (col.TEAM, col.JUROR)
        prefix = "team:" if kind == "juror" else "juror:"
        frontier |= {prefix + n for n in pairs.loc[pairs[side] == name, other]} - reached

    assert len(reached) == 9 + 24
    assert len(pairs) == 84


def test_read_inputs_one_juror_per_sheet_and_a_stray_notes_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for title, juror in (("Anna", "anna"), ("Ben", "ben")):
        sheet = book.create_sheet(title)
        for row in (["Bewerter", juror], ["Team", "Pitch"], ["T1", 3]):
            sheet.append(row)
    book["Sheet"].append(["Notizen zum Pitch"])
    path = tmp_path / "jury.xlsx"
    book.save(path)

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks) == [
        ("anna", "T1", "pitch", 3.0, "Anna", 3, "B"),
        ("ben", "T1", "pitch", 3.0, "Ben", 3, "B"),
    ]
    assert [(p.severity, p.code, p.sheet) for p in jury.problems] == [
        ("warning", "no_table", "Sheet")
    ]


def test_read_inputs_empty_file_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    jury = read_inputs([path], rubric())

    assert jury.problems == (
        Problem("warning", "empty_file", "is empty; check that the right file was sent", str(path)),
    )


def test_read_inputs_long_table_without_score_column_says_so(tmp_path: Path) -> None:
    # "Ergebnis" is no score word: the table must not pass for an assignments file (whose
    # problems would read "gave no score for it"), nor read the juror column as scores.
    path = write_csv(
        tmp_path / "marks.csv",
        [["juror", "team", "criterion", "Ergebnis"], ["x", "T1", "impact", "7"]],
    )

    jury = read_inputs([path], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "no_score_column",
            "has a criterion column but no score column; name the column that holds the "
            "scores Score (or Punkte, Note, Points)",
            str(path),
            None,
            1,
            None,
        ),
    )
    assert jury.marks.empty
    assert jury.assignments is None


def test_read_inputs_luxembourgish_juror_and_score_words(tmp_path: Path) -> None:
    wide = write_xlsx(
        tmp_path / "marc.xlsx", [["Bewäerter:", "marc"], ["Equipe", "Impact"], ["T1", 7]]
    )
    long = write_csv(
        tmp_path / "marks.csv",
        [["Jury-Member", "Equipe", "Kritär", "Bewäertung"], ["lena", "T2", "pitch", "4"]],
    )

    jury = read_inputs([wide, long], rubric())

    assert jury.problems == ()
    assert marks_of(jury.marks, [col.JUROR, col.TEAM, col.CRITERION, col.SCORE]) == [
        ("marc", "T1", "impact", 7.0),
        ("lena", "T2", "pitch", 4.0),
    ]


def test_read_inputs_directory_refuses_spreadsheets_it_cannot_read(tmp_path: Path) -> None:
    # An old-format .xls in the jury folder is most likely a juror's sheet: a warning would
    # let rank write a ranking without that juror's marks.
    write_csv(
        tmp_path / "marks.csv", [["juror", "team", "criterion", "score"], ["x", "T1", "pitch", 3]]
    )
    (tmp_path / "anna.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "README.md").write_text("notes")

    jury = read_inputs([tmp_path], rubric())

    assert jury.problems == (
        Problem(
            "error",
            "skipped_file",
            "was not read: only .xlsx, .ods and .csv files are read; open it in your spreadsheet "
            "program and save it as .xlsx, or move it out of the folder if it is no jury sheet",
            str(tmp_path / "anna.xls"),
        ),
    )
    assert len(jury.marks) == 1


def test_read_inputs_joins_sheets_with_and_without_comments_and_a_long_csv(
    tmp_path: Path,
) -> None:
    write_xlsx(
        tmp_path / "a.xlsx",
        [["Juror:", "anna"], ["Team", "Impact", "Comment"], ["T1", 7, "clear"], ["T2", 6]],
    )
    write_xlsx(tmp_path / "b.xlsx", [["Juror:", "ben"], ["Team", "Impact"], ["T1", 5]])
    write_csv(
        tmp_path / "c.csv",
        [["juror", "team", "criterion", "score"], ["cleo", "T2", "pitch", "3"]],
    )

    jury = read_inputs([tmp_path], rubric())

    assert marks_of(jury.marks, [col.JUROR, col.TEAM, col.CRITERION, col.SCORE, col.COMMENT]) == [
        ("anna", "T1", "impact", 7.0, "clear"),
        ("anna", "T2", "impact", 6.0, None),
        ("ben", "T1", "impact", 5.0, None),
        ("cleo", "T2", "pitch", 3.0, None),
    ]
    assert marks_of(jury.marks, [col.SHEET, col.ROW, col.COLUMN]) == [
        ("Scores", 3, "B"),
        ("Scores", 4, "B"),
        ("Scores", 3, "B"),
        (None, 2, "D"),
    ]
    assert (str(jury.marks[col.SCORE].dtype), str(jury.marks[col.ROW].dtype)) == (
        "float64",
        "Int64",
    )


def test_read_inputs_joins_wide_sheets_with_and_without_comments(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "a.xlsx",
        [["Juror:", "anna"], ["Team", "Impact", "Comment"], ["T1", 7, "clear"], ["T2", 6]],
    )
    write_xlsx(tmp_path / "b.xlsx", [["Juror:", "ben"], ["Team", "Impact"], ["T1", 5]])

    jury = read_inputs([tmp_path], rubric())

    assert marks_of(jury.marks, [col.JUROR, col.TEAM, col.SCORE, col.COMMENT, col.ROW]) == [
        ("anna", "T1", 7.0, "clear", 3),
        ("anna", "T2", 6.0, None, 4),
        ("ben", "T1", 5.0, None, 3),
    ]
    assert list(jury.marks.index) == [0, 1, 2]


def test_read_inputs_decimal_comma_in_a_comma_separated_file_is_an_error(tmp_path: Path) -> None:
    # "7,5" unquoted in a comma-separated file is two cells: 7 as the score and 5 beyond the
    # header, which was dropped without a word; a comment with a comma likewise.
    path = tmp_path / "m.csv"
    path.write_text(
        "juror,team,criterion,score,comment\n"
        "j1,T1,impact,7,5,\n"
        "j1,T2,impact,6,good, but slow\n"
        'j1,T3,impact,"7,5",fine\n',
        encoding="utf-8",
    )

    jury = read_inputs([path], rubric())

    assert [(p.severity, p.code, p.row, p.column) for p in jury.problems] == [
        ("error", "extra_cells", 2, "F"),
        ("error", "extra_cells", 3, "F"),
    ]
    assert jury.problems[0].message.startswith("has more cells than the header row;")
    assert marks_of(jury.marks, [col.TEAM, col.SCORE])[2] == ("T3", 7.5)


def test_read_inputs_values_in_a_column_without_heading_are_a_warning(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            ["Juror:", "x"],
            ["Team", "Impact", None, "Pitch"],
            ["T1", 3, None, 4, 9],
            ["T2", 5, 8, 2],
        ],
    )

    jury = read_inputs([path], rubric())

    # Once per column, at its first value: column C (empty heading), column E (none at all).
    assert [(p.severity, p.code, p.row, p.column) for p in jury.problems] == [
        ("warning", "no_heading", 4, "C"),
        ("warning", "no_heading", 3, "E"),
    ]
    assert [p.message for p in jury.problems] == [
        f"{value!r} and what is below it are ignored: the column has no heading; give the column "
        "a heading, or remove its values"
        for value in ("8", "9")
    ]
    assert marks_of(jury.marks, [col.TEAM, col.CRITERION, col.SCORE]) == [
        ("T1", "impact", 3.0),
        ("T1", "pitch", 4.0),
        ("T2", "impact", 5.0),
        ("T2", "pitch", 2.0),
    ]


def test_read_inputs_a_separator_ending_every_row_is_no_error_but_extra_cells_are(
    tmp_path: Path,
) -> None:
    trailing = tmp_path / "a.csv"  # a script that ends each data row with the separator
    trailing.write_text(
        "juror;team;criterion;score\nj1;T1;impact;7,5;\nj1;T2;impact;6;\n", encoding="utf-8"
    )
    extra = tmp_path / "b.csv"  # a cell past the header in a semicolon file
    extra.write_text(
        "juror;team;criterion;score\nj2;T1;impact;7;late\nj2;T2;impact;6\n", encoding="utf-8"
    )

    jury = read_inputs([trailing, extra], rubric())

    assert [(Path(p.file or "").name, p.code, p.row, p.column) for p in jury.problems] == [
        ("b.csv", "extra_cells", 2, "E")
    ]
    assert jury.problems[0].message == (
        "has more cells than the header row; give the extra cells a heading in the header row, "
        "or remove them"
    )
    assert marks_of(jury.marks, [col.JUROR, col.TEAM, col.SCORE])[:2] == [
        ("j1", "T1", 7.5),
        ("j1", "T2", 6.0),
    ]


def test_read_inputs_a_long_table_with_only_its_header_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "fritz.csv"
    path.write_text("juror;team;criterion;score;comment\n;;;;\n", encoding="utf-8")

    jury = read_inputs([path], rubric())

    assert [(p.severity, p.code, p.row, p.column) for p in jury.problems] == [
        ("warning", "no_rows", 1, None)
    ]
    assert jury.marks.empty


def test_a_row_that_sums_up_the_table_is_not_read_as_a_team(tmp_path: Path) -> None:
    # Without a teams file nothing else would stop "Durchschnitt" from being ranked.
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [
            ["Juror:", "anna"],
            ["Team", "Impact", "Pitch"],
            ["T1", 8, 4],
            ["T2", 6, 2],
            ["Durchschnitt", 7, 3],
            ["Ø", 7, 3],
            ["TOTAL:", 14, 6],
        ],
    )

    jury = read_inputs([path], rubric())

    assert sorted(set(jury.marks[col.TEAM])) == ["T1", "T2"]
    assert [(p.severity, p.code, p.row, p.column, p.message) for p in jury.problems] == [
        (
            "warning",
            "summary_row",
            row,
            "A",
            f"{label!r} sums up the rows above, so this row was not read as a team; if it is a "
            "team, give it another id",
        )
        for row, label in ((5, "Durchschnitt"), (6, "Ø"), (7, "TOTAL:"))
    ]


def test_a_score_that_became_a_date_says_why(tmp_path: Path) -> None:
    # "7.5" typed into a spreadsheet app set to German is 7 May.
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    for values in (["Juror:", "anna"], ["Team", "Impact", "Pitch"], ["T1", 8, 4]):
        sheet.append(values)
    sheet.append(["T2", datetime.datetime(2026, 5, 7), 2])
    book.save(tmp_path / "anna.xlsx")

    jury = read_inputs([tmp_path / "anna.xlsx"], rubric())

    assert [(p.code, p.row, p.column, p.message) for p in jury.problems] == [
        (
            "not_a_number",
            4,
            "B",
            "'2026-05-07' is a date or time, not a number: a spreadsheet app set to German or "
            "French reads 7.5 as one; type the score with a decimal comma, such as 7,5",
        )
    ]


def test_two_juror_tables_side_by_side_are_an_error_not_one_juror_s_marks(tmp_path: Path) -> None:
    # Ben's table pasted right of Anna's: his marks were credited to Anna, row by row.
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [
            ["Juror:", "anna", None, None, None, "Juror:", "ben"],
            ["Team", "Impact", "Pitch", None, None, "Team", "Impact", "Pitch"],
            ["T1", 8, 4, None, None, "T1", 6, 3],
        ],
    )

    jury = read_inputs([path], rubric())

    assert len(jury.marks) == 0
    assert [(p.severity, p.code, p.row, p.column, p.message) for p in jury.problems] == [
        (
            "error",
            "tables_side_by_side",
            2,
            "F",
            "the header row has a team column 2 times (A, F): the sheet seems to hold several "
            "tables side by side; put each juror's table on a sheet of its own",
        )
    ]


def test_a_second_table_below_the_first_is_an_error_at_its_header(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [
            ["Juror:", "anna"],
            ["Team", "Impact", "Pitch"],
            ["T1", 8, 4],
            ["Juror:", "ben"],
            ["Équipe", "Impact", "Pitch"],
            ["T1", 6, 3],
        ],
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks, [col.JUROR, col.TEAM, col.SCORE]) == [
        ("anna", "T1", 8.0),
        ("anna", "T1", 4.0),
    ]
    codes = [(p.severity, p.code, p.row, p.column) for p in jury.problems]
    assert codes == [("error", "tables_one_below", 4, "A")]
    assert jury.problems[0].message == (
        "this row begins a second table below the first (a juror's id or a header row), which "
        "was not read; put each juror's table on a sheet of its own"
    )


def test_a_header_of_two_rows_names_the_criteria_in_its_second_row(tmp_path: Path) -> None:
    # "Criteria" merged across the score columns, the criteria's names below it, the team
    # column merged down over both rows (its second cell reads empty).
    book = openpyxl.Workbook()
    sheet = book.active
    for values in (
        ["Juror:", "anna"],
        ["Team", "Criteria (0-10)", None, "Comment"],
        [None, "Impact", "Präsentation", None],
        ["T1", 7.5, 4, "fine"],
        ["T2", 6, 3, None],
    ):
        sheet.append(values)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:C2")
    book.save(tmp_path / "anna.xlsx")

    jury = read_inputs([tmp_path / "anna.xlsx"], rubric())

    assert jury.problems == ()
    assert marks_of(jury.marks, [col.TEAM, col.CRITERION, col.SCORE, col.ROW, col.COLUMN]) == [
        ("T1", "impact", 7.5, 4, "B"),
        ("T1", "pitch", 4.0, 4, "C"),
        ("T2", "impact", 6.0, 5, "B"),
        ("T2", "pitch", 3.0, 5, "C"),
    ]


def test_a_first_team_row_is_not_taken_for_a_header_s_second_row(tmp_path: Path) -> None:
    # A row with scores (numbers) is data, even with an empty team cell (an error then).
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [["Juror:", "anna"], ["Team", "Impact", "Pitch"], [None, 7, 4], ["T2", 6, 3]],
    )

    jury = read_inputs([path], rubric())

    assert [(p.code, p.row) for p in jury.problems] == [("no_team", 3)]


def test_an_id_column_beside_a_team_name_column_is_one_table(tmp_path: Path) -> None:
    # "ID équipe" and "Équipe" both say team; only repeated criteria make tables side by side.
    path = write_xlsx(
        tmp_path / "claire.xlsx",
        [["Juré :", "claire"], ["ID équipe", "Équipe", "Impact", "Pitch"], ["T1", "Alpha", 7, 4]],
    )

    jury = read_inputs([path], rubric())

    assert jury.problems == ()
    assert marks_of(jury.marks, [col.TEAM, col.CRITERION, col.SCORE]) == [
        ("T1", "impact", 7.0),
        ("T1", "pitch", 4.0),
    ]


def test_a_team_called_like_a_summary_is_read_unless_it_ends_the_table(tmp_path: Path) -> None:
    # Only rows below every team row sum up the table; "Max" is no summary word at all.
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [
            ["Juror:", "anna"],
            ["Team", "Impact", "Pitch"],
            ["Total", 8, 4],
            ["Max", 7, 3],
            ["T3", 6, 2],
            ["Moyenne", 7, 3],
        ],
    )

    jury = read_inputs([path], rubric())

    assert list(dict.fromkeys(jury.marks[col.TEAM])) == ["Total", "Max", "T3"]
    assert [(p.code, p.row) for p in jury.problems] == [("summary_row", 6)]


def test_a_comment_row_under_the_header_is_not_its_second_row(tmp_path: Path) -> None:
    # A note "Pitch" in the comment column would have made the comments a second pitch column.
    path = write_xlsx(
        tmp_path / "ben.xlsx",
        [
            ["Juror:", "ben"],
            ["Team", "Impact", "Pitch", "Comment"],
            [None, None, None, "Pitch"],
            ["T1", 7, 4, "ok"],
        ],
    )

    jury = read_inputs([path], rubric())

    assert marks_of(jury.marks, [col.TEAM, col.CRITERION, col.SCORE, col.COMMENT]) == [
        ("T1", "impact", 7.0, "ok"),
        ("T1", "pitch", 4.0, "ok"),
    ]
    assert [p.severity for p in jury.problems] == []


def test_a_header_of_two_rows_keeps_a_column_named_in_its_second_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "anna.xlsx",
        [
            ["Juror:", "anna"],
            ["Team", "Scores (0-10)", None, None],
            [None, "Impact", "Pitch", "Comment"],
            ["T1", 7, 4, "great demo"],
        ],
    )

    jury = read_inputs([path], rubric())

    assert jury.problems == ()
    assert marks_of(jury.marks, [col.CRITERION, col.SCORE, col.COMMENT]) == [
        ("impact", 7.0, "great demo"),
        ("pitch", 4.0, "great demo"),
    ]


def test_a_decimal_comma_split_into_the_comment_column_is_an_error(tmp_path: Path) -> None:
    # No comment on that row: 7,5 unquoted fills the header's width exactly, 7 as the score
    # and 5 as the comment, which was read silently.
    path = tmp_path / "m.csv"
    path.write_text(
        "juror,team,criterion,score,comment\n"
        "j1,T1,impact,7,5\n"
        "j1,T2,impact,6,fine\n"
        'j1,T3,impact,"7,5",12 ok\n',
        encoding="utf-8",
    )

    jury = read_inputs([path], rubric())

    assert [(p.severity, p.code, p.row, p.column, p.message) for p in jury.problems] == [
        (
            "error",
            "split_decimal",
            2,
            "D",
            "7,5 was read as the score 7 and the comment 5: in a comma-separated file a decimal "
            'comma splits the cell; write "7,5" in quotes, or 7.5',
        )
    ]


def test_read_inputs_long_table_s_columns_win_over_criteria_named_like_them(
    tmp_path: Path,
) -> None:
    # A long table names the criteria in its rows: its "score" and "criterion" columns are
    # those, even for a rubric whose criteria are called Score (label Punkte) and criterion.
    config = rubric(
        criteria=[
            {"id": "Score", "label": {"de": "Punkte"}, "scale": {"min": 0, "max": 10}},
            {"id": "criterion", "scale": {"min": 0, "max": 10}},
        ]
    )
    english = write_csv(
        tmp_path / "en.csv",
        [
            ["juror", "team", "criterion", "score"],
            ["a", "T1", "Score", "7"],
            ["a", "T1", "criterion", "5"],
        ],
    )
    german = write_csv(
        tmp_path / "de.csv",
        [["Juror", "Team", "Kriterium", "Punkte"], ["b", "T1", "Punkte", "6"]],
    )

    jury = read_inputs([english, german], config)

    assert jury.problems == ()
    assert marks_of(jury.marks, [col.JUROR, col.CRITERION, col.SCORE]) == [
        ("a", "Score", 7.0),
        ("a", "criterion", 5.0),
        ("b", "Score", 6.0),
    ]


def test_read_inputs_total_over_the_scores_in_the_upper_row_of_a_two_row_header(
    tmp_path: Path,
) -> None:
    # The upper row reaches further than the lower one: the reader crashed (IndexError).
    path = write_csv(
        tmp_path / "w.csv",
        [
            ["Juror:", "a"],
            ["Team", "Criteria", "", "Total"],
            ["", "Impact", "Pitch"],
            ["T1", 7, 5, 12],
        ],
        delimiter=";",
    )

    jury = read_inputs([path], rubric())

    assert [(p.code, p.row, p.column, p.message) for p in jury.problems] == [
        (
            "ignored_column",
            2,
            "D",
            "column 'Total' was ignored: totals and ranks are computed by the scoring",
        )
    ]
    assert marks_of(jury.marks, [col.CRITERION, col.SCORE]) == [("impact", 7.0), ("pitch", 5.0)]
