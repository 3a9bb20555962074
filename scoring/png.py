"""PNG files of chart images, written faster than Pillow writes them.

Pillow tries every PNG filter on every row and keeps the best: on a 1600 × 2400 chart that
takes 75 ms before any compression. Charts are large areas of flat colour, for which the "Up"
filter (each row as its difference from the row above) alone does as well: computed with numpy
and compressed at zlib's fastest level, the same chart takes 43 ms and is smaller (195 KiB
against 221 KiB). The file holds only the image and its resolution (no date, no software
name), so identical pixels give identical bytes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL = 1  # zlib's fastest: the "Up" filter leaves little for slower levels to find
_UP = 2  # the PNG filter type of "Up"
_METRES_PER_INCH = 0.0254


def write_png(path: Path, pixels: np.ndarray, dpi: float) -> None:
    """Write ``pixels`` (height × width × 3, uint8 RGB) as the PNG file ``path``, marked as
    ``dpi`` dots per inch."""
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"expected height × width × 3 bytes, got {pixels.shape} {pixels.dtype}")
    height, width, _channels = pixels.shape
    rows = pixels.reshape(height, width * 3)
    filtered = np.empty((height, width * 3 + 1), dtype=np.uint8)
    filtered[:, 0] = _UP
    filtered[0, 1:] = rows[0]  # the row above the first is zeros
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # modulo 256, as PNG wants
    per_metre = round(dpi / _METRES_PER_INCH)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    resolution = struct.pack(">IIB", per_metre, per_metre, 1)  # unit: the metre
    data = zlib.compress(filtered.data, LEVEL)  # the array's own buffer: no copy
    path.write_bytes(
        SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"pHYs", resolution)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
