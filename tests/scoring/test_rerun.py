"""A run into a folder an earlier run wrote: nothing of the earlier run passes for this one's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.earlier import Earlier, read_earlier
from scoring.i18n import set_language
from scoring.manifest import sha256
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


def test_only_names_a_run_writes_inside_the_folder_count_as_an_earlier_runs(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    digest = "0" * 64
    names = [
        "ranking.csv",
        "charts/ranking.png",
        "../elsewhere.csv",
        "/etc/hosts",
        ".",
        "notes.txt",
        "sub/../ranking.csv",
        "./criteria.csv",
        "charts\\..\\..\\x.png",
        "ranking-a/b.csv",
        "manifest.json",
    ]
    manifest = {"command": ["hackathon-score", "rank"], "outputs": [*names, 7]}
    manifest["output_sha256"] = {**dict.fromkeys(names, digest), "jurors.csv": "not a digest"}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    assert read_earlier(out) == Earlier(
        out, {"ranking.csv": digest, "charts/ranking.png": digest}, manifest=True
    )
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    assert read_earlier(out) == Earlier(out)
    assert read_earlier(tmp_path / "missing") == Earlier(tmp_path / "missing")


def test_a_run_that_fails_while_writing_leaves_no_earlier_manifest_or_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The second run scores other marks, writes its tables, then cannot write a chart (a
    # folder stands where it goes): the earlier report and manifest would describe tables
    # that are gone. (Ctrl-C at the same moment takes the same path, and says the folder
    # holds part of the run.)
    out = tmp_path / "out"
    first = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]
    assert main([*first, "--samples", "0"]) == 0
    for chart in (out / "charts").iterdir():
        chart.unlink()
    (out / "charts" / "ranking.png").mkdir()
    sheets, rubric = write_jury(tmp_path)

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--samples", "0"])

    assert code == 2
    assert "ranking.png is a folder" in capsys.readouterr().err
    assert not (out / "manifest.json").exists()
    assert not (out / "report.html").exists()
    assert (out / "ranking.csv").read_text(encoding="utf-8").splitlines()[1].startswith("1,T1,")
    # The next run to finish still removes the first run's files: its manifest was set aside.
    (out / "charts" / "ranking.png").rmdir()
    assert main(["rank", str(sheets), "-c", str(rubric), "-o", str(out), "--samples", "0"]) == 0
    assert list(out.glob("ranking-*.csv")) == []  # the sample jury's challenges: gone
    assert not (out / ".manifest.json.earlier").exists()
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert files(out) == sorted([*listed, "manifest.json"])


def said(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What a run printed, without its progress lines."""
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).splitlines()
    return [line for line in lines if not line.startswith("[")]


def contents(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in files(folder)}


NOT_OURS = (
    "is in the output folder and this run would replace it, but no earlier run of rank wrote "
    "it there, or it was changed since: move it out of the folder, or give another folder with "
    "--out"
)


def refused(path: Path) -> str:
    return f"error: {path}: {NOT_OURS}"


def test_a_manifest_the_tool_did_not_write_removes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The review's folder: a manifest of someone else's listing the user's notes. The run
    # deleted notes.txt and sub/notes2.docx, saying only "Wrote 11 files".
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("the chair's notes", encoding="utf-8")
    (out / "sub" / "notes2.docx").write_bytes(b"PK\x03\x04 a document")
    forged = {"outputs": ["notes.txt", "sub/../sub/notes2.docx", "sub/notes2.docx"]}
    (out / "manifest.json").write_text(json.dumps(forged), encoding="utf-8")
    before = contents(out)
    rank = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]

    code = main([*rank, "--samples", "0", "--no-charts"])

    assert code == 2
    assert said(capsys) == [
        refused(out / "manifest.json"),
        "1 error: nothing was written.",
    ]
    assert contents(out) == before
    # Dressed as a run's manifest, with the notes' own digests, it still names only files
    # that no run writes: the run replaces the manifest and leaves the notes alone.
    digests = {name: sha256(out / name) for name in ("notes.txt", "sub/notes2.docx")}
    digests["sub/../sub/notes2.docx"] = digests["sub/notes2.docx"]
    forged = {"command": ["hackathon-score", "rank"], "output_sha256": digests}
    (out / "manifest.json").write_text(json.dumps(forged), encoding="utf-8")

    code = main([*rank, "--samples", "0", "--no-charts"])

    assert code == 0
    assert said(capsys) == [f"Wrote 11 files to {out}"]
    assert {name: contents(out)[name] for name in before if name != "manifest.json"} == {
        name: data for name, data in before.items() if name != "manifest.json"
    }


