"""Big text the text detector missed, found as lines of large ink blobs.

The detector (trained on printed lines) misses some brand names outright: a brush name whose
strokes do not touch (結ゆい, 八一), two big square glyphs it takes for a frame (日日), one big
kana (ど). A person still sees them at once: they are the largest marks on the label. So the
second look also finds the biggest marks itself: ink (whatever differs from the paper), strokes
joined into glyph-sized blobs, blobs of one size in a row or a column joined into a line, and
the line read by the recogniser like any detected box. Small print, frames and rules are left
out: they are too small, or too long and thin, to be a brand's glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

INK_CONTRAST = 70  # grey levels from the paper's (the picture's median) that count as ink
JOIN = 0.04  # strokes closer than this share of the picture's short side form one glyph
MIN_GLYPH = 0.05  # a brand glyph has a stroke at least this long, as a share of the picture's short side
MAX_GLYPH = 0.4  # ...and no side longer than this share of the picture's (a frame, a photo's label edge)
WORK_SIDE = 450  # the ink is looked at with the picture's short side scaled down to this


@dataclass(frozen=True, slots=True)
class _Blob:
    ink: int
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def short(self) -> int:
        return min(self.x1 - self.x0, self.y1 - self.y0)

    @property
    def long(self) -> int:
        return max(self.x1 - self.x0, self.y1 - self.y0)


Quad = tuple[tuple[float, float], ...]


def big_ink_lines(image: Image.Image, *, limit: int = 2) -> list[Quad]:
    """Up to `limit` lines of the largest glyphs, biggest ink first, as axis-aligned quads (clockwise from top-left)."""
    import cv2

    w0, h0 = image.size
    if min(w0, h0) < 32:
        return []
    scale = min(1.0, WORK_SIDE / min(w0, h0))  # glyph-sized marks need no more: a quarter of the work
    grey = image.convert("L")
    if scale < 1.0:
        grey = grey.resize((max(1, round(w0 * scale)), max(1, round(h0 * scale))), Image.Resampling.BILINEAR)
    pixels = np.asarray(grey, dtype=np.uint8)
    h, w = pixels.shape
    short = min(h, w)
    paper = int(np.searchsorted(np.cumsum(np.bincount(pixels.ravel(), minlength=256)), pixels.size / 2))  # the median
    ink = (np.abs(pixels.astype(np.int16) - paper) > INK_CONTRAST).astype(np.uint8)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))  # specks, hairlines, thin rules
    # Strokes: what a glyph is made of. A brand glyph has big strokes; small print run together by
    # the joining below has only small ones, and a frame's stroke spans the label.
    count, strokes, stats, _ = cv2.connectedComponentsWithStats(ink)
    extent = np.maximum(stats[:, 2], stats[:, 3])
    extent[(stats[:, 2] > MAX_GLYPH * w) | (stats[:, 3] > MAX_GLYPH * h)] = 0
    extent[0] = 0
    biggest = int(extent.max()) if count > 1 else 0
    if biggest < MIN_GLYPH * short:
        return []
    join = max(3, int(JOIN * short))
    blob_count, joined, blob_stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, np.ones((join, join), np.uint8)))
    # Each stroke lies inside one joined blob: look it up at one of its pixels.
    where = np.flatnonzero(ink)
    first_pixel = np.zeros(count, dtype=np.int64)
    first_pixel[strokes.ravel()[where][::-1]] = where[::-1]
    largest_stroke = np.zeros(blob_count, dtype=np.int64)
    np.maximum.at(largest_stroke, joined.ravel()[first_pixel[1:]], extent[1:])
    blobs = []
    for i in range(1, blob_count):
        x, y, bw, bh, _ = blob_stats[i]
        if largest_stroke[i] < max(MIN_GLYPH * short, 0.5 * biggest) or bw > MAX_GLYPH * w or bh > MAX_GLYPH * h:
            continue
        blobs.append(_Blob(int(ink[y : y + bh, x : x + bw].sum()), int(x), int(y), int(x + bw), int(y + bh)))
    blobs.sort(key=lambda b: -b.ink)
    lines: list[Quad] = []
    while blobs and len(lines) < limit:
        group = _line_of(blobs)
        blobs = [b for b in blobs if b not in group]
        pad = join // 4
        x0, y0 = max(0, min(b.x0 for b in group) - pad) / scale, max(0, min(b.y0 for b in group) - pad) / scale
        x1, y1 = min(w, max(b.x1 for b in group) + pad) / scale, min(h, max(b.y1 for b in group) + pad) / scale
        lines.append(((x0, y0), (x1, y0), (x1, y1), (x0, y1)))
    return lines


def _line_of(blobs: list[_Blob]) -> list[_Blob]:
    """The largest blob with the blobs that continue it in a column or a row (whichever holds more ink)."""
    first = blobs[0]
    peers = [b for b in blobs if b.long >= 0.5 * first.long]  # glyphs of about its size (a thin 一 has little ink)
    best: list[_Blob] = [first]
    for column in (True, False):
        group = [first]
        grown = True
        while grown:
            grown = False
            x0, y0 = min(b.x0 for b in group), min(b.y0 for b in group)
            x1, y1 = max(b.x1 for b in group), max(b.y1 for b in group)
            size = max(b.short for b in group)
            for b in peers:
                if b in group:
                    continue
                if column:
                    overlap, across, gap = min(x1, b.x1) - max(x0, b.x0), min(x1 - x0, b.x1 - b.x0), max(b.y0 - y1, y0 - b.y1)
                else:
                    overlap, across, gap = min(y1, b.y1) - max(y0, b.y0), min(y1 - y0, b.y1 - b.y0), max(b.x0 - x1, x0 - b.x1)
                if overlap >= 0.5 * across and gap <= 1.2 * size:
                    group.append(b)
                    grown = True
        if sum(b.ink for b in group) > sum(b.ink for b in best):
            best = group
    return best
