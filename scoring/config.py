"""The rubric and method settings (TOML) as frozen dataclasses, validated.

``load_config(path)`` reads a TOML rubric; ``parse_config(mapping, source=...)`` validates an
already parsed mapping. Unknown keys and bad values raise :class:`~scoring.errors.ConfigError`
naming the file and the key, e.g. ``rubric.toml: criteria[2].weight: must be a positive number,
got 'high'``. Decimal numbers (weights, scales) are read from the TOML text itself, never
through binary floats, so ``weight = 0.1`` is exactly one tenth.

Keys (a commented example is ``data/sample-jury/rubric.toml``):

==========================  ===========================================================
key                         meaning
==========================  ===========================================================
``language``                de, fr, en or lb: language of reports and templates (en)
``min_jurors``              minimum jurors per team; fewer is an error (1)
``tie_breaks``              ordered list among ``criterion:<id>``, ``median``,
                            ``first_places``, ``min``, ``max`` (empty: ties stay ties)
``scale``                   default scale for criteria without one: ``{min, max, step}``
``[method] name``           mean, median, trimmed_mean, zscore, judge_effects, borda,
                            copeland (mean)
``[method] order``          criterion-first or juror-first; borda and copeland are
                            juror-first and refuse criterion-first (criterion-first)
``[method] trim``           trimmed_mean only: marks dropped at each end (1)
``[method] min_marks``      zscore and judge_effects only: fewest marks a juror needs
                            to be normalised (5)
``[rounding] decimals``     decimals kept, rounding half up (no rounding)
``[rounding] stages``       where to round, among criterion, weighted, total (total);
                            weighted only with criterion-first
``[bootstrap] samples``     bootstrap resamples for rank stability, 1..100000 (1000)
``[bootstrap] seed``        random seed, so the report is reproducible (20261122)
``[bootstrap] interval``    width of the rank interval, between 0 and 1 (0.90)
``[conflicts]``             ``juror = ["team", ...]``: declared conflicts of interest
``[[criteria]] id``         letters, digits, ``-`` and ``_``; unique
``[[criteria]] label``      a text, or a table of texts per language
``[[criteria]] weight``     a positive number (1)
``[[criteria]] scale``      ``{min = 0, max = 10, step = 0.5}``; step optional
``[[criteria]] independent``  true: shown, but not counted in the total (false)
``[challenges.<id>]``       ``criteria = [...]``: a rubric of its own for that
                            challenge's teams, same keys as ``[[criteria]]``
==========================  ===========================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

MethodName = Literal[
    "mean", "median", "trimmed_mean", "zscore", "judge_effects", "borda", "copeland"
]
Order = Literal["criterion-first", "juror-first"]
RoundingStage = Literal["criterion", "weighted", "total"]
METHODS = ("mean", "median", "trimmed_mean", "zscore", "judge_effects", "borda", "copeland")
ORDERS = ("criterion-first", "juror-first")
ROUNDING_STAGES = ("criterion", "weighted", "total")
RANK_METHODS = ("borda", "copeland")
MAX_SAMPLES = 100_000  # bootstrap resamples, in the rubric and on the command line
MAX_SEED = 2**32 - 1  # the bootstrap's random seed (numpy's SeedSequence takes 0 and up)
# Tie-breaks besides ``criterion:<id>`` (higher weighted criterion score wins).
TIE_BREAKS = ("median", "first_places", "min", "max")


@dataclass(frozen=True)
class Scale:
    min: Decimal
    max: Decimal
    step: Decimal | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    labels: Mapping[str, str]
    weight: Decimal
    scale: Scale
    independent: bool = False

    def label(self, language: str) -> str:
        """The label in ``language``, falling back to English, then to any label, then the id."""
        return (
            self.labels.get(language)
            or self.labels.get("en")
            or next(iter(self.labels.values()), self.id)
        )

    def named(self, language: str) -> str:
        """The criterion as a message names it: "'Faisabilité' (feasibility)", or "'impact'"
        for a criterion labelled by its id."""
        label = self.label(language)
        return repr(self.id) if label == self.id else f"{label!r} ({self.id})"


@dataclass(frozen=True)
class Method:
    name: MethodName = "mean"
    order: Order = "criterion-first"
    trim: int = 0
    min_marks: int = 5


@dataclass(frozen=True)
class Rounding:
    decimals: int | None = None
    stages: tuple[RoundingStage, ...] = ()


@dataclass(frozen=True)
class Bootstrap:
    samples: int = 1000
    seed: int = 20261122
    interval: float = 0.90


@dataclass(frozen=True)
class Config:
    criteria: tuple[Criterion, ...]
    method: Method = field(default_factory=Method)
    rounding: Rounding = field(default_factory=Rounding)
    # Ordered tie-breaks: "criterion:<id>", "median", "first_places", "min", "max"
    tie_breaks: tuple[str, ...] = ()
    min_jurors: int = 1
    # juror id -> team ids the juror declared a conflict of interest with
    conflicts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # challenge id -> its own rubric, replacing ``criteria`` for that challenge's teams
    challenge_criteria: Mapping[str, tuple[Criterion, ...]] = field(default_factory=dict)
    bootstrap: Bootstrap = field(default_factory=Bootstrap)
    language: str = "en"

    def criteria_for(self, challenge: str | None) -> tuple[Criterion, ...]:
        if challenge is not None and challenge in self.challenge_criteria:
            return self.challenge_criteria[challenge]
        return self.criteria

    def every_criterion(self) -> tuple[Criterion, ...]:
        """Every criterion of every rubric: an id that a challenge's rubric keeps appears once
        for each rubric, with that rubric's labels (a sheet may use either)."""
        return tuple(
            c for rubric in (self.criteria, *self.challenge_criteria.values()) for c in rubric
        )

    def all_criteria(self) -> tuple[Criterion, ...]:
        """Every criterion of the main rubric and of the challenge rubrics, each id once."""
        seen: dict[str, Criterion] = {}
        for rubric in (self.criteria, *self.challenge_criteria.values()):
            for criterion in rubric:
                seen.setdefault(criterion.id, criterion)
        return tuple(seen.values())


def load_config(path: Path | str) -> Config:
    """Read and validate a TOML rubric.

    Parameters
    ----------
    path : Path or str
        The TOML file.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        When the file is missing, not TOML, or a key is unknown or has a bad value.

    Examples
    --------
    >>> config = load_config("data/sample-jury/rubric.toml")
    >>> config.method.name
    'judge_effects'
    """
    from scoring.configparse import read_toml

    path = Path(path)
    return parse_config(read_toml(path), source=path.name)


def parse_config(mapping: Mapping[str, object], *, source: str) -> Config:
    """Validate a parsed TOML mapping into a :class:`Config`.

    Floats may be ``Decimal`` (as :func:`load_config` reads them) or ``float``.

    Examples
    --------
    >>> config = parse_config({"criteria": [{"id": "impact", "scale": {"min": 0, "max": 10}}]},
    ...                       source="rubric.toml")
    >>> config.criteria[0].weight
    Decimal('1')
    """
    from scoring.configparse import build_config

    return build_config(mapping, source=source)