def test_a_file_of_the_user_s_that_a_run_would_replace_is_refused_before_the_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A folder no run has used: the user's own report.html was replaced without a word.
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<p>my own report</p>", encoding="utf-8")
    rank = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]

    code = main([*rank, "--samples", "0", "--no-charts"])

    assert code == 2
    assert said(capsys) == [refused(out / "report.html"), "1 error: nothing was written."]
    assert files(out) == ["report.html"]
    # A run that writes no report leaves it alone (it was deleted before its tables).
    assert main([*rank, "--samples", "0", "--no-charts", "--no-report"]) == 0
    assert (out / "report.html").read_text(encoding="utf-8") == "<p>my own report</p>"
    # A table of a run that was changed since is the user's now: not replaced either.
    with (out / "ranking.csv").open("a", encoding="utf-8") as table:
        table.write("my note\n")
    changed = (out / "ranking.csv").read_bytes()
    capsys.readouterr()

    code = main([*rank, "--samples", "0", "--no-charts", "--no-report"])

    assert code == 2
    assert said(capsys) == [refused(out / "ranking.csv"), "1 error: nothing was written."]
    assert (out / "ranking.csv").read_bytes() == changed


def test_earlier_outputs_are_removed_only_when_unchanged_and_the_run_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    rank = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]
    assert main([*rank, "--samples", "0"]) == 0
    (out / "charts" / "leniency.svg").write_text("<svg>my own drawing</svg>", encoding="utf-8")
    capsys.readouterr()

    code = main([*rank, "--samples", "0", "--no-charts", "--no-report"])

    charts = ["criteria", "jurors-teams", "leniency", "ranking"]
    images = [f"charts/{c}.{kind}" for c in charts for kind in ("png", "svg")]
    removed = ["report.html", *(name for name in images if name != "charts/leniency.svg")]
    assert code == 0
    assert said(capsys) == [
        f"warning: {out / 'charts' / 'leniency.svg'}: was written into this folder by an "
        "earlier run and has been changed since: kept, as it may be yours now; this run did "
        "not write it again, so it is not one of its results; remove it by hand if you do not "
        "need it",
        f"Removed 8 files that an earlier run wrote into {out} and this run did not write "
        f"again: {', '.join(removed)}",
        f"Wrote 10 files to {out}",
    ]
    assert files(out / "charts") == ["leniency.svg"]
    assert not (out / "report.html").exists()


