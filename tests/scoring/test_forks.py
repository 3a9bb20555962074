"""Work shared with forked helper processes: the same results whichever process did the work."""

from __future__ import annotations

import csv
import dataclasses
import errno
import io
import os
import re
import select
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from scoring import forks
from scoring.cli import main
from scoring.config import load_config
from scoring.errors import ScoringError
from scoring.i18n import set_language
from scoring.reading import prefetch, prefetch_start
from scoring.sheets import JuryInput, read_inputs
from scoring.workbookjob import WorkbookJob
from tests.scoring.fixtures import no_children_left, rubric, write_csv, write_xlsx


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def counting_forks(
    monkeypatch: pytest.MonkeyPatch, child: Callable[[], None] = lambda: None
) -> list[int]:
    """Count os.fork calls; ``child`` runs first in each forked process (e.g. to crash it)."""
    real = os.fork
    calls: list[int] = []

    def fork() -> int:
        calls.append(1)
        pid = real()
        if pid == 0:
            child()
        return pid

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setenv("HACKATHON_SCORE_PROCESSES", "3")  # whatever this machine's CPUs
    return calls


def crash() -> None:
    os._exit(1)


def jury_folder(folder: Path) -> Path:
    """24 jurors' files, wide xlsx and long csv in turn, with a problem early and one late."""
    folder.mkdir()
    for number in range(1, 25):
        juror = f"j{number:02d}"
        late: object = "x" if number == 22 else 6  # not a number, in the last share
        early: object = 11 if number == 2 else 7  # off the scale, in this process's share
        rows: list[list[object]]
        if number % 2:
            rows = [["Juror:", juror], [], ["Team", "Impact", "Pitch", "Comment"]]
            rows += [["T1", early, 3, "fine"], ["T2", late, 4], ["T3", 5.5, 2]]
            write_xlsx(folder / f"{juror}.xlsx", rows)
        else:
            rows = [["juror", "team", "criterion", "score"]]
            rows += [[juror, "T1", "impact", early], [juror, "T2", "pitch", late]]
            write_csv(folder / f"{juror}.csv", rows)
    return folder


def assert_same(one: JuryInput, other: JuryInput) -> None:
    pd.testing.assert_frame_equal(one.marks, other.marks)
    assert one.problems == other.problems
    assert one.files == other.files
    for name in ("blank_rows", "criterion_columns"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name))


def test_files_read_by_helpers_give_the_same_jury_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = jury_folder(tmp_path / "jury")
    alone = read_inputs([folder], rubric())
    calls = counting_forks(monkeypatch)

    shared = read_inputs([folder], rubric(), processes=3)

    assert len(calls) == 2  # 24 files: this process and two helpers, 8 files each
    assert_same(alone, shared)
    assert [p.file for p in shared.problems if p.code == "not_a_number"] == [
        str(folder / "j22.csv")
    ]
    assert shared.marks["juror"].tolist()[:4] == ["j01", "j01", "j01", "j01"]
    assert no_children_left()


def test_a_share_whose_helper_cannot_be_forked_or_fails_is_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = jury_folder(tmp_path / "jury")
    alone = read_inputs([folder], rubric())
    calls = counting_forks(monkeypatch, crash)

    crashed = read_inputs([folder], rubric(), processes=3)

    monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(OSError(errno.EAGAIN, "")))
    unforked = read_inputs([folder], rubric(), processes=3)

    assert len(calls) == 2
    assert_same(alone, crashed)
    assert_same(alone, unforked)
    assert no_children_left()


def test_few_files_are_read_without_a_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "jury"
    folder.mkdir()
    for juror in ("anna", "ben"):
        write_xlsx(folder / f"{juror}.xlsx", [["Juror:", juror], ["Team", "Impact"], ["T1", 5]])
    calls = counting_forks(monkeypatch)

    jury = read_inputs([folder], rubric(), processes=3)

    assert (len(calls), jury.marks["juror"].tolist()) == (0, ["anna", "ben"])


RUBRIC = """\
min_jurors = 1
scale = {{ min = 0, max = 10 }}

[method]
name = "{method}"
{options}

[bootstrap]
samples = 20

[[criteria]]
id = "a"
label = "Alpha"
"""


MARKS = {"j1": {"T1": 8, "T2": 5}, "j2": {"T1": 7, "T2": 6}, "j3": {"T1": 9, "T2": 4}}


def rank_folder(
    folder: Path, marks: Mapping[str, Mapping[str, object]], method: str, options: str = ""
) -> list[str]:
    sheets = folder / "sheets"
    sheets.mkdir(parents=True)
    for juror, teams in marks.items():
        with (sheets / f"{juror}.csv").open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["juror", "team", "criterion", "score"])
            writer.writerows([juror, team, "a", score] for team, score in teams.items())
    config = folder / "rubric.toml"
    config.write_text(RUBRIC.format(method=method, options=options), encoding="utf-8")
    out = str(folder / "out")
    return [
        "rank",
        str(sheets),
        "--config",
        str(config),
        "--out",
        out,
        "--no-charts",
        "--no-report",
    ]


