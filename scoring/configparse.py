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
    Method,
    Rounding,
)
from scoring.criteriaparse import (
    parse_challenges,
    parse_rubric,
    parse_scale,
    refuse_shared_names,
)
from scoring.errors import ConfigError
from scoring.i18n import LANGUAGES
from scoring.i18n import gettext as _
from scoring.tomlkeys import Keys

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
        message = _("{file}: not valid TOML: {error}; correct the rubric at that place").format(
            file=path.name, error=error
        )
        # The parser's own words are English; the likeliest cause for a chair who writes
        # decimals with a comma is said in their language.
        where = re.search(r"at line (\d+)", str(error))
        lines = text.splitlines()
        if where and int(where[1]) <= len(lines) and re.search(r"\d,\d", lines[int(where[1]) - 1]):
            message += " " + _("(TOML writes decimals with a point: 0.3, not 0,3)")
        raise ConfigError(message) from None


def build_config(mapping: Mapping[str, object], *, source: str) -> Config:
    """The rubric as a Config, or one ConfigError listing every problem, each with its key."""
    found: list[str] = []
    top = Keys(mapping, "", source, found)
    top.only(_TOP_KEYS)
    default_scale = parse_scale(top, "scale") if "scale" in top.table else None
    criteria = parse_rubric(top, "criteria", default_scale)
    challenges = parse_challenges(top, default_scale)
    # The main rubric is for the teams whose challenge has none of its own: without it, every
    # team needs one (see scoring.teamchecks); without any, nothing can be scored.
    if not top.table.get("criteria") and not challenges:
        top.fail(
            "criteria",
            _(
                "at least one criterion is needed ([[criteria]] with an id, or "
                "[[challenges.<challenge>.criteria]] for each challenge)"
            ),
        )
    refuse_shared_names(top, criteria, challenges)
    known_ids = {c.id for c in criteria} | {c.id for r in challenges.values() for c in r}
    method, rounding = _method(top.sub("method")), _rounding(top.sub("rounding"))
    _juror_first_rounding(top, method, rounding)
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


def _juror_first_rounding(top: Keys, method: Method, rounding: Rounding) -> None:
    """Stages that would round nothing of a juror-first score: refused, saying why."""
    if method.order != "juror-first":
        return
    ranks = method.name in RANK_METHODS  # juror-first without the rubric saying so
    if "weighted" in rounding.stages:
        always = _(
            "weighted rounds the weighted criterion scores of criterion-first; {method} is "
            "always juror-first, which totals each juror's raw marks, so remove it"
        )
        chosen = _(
            "weighted rounds the weighted criterion scores of criterion-first; juror-first "
            "totals each juror's raw marks, so remove it"
        )
    elif "criterion" in rounding.stages and "total" not in rounding.stages:
        always = _(
            "{method} is always juror-first, where criterion rounds only the criterion columns "
            "shown for information, not the score; add total to round the score"
        )
        chosen = _(
            "in juror-first, criterion rounds only the criterion columns shown for "
            "information, not the score; add total to round the score"
        )
    else:
        return
    top.sub("rounding").fail("stages", (always if ranks else chosen).format(method=method.name))


def _method(keys: Keys) -> Method:
    keys.only({"name", "order", "trim", "min_marks"})
    name = keys.choice("name", "mean", METHODS)
    rank_method = name in RANK_METHODS
    order = keys.choice("order", "juror-first" if rank_method else "criterion-first", ORDERS)
    if rank_method and order != "juror-first":
        keys.fail(
            "order",
            _("{method} ranks each juror's totals, so it needs juror-first").format(method=name),
        )
    # Said of the method named; a name refused already would make them wrong advice.
    named = keys.table.get("name", "mean") in METHODS
    if named and "trim" in keys.table and name != "trimmed_mean":
        keys.fail("trim", _("only used by trimmed_mean; remove it or set name = 'trimmed_mean'"))
    if named and "min_marks" in keys.table and name not in ("zscore", "judge_effects"):
        keys.fail("min_marks", _("only used by zscore and judge_effects; remove it"))
    # trimmed_mean drops at least one mark at each end: 0 is refused by the same bounds as -1.
    least = 1 if name == "trimmed_mean" else 0
    trim = keys.integer("trim", least, least, 100)
    min_marks = keys.integer("min_marks", 5, 2, 10000)
    return Method(name=name, order=order, trim=trim, min_marks=min_marks)  # type: ignore[arg-type]


def _rounding(keys: Keys) -> Rounding:
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


def _tie_breaks(keys: Keys, criterion_ids: set[str]) -> tuple[str, ...]:
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


def _conflicts(keys: Keys) -> Mapping[str, frozenset[str]]:
    return {str(juror): frozenset(keys.strings(juror)) for juror in keys.table}


def _bootstrap(keys: Keys) -> Bootstrap:
    keys.only({"samples", "seed", "interval"})
    interval = keys.decimal("interval", Decimal("0.90"))
    if interval is not None and not 0 < interval < 1:
        keys.fail(
            "interval", _("must be between 0 and 1, e.g. 0.9, got {value}").format(value=interval)
        )
    if interval is None or not 0 < interval < 1:
        interval = Decimal("0.90")
    return Bootstrap(
        samples=keys.integer("samples", 1000, 0, MAX_SAMPLES),  # 0: no rank stability
        seed=keys.integer("seed", 20261122, 0, MAX_SEED),
        interval=float(interval),
    )
