"""Which language to answer in: an explicit choice, the profile, the browser, the default.

Pure functions over strings, so the rules are easy to test and to read in one place.
"""

from __future__ import annotations

from hackathon.settings import LOCALES

# ISO 639-2 code some browsers send for Luxembourgish.
_ALIASES = {"ltz": "lb"}


def normalize_locale(tag: str | None) -> str | None:
    """``"lb-LU"``, ``"de_DE"``, ``"FR"`` -> a supported locale, or None."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in LOCALES else None


def parse_accept_language(header: str) -> list[tuple[str, float]]:
    """Language ranges with their q-values, best first; malformed ranges are skipped."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        if not tag:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if 0.0 < quality <= 1.0:
            ranges.append((tag, quality))
    # sorted() is stable: equal q-values keep the browser's order.
    return sorted(ranges, key=lambda item: -item[1])


def negotiate_locale(
    *,
    explicit: str | None,
    user_locale: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    """An explicit choice, then the profile, then the browser's preferences, then ``default``."""
    for choice in (explicit, user_locale):
        if (locale := normalize_locale(choice)) is not None:
            return locale
    for tag, _quality in parse_accept_language(accept_language or ""):
        if tag == "*":
            return default
        if (locale := normalize_locale(tag)) is not None:
            return locale
    return default
