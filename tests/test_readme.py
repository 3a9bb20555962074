"""The README's two set-up commands are the ones CI and a new user actually run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    setup = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ")[1]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_first_screen_gives_exactly_two_commands():
    commands = _readme_commands()

    assert len(commands) == 2
    assert commands[0].endswith("python run.py")
    assert commands[1].endswith("pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()

    assert _readme_commands()[1] in ci_lines