def test_an_error_in_the_marks_ends_the_run_before_what_the_computation_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trimming 2 of 3 marks is refused by the method; the mark off the scale is the marks' own
    # error, found by the helper while the method runs, and it is the one reported.
    marks = {**MARKS, "j2": {"T1": 7, "T2": 12}}
    calls = counting_forks(monkeypatch)

    code = main(rank_folder(tmp_path, marks, "trimmed_mean", "trim = 2"))

    err = capsys.readouterr().err.splitlines()
    assert (code, len(calls)) == (2, 1)  # it validates the marks (3 files: read here)
    assert [line for line in err if line.startswith("error:")] == [
        f"error: {tmp_path / 'sheets' / 'j2.csv'}, row 3, column D: 12 is outside the scale "
        "of 'Alpha' (a), from 0 to 10; correct the score"
    ]
    assert err[-1] == "1 error: nothing was written."
    assert not (tmp_path / "out").exists()
    assert no_children_left()


def helped_and_crashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int:
    """Rank into tmp_path/helped with helpers, then into tmp_path/crashed with every helper
    crashing at once (the work then done here); the number of helpers of the first run."""
    calls = counting_forks(monkeypatch)
    assert main([*args, "--out", str(tmp_path / "helped")]) == 0
    helped = len(calls)
    monkeypatch.undo()
    counting_forks(monkeypatch, crash)
    assert main([*args, "--out", str(tmp_path / "crashed")]) == 0
    return helped


def test_marks_checked_and_workbook_written_by_helpers_or_here_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helped = helped_and_crashed(tmp_path, monkeypatch, rank_folder(tmp_path, MARKS, "mean"))
    bad = {**MARKS, "j3": {"T1": 9, "T2": 40}}
    refused = main(rank_folder(tmp_path / "refused", bad, "mean"))

    assert helped == 2  # one validates the marks, one writes results.xlsx
    for name in ("ranking.csv", "results.xlsx"):
        helper_wrote = (tmp_path / "helped" / name).read_bytes()
        assert helper_wrote == (tmp_path / "crashed" / name).read_bytes(), name
    assert refused == 2  # found here, after the helper crashed
    assert not (tmp_path / "refused" / "out").exists()
    assert no_children_left()


def test_report_and_charts_by_helpers_or_here_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = rank_folder(tmp_path, MARKS, "mean")[:4]  # with the charts and the report

    helped = helped_and_crashed(tmp_path, monkeypatch, args)

    # Validation, results.xlsx, the report and two chart helpers (three processes).
    assert helped == 5
    pages = [(tmp_path / run / "report.html").read_text() for run in ("helped", "crashed")]
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"  # the time of each run
    assert re.sub(when, "", pages[0]) == re.sub(when, "", pages[1])
    assert pages[0].count("data:image/svg+xml;base64,") == 5
    assert no_children_left()


def test_a_report_without_charts_is_rendered_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A report helper pays off only beside the charts: alone, this process would wait for it.
    args = rank_folder(tmp_path, MARKS, "mean")[:6]  # --out, but with the report
    calls = counting_forks(monkeypatch)

    assert main([*args, "--no-charts"]) == 0

    assert len(calls) == 2  # validation and results.xlsx only
    assert "T1" in (tmp_path / "out" / "report.html").read_text()
    assert no_children_left()


def test_a_helpers_result_comes_back_whatever_its_size() -> None:
    big = {"rows": list(range(300_000)), "text": "é" * 100_000}  # far beyond a pipe's buffer

    helper = forks.start(lambda: big)

    assert helper.result() == (True, big)
    assert no_children_left()


def test_a_helper_that_fails_returns_nothing_and_is_reaped() -> None:
    def fails() -> None:
        raise ValueError("no")

    assert forks.start(fails).result() == (False, None)
    assert no_children_left()


def test_a_stopped_helper_is_killed_and_reaped() -> None:
    read, write = os.pipe()
    try:
        helper = forks.start(lambda: select.select([read], [], [], 30))
        helper.stop()
        gone = no_children_left()
    finally:
        os.close(read)
        os.close(write)

    assert gone
    helper.stop()  # a second stop does nothing


def test_without_errors_in_the_marks_the_computations_refusal_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = counting_forks(monkeypatch)

    code = main(rank_folder(tmp_path, MARKS, "trimmed_mean", "trim = 2"))

    assert (code, len(calls)) == (2, 1)  # it validates the marks (3 files: read here)
    assert capsys.readouterr().err.splitlines() == [
        "error: trimmed_mean with trim = 2 needs at least 5 marks per team and criterion; these "
        "teams have fewer: T1 (a: 3 marks); T2 (a: 3 marks). Lower trim or choose another method."
    ]
    assert no_children_left()