def test_a_run_after_one_cut_short_replaces_its_files_and_keeps_those_it_does_not_rewrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The record a run leaves while it writes names exactly the files a run writes: a run
    # cut short (here: a folder stands where a chart goes) leaves it, and the next run trusts
    # it. In one process, the charts are drawn in turn and the run stops at the first one:
    # with helpers, another chart may be written first, or not (the next run then keeps it).
    monkeypatch.setenv("HACKATHON_SCORE_PROCESSES", "1")
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    rank = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "--samples", "20"]
    assert main([*rank, "-o", str(whole)]) == 0
    written = json.loads((whole / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    (cut / "charts" / "ranking.png").mkdir(parents=True)

    assert main([*rank, "-o", str(cut)]) == 2

    record = json.loads((cut / ".manifest.json.earlier").read_text(encoding="utf-8"))
    assert record == {"output_sha256": {}, "pending": sorted([*written, "manifest.json"])}
    assert (cut / "ranking-diabetes.csv").exists() and not (cut / "manifest.json").exists()
    (cut / "charts" / "ranking.png").rmdir()
    sheets, rubric = write_jury(tmp_path)  # no challenges
    capsys.readouterr()

    code = main(["rank", str(sheets), "-c", str(rubric), "-o", str(cut), "--no-charts"])

    challenges = ["ageing-at-home", "cross-border-care", "diabetes", "mental-health"]
    assert code == 0
    assert said(capsys) == [
        *(
            f"warning: {cut / f'ranking-{c}.csv'}: was written into this folder by a run that "
            "was cut short, and may have been changed since: kept; this run did not write it "
            "again, so it is not one of its results; remove it by hand if you do not need it"
            for c in challenges
        ),
        f"Wrote 8 files to {cut}",
    ]
    assert not (cut / ".manifest.json.earlier").exists()


def test_a_file_outside_the_folder_is_never_removed_even_through_a_link(tmp_path: Path) -> None:
    # A manifest dressed as a run's names a link to a file elsewhere, and a chart inside a
    # charts folder that links elsewhere, each with its digest: neither is inside the folder.
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "charts").mkdir(parents=True)
    (elsewhere / "victim.csv").write_text("someone else's table", encoding="utf-8")
    (elsewhere / "charts" / "ranking.png").write_bytes(b"\x89PNG someone else's chart")
    out = tmp_path / "out"
    out.mkdir()
    (out / "ranking-old.csv").symlink_to(elsewhere / "victim.csv")
    (out / "charts").symlink_to(elsewhere / "charts")
    digests = {
        "ranking-old.csv": sha256(elsewhere / "victim.csv"),
        "charts/ranking.png": sha256(elsewhere / "charts" / "ranking.png"),
    }
    manifest = {"command": ["hackathon-score", "rank"], "outputs": [*digests]}
    manifest["output_sha256"] = digests
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = contents(elsewhere)
    rank = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]

    code = main([*rank, "--samples", "0", "--no-charts", "--no-report"])

    assert code == 0
    assert contents(elsewhere) == before
    assert (out / "ranking-old.csv").is_symlink() and (out / "charts").is_symlink()


def test_a_folder_whose_manifest_is_gone_names_every_file_in_the_way_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first refusal named the files every run writes; once they were moved out, a second
    # run did all the work and refused the challenges' rankings and jurors.csv in turn.
    out = tmp_path / "out"
    rank = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]
    assert main([*rank, "--samples", "0", "--no-charts"]) == 0
    (out / "manifest.json").unlink()
    before = files(out)
    capsys.readouterr()

    code = main([*rank, "--samples", "0", "--no-charts"])

    lines = said(capsys)
    assert code == 2
    certain = {"ranking.csv", "criteria.csv", "results.xlsx", "report.html"}
    assert {Path(line.split(": ")[1]).name for line in lines if line.startswith("error:")} == (
        certain
    )
    assert {Path(line.split(": ")[1]).name for line in lines if line.startswith("warning:")} == (
        set(before) - certain
    )
    assert lines[-1] == "4 errors: nothing was written."
    assert files(out) == before


def test_a_file_where_the_charts_folder_goes_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The tables were written, then the run failed saying the output folder was not a folder.
    out = tmp_path / "out"
    out.mkdir()
    (out / "charts").write_text("x", encoding="utf-8")
    rank = ["rank", str(SAMPLE), "-c", str(SAMPLE / "rubric.toml"), "-o", str(out)]

    code = main([*rank, "--samples", "0"])

    assert code == 2
    assert said(capsys) == [
        f"error: {out / 'charts'}: is a file where this run writes its charts folder; move it "
        "out of the output folder, give another folder with --out, or leave the charts out with "
        "--no-charts",
        "1 error: nothing was written.",
    ]
    assert files(out) == ["charts"]
    assert main([*rank, "--samples", "0", "--no-charts"]) == 0
