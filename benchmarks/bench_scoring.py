"""Benchmark of ``hackathon-score rank`` against simply reading the same sheets with pandas.

Run from the repository root:  .venv/bin/python benchmarks/bench_scoring.py [--keep DIR]

Generates 100 juror sheets × 200 teams × 6 criteria (wide .xlsx, deterministic, openpyxl) in
a temporary folder, then times three child processes, each three times (median):

* reference: a fresh Python that imports pandas and reads every sheet with calamine;
* ``rank --no-charts --no-report``: the whole ranking with its CSV/XLSX tables;
* ``rank``: everything, charts and report included.

It prints each median, the ratios to the reference (targets ≤ 1.5× and ≤ 2.5×) and the peak
memory of each child (``ru_maxrss`` from ``os.wait4``; target ≤ 400 MB). Not part of the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

JURORS, TEAMS, CRITERIA = 100, 200, 6
SEED = 20261122
REPEATS = 3
TARGETS = {"rank --no-charts --no-report": 1.5, "rank": 2.5}
MEMORY_TARGET_MB = 400
REFERENCE = """
import sys
from pathlib import Path
import pandas as pd
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    pd.read_excel(path, engine="calamine", header=None)
"""


def rubric(criteria: int) -> str:
    """A rubric with ``criteria`` equally weighted criteria on a 0..10 scale."""
    blocks = [
        f'[[criteria]]\nid = "c{i}"\nweight = 1\nlabel = "Criterion {i}"\n'
        for i in range(1, criteria + 1)
    ]
    return (
        "min_jurors = 1\nscale = { min = 0, max = 10, step = 0.5 }\n\n"
        '[method]\nname = "mean"\n\n[bootstrap]\nsamples = 1000\nseed = 1\n\n' + "\n".join(blocks)
    )


def generate(folder: Path) -> Path:
    """Write the juror sheets and rubric.toml into ``folder``; returns the rubric path."""
    from openpyxl import Workbook

    rng = random.Random(SEED)
    quality = [rng.uniform(3, 8) for _ in range(TEAMS)]
    header = ["Team", "Name", *[f"c{i}" for i in range(1, CRITERIA + 1)], "Comment"]
    for juror in range(1, JURORS + 1):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Marks"
        sheet.append(["Juror:", f"juror{juror:03d}"])
        sheet.append([])
        sheet.append(header)
        leniency = rng.uniform(-1, 1)
        for team in range(TEAMS):
            marks = [
                min(10.0, max(0.0, round(2 * (quality[team] + leniency + rng.gauss(0, 1))) / 2))
                for _ in range(CRITERIA)
            ]
            sheet.append([f"T{team + 1:03d}", f"Team {team + 1}", *marks, ""])
        workbook.save(folder / f"juror{juror:03d}.xlsx")
    path = folder / "rubric.toml"
    path.write_text(rubric(CRITERIA), encoding="utf-8")
    return path


def run_child(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MB) of one child process.

    CPU time is printed too because wall time on a shared machine varies with its load.
    """
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        assert child.stderr is not None
        sys.exit(f"failed: {' '.join(command)}\n{child.stderr.read().decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024  # Linux reports kilobytes


def measure(name: str, command: list[str]) -> tuple[float, float, float]:
    """Median wall and CPU seconds over REPEATS runs, and the largest peak memory."""
    runs = [run_child(command) for _ in range(REPEATS)]
    seconds = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    memory = max(run[2] for run in runs)
    print(
        f"{name:32s} {seconds:7.2f} s wall, {cpu:6.2f} s CPU "
        f"(wall runs: {', '.join(f'{r[0]:.2f}' for r in runs)})  peak {memory:6.0f} MB",
        flush=True,
    )
    return seconds, cpu, memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scoring-") as scratch:
        folder = args.keep or Path(scratch)
        sheets = folder / "sheets"
        sheets.mkdir(parents=True, exist_ok=True)
        print(f"generating {JURORS} sheets × {TEAMS} teams × {CRITERIA} criteria in {sheets}")
        config = generate(sheets)
        python = sys.executable
        rank = [
            python,
            "-m",
            "scoring.cli",
            "rank",
            str(sheets),
            "--config",
            str(config),
            "--lang",
            "en",
        ]
        reference, reference_cpu, _ = measure(
            "reference (pandas + calamine)", [python, "-c", REFERENCE, str(sheets)]
        )
        results = {
            "rank --no-charts --no-report": measure(
                "rank --no-charts --no-report",
                [*rank, "--out", str(folder / "out-tables"), "--no-charts", "--no-report"],
            ),
            "rank": measure("rank", [*rank, "--out", str(folder / "out-all")]),
        }
    failed = False
    for name, (seconds, cpu, memory) in results.items():
        ratio = seconds / reference
        ok = ratio <= TARGETS[name] and memory <= MEMORY_TARGET_MB
        failed |= not ok
        print(
            f"{name:32s} ratio {ratio:5.2f}× wall, {cpu / reference_cpu:5.2f}× CPU "
            f"(target ≤ {TARGETS[name]}×), peak {memory:.0f} MB (target ≤ {MEMORY_TARGET_MB} MB): "
            f"{'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