def test_a_helper_receives_what_is_posted_while_a_later_helper_still_runs() -> None:
    read, write = os.pipe()
    try:
        doubling = forks.start(lambda receive: [2 * n for n in receive()], inbox=True)
        # Forked later, so born holding a copy of the first helper's inbox: it must let go.
        waiting = forks.start(lambda: select.select([read], [], [], 30)[0] != [])
        doubling.post(list(range(100_000)))
        doubled = doubling.result()
        os.write(write, b"go")
        waited = waiting.result()
    finally:
        os.close(read)
        os.close(write)

    assert doubled == (True, [2 * n for n in range(100_000)])
    assert waited == (True, True)
    assert no_children_left()


def test_a_helper_waiting_for_a_value_never_posted_fails_instead_of_waiting_for_ever() -> None:
    helper = forks.start(lambda receive: receive(), inbox=True)

    assert helper.result() == (False, None)
    with pytest.raises(RuntimeError, match="no inbox"):
        helper.post(1)
    assert no_children_left()


RUBRIC_FILE = """\
language = "{language}"

[[criteria]]
id = "impact"
weight = 2
label = {{ en = "Impact", de = "Wirkung", fr = "Impact" }}
scale = {{ min = 0, max = 10, step = 0.5 }}

[[criteria]]
id = "pitch"
label = {{ en = "Pitch", fr = "Présentation", de = "Präsentation" }}
scale = {{ min = 1, max = 5, step = 1 }}
"""


def rubric_file(folder: Path, language: str = "en") -> Path:
    path = folder / "rubric.toml"
    path.write_text(RUBRIC_FILE.format(language=language), encoding="utf-8")
    return path


