"""The end-of-match chart: both wrestlers' momentum and the crowd heat per tick, as a PNG.

A tiny pure-Python rasteriser and PNG encoder (zlib + crc32 from the standard library): no
imaging dependency for one line chart. CPU-bound, so callers render it in a thread
(``asyncio.to_thread``), off the event loop.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

Color = tuple[int, int, int]

BACKGROUND: Color = (32, 34, 37)
GRID: Color = (70, 73, 78)
AXIS: Color = (150, 153, 158)
SERIES_COLORS: tuple[Color, ...] = ((237, 66, 69), (88, 101, 242), (250, 166, 26))
SERIES_NAMES = ("red", "blue", "orange")


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]  # one value per tick, on a 0-100 scale


class Canvas:
    """An RGB raster with just enough drawing for a line chart."""

    def __init__(self, width: int, height: int, background: Color) -> None:
        self.width = width
        self.height = height
        self._rows = [bytearray(bytes(background) * width) for _ in range(height)]

    def plot(self, x: int, y: int, color: Color) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            self._rows[y][3 * x : 3 * x + 3] = bytes(color)

    def line(self, x0: int, y0: int, x1: int, y1: int, color: Color, width: int = 1) -> None:
        """Bresenham, thickened by a small square brush."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        low, high = -(width // 2), (width - 1) // 2
        while True:
            for ox in range(low, high + 1):
                for oy in range(low, high + 1):
                    self.plot(x0 + ox, y0 + oy, color)
            if x0 == x1 and y0 == y1:
                return
            doubled = 2 * err
            if doubled >= dy:
                err += dy
                x0 += sx
            if doubled <= dx:
                err += dx
                y0 += sy

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self._rows)
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 6))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def render_chart(
    series: Sequence[Series], *, width: int = 640, height: int = 320, margin: int = 24
) -> bytes:
    """A PNG line chart of up to three 0-100 series over ticks (colours: SERIES_NAMES)."""
    if not series or len(series) > len(SERIES_COLORS):
        raise ValueError("a chart takes one to three series")
    canvas = Canvas(width, height, BACKGROUND)
    left, top, right, bottom = margin, margin // 2, width - margin // 2, height - margin
    for level in (0, 25, 50, 75, 100):
        y = bottom - round((bottom - top) * level / 100)
        canvas.line(left, y, right, y, GRID if level else AXIS)
    canvas.line(left, top, left, bottom, AXIS)
    longest = max(len(s.values) for s in series)
    span = max(1, longest - 1)
    for color, one in zip(SERIES_COLORS, series, strict=False):
        points = [
            (
                left + round((right - left) * i / span),
                bottom - round((bottom - top) * min(100.0, max(0.0, v)) / 100),
            )
            for i, v in enumerate(one.values)
        ]
        if len(points) == 1:
            canvas.line(*points[0], *points[0], color, width=3)
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            canvas.line(x0, y0, x1, y1, color, width=2)
    return canvas.png()


def chart_legend(series: Sequence[Series]) -> str:
    return ", ".join(
        f"{name}: {one.label}" for name, one in zip(SERIES_NAMES, series, strict=False)
    )
