"""Draw the app's icons (a white rupee sign on a receipt, on the brand green) into app/public/.

Run with any Python 3 (standard library only): `python3 app/scripts/make_icons.py`. The PNGs are
committed; nothing is downloaded. Chrome offers "Install app" once the manifest has a 192 px and a
512 px icon."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

GREEN = (11, 93, 75)
WHITE = (255, 255, 255)
PAPER = (236, 246, 242)


def inside(x: float, y: float) -> tuple[int, int, int]:
    """The colour at (x, y) in a 1 × 1 square."""
    # the receipt: a rounded rectangle with a zig-zag bottom edge
    if 0.22 <= x <= 0.78 and 0.14 <= y <= 0.86:
        zig = 0.86 - 0.03 * abs(((x - 0.22) / 0.07) % 2 - 1)
        if y <= zig:
            return rupee(x, y) or PAPER
    return GREEN


def near_segment(x: float, y: float, ax: float, ay: float, bx: float, by: float, width: float) -> bool:
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= width / 2


def rupee(x: float, y: float) -> tuple[int, int, int] | None:
    """A ₹ drawn with strokes: two bars, the bowl and the leg."""
    w = 0.055
    if near_segment(x, y, 0.35, 0.27, 0.65, 0.27, w) or near_segment(x, y, 0.35, 0.39, 0.65, 0.39, w):
        return GREEN
    # the bowl: the right half of a ring centred on the left, from the top bar down to y = 0.51
    cx, cy, r = 0.45, 0.39, 0.12
    if x >= cx and abs(math.hypot(x - cx, y - cy) - r) <= w / 2 and y >= 0.27:
        return GREEN
    if near_segment(x, y, 0.36, 0.51, 0.45, 0.51, w):
        return GREEN
    if near_segment(x, y, 0.40, 0.51, 0.62, 0.74, w):
        return GREEN
    return None


def png(size: int) -> bytes:
    samples = 3  # 3 × 3 supersampling
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            acc = [0, 0, 0]
            for sj in range(samples):
                for si in range(samples):
                    c = inside((i + (si + 0.5) / samples) / size, (j + (sj + 0.5) / samples) / size)
                    acc = [a + b for a, b in zip(acc, c, strict=True)]
            row += bytes(round(a / samples**2) for a in acc)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    public = Path(__file__).resolve().parents[1] / "public"
    for size in (192, 512):
        (public / f"icon-{size}.png").write_bytes(png(size))
        print(f"wrote {public / f'icon-{size}.png'}")