def test_files_prefetched_while_loading_give_the_same_jury(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = jury_folder(tmp_path / "jury")
    config_file = rubric_file(tmp_path)
    alone = read_inputs([folder], load_config(config_file))
    calls = counting_forks(monkeypatch)

    helper = prefetch([folder], config_file, lang=None, event_language=True)
    shared = read_inputs([folder], load_config(config_file), processes=3, prefetch=helper)

    # The helper read the last 16 of 24 files; the first 8 were read here, without helpers.
    assert (helper is not None, len(calls), prefetch_start(24)) == (True, 1, 8)
    assert_same(alone, shared)
    assert no_children_left()


def test_prefetched_records_in_another_language_or_of_a_failed_helper_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = jury_folder(tmp_path / "jury")
    german = rubric_file(tmp_path, "de")
    alone = read_inputs([folder], load_config(german))  # English messages
    counting_forks(monkeypatch)

    # The helper follows the event's language (German): its messages are not this run's.
    in_german = prefetch([folder], german, lang=None, event_language=True)
    relabelled = read_inputs([folder], load_config(german), prefetch=in_german)
    failing = prefetch([folder], tmp_path / "missing.toml", lang=None, event_language=False)
    unread = read_inputs([folder], load_config(german), prefetch=failing)

    assert_same(alone, relabelled)
    assert_same(alone, unread)
    assert [p.message for p in alone.problems if p.code == "not_a_number"] == [
        "'x' is not a number; write a number such as 7 or 7.5 (a team the juror could not judge "
        "has all its cells empty, and its assignment is removed)"
    ]
    assert no_children_left()


def test_reading_wide_sheets_loads_no_pandas(tmp_path: Path) -> None:
    # What lets the prefetching helper read before pandas is loaded, instead of loading it as
    # well (a check of juror ids once did, costing the helper 0.2 s). Long tables are read
    # with pandas (scoring.longform); the usual juror's sheet is wide.
    folder = tmp_path / "jury"
    folder.mkdir()
    for juror in ("j1", "J 01", "j2"):
        rows = [["Juror:", juror], [], ["Team", "Impact", "Pitch", "Comment"], ["T1", 7, 3]]
        write_xlsx(folder / f"{juror}.xlsx", rows)
    write_csv(folder / "j3.csv", [["Juror", "j3"], ["Team", "Impact", "Pitch"], ["T2", 5, 4]])
    script = """
import sys
from pathlib import Path
from scoring.config import load_config
from scoring.headers import criterion_lookup
from scoring.reading import expand, read_files
from scoring.extracted import Extracted

lookup = criterion_lookup(load_config(Path(sys.argv[2])).every_criterion())
files = expand([Path(sys.argv[1])])[0]
read = read_files(files, lookup, Extracted(), None)
print(len(files), len(read.marks), [p.code for p in read.problems], "pandas" in sys.modules)
"""
    command = [sys.executable, "-c", script, str(folder), str(rubric_file(tmp_path))]
    loaded = subprocess.run(command, capture_output=True, text=True)

    assert (loaded.returncode, loaded.stderr, loaded.stdout) == (0, "", "4 4 [] False\n")


def test_validate_reads_a_large_jury_with_a_prefetching_helper_and_says_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = jury_folder(tmp_path / "jury")
    args = ["validate", str(folder), "--config", str(rubric_file(tmp_path))]
    monkeypatch.setenv("HACKATHON_SCORE_PROCESSES", "1")
    assert main(args) == 2
    alone = capsys.readouterr()
    monkeypatch.undo()
    calls = counting_forks(monkeypatch)

    assert main(args) == 2
    helped = capsys.readouterr()

    assert len(calls) == 1  # the prefetching helper; this process read the first 8 files alone
    assert (helped.out, helped.err) == (alone.out, alone.err)
    assert "j22.csv, row 3, column D: 'x' is not a number" in helped.out
    assert no_children_left()


def test_marks_with_an_error_end_the_run_and_leave_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = {"j1": {"T1": 8, "T2": 5}, "j2": {"T1": 7, "T2": 60}, "j3": {"T1": 9, "T2": 4}}
    args = rank_folder(tmp_path, marks, "mean")
    calls = counting_forks(monkeypatch)

    code = main([*args, "--out", str(tmp_path / "new" / "deeper" / "out")])

    out, err = capsys.readouterr()
    # The marks validated beside the computation (the bootstrap included), results.xlsx begun.
    assert (code, len(calls)) == (2, 2)
    assert "Wrote" not in out
    assert err.splitlines()[-1] == "1 error: nothing was written."
    assert not (tmp_path / "new").exists()
    assert no_children_left()


class Interrupted(Exception):
    pass


def test_a_workbook_wait_interrupted_kills_the_helper_and_leaves_no_file(tmp_path: Path) -> None:
    rows = 400_000  # a workbook that takes its helper a while to write
    marks = pd.DataFrame({"juror": [f"j{i % 97}" for i in range(rows)], "team": "T1", "score": 7.5})
    job = WorkbookJob(tmp_path)

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(Interrupted), job:
            job.start(marks, None)
            job.post([("ranking", pd.DataFrame({"team": ["T1"]}))])
            assert job.helped
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            job.finish()  # interrupted while the helper writes
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    assert sorted(path.name for path in tmp_path.iterdir()) == []
    assert no_children_left()


def test_the_number_of_processes_is_set_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HACKATHON_SCORE_PROCESSES", " 2 ")
    two = forks.processes()
    monkeypatch.setenv("HACKATHON_SCORE_PROCESSES", "1")
    one = (forks.processes(), forks.can_fork())
    monkeypatch.setenv("HACKATHON_SCORE_PROCESSES", "0")
    marks = {"j1": {"T1": 8}, "j2": {"T1": 7}}

    code = main([*rank_folder(tmp_path, marks, "mean"), "--lang", "de"])

    assert (two, one) == (2, (1, False))
    assert (code, capsys.readouterr().err.splitlines()) == (
        2,
        ["Fehler: HACKATHON_SCORE_PROCESSES muss eine ganze Zahl von 1 bis 16 sein, nicht 0"],
    )
    set_language("en")  # main() spoke German
    for wrong in ("many", "17", "-1", "2.5"):
        monkeypatch.setenv("HACKATHON_SCORE_PROCESSES", wrong)
        with pytest.raises(ScoringError, match=f"from 1 to 16, not {re.escape(wrong)}$"):
            forks.processes()


def test_the_validation_verdict_is_taken_between_chunks_of_the_bootstrap(tmp_path: Path) -> None:
    # The marks are validated beside the bootstrap; a verdict that comes during it (polled
    # after each chunk) ends the run there, not after the last of many chunks.
    from scoring.errors import InputError
    from scoring.pipeline import compute
    from scoring.progress import Steps

    marks = {f"j{j:02d}": {f"T{t:02d}": (j * t) % 11 for t in range(60)} for j in range(30)}
    args = rank_folder(tmp_path, marks, "mean")
    rubric = load_config(Path(args[args.index("--config") + 1]))
    config = dataclasses.replace(
        rubric, bootstrap=dataclasses.replace(rubric.bootstrap, samples=100_000)
    )
    jury = read_inputs([tmp_path / "sheets"], config)
    polled: list[int] = []

    def poll() -> None:
        polled.append(1)
        if len(polled) == 2:
            raise InputError(())

    with Steps(4, console=Console(file=io.StringIO())) as steps, pytest.raises(InputError):
        compute(jury, config, 100_000, steps, (), poll=poll)

    assert polled == [1, 1]
