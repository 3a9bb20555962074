"""Validation of the TOML rubric: every key checked, every error naming its key.

Split from :mod:`scoring.config` so the dataclasses and the table of keys stay on one screen.
Reading goes on after a bad key, with a stand-in value, so that one ConfigError lists every
problem of the rubric at once: a chair fixes the file in one go, not one run per typo.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from scoring.config import (
    MAX_SAMPLES,
    MAX_SEED,
    METHODS,
    ORDERS,
    RANK_METHODS,
    ROUNDING_STAGES,
    TIE_BREAKS,
    Bootstrap,
    Config,
    Criterion,
    Method,
    Rounding,
    Scale,
)
from scoring.errors import ConfigError
from scoring.i18n import LANGUAGES
from scoring.i18n import gettext as _

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOP_KEYS = {
    "language",
    "min_jurors",
    "tie_breaks",
    "scale",
    "method",
    "rounding",
    "bootstrap",
    "conflicts",
    "criteria",
    "challenges",
}
_CRITERION_KEYS = {"id", "label", "weight", "scale", "independent"}
# Weights and scale bounds beyond these are typing slips, and sums of squares of marks beyond
# the range of floating point would make every team tie at infinity.
LARGEST = Decimal(1_000_000)
LIGHTEST = Decimal("0.000001")


class _Keys:
    """A table being read: remembers where it is, so errors can say ``criteria[2].weight``.

    ``fail`` records a problem in ``found`` (shared by every table of the rubric) and returns;
    the caller carries on with a stand-in value, and :func:`build_config` raises at the end.
    """

    def __init__(self, table: object, where: str, source: str, found: list[str]) -> None:
        self.source = source
        self.where = where
        self.found = found
        self.valid = isinstance(table, Mapping)
        if not self.valid:
            self.fail("", _("must be a table, got {value!r}").format(value=_shown(table)))
        self.table = cast(Mapping[str, Any], table) if self.valid else {}

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where and key else (self.where or key)

    def fail(self, key: str, message: str) -> None:
        self.found.append(f"{self.source}: {self.path(key)}: {message}")

    def child(self, table: object, where: str) -> _Keys:
        return _Keys(table, where, self.source, self.found)

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

    def sub(self, key: str) -> _Keys:
        return self.child(self.table.get(key, {}), self.path(key))

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                key,
                _("must be a whole number from {low} to {high}, got {value!r}").format(
                    low=low, high=high, value=_shown(value)
                ),
            )
            return default
        return value

    def decimal(self, key: str, default: Decimal | None = None) -> Decimal | None:
        """The number at ``key``; None (after recording the problem) when it is not one."""
        value = self.table.get(key, default)
        number = _to_decimal(value)
        if number is None:
            self.fail(key, _("must be a number, got {value!r}").format(value=_shown(value)))
        return number

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.table.get(key, default)
        if value not in choices:
            self.fail(
                key,
                _("must be one of {choices}, got {value!r}").format(
                    choices=", ".join(choices), value=_shown(value)
                ),
            )
            return default
        return cast(str, value)

    def strings(self, key: str) -> list[str]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.fail(key, _("must be a list of texts, got {value!r}").format(value=_shown(value)))
            return []
        return [str(v) for v in value]


def _shown(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _to_decimal(value: object) -> Decimal | None:
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


def read_toml(path: Path) -> Mapping[str, object]:
    """Parse ``path`` keeping decimals exact; any failure becomes a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            _("{file}: no such file; check the path of the rubric").format(file=path)
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            _("{file}: not UTF-8 text; save it as UTF-8").format(file=path.name)
        ) from None
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            _("{file}: not valid TOML: {error}; correct the rubric at that place").format(
                file=path.name, error=error
            )
        ) from None


def build_config(mapping: Mapping[str, object], *, source: str) -> Config:
    """The rubric as a Config, or one ConfigError listing every problem, each with its key."""
    found: list[str] = []
    top = _Keys(mapping, "", source, found)
    top.only(_TOP_KEYS)
    default_scale = _scale(top, "scale") if "scale" in top.table else None
    criteria = _rubric(top, "criteria", default_scale)
    if not top.table.get("criteria"):
        top.fail("criteria", _("at least one criterion is needed ([[criteria]] with an id)"))
    challenges = _challenges(top, default_scale)
    known_ids = {c.id for c in criteria} | {c.id for r in challenges.values() for c in r}
    method, rounding = _method(top.sub("method")), _rounding(top.sub("rounding"))
    if method.order == "juror-first" and "weighted" in rounding.stages:
        top.sub("rounding").fail(
            "stages",
            _(
                "weighted rounds the weighted criterion scores of criterion-first; juror-first "
                "totals each juror's raw marks, so remove it"
            ),
        )
    config = Config(
        criteria=criteria,
        method=method,
        rounding=rounding,
        tie_breaks=_tie_breaks(top, known_ids),
        min_jurors=top.integer("min_jurors", 1, 1, 1000),
        conflicts=_conflicts(top.sub("conflicts")),
        challenge_criteria=challenges,
        bootstrap=_bootstrap(top.sub("bootstrap")),
        language=top.choice("language", "en", LANGUAGES),
    )
    if found:
        raise ConfigError("\n".join(found), found)
    return config


