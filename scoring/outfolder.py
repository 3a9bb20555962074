"""The folder a ``rank`` run writes into (``--out``).

A run checks the folder before any work, makes it (and removes what it made if the run fails
before writing anything), removes the partial files of runs killed while writing there, and
says in words which file or folder it may not write. The partial files and their removal are
:mod:`scoring.partfiles`; the files earlier runs wrote, :mod:`scoring.earlier`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from scoring.errors import ScoringError
from scoring.i18n import gettext as _
from scoring.partfiles import final_name, remove_stale

# The files a run writes into its folder and into charts/, as regular expressions: a later
# run removes only their partial files (see scoring.partfiles.remove_stale), and a manifest
# that names other files was not written by a run (see scoring.earlier).
TABLES_AND_PAGES = (
    r"ranking(-[^/\\]+)?\.csv|(criteria|jurors|agreement|stability)\.csv|results\.xlsx"
    r"|report\.html|manifest\.json"
)
CHARTS = r"[^/]+\.(png|svg)"
# Where a run keeps its record while it writes (see scoring.earlier).
EARLIER = ".manifest.json.earlier"


def refuse_file_as_folder(out: Path) -> None:
    """Fail at once when ``out`` is an existing file, not after all the work before writing.

    Raises the :class:`FileExistsError` that creating the folder would raise at the end: the
    command line already words it ("... exists and is not a folder; give a folder ...").
    """
    if out.exists() and not out.is_dir():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(out))


def refuse_file_as_charts_folder(out: Path) -> None:
    """Fail at once when a file stands where the charts folder goes (``out/charts``): the
    tables would be written first, then the run would fail."""
    charts = out / "charts"
    if charts.exists() and not charts.is_dir():
        from scoring.errors import InputError, Problem
        from scoring.i18n import gettext as _

        message = _(
            "is a file where this run writes its charts folder; move it out of the output "
            "folder, give another folder with --out, or leave the charts out with --no-charts"
        )
        raise InputError([Problem("error", "charts_not_a_folder", message, file=str(charts))])


def refuse_input_folder(out: Path, inputs: Sequence[Path]) -> None:
    """Fail at once when ``out`` is a folder given as input, or holds a file given as input:
    the next run given that folder (or its files, as ``*.xlsx``) would read the results as
    jury sheets (``results.xlsx`` as a second copy of every mark)."""
    target = out.resolve()
    for given in inputs:
        folder = given if given.is_dir() else given.parent
        if folder.resolve() == target:
            raise ScoringError(
                _(
                    "the output folder {folder} is also a folder of jury sheets: the next run "
                    "would read the results written there as sheets; choose another output "
                    "folder, for example {example}"
                ).format(folder=out, example=out / "results")
            )


@contextmanager
def made(out: Path) -> Iterator[None]:
    """``out`` made if missing (with its missing parents); the folders made are removed
    again, deepest first, if the run fails before writing anything in them."""
    missing = [folder for folder in (out, *out.parents) if not folder.exists()]
    out.mkdir(parents=True, exist_ok=True)
    try:
        yield
    except BaseException:
        for folder in missing:  # deepest first
            try:
                folder.rmdir()
            except OSError:  # not empty: something was written after all
                break
        raise


def remove_killed_parts(out: Path) -> None:
    """Remove the partial files of runs killed while writing into ``out``."""
    remove_stale(out, TABLES_AND_PAGES)
    remove_stale(out / "charts", CHARTS)


def interrupted(out: Path) -> str:
    """What to say when a run was interrupted while writing into ``out``."""
    return _(
        "interrupted: {folder} holds only part of this run's results, without a manifest; run "
        "rank again"
    ).format(folder=out)


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """A file of the results that cannot be written for want of permission, said as such
    (the reader's advice, to ask for read access, would be the wrong one): the file as the
    user knows it (not the hidden one written first) and the folder that refused it. Other
    files refused (a file of the package itself) are left to the reader's words."""
    try:
        yield
    except PermissionError as error:
        file = final_name(Path(error.filename)) if error.filename else out
        if file.name == EARLIER:  # the hidden record written first stands for the manifest
            file = file.with_name("manifest.json")
        where = file.absolute()
        if not (where.is_relative_to(out.absolute()) or where in out.absolute().parents):
            raise
        folder = next((p for p in (file, *file.parents) if p.is_dir()), out)
        raise ScoringError(
            _(
                "{file} cannot be written: permission denied; give a folder you may write to "
                "with --out, or ask for write access to {folder}"
            ).format(file=file, folder=folder)
        ) from error
