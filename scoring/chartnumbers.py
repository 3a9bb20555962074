"""Tick numbers on charts in the language's notation, as the report writes numbers ("0,5" in
German, "0.5" in English); the numbers in chart cells come from :mod:`scoring.numbers`.
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
