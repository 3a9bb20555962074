"""A run into a folder an earlier run wrote: nothing of the earlier run passes for this one's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.i18n import set_language
from scoring.manifest import previous_outputs
from tests.scoring.test_cli import write_jury

SAMPLE = Path(__file__).parents[2] / "data" / "sample-jury"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_files_of_an_earlier_run_that_this_run_does_not_write_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]
    assert main([*first, "--samples", "0", "--lang", "en"]) == 0
    (out / "notes.txt").write_text("the chair's own notes", encoding="utf-8")
    before = files(out)
    sheets, rubric = write_jury(tmp_path)  # no challenges; and no charts this time

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--no-charts"])

    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert code == 0
    assert "ranking-diabetes.csv" in before and "charts/ranking.svg" in before
    assert files(out) == sorted([*listed, "manifest.json", "notes.txt"])
    assert [name for name in files(out) if "ranking" in name or "charts" in name] == ["ranking.csv"]


def test_only_files_inside_the_folder_count_as_an_earlier_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outputs = ["ranking.csv", "charts/ranking.png", "../elsewhere.csv", "/etc/hosts", ".", 7]
    (out / "manifest.json").write_text(json.dumps({"outputs": outputs}), encoding="utf-8")

    assert previous_outputs(out) == [out / "ranking.csv", out / "charts/ranking.png"]
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    assert previous_outputs(out) == []
    assert previous_outputs(tmp_path / "missing") == []


def test_a_run_that_fails_while_writing_leaves_no_earlier_manifest_or_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The second run scores other marks, writes its tables, then cannot make its charts
    # folder: the earlier report and manifest would describe tables that are gone. (Ctrl-C
    # at the same moment takes the same path, and says the folder holds part of the run.)
    out = tmp_path / "out"
    first = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]
    assert main([*first, "--samples", "0"]) == 0
    for chart in (out / "charts").iterdir():
        chart.unlink()
    (out / "charts").rmdir()
    (out / "charts").write_text("not a folder", encoding="utf-8")
    sheets, rubric = write_jury(tmp_path)

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--samples", "0"])

    assert code == 2
    assert "exists and is not a folder" in capsys.readouterr().err
    assert not (out / "manifest.json").exists()
    assert not (out / "report.html").exists()
    assert (out / "ranking.csv").read_text(encoding="utf-8").splitlines()[1].startswith("1,T1,")
    # The next run to finish still removes the first run's files: its manifest was set aside.
    (out / "charts").unlink()
    assert main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--samples", "0"]) == 0
    assert list(out.glob("ranking-*.csv")) == []  # the sample jury's challenges: gone
    assert not (out / ".manifest.json.earlier").exists()
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert files(out) == sorted([*listed, "manifest.json"])
