"""What earlier runs left in the folder a ``rank`` run writes into, and which of it the run may
replace or remove.

A file is the tool's to replace or remove only when an earlier run wrote it and it is
unchanged since: its manifest (``manifest.json``, as a run writes it) lists it with the
SHA-256 of its bytes (``output_sha256``), and its bytes still have that digest. A file whose
bytes differ is the user's now, and so is any file no run recorded, whatever its name: a run
refuses to replace one (it names them, and nothing is written) and leaves one that it does
not write again where it is, saying so. Only the names a run writes count (see
:mod:`scoring.outfolder`), inside the folder: a manifest the tool did not write can name
nothing else.

While a run writes, its record stands in for the manifest it takes away (``EARLIER``, a
hidden file): the earlier run's digests, and the names this run is about to write. After a
run cut short (Ctrl-C, a full disk, a killed process), those names are the tool's too, their
bytes unknown: the next run replaces them, and keeps those it does not write again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from scoring.errors import InputError, Problem
from scoring.i18n import gettext as _
from scoring.manifest import sha256
from scoring.outfolder import CHARTS, EARLIER, TABLES_AND_PAGES
from scoring.partfiles import replacing

MANIFEST = "manifest.json"
_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Earlier:
    """What earlier runs recorded about the files in ``out`` (names relative to it)."""

    out: Path
    # name -> SHA-256 of the file as a run that finished wrote it
    digests: Mapping[str, str] = field(default_factory=dict)
    # names a run cut short was writing, bytes unknown
    pending: frozenset[str] = frozenset()
    # whether out/manifest.json is a run's manifest
    manifest: bool = False

    def owns(self, name: str) -> bool:
        """Whether ``out/name`` is a file that a run wrote and that is unchanged since (a
        file a run cut short was writing counts as such)."""
        path = self.out / name
        if not path.is_file() or not _inside(self.out, name):
            return False
        if name == MANIFEST:
            return self.manifest
        if name in self.pending:
            return True
        recorded = self.digests.get(name)
        return recorded is not None and sha256(path) == recorded


def output_name(name: object) -> bool:
    """Whether ``name`` is the name of a file a run writes, relative to its folder, as a run
    records it: a manifest that names anything else was not written by a run.

    Examples
    --------
    >>> [output_name(n) for n in ("ranking-a_b~c14cddc0.csv", "charts/ranking.svg")]
    [True, True]
    >>> [output_name(n) for n in ("notes.txt", "sub/../ranking.csv", "./ranking.csv", "/x.csv")]
    [False, False, False, False]
    """
    if not isinstance(name, str) or "\\" in name or name == MANIFEST:
        return False
    if PurePosixPath(name).as_posix() != name or ".." in PurePosixPath(name).parts:
        return False
    return bool(re.fullmatch(TABLES_AND_PAGES, name) or re.fullmatch(f"charts/{CHARTS}", name))


def _inside(out: Path, name: str) -> bool:
    """Whether ``out/name`` is in ``out`` once links are followed (a charts folder that links
    elsewhere is not)."""
    try:
        return (out / name).resolve().is_relative_to(out.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


def _record(path: Path, *, manifest: bool) -> dict[str, Any] | None:
    """The JSON of a run's manifest (``manifest``) or record at ``path``; None when there is
    none, or it is not one a run writes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("output_sha256"), dict):
        return None
    command = data.get("command")
    if manifest and not (isinstance(command, list) and command[:1] == ["hackathon-score"]):
        return None
    return data


def read_earlier(out: Path) -> Earlier:
    """What earlier runs recorded in ``out``: its manifest when a run wrote it, else the
    record of a run cut short (see the module's text); nothing without either."""
    data = _record(out / MANIFEST, manifest=True)
    manifest = data is not None
    if data is None:
        data = _record(out / EARLIER, manifest=False) or {}
    digests = {
        name: digest
        for name, digest in data.get("output_sha256", {}).items()
        if output_name(name) and isinstance(digest, str) and _DIGEST.fullmatch(digest)
    }
    pending = data.get("pending", []) if not manifest else []
    names = frozenset(n for n in pending if output_name(n)) if isinstance(pending, list) else ()
    return Earlier(out, digests, frozenset(names), manifest)


