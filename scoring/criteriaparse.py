"""The criteria of the TOML rubric: ids, labels per language, weights, scales, and the
per-challenge rubrics; each problem named by its key (see :mod:`scoring.tomlkeys`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from scoring.columns import RANKING_OWN
from scoring.config import Criterion, Scale
from scoring.i18n import LANGUAGES
from scoring.i18n import gettext as _
from scoring.tomlkeys import Keys, shown, to_decimal

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_CRITERION_KEYS = {"id", "label", "weight", "scale", "independent"}
# Weights and scale bounds beyond these are typing slips, and sums of squares of marks beyond
# the range of floating point would make every team tie at infinity.
LARGEST = Decimal(1_000_000)
LIGHTEST = Decimal("0.000001")

# Stands in for a scale that could not be read, so that reading goes on to the other keys.
_NO_SCALE = Scale(Decimal(0), Decimal(1))


def parse_scale(keys: Keys, key: str, default: Scale | None = None) -> Scale:
    if key not in keys.table:
        if default is None:
            keys.fail(key, _("missing; write for example scale = {{ min = 0, max = 10 }}").format())
        return default or _NO_SCALE
    table = keys.sub(key)
    if not table.valid:
        return _NO_SCALE
    table.only({"min", "max", "step"})
    bounds = _bounds(table)
    if bounds is None:
        return _NO_SCALE
    low, high = bounds
    return Scale(min=low, max=high, step=_step(table, high - low))


def _bounds(table: Keys) -> tuple[Decimal, Decimal] | None:
    """The scale's min and max, or None when either is missing, not a number, beyond
    :data:`LARGEST`, or when min is not below max."""
    for bound in ("min", "max"):
        if bound not in table.table:
            table.fail(
                bound, _("missing; write for example scale = {{ min = 0, max = 10 }}").format()
            )
    if "min" not in table.table or "max" not in table.table:
        return None
    low, high = table.decimal("min"), table.decimal("max")
    if low is None or high is None:
        return None
    for bound, value in (("min", low), ("max", high)):
        if abs(value) > LARGEST:
            table.fail(
                bound,
                _("must be from {low} to {high}, got {value}").format(
                    low=-LARGEST, high=LARGEST, value=value
                ),
            )
    if max(abs(low), abs(high)) > LARGEST:
        return None
    if low >= high:
        table.fail(
            "max", _("must be greater than min ({low}), got {high}").format(low=low, high=high)
        )
        return None
    return low, high


def _step(table: Keys, span: Decimal) -> Decimal | None:
    """The scale's step, or None when it has none or one that does not divide ``span``
    (max - min) into whole steps."""
    step = table.decimal("step") if "step" in table.table else None
    if step is not None and 0 < step < LIGHTEST:  # a slip; 1e-300 overflows the division
        table.fail(
            "step",
            _("must be from {low} to {high}, got {value}").format(
                low=LIGHTEST, high=span, value=step
            ),
        )
        step = None
    if step is not None and (step <= 0 or span % step != 0):
        table.fail(
            "step",
            _("must be positive and divide max - min ({span}), got {step}").format(
                span=span, step=step
            ),
        )
        step = None
    return step


def parse_rubric(keys: Keys, key: str, default_scale: Scale | None) -> tuple[Criterion, ...]:
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


def _criterion(keys: Keys, default_scale: Scale | None) -> Criterion | None:
    """The criterion, or None when its id is unusable (every other key is still checked)."""
    if not keys.valid:
        return None
    keys.only(_CRITERION_KEYS)
    ident, weight = _ident(keys), _weight(keys)
    independent = keys.table.get("independent", False)
    if not isinstance(independent, bool):
        keys.fail(
            "independent",
            _("must be true or false, got {value!r}").format(value=shown(independent)),
        )
        independent = False
    labels, scale = _labels(keys), parse_scale(keys, "scale", default_scale)
    if ident is None:
        return None
    return Criterion(id=ident, labels=labels, weight=weight, scale=scale, independent=independent)


def _ident(keys: Keys) -> str | None:
    """The criterion's id, or None when it is not one or names a column of the ranking."""
    ident = keys.table.get("id")
    if not isinstance(ident, str) or not _ID.fullmatch(ident):  # match() takes 'a\n'
        keys.fail(
            "id",
            _(
                "must be a text of the letters a to z and A to Z (no accents), digits, '-', '_' "
                "or '.', beginning with a letter or a digit, got {value!r}"
            ).format(value=shown(ident)),
        )
        return None
    if ident in RANKING_OWN:
        keys.fail(
            "id",
            _(
                "{value!r} names a column the ranking has already ({columns}): choose another id"
            ).format(value=ident, columns=", ".join(RANKING_OWN)),
        )
        return None
    return ident