# Stands in for a scale that could not be read, so that reading goes on to the other keys.
_NO_SCALE = Scale(Decimal(0), Decimal(1))


def _scale(keys: _Keys, key: str, default: Scale | None = None) -> Scale:
    if key not in keys.table:
        if default is None:
            keys.fail(key, _("missing; write for example scale = {{ min = 0, max = 10 }}").format())
        return default or _NO_SCALE
    table = keys.sub(key)
    if not table.valid:
        return _NO_SCALE
    table.only({"min", "max", "step"})
    for bound in ("min", "max"):
        if bound not in table.table:
            table.fail(
                bound, _("missing; write for example scale = {{ min = 0, max = 10 }}").format()
            )
    if "min" not in table.table or "max" not in table.table:
        return _NO_SCALE
    low, high = table.decimal("min"), table.decimal("max")
    if low is None or high is None:
        return _NO_SCALE
    for bound, value in (("min", low), ("max", high)):
        if abs(value) > LARGEST:
            table.fail(
                bound,
                _("must be from {low} to {high}, got {value}").format(
                    low=-LARGEST, high=LARGEST, value=value
                ),
            )
    if max(abs(low), abs(high)) > LARGEST:
        return _NO_SCALE
    if low >= high:
        table.fail(
            "max", _("must be greater than min ({low}), got {high}").format(low=low, high=high)
        )
        return _NO_SCALE
    step = table.decimal("step") if "step" in table.table else None
    if step is not None and 0 < step < LIGHTEST:  # a slip; 1e-300 overflows the division
        table.fail(
            "step",
            _("must be from {low} to {high}, got {value}").format(
                low=LIGHTEST, high=high - low, value=step
            ),
        )
        step = None
    if step is not None and (step <= 0 or (high - low) % step != 0):
        table.fail(
            "step",
            _("must be positive and divide max - min ({span}), got {step}").format(
                span=high - low, step=step
            ),
        )
        step = None
    return Scale(min=low, max=high, step=step)


def _rubric(keys: _Keys, key: str, default_scale: Scale | None) -> tuple[Criterion, ...]:
    items = keys.table.get(key, [])
    if not isinstance(items, list):
        keys.fail(key, _("must be a list of tables ([[{key}]])").format(key=key))
        items = []
    criteria: list[Criterion] = []
    for index, item in enumerate(items, start=1):
        criterion = _criterion(keys.child(item, f"{keys.path(key)}[{index}]"), default_scale)
        if criterion is None:
            continue
        if any(c.id == criterion.id for c in criteria):
            keys.fail(
                f"{key}[{index}].id",
                _("{id!r} is used twice; give each criterion an id of its own").format(
                    id=criterion.id
                ),
            )
        criteria.append(criterion)
    if criteria and all(c.independent for c in criteria):
        keys.fail(key, _("every criterion is independent; at least one must count in the total"))
    return tuple(criteria)


def _criterion(keys: _Keys, default_scale: Scale | None) -> Criterion | None:
    """The criterion, or None when its id is unusable (every other key is still checked)."""
    if not keys.valid:
        return None
    keys.only(_CRITERION_KEYS)
    ident = keys.table.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        keys.fail(
            "id",
            _("must be a text of letters, digits, '-', '_' or '.', got {value!r}").format(
                value=_shown(ident)
            ),
        )
        ident = None
    weight = _to_decimal(keys.table.get("weight", 1))
    if weight is None or weight <= 0 or not weight.is_finite():
        keys.fail(
            "weight",
            _("must be a positive number, got {value!r}").format(
                value=_shown(keys.table.get("weight"))
            ),
        )
        weight = Decimal(1)
    elif not LIGHTEST <= weight <= LARGEST:
        keys.fail(
            "weight",
            _(
                "must be from {low} to {high} (weights only compare the criteria: 1, 2, 3 or "
                "20, 30, 50 will do), got {value}"
            ).format(low=LIGHTEST, high=LARGEST, value=weight),
        )
        weight = Decimal(1)
    independent = keys.table.get("independent", False)
    if not isinstance(independent, bool):
        keys.fail(
            "independent",
            _("must be true or false, got {value!r}").format(value=_shown(independent)),
        )
        independent = False
    labels, scale = _labels(keys), _scale(keys, "scale", default_scale)
    if ident is None:
        return None
    return Criterion(id=ident, labels=labels, weight=weight, scale=scale, independent=independent)


