"""Partial files: written beside the final path and renamed; those of killed runs tidied."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.outfolder import TABLES_AND_PAGES
from scoring.partfiles import part_path, remove_stale, replacing
from tests.scoring.test_cli import write_jury


@pytest.fixture
def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The id of a process that runs until the test ends."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child.pid
    child.kill()
    child.wait()


def test_a_file_interrupted_while_written_leaves_the_earlier_file_whole(tmp_path: Path) -> None:
    chart = tmp_path / "ranking.svg"
    chart.write_text("<svg>earlier run</svg>")

    with pytest.raises(KeyboardInterrupt), replacing(chart) as part:
        part.write_text("<svg>half of the new")
        raise KeyboardInterrupt
    after_interruption = [(path.name, path.read_text()) for path in tmp_path.iterdir()]
    with replacing(chart) as part:
        part.write_text("<svg>new</svg>")

    assert part == part_path(chart) == tmp_path / f".ranking.svg.{os.getpid()}.part"
    assert after_interruption == [("ranking.svg", "<svg>earlier run</svg>")]
    assert [(path.name, path.read_text()) for path in tmp_path.iterdir()] == [
        ("ranking.svg", "<svg>new</svg>")
    ]


def test_only_the_partial_files_of_ended_processes_are_removed(
    tmp_path: Path, dead_pid: int, live_pid: int
) -> None:
    names = ("results.xlsx", "ranking.csv", "ranking-diabetes.csv", "manifest.json")
    stale = [part_path(tmp_path / name, dead_pid) for name in names]
    kept = [
        part_path(tmp_path / "criteria.csv", live_pid),  # another run writing here now
        part_path(tmp_path / "jurors.csv"),  # this process's
        part_path(tmp_path / "notes.2024", dead_pid),  # the user's: not a file runs write
        tmp_path / ".notes.part",
        tmp_path / ".ranking.csv.12ab.part",
        tmp_path / f"ranking.csv.{dead_pid}.part",  # not hidden: not ours either
    ]
    for path in [*stale, *kept]:
        path.write_bytes(b"x")
    (tmp_path / f".ranking.csv.{dead_pid + 1}.part").mkdir()  # a folder is never removed
    kept.append(tmp_path / f".ranking.csv.{dead_pid + 1}.part")

    removed = remove_stale(tmp_path, TABLES_AND_PAGES)

    assert sorted(removed) == sorted(stale)
    assert sorted(tmp_path.iterdir()) == sorted(kept)
    assert remove_stale(tmp_path / "missing", TABLES_AND_PAGES) == []


def test_a_run_removes_what_a_killed_run_left_in_its_folders(
    tmp_path: Path, dead_pid: int, live_pid: int
) -> None:
    sheets, rubric = write_jury(tmp_path)
    out = tmp_path / "out"
    (out / "charts").mkdir(parents=True)
    left = [
        part_path(out / "results.xlsx", dead_pid),
        part_path(out / "charts" / "ranking.svg", dead_pid),
    ]
    running = part_path(out / "ranking.csv", live_pid)
    for path in [*left, running]:
        path.write_bytes(b"half a file")

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--lang", "en"])

    hidden = sorted(out.rglob(".*"))
    assert (code, hidden) == (0, [running])
    assert (out / "results.xlsx").stat().st_size > 1000
    assert (out / "charts" / "ranking.svg").read_bytes().startswith(b"<?xml")