def _weight(keys: Keys) -> Decimal:
    """The criterion's weight (1 when not given, or when it is not one)."""
    weight = to_decimal(keys.table.get("weight", 1))
    if weight is None or weight <= 0 or not weight.is_finite():
        keys.fail(
            "weight",
            _("must be a positive number, got {value!r}").format(
                value=shown(keys.table.get("weight"))
            ),
        )
        return Decimal(1)
    if not LIGHTEST <= weight <= LARGEST:
        keys.fail(
            "weight",
            _(
                "must be from {low} to {high} (weights only compare the criteria: 1, 2, 3 or "
                "20, 30, 50 will do), got {value}"
            ).format(low=LIGHTEST, high=LARGEST, value=weight),
        )
        return Decimal(1)
    return weight


def _labels(keys: Keys) -> Mapping[str, str]:
    value = keys.table.get("label", {})
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, Mapping):
        keys.fail(
            "label",
            _(
                "must be a text, or a table with a text per language such as "
                '{{ en = "Impact", de = "Wirkung" }}, got {value!r}'
            ).format(value=shown(value)),
        )
        return {}
    table = keys.sub("label")
    table.only(set(LANGUAGES))
    labels: dict[str, str] = {}
    for language, text in table.table.items():
        if not isinstance(text, str) or not text.strip():
            table.fail(
                language,
                _("must be a non-empty text, got {value!r}").format(value=shown(text)),
            )
        elif language in LANGUAGES:
            labels[language] = text
    return labels


def parse_challenges(top: Keys, default_scale: Scale | None) -> dict[str, tuple[Criterion, ...]]:
    challenges = top.sub("challenges")
    rubrics: dict[str, tuple[Criterion, ...]] = {}
    for challenge in challenges.table:
        keys = challenges.sub(challenge)
        if not keys.valid:
            continue
        keys.only({"criteria"})
        rubrics[str(challenge)] = parse_rubric(keys, "criteria", default_scale)
        if not keys.table.get("criteria"):
            keys.fail("criteria", _("at least one criterion is needed"))
    return rubrics


def refuse_shared_names(
    top: Keys, criteria: tuple[Criterion, ...], challenges: dict[str, tuple[Criterion, ...]]
) -> None:
    """A failure for each label (or id) that names two different criteria: a sheet headed
    with it could mean either, and its scores would go to the first. A challenge's criterion
    that keeps a main criterion's id may keep its labels too."""
    from scoring.headers import normalise

    owner: dict[str, str] = {}
    rubrics = [("criteria", criteria)]
    rubrics += [(f"challenges.{name}.criteria", rubric) for name, rubric in challenges.items()]
    for key, rubric in rubrics:
        for index, criterion in enumerate(rubric, start=1):
            for name in dict.fromkeys((criterion.id, *criterion.labels.values())):
                other = owner.setdefault(normalise(name), criterion.id)
                if other != criterion.id:
                    top.fail(
                        f"{key}[{index}].label",
                        _(
                            "{name!r} also names criterion {other!r}: a sheet headed {name!r} "
                            "could mean either; give each criterion labels of its own"
                        ).format(name=name, other=other),
                    )
