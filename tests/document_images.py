"""Real PNG photos for the document-safe tests and bench, made here (no image library needed)."""

from __future__ import annotations

import os
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_photo(marker: str, *, width: int = 240, height: int = 160, noise: bool = False) -> bytes:
    """A valid RGB PNG whose text chunk (and, plain, its rows) carry `marker`. With `noise` the
    pixels are random and stored uncompressed: about width*height*3 bytes, like a real photo."""
    rows = []
    for y in range(height):
        if noise:
            pixels = os.urandom(width * 3)
        else:  # a blue band on pale sand: something to see in a screenshot
            colour = bytes((40, 90, 180)) if height // 3 <= y < 2 * height // 3 else bytes((235, 225, 200))
            pixels = colour * width
        rows.append(b"\0" + pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", header),
        _chunk(b"tEXt", b"Comment\0" + marker.encode()),
        _chunk(b"IDAT", zlib.compress(b"".join(rows), 0 if noise else 6)),
        _chunk(b"IEND", b""),
    ])