def _labels(keys: _Keys) -> Mapping[str, str]:
    value = keys.table.get("label", {})
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, Mapping):
        keys.fail(
            "label",
            _(
                "must be a text, or a table with a text per language such as "
                '{{ en = "Impact", de = "Wirkung" }}, got {value!r}'
            ).format(value=_shown(value)),
        )
        return {}
    table = keys.sub("label")
    table.only(set(LANGUAGES))
    labels: dict[str, str] = {}
    for language, text in table.table.items():
        if not isinstance(text, str) or not text.strip():
            table.fail(
                language,
                _("must be a non-empty text, got {value!r}").format(value=_shown(text)),
            )
        elif language in LANGUAGES:
            labels[language] = text
    return labels


def _method(keys: _Keys) -> Method:
    keys.only({"name", "order", "trim", "min_marks"})
    name = keys.choice("name", "mean", METHODS)
    rank_method = name in RANK_METHODS
    order = keys.choice("order", "juror-first" if rank_method else "criterion-first", ORDERS)
    if rank_method and order != "juror-first":
        keys.fail(
            "order",
            _("{method} ranks each juror's totals, so it needs juror-first").format(method=name),
        )
    if "trim" in keys.table and name != "trimmed_mean":
        keys.fail("trim", _("only used by trimmed_mean; remove it or set name = 'trimmed_mean'"))
    if "min_marks" in keys.table and name not in ("zscore", "judge_effects"):
        keys.fail("min_marks", _("only used by zscore and judge_effects; remove it"))
    trim = keys.integer("trim", 1 if name == "trimmed_mean" else 0, 0, 100)
    if name == "trimmed_mean" and trim < 1:
        keys.fail("trim", _("trimmed_mean drops at least one mark at each end; use 1 or more"))
    min_marks = keys.integer("min_marks", 5, 2, 10000)
    return Method(name=name, order=order, trim=trim, min_marks=min_marks)  # type: ignore[arg-type]


def _rounding(keys: _Keys) -> Rounding:
    keys.only({"decimals", "stages"})
    if "decimals" not in keys.table:
        if "stages" in keys.table:
            keys.fail("decimals", _("missing: stages need the number of decimals"))
        return Rounding()
    decimals = keys.integer("decimals", 2, 0, 10)
    stages = keys.strings("stages") if "stages" in keys.table else ["total"]
    for stage in stages:
        if stage not in ROUNDING_STAGES:
            keys.fail(
                "stages",
                _("must list some of {choices}, got {value!r}").format(
                    choices=", ".join(ROUNDING_STAGES), value=stage
                ),
            )
    if len(set(stages)) != len(stages) or not stages:
        keys.fail("stages", _("must name each stage once, at least one"))
    ordered = tuple(s for s in ROUNDING_STAGES if s in stages)
    return Rounding(decimals=decimals, stages=ordered)  # type: ignore[arg-type]


def _tie_breaks(keys: _Keys, criterion_ids: set[str]) -> tuple[str, ...]:
    rules = keys.strings("tie_breaks")
    for index, rule in enumerate(rules, start=1):
        kind, _sep, ident = rule.partition(":")
        if rule in TIE_BREAKS or (kind == "criterion" and ident in criterion_ids):
            continue
        keys.fail(
            f"tie_breaks[{index}]",
            _(
                "must be criterion:<id> with a rubric criterion id, or "
                "one of {choices}, got {value!r}"
            ).format(choices=", ".join(TIE_BREAKS), value=rule),
        )
    for rule in dict.fromkeys(r for r in rules if rules.count(r) > 1):
        keys.fail(
            "tie_breaks",
            _("names {value!r} twice; list each tie-break once").format(value=rule),
        )
    return tuple(rules)


def _conflicts(keys: _Keys) -> Mapping[str, frozenset[str]]:
    return {str(juror): frozenset(keys.strings(juror)) for juror in keys.table}


def _challenges(top: _Keys, default_scale: Scale | None) -> dict[str, tuple[Criterion, ...]]:
    challenges = top.sub("challenges")
    rubrics: dict[str, tuple[Criterion, ...]] = {}
    for challenge in challenges.table:
        keys = challenges.sub(challenge)
        if not keys.valid:
            continue
        keys.only({"criteria"})
        rubrics[str(challenge)] = _rubric(keys, "criteria", default_scale)
        if not keys.table.get("criteria"):
            keys.fail("criteria", _("at least one criterion is needed"))
    return rubrics


def _bootstrap(keys: _Keys) -> Bootstrap:
    keys.only({"samples", "seed", "interval"})
    interval = keys.decimal("interval", Decimal("0.90"))
    if interval is not None and not 0 < interval < 1:
        keys.fail(
            "interval", _("must be between 0 and 1, e.g. 0.9, got {value}").format(value=interval)
        )
    if interval is None or not 0 < interval < 1:
        interval = Decimal("0.90")
    return Bootstrap(
        samples=keys.integer("samples", 1000, 1, MAX_SAMPLES),
        seed=keys.integer("seed", 20261122, 0, MAX_SEED),
        interval=float(interval),
    )
