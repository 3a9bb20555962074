"""One base error and a shallow hierarchy; the CLI turns any ScoringError into exit code 2."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scoring.i18n import gettext as _
from scoring.i18n import ngettext

# Problems of a file that could not be read (or not whole): its marks are missing, and
# other problems may follow from that.
UNREAD = frozenset(
    {
        "no_such_file",
        "not_a_spreadsheet",
        "skipped_file",
        "no_permission",
        "unreadable_file",
        "zip_bomb",
        "too_large",
        "too_many_rows",
        "not_utf8",
        "nul_character",
        "unclosed_quote",
        "stray_quote",
        "long_cell",
        "bad_csv",
        "too_many_columns",
        "too_many_cells",
        "too_large_sheet",
        "too_many_sheets",
        "shared_sheet_part",
        "damaged_file",
    }
)


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
        """Where to look, in the current language: "marks.xlsx, sheet Jury, row 4, column D".

        Examples
        --------
        >>> Problem("error", "x", "", file="a.csv", row=4, column="D").location()
        'a.csv, row 4, column D'
        """
        # Translated when called, not when the problem is found: the CLI and the report may
        # speak another language than the one active while the sheets were read.
        parts = [
            self.file,
            self.sheet and _("sheet {sheet}").format(sheet=self.sheet),
            self.row and _("row {row}").format(row=self.row),
            self.column and _("column {column}").format(column=self.column),
        ]
        return ", ".join(str(part) for part in parts if part)


class ScoringError(Exception):
    """Base of every error the scoring library raises on bad input or impossible requests."""


class ConfigError(ScoringError):
    """The rubric/method TOML is invalid; ``problems`` lists every finding, each naming its key.

    The message is the problems, one per line (``rubric.toml: criteria[2].weight: ...``).
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = tuple(problems) or (message,)
        super().__init__(message)


class InputError(ScoringError):
    """Jury sheets or side files are invalid; ``problems`` lists every finding at once."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        count = sum(p.severity == "error" for p in self.problems)
        super().__init__(
            ngettext(
                "{n} error in the input; each problem says where it is and what to fix",
                "{n} errors in the input; each problem says where it is and what to fix",
                count,
            ).format(n=count)
        )


class MethodError(ScoringError):
    """The chosen method cannot be applied to these marks (too few marks, disconnected design)."""
