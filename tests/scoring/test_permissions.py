"""Files a run may not read or write: each said as such, with the right advice.

Root reads and writes whatever the permission bits say, so under root the checks run in a
forked child that has given up root's rights (user and group 65534, "nobody"), on files in a
folder everyone may enter.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from scoring.cli import main
from scoring.i18n import set_language
from scoring.sheets import read_inputs
from tests.scoring.fixtures import rubric, write_csv, write_xlsx
from tests.scoring.test_cli import write_jury

T = TypeVar("T")
NOBODY = 65534


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder everyone may enter and read (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="permissions-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def without_root(work: Callable[[], T]) -> T:
    """What ``work`` returns when run without root's rights (as this user when not root).

    Python's own modules may be out of nobody's reach (under /root): what ``work`` loads
    must be loaded before, by the same work done once with root's rights.
    """
    if os.geteuid() != 0:
        return work()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, run, send the result, leave at once
        status = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            data = pickle.dumps(work())
            with os.fdopen(write, "wb") as stream:
                stream.write(data)
            status = 0
        except BaseException:
            traceback.print_exc()  # shown by pytest with the failure
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        data = stream.read()
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return pickle.loads(data)  # noqa: S301  (our own child's bytes)


def test_unreadable_files_are_problems_of_their_own_and_the_rest_is_read(shared: Path) -> None:
    write_csv(
        shared / "anna.csv", [["juror", "team", "criterion", "score"], ["anna", "T1", "impact", 7]]
    )
    write_csv(
        shared / "ben.csv", [["juror", "team", "criterion", "score"], ["ben", "T1", "impact", 6]]
    )
    write_xlsx(shared / "carla.xlsx", [["Juror:", "carla"], ["Team", "Impact"], ["T1", 5]])
    for name in ("anna.csv", "ben.csv", "carla.xlsx"):
        (shared / name).chmod(0o644)
    for name in ("ben.csv", "carla.xlsx"):
        (shared / name).chmod(0o000)

    def read() -> tuple[list[tuple[str, str, str]], list[str]]:
        jury = read_inputs([shared], rubric())
        problems = [(p.code, Path(p.file or "").name, p.message) for p in jury.problems]
        return problems, sorted(set(jury.marks["juror"]))

    read()  # loads what reading loads (the csv module's encodings, calamine)
    problems, jurors = without_root(read)

    advice = (
        "cannot be opened: permission denied; ask for read access to it, or copy it to a folder "
        "you can read"
    )
    assert problems == [
        ("no_permission", "ben.csv", advice),
        ("no_permission", "carla.xlsx", advice),
    ]
    assert jurors == ["anna"]


def test_an_output_folder_that_may_not_be_written_says_so(shared: Path) -> None:
    sheets, rubric_file = write_jury(shared)
    for path in [shared, sheets, *sheets.iterdir(), rubric_file]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    locked = shared / "locked"
    locked.mkdir()
    locked.chmod(0o555)  # no one but root may create anything in it
    out = locked / "out"

    def rank(out: Path) -> tuple[int, str]:
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
            code = main(["rank", str(sheets), "-c", str(rubric_file), "-o", str(out)])
        return code, errors.getvalue()

    assert rank(shared / "first")[0] == 0  # loads what a run loads
    code, said = without_root(lambda: rank(out))

    assert code == 2
    assert said.splitlines()[-1] == (
        f"error: {out} cannot be written: permission denied; give a folder you may write to with "
        f"--out, or ask for write access to {out}"
    )
    assert not out.exists()
