"""Numbers in the current language's notation, rounded half up: the report's tables and the
numbers written in chart cells ("7,50" and "58 %" in German, "7.50" and "58%" in English).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache, partial
from typing import Any

from scoring.i18n import get_language
from scoring.rounding import round_half_up


def decimal_text(value: float, decimals: int) -> str:
    """``value`` rounded half up to ``decimals`` places (exactly, not as binary floats round),
    with the current language's decimal sign and digit grouping.

    Examples
    --------
    >>> decimal_text(7.25, 1), decimal_text(1234.5, 0)
    ('7.3', '1,235')
    """
    return _number_format(get_language(), decimals)(round_half_up(value, decimals))


def rubric_text(value: Decimal | int) -> str:
    """A number the rubric gives (a weight, a scale's bound or step, a total it allows) in the
    current language's notation, with every digit it has but trailing zeros: the rubric's
    exact decimals are the ones used.

    Examples
    --------
    >>> rubric_text(Decimal("0.50")), rubric_text(Decimal("25.00")), rubric_text(1000)
    ('0.5', '25', '1,000')
    >>> rubric_text(Decimal("0.0625")), rubric_text(Decimal("1E+1"))
    ('0.0625', '10')
    """
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=get_language(), decimal_quantization=False))


def exact_text(value: Decimal) -> str:
    """``value`` with every digit it has, in the current language's decimal sign and without
    digit grouping: a score as the juror typed it, quoted in a message ("7,25" in German).

    Examples
    --------
    >>> exact_text(Decimal("7.250")), exact_text(Decimal("1000")), exact_text(Decimal("-0.125"))
    ('7.25', '1000', '-0.125')
    """
    from babel.numbers import get_decimal_symbol

    text = format(value.normalize(), "f")
    return text.replace(".", get_decimal_symbol(get_language()))


def percent_text(share: float) -> str:
    """``share`` as a whole percentage in the current language's notation ("57 %" in German).

    Examples
    --------
    >>> percent_text(0.575)
    '58%'
    """
    from babel.numbers import format_percent

    return str(format_percent(round_half_up(share * 100, 0) / 100, locale=get_language()))


@cache
def _number_format(language: str, decimals: int) -> Callable[[Any], str]:
    """Babel's number formatting for ``language`` with ``decimals`` fixed decimals, parsed
    once: a report of 200 teams formats thousands of numbers, and ``format_decimal`` parses
    the locale and the pattern again at every call."""
    from babel import Locale
    from babel.numbers import parse_pattern

    locale = Locale.parse(language)
    pattern = parse_pattern("#,##0." + "0" * decimals if decimals > 0 else "#,##0")
    return partial(_apply, pattern, locale)


def _apply(pattern: Any, locale: Any, value: Any) -> str:
    return str(pattern.apply(value, locale))