def refuse_replacing(
    earlier: Earlier, names: Iterable[str], *, more: Callable[[str], bool] | None = None
) -> None:
    """Refuse (nothing written yet) when ``out`` holds a file among ``names`` that the run
    would replace but that is not the tool's (see the module's text): the user's own
    ``report.html``, or a table they changed since a run wrote it. With ``more`` (before the
    marks are read, when only the files every run writes are known), the refusal also warns of
    the other files not the tool's whose names this run may write, those ``more`` accepts (a
    challenge's ranking, a chart), so that one round of moving files out is enough."""
    names = list(dict.fromkeys(names))
    problems = [
        Problem(
            "error",
            "not_written_by_rank",
            _(
                "is in the output folder and this run would replace it, but no earlier run of "
                "rank wrote it there, or it was changed since: move it out of the folder, or "
                "give another folder with --out"
            ),
            file=str(earlier.out / name),
        )
        for name in names
        if ((earlier.out / name).is_file() or (earlier.out / name).is_symlink())
        and not earlier.owns(name)
    ]
    if problems and more is not None:
        problems += [
            Problem(
                "warning",
                "maybe_written_by_rank",
                _(
                    "is in the output folder under a name this run may write too (depending on "
                    "the challenges and the statistics), and no earlier run of rank wrote it "
                    "there, or it was changed since: move it out of the folder as well"
                ),
                file=str(earlier.out / name),
            )
            for name in _output_files(earlier.out)
            if name not in names and more(name) and not earlier.owns(name)
        ]
    if problems:
        raise InputError(problems)


def _output_files(out: Path) -> list[str]:
    """The files in ``out`` (and its charts folder) whose names a run writes, sorted."""
    found = []
    for folder in (out, out / "charts"):
        if folder.is_dir():
            for path in folder.iterdir():
                name = path.relative_to(out).as_posix()
                if (path.is_file() or path.is_symlink()) and output_name(name):
                    found.append(name)
    return sorted(found)


def set_aside(earlier: Earlier, names: Sequence[str]) -> list[Path]:
    """Before a run writes into ``out``: its record (the earlier digests, and ``names``,
    which it is about to write), then the earlier report and manifest taken away, so that a
    run cut short never leaves them beside tables they do not describe, and its folder has
    no manifest. Returns the earlier report when it was removed and this run writes none."""
    out = earlier.out
    record = {
        "output_sha256": dict(earlier.digests),
        "pending": sorted({*earlier.pending, *names}),
    }
    with replacing(out / EARLIER) as part:
        part.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    removed = []
    if earlier.owns("report.html"):
        (out / "report.html").unlink()
        removed += [] if "report.html" in names else [out / "report.html"]
    if earlier.manifest:
        (out / MANIFEST).unlink(missing_ok=True)
    return removed


def forget_earlier(out: Path) -> None:
    """Remove the record of :func:`set_aside` once this run's manifest is written and the
    earlier runs' files are removed."""
    (out / EARLIER).unlink(missing_ok=True)


@dataclass(frozen=True)
class Leftovers:
    """The earlier runs' files that a run did not write again."""

    removed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # those kept, and why


def remove_leftovers(earlier: Earlier, written: Iterable[Path]) -> Leftovers:
    """Remove the files that earlier runs wrote into ``out`` and that this run did not write
    again, when they are the tool's (see the module's text): a chart or a challenge's
    ranking left from then would pass for this run's. The others are kept, each with a
    warning."""
    out = earlier.out
    rewritten = {path.relative_to(out).as_posix() for path in written}
    found = Leftovers()
    for name in sorted({*earlier.digests, *earlier.pending} - rewritten):
        path = out / name
        if not path.is_file() or not _inside(out, name):
            continue
        recorded = earlier.digests.get(name)
        if recorded is not None and sha256(path) == recorded:
            try:
                path.unlink()
            except OSError as error:  # not ours to remove any more: said, and left
                found.problems.append(_left_over(path, error))
            else:
                found.removed.append(path)
        elif name in earlier.pending:
            found.problems.append(_kept(path, changed=False))
        else:
            found.problems.append(_kept(path, changed=True))
    return found


def _kept(path: Path, *, changed: bool) -> Problem:
    if changed:
        message = _(
            "was written into this folder by an earlier run and has been changed since: kept, "
            "as it may be yours now; this run did not write it again, so it is not one of its "
            "results; remove it by hand if you do not need it"
        )
    else:
        message = _(
            "was written into this folder by a run that was cut short, and may have been "
            "changed since: kept; this run did not write it again, so it is not one of its "
            "results; remove it by hand if you do not need it"
        )
    return Problem("warning", "left_over", message, file=str(path))


def _left_over(path: Path, error: OSError) -> Problem:
    """A file of an earlier run that could not be removed, as a warning that says what to do."""
    message = _(
        "was written by an earlier run into this folder and could not be removed ({reason}); "
        "remove it by hand, it does not belong to this run's results"
    ).format(reason=error.strerror or error)
    return Problem("warning", "left_over", message, file=str(path))
