"""The labels along a chart's axes (teams, jurors) written into its files by this module.

matplotlib 3.11 shapes, measures and rasterises each text glyph by glyph in Python: about
1.9 ms a label, so that the 600 labels of a 200-team jury's charts took more than a second of
the three the charts took. Pillow draws the same font file's glyphs in C, in about 0.16 ms a
label; in the SVG file a label is a text element, which matplotlib would measure first. The
labels stay matplotlib texts on the Axes (a chart embedded elsewhere draws them as usual): only
:func:`scoring.chartkit.save_chart` hides them from matplotlib and has them drawn here, where
and as matplotlib would (same font, size, colour, alignment and rotation by 0 or 90 degrees;
other texts are left to matplotlib).
"""

from __future__ import annotations

import functools
import math
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape  # xml.sax.saxutils would load urllib and http.client (80 ms)

from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.text import Text
from PIL import Image, ImageDraw, ImageFont, features

_SPARE = 1  # pixels
_RTL = frozenset({"R", "AL", "AN"})  # bidirectional classes read right to left


@dataclass(frozen=True)
class _Metrics:
    width: float  # pixels along the text
    ascent: float  # pixels above the baseline, at least the font's ascent (see _least)
    descent: float  # pixels below it, likewise


@functools.cache
def _shaping() -> bool:
    """Whether Pillow shapes text with libraqm (which needs the system's libfribidi), as
    matplotlib 3.11 does; without it, right-to-left names are left to matplotlib."""
    return bool(features.check("raqm"))


@functools.lru_cache(maxsize=64)
def _font(path: str, pixels: float) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if _shaping() else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size=pixels, layout_engine=layout)


def _font_of(text: Text, dpi: float) -> tuple[ImageFont.FreeTypeFont, tuple[float, float]]:
    """The Pillow font of ``text`` at ``dpi``, and the least ascent and descent of its lines."""
    # A copy as the key: the text's own properties may change later (matplotlib does the same).
    return _font_for(text.get_fontproperties().copy(), dpi)


@functools.lru_cache(maxsize=64)
def _font_for(
    properties: FontProperties, dpi: float
) -> tuple[ImageFont.FreeTypeFont, tuple[float, float]]:
    # Font properties hash by their values: the labels of a chart share one entry.
    path, pixels = findfont(properties), properties.get_size_in_points() * dpi / 72
    return _font(path, pixels), _least(path, pixels)


@functools.lru_cache(maxsize=64)
def _least(path: str, pixels: float) -> tuple[float, float]:
    """The ascent and descent in pixels that matplotlib gives a line of text at the least:
    the font's typographic ones (Text._get_layout), so that rows of names line up whatever
    their letters; (0, 0) for a font without those tables."""
    font = get_font(path)
    head, typographic, horizontal = (
        font.get_sfnt_table("head"),
        font.get_sfnt_table("OS/2"),
        font.get_sfnt_table("hhea"),
    )
    if head is None:
        return 0.0, 0.0
    scale = pixels / head["unitsPerEm"]
    if typographic is not None:  # matplotlib's first choice, then the horizontal header's
        return typographic["sTypoAscender"] * scale, -typographic["sTypoDescender"] * scale
    if horizontal is not None:
        return horizontal["ascent"] * scale, -horizontal["descent"] * scale
    return 0.0, 0.0


def _metrics(font: ImageFont.FreeTypeFont, least: tuple[float, float], text: str) -> _Metrics:
    path, pixels = str(font.path), float(font.size)
    extents = [_glyph_extent(path, pixels, character) for character in set(text)]
    ascent = max([least[0], *(top for top, _bottom in extents)])
    descent = max([least[1], *(bottom for _top, bottom in extents)])
    return _Metrics(font.getlength(text), ascent, descent)


@functools.lru_cache(maxsize=4096)
def _glyph_extent(path: str, pixels: float, character: str) -> tuple[float, float]:
    """How far the unhinted glyph of ``character`` reaches above and below the baseline, in
    pixels: matplotlib's measure of a line's ink (Pillow's hinted glyphs reach further)."""
    font = get_font(path)  # matplotlib's own, which sets the size again before every use
    font.set_size(pixels, 72)
    try:
        with warnings.catch_warnings():  # "Glyph ... missing from font": handled below
            warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
            glyph = font.load_char(ord(character), flags=LoadFlags.NO_HINTING)
    except RuntimeError:  # a character the font lacks (团, 🚀): its box, as high as a line
        return 0.0, 0.0
    return glyph.horiBearingY / 64, (glyph.height - glyph.horiBearingY) / 64


