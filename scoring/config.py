"""The rubric and method settings (TOML) as frozen dataclasses, validated.

CONTRACT: the dataclasses below are what every other scoring module receives.
``load_config(path) -> Config`` and ``parse_config(mapping, source) -> Config`` read and
validate a TOML rubric; unknown keys and bad values raise ``ConfigError`` naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

MethodName = Literal["mean", "median", "trimmed_mean", "zscore", "judge_effects", "borda", "copeland"]
Order = Literal["criterion-first", "juror-first"]
RoundingStage = Literal["criterion", "weighted", "total"]
RANK_METHODS = ("borda", "copeland")


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
        return self.labels.get(language) or self.labels.get("en") or next(
            iter(self.labels.values()), self.id
        )


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
    # Ordered tie-breaks: "criterion:<id>", "median", "first_places", ...
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
