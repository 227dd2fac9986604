"""What OCR gives back and how readings combine: text boxes, a page, reading order, the second look.

Pure data and geometry (no engine, no process): the matcher, the reader and the worker share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from PIL import Image, ImageOps


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One line (or tategaki column) of text, with its quadrilateral in the OCR'd picture's pixels."""

    text: str
    score: float
    quad: tuple[tuple[float, float], ...]  # four corners, clockwise from top-left

    @property
    def width(self) -> float:
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.hypot(x1 - x0, y1 - y0)

    @property
    def height(self) -> float:
        (x1, y1), (x2, y2) = self.quad[1], self.quad[2]
        return math.hypot(x2 - x1, y2 - y1)

    @property
    def char_size(self) -> float:
        """The size of one character: the short side of the box, for horizontal and vertical text alike."""
        return min(self.width, self.height)

    @property
    def vertical(self) -> bool:
        return self.height > self.width * 1.2 and len(self.text) > 1

    @property
    def center(self) -> tuple[float, float]:
        return sum(p[0] for p in self.quad) / 4, sum(p[1] for p in self.quad) / 4

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "score": round(self.score, 4), "quad": [[round(x, 1), round(y, 1)] for x, y in self.quad]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "OcrBox":
        return cls(d["text"], float(d["score"]), tuple((float(x), float(y)) for x, y in d["quad"]))


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What the worker returns for one photo: the boxes, the picture's size, its hash and timings."""

    boxes: tuple[OcrBox, ...]
    width: int
    height: int
    phash: str
    decode_ms: float
    ocr_ms: float
    worker_peak_rss_mb: float = 0.0
    cpu_ms: float = 0.0  # CPU time of decode + hash + OCR, summed over the worker's threads

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in reading_order(self.boxes))


def reading_order(boxes: tuple[OcrBox, ...] | list[OcrBox]) -> list[OcrBox]:
    """Biggest text first (the brand), then top-to-bottom: how a person scans a label."""
    return sorted(boxes, key=lambda b: (-round(b.char_size / 8), b.center[1], b.center[0]))


WELL_READ = 0.9  # a first-reading box read at least this surely is not read again by the second look


def already_read(
    quad: tuple[tuple[float, float], ...], known: Sequence[OcrBox], *, well_read: float = WELL_READ, inside: float = 0.7
) -> bool:
    """Whether a box the second look detected lies mostly (`inside`: 70 %) inside a box the first reading read well.

    Such a box reads the same line again, or a part of it, which `merge_readings` would not prefer
    to the whole. A box reaching well beyond (ぼん found over a well-read ん, or a line the first
    reading cut in two) is read: it may be the better reading.
    """
    x0, y0, x1, y1 = _rect(OcrBox("", 0.0, quad))
    area = (x1 - x0) * (y1 - y0)
    if area <= 0:
        return False
    for k in known:
        if k.score < well_read:
            continue
        kx0, ky0, kx1, ky1 = _rect(k)
        inter = max(0.0, min(x1, kx1) - max(x0, kx0)) * max(0.0, min(y1, ky1) - max(y0, ky0))
        if inter / area >= inside:
            return True
    return False


def second_look(image: Image.Image) -> Image.Image:
    """The picture as a second reading sees it: grey, its contrast stretched to full range.

    Light ink on coloured paper (cream on red, silver on blue) is faint to the detector in
    colour; in stretched grey the same strokes stand out (つぼみ and ぼん on red paper were
    found only so).
    """
    return ImageOps.autocontrast(image.convert("L"), cutoff=1).convert("RGB")


def merge_readings(first: tuple[OcrBox, ...] | list[OcrBox], second: tuple[OcrBox, ...] | list[OcrBox]) -> tuple[OcrBox, ...]:
    """Both readings of one picture, each place's text once: where boxes overlap, the better-read one.

    "Better" is the recogniser's score weighted by the square root of the text's length, so that
    one box reading ぼん (0.92) replaces the two pieces ぼ (0.32) and ん (0.96) it covers.
    """
    out = list(first)
    for box in second:
        over = [b for b in out if _overlap(b, box) > 0.5]
        if all(_strength(box) > _strength(b) for b in over):
            out = [b for b in out if not any(b is o for o in over)] + [box]
    return tuple(out)


def _strength(box: OcrBox) -> float:
    return box.score * math.sqrt(len(box.text.strip()))


def _overlap(a: OcrBox, b: OcrBox) -> float:
    """Intersection of the two boxes' bounding rectangles over the smaller one's area (0..1)."""
    ax0, ay0, ax1, ay1 = _rect(a)
    bx0, by0, bx1, by1 = _rect(b)
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return inter / smaller if smaller > 0 else 0.0


def _rect(box: OcrBox) -> tuple[float, float, float, float]:
    xs = [x for x, _ in box.quad]
    ys = [y for _, y in box.quad]
    return min(xs), min(ys), max(xs), max(ys)