def drawable(text: Text) -> bool:
    """Whether :func:`draw` draws ``text`` (else matplotlib does): a visible, opaque, plain
    text (no mathematics) rotated by 0 or 90 degrees."""
    words = text.get_text()
    return (
        text.get_visible()
        and bool(words)
        and "\n" not in words
        and (_shaping() or not any(unicodedata.bidirectional(c) in _RTL for c in words))
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
        size = _metrics(*_font_of(text, dpi), text.get_text())
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


@dataclass(frozen=True)
class Placed:
    """A label where :func:`draw` and :func:`svg` put it, in pixels from the top left of
    the figure drawn at ``dpi``: the baseline starts, is centred or ends (``anchor``) at
    (``x``, ``y``); a turned label reads upwards from there."""

    words: str
    font: ImageFont.FreeTypeFont
    family: str  # the font's own name for it
    face: str  # CSS for a weight or style other than normal: " font-weight: bold;"
    points: float
    colour: tuple[int, int, int]
    turned: bool
    x: float
    y: float
    anchor: str  # "start", "middle" or "end"
    size: _Metrics


def place(texts: Iterable[Text], dpi: float, height: float) -> list[Placed]:
    """Where each of ``texts`` (see :func:`drawable`) goes on the figure drawn at ``dpi``,
    ``height`` pixels high, aligned as matplotlib aligns it."""
    placed = []
    for text in texts:
        font, least = _font_of(text, dpi)
        words = text.get_text()
        size = _metrics(font, least, words)
        x, y = text.get_transform().transform(text.get_unitless_position())
        y = height - y  # from the top
        ha, va = text.get_horizontalalignment(), text.get_verticalalignment()
        turned = round(text.get_rotation()) % 360 == 90
        if turned:
            # The line's box, ascent to the left of the baseline, is aligned by ha; the text,
            # read upwards, by va: its end at the top, its start at the bottom.
            line = size.ascent + size.descent
            x = x - {"left": 0.0, "center": line / 2, "right": line}[ha] + size.ascent
            anchor = {"top": "end", "center": "middle", "center_baseline": "middle"}.get(
                va, "start"
            )
        else:
            y = y + _below_anchor(va, size)
            anchor = {"left": "start", "center": "middle", "right": "end"}[ha]
        red, green, blue, _alpha = to_rgba(text.get_color())
        placed.append(
            Placed(
                words=words,
                font=font,
                family=font.getname()[0] or "sans-serif",
                face=_face(text),
                points=text.get_fontproperties().get_size_in_points(),
                colour=(round(255 * red), round(255 * green), round(255 * blue)),
                turned=turned,
                x=float(x),
                y=float(y),
                anchor=anchor,
                size=size,
            )
        )
    return placed


def draw(image: Image.Image, labels: Iterable[Placed]) -> None:
    """Draw ``labels`` onto ``image``, the figure they were placed on."""
    pen = ImageDraw.Draw(image)
    for label in labels:
        if not label.turned:
            anchor = {"start": "l", "middle": "m", "end": "r"}[label.anchor] + "s"
            pen.text(
                (label.x, label.y), label.words, fill=label.colour, font=label.font, anchor=anchor
            )
            continue
        # Drawn flat as a mask, with a pixel to spare at each end for glyphs reaching beyond
        # their advance, then turned (the baseline's row becomes the column ascent from the
        # left, the text's end the top).
        size = label.size
        flat = (math.ceil(size.width) + 2 * _SPARE, max(1, math.ceil(size.ascent + size.descent)))
        mask = Image.new("L", flat, 0)
        ImageDraw.Draw(mask).text(
            (_SPARE, size.ascent), label.words, fill=255, font=label.font, anchor="ls"
        )
        mask = mask.transpose(Image.Transpose.ROTATE_90)
        along = {"start": size.width, "middle": size.width / 2, "end": 0.0}[label.anchor]
        left, top = label.x - size.ascent, label.y - along - _SPARE
        image.paste(label.colour, (round(left), round(top)), mask)


def svg(document: bytes, labels: Sequence[Placed], dpi: float) -> bytes:
    """``document``, matplotlib's SVG file of the figure (in points, from the top left),
    with ``labels`` (placed at ``dpi``) added as text elements: selectable and searchable,
    like matplotlib's own texts with ``svg.fonttype`` "none"."""
    if not labels:
        return document
    scale = 72 / dpi
    lines = ["<g>"]
    for label in labels:
        x, y = f"{label.x * scale:.3f}", f"{label.y * scale:.3f}"
        style = (
            f"font-size: {label.points:g}px; font-family: '{label.family}';"
            f"{label.face} text-anchor: {label.anchor}"
        )
        if label.colour != (0, 0, 0):
            style += "; fill: #{:02x}{:02x}{:02x}".format(*label.colour)
        turn = f' transform="rotate(-90 {x} {y})"' if label.turned else ""
        lines.append(
            f'<text style="{_attribute(style)}" x="{x}" y="{y}"{turn}>'
            f"{escape(label.words, quote=False)}</text>"
        )
    lines.append("</g>\n")
    end = document.rindex(b"</svg>")
    return document[:end] + "\n".join(lines).encode("utf-8") + document[end:]


def _face(text: Text) -> str:
    """The CSS of ``text``'s weight and style, when not normal (as matplotlib writes it)."""
    properties = text.get_fontproperties()
    weight, style = properties.get_weight(), properties.get_style()
    css = f" font-weight: {weight};" if weight not in ("normal", 400) else ""
    return css + (f" font-style: {style};" if style != "normal" else "")


def _attribute(value: str) -> str:
    """``value`` escaped for an XML attribute in double quotes."""
    return escape(value, quote=False).replace('"', "&quot;")


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
