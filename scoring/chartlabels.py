"""The labels along a chart's axes (teams, jurors) drawn into its PNG with Pillow.

matplotlib 3.11 shapes, measures and rasterises each text glyph by glyph in Python: about
1.9 ms a label, so that the 600 labels of a 200-team jury's charts took more than a second of
the three the charts took. Pillow draws the same font file's glyphs in C, in about 0.16 ms a
label. The labels stay matplotlib texts on the Axes (a chart embedded elsewhere, the SVG file):
only the PNG writer hides them from matplotlib and draws them itself, where and as matplotlib
would (same font, size, colour, alignment and rotation by 0 or 90 degrees; other texts are left
to matplotlib).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from matplotlib.colors import to_rgba
from matplotlib.font_manager import findfont
from matplotlib.text import Text
from PIL import Image, ImageDraw, ImageFont

# matplotlib aligns a line of text as if it were at least as tall as these two letters.
_TALL = "lp"
_ANCHORS = {"left": "l", "center": "m", "right": "r"}
_SPARE = 1  # pixels


@dataclass(frozen=True)
class _Metrics:
    width: float  # pixels along the text
    ascent: float  # pixels above the baseline, at least those of _TALL
    descent: float  # pixels below it, likewise


@functools.lru_cache(maxsize=64)
def _font(path: str, pixels: float) -> ImageFont.FreeTypeFont:
    # The basic layout (no shaping library): the same glyphs on every machine.
    return ImageFont.truetype(path, size=pixels, layout_engine=ImageFont.Layout.BASIC)


def _font_of(text: Text, dpi: float) -> ImageFont.FreeTypeFont:
    properties = text.get_fontproperties()
    return _font(findfont(properties), properties.get_size_in_points() * dpi / 72)


def _metrics(font: ImageFont.FreeTypeFont, text: str) -> _Metrics:
    _left, top, _right, bottom = font.getbbox(text, anchor="ls")
    _l, tall_top, _r, tall_bottom = font.getbbox(_TALL, anchor="ls")
    return _Metrics(font.getlength(text), -min(top, tall_top), max(bottom, tall_bottom))


def drawable(text: Text) -> bool:
    """Whether :func:`draw` draws ``text`` (else matplotlib does): a visible, opaque, plain
    text (no mathematics) rotated by 0 or 90 degrees."""
    return (
        text.get_visible()
        and bool(text.get_text())
        and round(text.get_rotation()) % 360 in (0, 90)
        and not text.get_parse_math()
        and text.get_rotation_mode() == "default"
        and to_rgba(text.get_color(), text.get_alpha())[3] == 1
    )


def extent(texts: Iterable[Text], dpi: float) -> tuple[float, float]:
    """Width and height in inches of the widest and of the tallest of ``texts`` as drawn
    (a text rotated by 90 degrees is as wide as its line is high)."""
    width = height = 0.0
    for text in texts:
        if not text.get_visible() or not text.get_text():
            continue
        size = _metrics(_font_of(text, dpi), text.get_text())
        w, h = size.width, size.ascent + size.descent
        if round(text.get_rotation()) % 180 == 90:
            w, h = h, w
        width, height = max(width, w), max(height, h)
    return width / dpi, height / dpi


@contextmanager
def hidden(texts: Sequence[Text]) -> Iterator[list[Text]]:
    """The drawable ones of ``texts``, hidden from matplotlib within the block."""
    mine = [text for text in texts if drawable(text)]
    for text in mine:
        text.set_visible(False)
    try:
        yield mine
    finally:
        for text in mine:
            text.set_visible(True)


def draw(image: Image.Image, texts: Iterable[Text], dpi: float) -> None:
    """Draw ``texts`` (see :func:`drawable`) onto ``image``, the figure drawn at ``dpi``."""
    pen = ImageDraw.Draw(image)
    height = image.height
    for text in texts:
        font = _font_of(text, dpi)
        words = text.get_text()
        size = _metrics(font, words)
        x, y = text.get_transform().transform(text.get_unitless_position())
        y = height - y  # Pillow counts from the top
        red, green, blue, _alpha = to_rgba(text.get_color())
        colour = (round(255 * red), round(255 * green), round(255 * blue))
        line = size.ascent + size.descent
        if round(text.get_rotation()) % 360 == 0:
            baseline = y + _below_anchor(text.get_verticalalignment(), size)
            anchor = _ANCHORS[text.get_horizontalalignment()] + "s"
            pen.text((x, baseline), words, fill=colour, font=font, anchor=anchor)
            continue
        # Turned by 90 degrees (read upwards): drawn flat as a mask, with a pixel to spare
        # at each end for glyphs reaching beyond their advance, then turned.
        flat = (math.ceil(size.width) + 2 * _SPARE, max(1, math.ceil(line)))
        mask = Image.new("L", flat, 0)
        ImageDraw.Draw(mask).text((_SPARE, size.ascent), words, fill=255, font=font, anchor="ls")
        mask = mask.transpose(Image.Transpose.ROTATE_90)
        left = (
            x
            - {"left": 0.0, "center": mask.width / 2, "right": mask.width}[
                text.get_horizontalalignment()
            ]
        )
        top = y - _top_offset(text.get_verticalalignment(), mask.height - 2 * _SPARE) - _SPARE
        image.paste(colour, (round(left), round(top)), mask)


def _below_anchor(va: str, size: _Metrics) -> float:
    """How far below the anchor point the baseline of a flat text lies, in pixels."""
    line = size.ascent + size.descent
    return {
        "top": size.ascent,
        "center": size.ascent - line / 2,
        "center_baseline": size.ascent / 2,
        "baseline": 0.0,
        "bottom": -size.descent,
    }[va]


def _top_offset(va: str, tall: float) -> float:
    """How far above the anchor point the top of a turned text lies, in pixels."""
    return {"top": 0.0, "center": tall / 2, "center_baseline": tall / 2, "bottom": tall}.get(
        va, tall
    )
