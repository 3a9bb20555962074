"""PNG files written by scoring.png, read back by Pillow."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scoring.png import SIGNATURE, write_png


def test_pixels_and_resolution_read_back_exactly(tmp_path: Path) -> None:
    # Noise makes every difference from the row above occur, wrapping around 256 included.
    pixels = np.random.default_rng(7).integers(0, 256, size=(37, 53, 3), dtype=np.uint8)
    pixels[5] = 255  # a flat row under a noisy one, and over one
    path = tmp_path / "noise.png"

    write_png(path, pixels, dpi=100)

    with Image.open(path) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGB", (53, 37))
        assert tuple(round(value) for value in image.info["dpi"]) == (100, 100)
        assert set(image.info) == {"dpi"}  # no text: no software name, no date
        assert np.array_equal(np.asarray(image), pixels)
    assert path.read_bytes().startswith(SIGNATURE)


def test_identical_pixels_give_identical_bytes(tmp_path: Path) -> None:
    pixels = np.full((20, 30, 3), (31, 95, 139), dtype=np.uint8)

    write_png(tmp_path / "a.png", pixels, dpi=100)
    write_png(tmp_path / "b.png", pixels.copy(), dpi=100)

    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_only_rgb_bytes_are_accepted(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"expected height × width × 3 bytes, got \(4, 4, 4\)"):
        write_png(tmp_path / "rgba.png", np.zeros((4, 4, 4), dtype=np.uint8), dpi=100)
    assert not (tmp_path / "rgba.png").exists()
