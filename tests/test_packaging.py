"""A wheel built from the sources carries every module and data file the app needs.

Built without network (the venv's setuptools, no build isolation) from a copy of the
sources, installed into a folder of its own, and used from a directory outside the
checkout: the home page renders in German with its stylesheet, mail and scoring
templates load, and the data directory is the working directory's data/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hackathon.settings import PROJECT_ROOT

SOURCES = ("pyproject.toml", "README.md", "hackathon", "scoring", "templates")
# Extraction templates for translators: the app reads the .po files only.
FOR_TRANSLATORS = {"messages.pot", "scoring.pot", "babel.cfg"}
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")

USE_INSTALLED = """
import sys
from pathlib import Path
from starlette.testclient import TestClient
import hackathon, scoring
from hackathon.app import create_app
from hackathon.mail import build_message
from hackathon.migrate import upgrade
from hackathon.settings import Settings
from scoring.report import environment

site = Path(sys.argv[1])
assert Path(hackathon.__file__).is_relative_to(site), hackathon.__file__
assert Path(scoring.__file__).is_relative_to(site), scoring.__file__
settings = Settings.from_environ({})
upgrade(settings.database_url)
with TestClient(create_app(settings)) as client:
    home = client.get("/", headers={"Accept-Language": "de"})
    style = client.get("/static/style.css")
environment().get_template("report.html")
mail = build_message(settings, to="ada@example.org", locale="fr", template="verify",
                     context={"name": "Ada", "link": "http://x/verify"})
print(settings.data_dir)
print(mail["Subject"])
print(home.status_code, "Anmelden" in home.text, "QuattroPole" in home.text)
print(style.status_code, style.headers["content-type"])
"""


def source_files(root: Path, package: str) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in (root / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.name not in FOR_TRANSLATORS
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("build")
    (build / "src").mkdir()
    for name in SOURCES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, build / "src" / name, ignore=IGNORED)
        else:
            shutil.copy2(source, build / "src" / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(build / "dist"), str(build / "src")],
        check=True, capture_output=True,
    )  # fmt: skip
    (found,) = (build / "dist").glob("*.whl")
    return found


def test_wheel_holds_every_file_of_the_packages_and_the_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = source_files(PROJECT_ROOT, "hackathon") | source_files(PROJECT_ROOT, "scoring")
    expected |= {
        f"hackathon/{path}" for path in source_files(PROJECT_ROOT, "templates")
    }  # templates/ ships as hackathon/templates/

    assert expected - names == set()
    assert {"hackathon/templates/base.html", "hackathon/static/style.css"} <= names


def test_installed_wheel_serves_translated_pages_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environ.pop("DATA_DIR", None)

    result = subprocess.run(
        [sys.executable, "-c", USE_INSTALLED, str(site)],
        cwd=elsewhere, env={**environ, "PYTHONPATH": str(site)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(elsewhere / "data"),
        "Confirmez votre adresse e-mail pour le Hackathon QuattroPole",
        "200 True True",
        "200 text/css; charset=utf-8",
    ]
