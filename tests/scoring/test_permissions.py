"""Files a run may not read or write: each said as such, with the right advice.

Root reads and writes whatever the permission bits say, so under root the checks run in a
forked child that has given up root's rights (user and group 65534, "nobody"), on files in a
folder everyone may enter.
"""

from __future__ import annotations

import contextlib
import errno
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
from scoring.errors import ScoringError
from scoring.i18n import set_language
from scoring.outfolder import writing
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
    for path in [folder, *folder.rglob("*")]:  # what the tests locked, writable again
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
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
    # The folder named is the one that refused: out itself does not exist.
    assert said.splitlines()[-1] == (
        f"error: {out} cannot be written: permission denied; give a folder you may write to with "
        f"--out, or ask for write access to {locked}"
    )
    assert not out.exists()
    # An existing folder that may not be written: the file named is the one the user knows,
    # not the hidden partial file written first.
    code, said = without_root(lambda: rank(locked))
    file = said.splitlines()[-1].removeprefix("error: ").split(" cannot be written: ")[0]
    assert code == 2
    assert Path(file).parent == locked and not Path(file).name.startswith(".")
    assert said.splitlines()[-1].endswith(f"ask for write access to {locked}")


def test_an_earlier_runs_file_that_cannot_be_removed_is_a_warning(shared: Path) -> None:
    sheets, rubric_file = write_jury(shared)
    out = shared / "out"
    assert main(["rank", str(sheets), "-c", str(rubric_file), "-o", str(out)]) == 0
    charts = sorted((out / "charts").iterdir())
    for path in [shared, sheets, *sheets.iterdir(), rubric_file]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    out.chmod(0o777)  # anyone may write the new results here...
    (out / "charts").chmod(0o555)  # ...but not remove the old charts

    def rank() -> tuple[int, list[str]]:
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(io.StringIO()):
            # Without the report: its template is read from the package, which this user
            # may not reach (a checkout in a folder only its owner may enter).
            args = ["rank", str(sheets), "-c", str(rubric_file), "-o", str(out)]
            code = main([*args, "--no-charts", "--no-report"])
        return code, [line for line in said.getvalue().splitlines() if "could not be" in line]

    warm = ["rank", str(sheets), "-c", str(rubric_file), "-o", str(shared / "warm")]
    assert main([*warm, "--no-charts", "--no-report"]) == 0  # loads what such a run loads
    code, warned = without_root(rank)

    assert code == 0  # the results of this run are complete
    assert sorted((out / "charts").iterdir()) == charts
    assert sorted(warned) == [
        f"warning: {path}: was written by an earlier run into this folder and could not be "
        "removed (Permission denied); remove it by hand, it does not belong to this run's results"
        for path in charts
    ]


def test_only_files_of_the_output_folder_are_said_to_be_unwritable(tmp_path: Path) -> None:
    out = tmp_path / "a" / "out"

    def refused(name: Path) -> Exception:
        with pytest.raises((ScoringError, PermissionError)) as caught, writing(out):
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return caught.value

    inside = refused(out / "charts" / ".ranking.png.42.part")
    parent = refused(tmp_path / "a")  # making out's missing parent
    elsewhere = refused(tmp_path / "package" / "report.html")  # a template of the package

    assert str(inside) == (
        f"{out / 'charts' / 'ranking.png'} cannot be written: permission denied; give a folder "
        f"you may write to with --out, or ask for write access to {tmp_path}"
    )
    assert isinstance(parent, ScoringError) and str(parent).startswith(f"{tmp_path / 'a'} cannot")
    assert type(elsewhere) is PermissionError  # the reader's words: ask for read access
