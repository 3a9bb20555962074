"""Numbers on charts in the language's notation, as the report writes them: "0,5" and
"57 %" in German, "0.5" and "57%" in English; values rounded half up, as everywhere else.
"""

from __future__ import annotations

import functools

from matplotlib.axis import Axis
from matplotlib.ticker import ScalarFormatter

from scoring.i18n import get_language


class LocalNumbers(ScalarFormatter):
    """matplotlib's tick numbers in the language's notation ("0,5" in German), the language
    current when they are drawn; never mathtext or the C library's locale, whatever the
    user's settings (either would write the decimal sign its own way)."""

    def __init__(self) -> None:
        super().__init__(useMathText=False, useLocale=False)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return str(super().__call__(x, pos)).replace(".", decimal_sign())


@functools.cache
def _decimal_sign(language: str) -> str:
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(language))


def decimal_sign() -> str:
    """The decimal sign of the current language ("," in German)."""
    return _decimal_sign(get_language())


def local_numbers(*axes: Axis) -> None:
    """Write the tick numbers of ``axes`` in the current language's notation, unless the
    caller gave them a formatter of their own (on their own Axes)."""
    for axis in axes:
        if type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(LocalNumbers())


def decimal_text(value: float, decimals: int) -> str:
    """``value`` rounded half up to ``decimals`` places, in the current language's notation
    (as the report writes numbers).

    Examples
    --------
    >>> decimal_text(7.25, 1)
    '7.3'
    """
    from babel.numbers import format_decimal

    from scoring.rounding import round_half_up

    pattern = "0." + "0" * decimals if decimals else "0"
    return str(format_decimal(round_half_up(value, decimals), pattern, locale=get_language()))


def percent_text(share: float) -> str:
    """``share`` as a whole percentage in the current language's notation ("57 %" in German).

    Examples
    --------
    >>> percent_text(0.575)
    '58%'
    """
    from babel.numbers import format_percent

    from scoring.rounding import round_half_up

    return str(format_percent(round_half_up(share * 100, 0) / 100, locale=get_language()))
