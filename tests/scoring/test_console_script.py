"""The ``hackathon-score`` console script as a user runs it: ``scoring.cli.run()`` in a fresh
Python process (``python -m scoring.cli`` calls it), which freezes the collector and leaves
through ``sys.exit``; exit codes and the files written are checked from outside."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.blas import BLAS_SETTINGS, one_blas_thread

SAMPLE = Path(__file__).parents[2] / "data" / "sample-jury"
RUBRIC = SAMPLE / "rubric.toml"
CHALLENGES = ("ageing-at-home", "cross-border-care", "diabetes", "mental-health")  # teams.csv
CHARTS = ("criteria", "jurors-teams", "leniency", "rank-probabilities", "ranking")


def hackathon_score(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scoring.cli", *arguments, "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_validate_of_the_sample_jury_exits_0() -> None:
    done = hackathon_score("validate", str(SAMPLE), "--config", str(RUBRIC))

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1] == "11 files checked: 0 errors, 0 warnings"


def test_a_missing_rubric_exits_2_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "rubric.toml"

    done = hackathon_score("validate", str(SAMPLE), "--config", str(missing))

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: {missing}: no such file; check the path of the rubric\n"


def test_rank_writes_the_files_of_the_readme(tmp_path: Path) -> None:
    done = hackathon_score(
        "rank", str(SAMPLE), "--config", str(RUBRIC), "--out", "out", cwd=tmp_path
    )

    written = sorted(
        str(path.relative_to(tmp_path / "out")) for path in (tmp_path / "out").rglob("*")
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1] == "Wrote 22 files to out"
    assert written == sorted(  # the README's "Outputs" table
        [
            "ranking.csv",
            *(f"ranking-{challenge}.csv" for challenge in CHALLENGES),
            "criteria.csv",
            "jurors.csv",
            "agreement.csv",
            "stability.csv",
            "results.xlsx",
            "charts",
            *(f"charts/{chart}.{ext}" for chart in CHARTS for ext in ("png", "svg")),
            "report.html",
            "manifest.json",
        ]
    )


def test_rank_prints_whole_lines_for_scripts_however_long_the_path(tmp_path: Path) -> None:
    out = tmp_path / ("a-folder-with-a-long-name-" * 4) / "results"

    done = hackathon_score("rank", str(SAMPLE), "--config", str(RUBRIC), "--out", str(out))

    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == f"Wrote 22 files to {out}"
    assert all(line.startswith("[") for line in done.stdout.splitlines()[:-1])


def test_sigterm_ends_a_run_as_ctrl_c_does(tmp_path: Path) -> None:
    # A CI job's timeout or a stopped service sends SIGTERM: the run used to die where it
    # stood (exit -15, no word, hidden part files left for the next run to remove).
    import signal

    out = tmp_path / "out"
    command = [sys.executable, "-m", "scoring.cli", "rank", str(SAMPLE), "--config", str(RUBRIC)]
    command += ["--out", str(out), "--lang", "en", "--samples", "100000", "--no-charts"]
    run = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stdout is not None
    for line in run.stdout:
        if "rank stability" in line:  # 100,000 resamples: seconds of work ahead
            run.send_signal(signal.SIGTERM)
            break
    _out, err = run.communicate(timeout=120)

    assert run.returncode == 130  # as for Ctrl-C
    assert "Traceback" not in err
    left = sorted(path.name for path in out.rglob("*")) if out.exists() else []
    assert [name for name in left if name.endswith(".part")] == []
    assert "manifest.json" not in left


def test_blas_gets_one_thread_unless_the_user_chose() -> None:
    untouched = {"OMP_NUM_THREADS": "4"}
    unset = {"OPENBLAS_NUM_THREADS": "", "PATH": "/bin"}

    one_blas_thread(untouched)
    one_blas_thread(unset)

    assert untouched == {"OMP_NUM_THREADS": "4"}
    assert unset == {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PATH": "/bin"}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_the_console_script_runs_numpy_on_one_thread() -> None:
    # OpenBLAS starts a thread per core when numpy is imported; the run's own processes
    # already share the cores (on one core, this test cannot tell).
    script = (
        "import atexit, sys\n"
        "def threads():\n"
        "    status = open('/proc/self/status').read().split('Threads:')[1].split()[0]\n"
        "    print(status, 'numpy' in sys.modules)\n"
        "atexit.register(threads)\n"
        f"sys.argv = ['hackathon-score', 'validate', {str(SAMPLE)!r}, '--config', "
        f"{str(RUBRIC)!r}, '--lang', 'en']\n"
        "from scoring.cli import run\n"
        "run()\n"
    )
    environment = {k: v for k, v in os.environ.items() if k not in BLAS_SETTINGS}

    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1] == "1 True"
