"""run.py: the embedded default starts migrated with demo data; the app itself never migrates."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from hackathon.app import create_app
from hackathon.demo import DEMO_ACCOUNTS
from hackathon.errors import DatabaseNotMigrated
from hackathon.settings import PROJECT_ROOT
from tests.web_fixtures import FakeClock, csrf_from, free_port, make_settings, running

STARTUP_SECONDS = 60


@contextmanager
def run_py(data_dir: Path, *extra: str) -> Iterator[tuple[str, Path]]:
    """Start run.py on a free port; yield its base URL and the file collecting its output."""
    port = free_port()
    log = data_dir.parent / f"run-{port}.log"
    environ = {**os.environ, "DATA_DIR": str(data_dir)}
    environ.pop("DATABASE_URL", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "run.py"), "--port", str(port), *extra],
            stdout=output, stderr=subprocess.STDOUT, env=environ, cwd=data_dir.parent,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, process, log)
            yield base, log
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"run.py exited early:\n{log.read_text()}")
        try:
            httpx.get(base + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"run.py did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def demo_password(output: str, email: str) -> str:
    found = re.search(rf"^\S+\s+{re.escape(email)}\s+(\S+)$", output, re.MULTILINE)
    assert found is not None, output
    return found.group(1)


def test_run_py_starts_with_demo_accounts_that_can_log_in(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    with run_py(data_dir) as (base, log), httpx.Client(base_url=base) as browser:
        home = browser.get("/")
        output = log.read_text()
        token = csrf_from(browser.get("/login").text)
        login = browser.post(
            "/login",
            data={"csrf_token": token, "email": "organizer@demo.example",
                  "password": demo_password(output, "organizer@demo.example")},
        )  # fmt: skip
        admin = browser.get("/admin/users")

    assert home.status_code == 200
    assert "QuattroPole Health Hackathon 2027" in home.text
    for _role, email, _name in DEMO_ACCOUNTS:
        assert email in output
    assert (login.status_code, login.headers["location"]) == (303, "/")
    assert admin.status_code == 200
    assert admin.text.count("@demo.example") == len(DEMO_ACCOUNTS)
    assert (data_dir / "hackathon.db").exists()
    assert oct((data_dir / "demo-accounts.txt").stat().st_mode & 0o777) == "0o600"


def test_run_py_second_start_keeps_accounts_and_shows_them_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with run_py(data_dir) as (_base, log):
        first = log.read_text()

    with run_py(data_dir) as (_base, log):
        second = log.read_text()

    email = "jury-chair@demo.example"
    assert demo_password(first, email) == demo_password(second, email)


def test_run_py_without_demo_on_another_database_has_no_accounts(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    other = tmp_path / "elsewhere" / "other.db"

    with run_py(data_dir, "--no-demo", "--database-url", f"sqlite+aiosqlite:///{other}") as (
        base,
        log,
    ):
        home = httpx.get(base + "/")
        output = log.read_text()

    assert home.status_code == 200
    assert f"Database: sqlite+aiosqlite:///{other}" in output
    assert "Demo accounts" not in output
    assert other.exists()
    assert not (data_dir / "hackathon.db").exists()
    assert not (data_dir / "demo-accounts.txt").exists()


async def test_app_refuses_an_unmigrated_database(
    unmigrated_sqlite_url: str, tmp_path: Path
) -> None:
    settings = make_settings(unmigrated_sqlite_url, tmp_path / "data")

    with pytest.raises(DatabaseNotMigrated, match="Run: hackathon migrate"):
        async with running(create_app(settings, clock=FakeClock())):
            pass


def test_run_py_mails_links_to_the_port_it_serves(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    form = {"name": "Ada", "email": "ada@example.org", "password": "correct horse battery 42",
            "locale": "en", "terms": "1"}  # fmt: skip

    with run_py(data_dir, "--no-demo") as (base, log), httpx.Client(base_url=base) as browser:
        token = csrf_from(browser.get("/signup").text)
        signup = browser.post("/signup", data={**form, "csrf_token": token})
        link = wait_for_link(log)
        page = browser.get(link.removeprefix(base))
        confirm = browser.post(
            "/verify",
            data={"csrf_token": csrf_from(page.text), "token": link.split("token=", 1)[1]},
        )

    assert (signup.status_code, signup.headers["location"]) == (303, "/login")
    assert re.fullmatch(rf"{re.escape(base)}/verify\?token=[\w-]+", link), link
    assert (confirm.status_code, confirm.headers["set-cookie"].split(";")[0]) == (
        303,
        "flash=verified",
    )


def wait_for_link(log: Path) -> str:
    """The verification link run.py printed (mail goes out after the answer)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        found = re.search(r"^  link: (\S+)$", log.read_text(), re.MULTILINE)
        if found:
            return found.group(1)
        time.sleep(0.1)
    pytest.fail(f"no link printed:\n{log.read_text()}")


def test_run_py_stops_on_ctrl_c_without_a_traceback(tmp_path: Path) -> None:
    data_dir, port = tmp_path / "data", free_port()
    log = tmp_path / "run.log"
    environ = {**os.environ, "DATA_DIR": str(data_dir)}
    environ.pop("DATABASE_URL", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "run.py"), "--port", str(port), "--no-demo"],
            stdout=output, stderr=subprocess.STDOUT, env=environ, cwd=tmp_path,
        )  # fmt: skip
        _wait_until_up(f"http://127.0.0.1:{port}", process, log)
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)

    assert code == 0, log.read_text()
    assert "Traceback" not in log.read_text()
    assert "Finished server process" in log.read_text()
