"""Reading one table of the TOML rubric, key by key, with every error naming its key.

:class:`Keys` remembers where it is in the rubric (``criteria[2].scale.max``), so that a
problem says which key to fix; a bad value is recorded, a stand-in returned, and reading goes
on (see :mod:`scoring.configparse`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from scoring.i18n import gettext as _


class Keys:
    """A table being read: remembers where it is, so errors can say ``criteria[2].weight``.

    ``fail`` records a problem in ``found`` (shared by every table of the rubric) and returns;
    the caller carries on with a stand-in value, and
    :func:`scoring.configparse.build_config` raises at the end.
    """

    def __init__(self, table: object, where: str, source: str, found: list[str]) -> None:
        self.source = source
        self.where = where
        self.found = found
        self.valid = isinstance(table, Mapping)
        if not self.valid:
            self.fail("", _("must be a table, got {value!r}").format(value=shown(table)))
        self.table = cast(Mapping[str, Any], table) if self.valid else {}

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where and key else (self.where or key)

    def fail(self, key: str, message: str) -> None:
        self.found.append(f"{self.source}: {self.path(key)}: {message}")

    def child(self, table: object, where: str) -> Keys:
        return Keys(table, where, self.source, self.found)

    def only(self, allowed: set[str]) -> None:
        for key in self.table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.fail(
                    key,
                    _(
                        "unknown key; correct its spelling or remove it (known keys here: {known})"
                    ).format(known=known),
                )

    def sub(self, key: str) -> Keys:
        return self.child(self.table.get(key, {}), self.path(key))

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                key,
                _("must be a whole number from {low} to {high}, got {value!r}").format(
                    low=low, high=high, value=shown(value)
                ),
            )
            return default
        return value

    def decimal(self, key: str, default: Decimal | None = None) -> Decimal | None:
        """The number at ``key``; None (after recording the problem) when it is not one."""
        value = self.table.get(key, default)
        number = to_decimal(value)
        if number is None:
            self.fail(key, _("must be a number, got {value!r}").format(value=shown(value)))
        return number

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.table.get(key, default)
        if value not in choices:
            self.fail(
                key,
                _("must be one of {choices}, got {value!r}").format(
                    choices=", ".join(choices), value=shown(value)
                ),
            )
            return default
        return cast(str, value)

    def strings(self, key: str) -> list[str]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.fail(key, _("must be a list of texts, got {value!r}").format(value=shown(value)))
            return []
        return [str(v) for v in value]


def shown(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def to_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        number = Decimal(value)
        return number if number.is_finite() else None
    if isinstance(value, float):
        # A float that did not come from the TOML text: its shortest repr is what was meant.
        number = Decimal(repr(value))
        return number if number.is_finite() else None
    return None
