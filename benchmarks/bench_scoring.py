"""Benchmark of ``hackathon-score rank`` against simply reading the same sheets with pandas.

Run from the repository root:  .venv/bin/python benchmarks/bench_scoring.py [--keep DIR]
(a kept folder is reused by later runs with the same DIR).

Generates 100 juror sheets × 200 teams × 6 criteria (wide .xlsx, deterministic, openpyxl) in
a temporary folder, then times three child processes, five rounds in which they take turns
(medians):

* reference: a fresh Python that imports pandas and reads every sheet with calamine;
* ``rank --no-charts --no-report``: the whole ranking with its CSV/XLSX tables;
* ``rank``: everything, charts and report included.

It prints each median, how much two processes gain on this machine by running side by side
(see :func:`parallel_speed`), the ratios to the reference (targets ≤ 1.5× and ≤ 2.5×) and the
peak memory (target ≤ 400 MB): of each child (``ru_maxrss`` from ``os.wait4``) and, from a further
untimed run, of all the processes a ``rank`` starts together (chart helpers included). Not
part of the tests.
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
REPEATS = 5
Figures = tuple[float, float, float]  # median wall seconds, median CPU seconds, peak MB
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


def prepare(folder: Path) -> Path:
    """Generate the sheets into ``folder`` unless a previous ``--keep`` run already did.

    A stamp file next to ``folder`` (not inside it: it would become an input) records the
    generator's parameters, so a kept folder is reused only when it holds what this script writes.
    """
    stamp = folder.parent / "generated.txt"
    expected = f"{JURORS} {TEAMS} {CRITERIA} {SEED}\n"
    config = folder / "rubric.toml"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == expected and config.is_file():
        print(f"reusing {JURORS} sheets × {TEAMS} teams × {CRITERIA} criteria in {folder}")
        return config
    print(f"generating {JURORS} sheets × {TEAMS} teams × {CRITERIA} criteria in {folder}")
    config = generate(folder)
    stamp.write_text(expected, encoding="utf-8")
    return config


def compile_package() -> None:
    """Byte-compile ``scoring`` the way ``pip install`` does.

    Without it, a shell with PYTHONDONTWRITEBYTECODE=1 (or a read-only checkout) compiles every
    module of the package from source in each timed run, about 0.2 s that no installed copy
    pays; the reference's pandas is byte-compiled as installed.
    """
    import compileall

    import scoring

    folder = Path(scoring.__file__).parent
    compileall.compile_dir(folder, quiet=1, workers=1)
    print(f"byte-compiled {folder} (as an installed package is)")


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


def _descendants(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as stream:
                for child in stream.read().split():
                    found.extend(_descendants(int(child)))
    except OSError:  # the process ended meanwhile
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as stream:
            return next((int(line.split()[1]) for line in stream if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def tree_memory(command: list[str]) -> float | None:
    """Peak memory (MB) of ``command`` with every process it starts (``rank`` forks chart
    helpers): the sum of their proportional set sizes, so that memory they share counts once,
    sampled every 20 ms. A run of its own, untimed (sampling costs CPU); None without /proc.
    """
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        peak = max(peak, sum(_pss_kb(pid) for pid in _descendants(child.pid)))
        time.sleep(0.02)
    return peak / 1024


def measure(commands: dict[str, list[str]], *, tree: set[str]) -> dict[str, Figures]:
    """Median wall and CPU seconds over REPEATS rounds and the largest peak memory of each
    command: of the one process (``ru_maxrss``) and, for the names in ``tree``, of all its
    processes together (:func:`tree_memory`); the larger one is checked.

    The commands take turns within each round, so that a change in the machine's load (it is
    shared) weighs on the reference and on ``rank`` alike.
    """
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _round in range(REPEATS):
        for name, command in commands.items():
            runs[name].append(run_child(command))
    figures = {}
    for name, command in commands.items():
        done = runs[name]
        seconds = statistics.median(run[0] for run in done)
        cpu = statistics.median(run[1] for run in done)
        memory = max(run[2] for run in done)
        together = tree_memory(command) if name in tree else None
        print(
            f"{name:32s} {seconds:7.2f} s wall, {cpu:6.2f} s CPU "
            f"(wall runs: {', '.join(f'{r[0]:.2f}' for r in done)})  peak {memory:6.0f} MB"
            + (f", all processes {together:4.0f} MB" if together is not None else ""),
            flush=True,
        )
        figures[name] = (seconds, cpu, max(memory, together or 0.0))
    return figures


SPIN = "total = 0\nfor i in range(4_000_000):\n    total += i * i\n"


def parallel_speed() -> float:
    """How much faster two CPU-bound Python processes finish side by side than one after the
    other: 2.0 on two free cores. ``rank`` shares its work with helper processes, the reference
    runs in one, so the ratios depend on this (shared cores, hyperthreads, a loaded host).
    The fastest of five tries each, taking turns: a try slowed by the host's other work says
    nothing of the cores."""
    command = [sys.executable, "-c", SPIN]
    alone, pairs = [], []
    for _round in range(5):
        alone.append(run_child(command)[0])
        start = time.perf_counter()
        children = [subprocess.Popen(command) for _child in range(2)]
        for child in children:
            child.wait()
        pairs.append(time.perf_counter() - start)
    return 2 * min(alone) / min(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep", type=Path, help="generate into this folder and keep it (reused by later runs)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scoring-") as scratch:
        folder = args.keep or Path(scratch)
        sheets = folder / "sheets"
        sheets.mkdir(parents=True, exist_ok=True)
        config = prepare(sheets)
        compile_package()
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
        reference_name = "reference (pandas + calamine)"
        figures = measure(
            {
                reference_name: [python, "-c", REFERENCE, str(sheets)],
                "rank --no-charts --no-report": [
                    *rank,
                    "--out",
                    str(folder / "out-tables"),
                    "--no-charts",
                    "--no-report",
                ],
                "rank": [*rank, "--out", str(folder / "out-all")],
            },
            tree=set(TARGETS),
        )
    print(f"two processes side by side run {parallel_speed():.2f}× as fast as one (2.00× is ideal)")
    reference, reference_cpu, _ = figures.pop(reference_name)
    failed = False
    for name, (seconds, cpu, memory) in figures.items():
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
