"""One base error and a shallow hierarchy; the CLI turns any ScoringError into exit code 2."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One finding about the input, located as precisely as the input allows."""

    severity: Literal["error", "warning"]
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def location(self) -> str:
        parts = [self.file, self.sheet and f"sheet {self.sheet}", self.row and f"row {self.row}",
                 self.column and f"column {self.column}"]
        return ", ".join(str(part) for part in parts if part)


class ScoringError(Exception):
    """Base of every error the scoring library raises on bad input or impossible requests."""


class ConfigError(ScoringError):
    """The rubric/method TOML is invalid; the message names the key."""


class InputError(ScoringError):
    """Jury sheets or side files are invalid; ``problems`` lists every finding at once."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the input")


class MethodError(ScoringError):
    """The chosen method cannot be applied to these marks (too few marks, disconnected design)."""
