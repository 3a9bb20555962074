"""The reproducibility manifest: what went in, with which settings and software, and when.

Someone who has ``manifest.json`` and the input files can check that the files are the same
(SHA-256), install the same versions and run the same command line to get the same ranking.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import scoring
from scoring.config import Config
from scoring.i18n import get_language
from scoring.partfiles import replacing

# Every package whose version can change an output: the numbers, the reading of the sheets,
# the charts' pixels (Pillow lays out their labels), the numbers' notation (Babel), the report.
PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "pillow",
    "python-calamine",
    "openpyxl",
    "babel",
    "jinja2",
)
DISTRIBUTION = "quattropole-hackathon"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so large sheets need little memory."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every file below a named folder, sorted within each folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            files.append(path)
    return files


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses to dicts, Decimals to strings, sets sorted.

    Examples
    --------
    >>> plain({"w": Decimal("1.5"), "s": frozenset({"b", "a"})})
    {'w': '1.5', 's': ['a', 'b']}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(plain(item) for item in value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal | Path):
        return str(value)
    return value


def rubric_data(config: Config) -> dict[str, Any]:
    """The resolved rubric as JSON-ready data (see :func:`plain`), without the method's
    options that its method does not use (``trim`` of a mean, say, which a rubric may not
    give either).

    Examples
    --------
    >>> from scoring.config import Method
    >>> rubric_data(Config(criteria=(), method=Method(name="judge_effects")))["method"]
    {'name': 'judge_effects', 'order': 'criterion-first', 'min_marks': 5}
    """
    data = plain(config)
    method = data["method"]
    if config.method.name != "trimmed_mean":
        del method["trim"]
    if config.method.name not in ("zscore", "judge_effects"):
        del method["min_marks"]
    return data


def versions() -> dict[str, str]:
    """Python and the versions of every package that can change a result."""
    found = {"python": platform.python_version()}
    for name in (*PACKAGES, DISTRIBUTION):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["scoring"] = scoring.__version__
    return found


def build_manifest(
    *,
    inputs: Sequence[Path],
    config_file: Path | None,
    config: Any,
    seed: int | None,
    samples: int | None,
    argv: Sequence[str],
    outputs: Sequence[Path] = (),
    output_folder: Path | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything needed to reproduce a run, as a JSON-ready dict: with ``output_folder``
    (where the ``outputs``, relative paths, are), the SHA-256 of each output too, so that a
    published file can be checked against the run that wrote it.

    Examples
    --------
    >>> manifest = build_manifest(inputs=[], config_file=None, config={}, seed=1, samples=10,
    ...                           argv=["rank"])
    >>> sorted(manifest)[:4]
    ['command', 'config', 'config_file', 'inputs']
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {
        "command": ["hackathon-score", *argv],
        # The inputs' relative paths are relative to it (None: removed while the run ran).
        "working_directory": _working_directory(),
        "time": moment.isoformat().replace("+00:00", "Z"),
        "inputs": [{"path": str(path), "sha256": sha256(path)} for path in inputs],
        "config_file": (
            None
            if config_file is None
            else {"path": str(config_file), "sha256": sha256(config_file)}
        ),
        "config": rubric_data(config) if isinstance(config, Config) else plain(config),
        "seed": seed,
        "samples": samples,
        "language": get_language(),
        "versions": versions(),
        # Relative and with "/" on every system: what a later run reads back (scoring.earlier).
        "outputs": [path.as_posix() for path in outputs],
        "output_sha256": (
            {path.as_posix(): sha256(output_folder / path) for path in outputs}
            if output_folder is not None
            else {}
        ),
    }


def _working_directory() -> str | None:
    try:
        return str(Path.cwd())
    except FileNotFoundError:
        return None


def write_manifest(manifest: Mapping[str, Any], path: Path) -> Path:
    with replacing(path) as part:
        part.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
