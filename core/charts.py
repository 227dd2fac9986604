"""Radar charts (PNG) of Sakenowa flavor charts and taste profiles, drawn with Pillow.

A picture says "floral and light" faster than six numbers. Charts are only ever drawn from
real data: a brand without a flavor chart gets no picture.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from PIL import Image, ImageDraw, ImageFont

from core.catalog.model import FLAVOR_AXES

SCALE_MAX = 0.8  # Sakenowa values rarely pass 0.8; a fixed scale keeps charts comparable
_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
)
MAIN = (196, 61, 57)  # 臙脂 red: the sake
OVERLAY = (46, 104, 160)  # 藍 blue: the user's profile when overlaid
GRID = (215, 210, 200)
INK = (60, 55, 50)


@lru_cache(maxsize=1)
def japanese_font_path() -> str | None:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


@lru_cache(maxsize=8)
def _font(size: int, japanese: bool) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = japanese_font_path() if japanese else None
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def axis_labels(lang: str) -> list[str]:
    """Japanese labels need a Japanese font; without one the chart falls back to English."""
    if lang == "ja" and japanese_font_path():
        return [ja for _, ja, _ in FLAVOR_AXES]
    return [en for _, _, en in FLAVOR_AXES]


def flavor_chart_png(
    chart: Sequence[float] | None,
    overlay: Sequence[float] | None = None,
    *,
    lang: str = "en",
    title: str | None = None,
    legend: tuple[str, str] | None = None,
    size: int = 480,
) -> bytes | None:
    """A six-axis radar; `overlay` (e.g. the user's profile) is drawn in a second colour.

    Returns None when there is nothing real to draw.
    """
    if chart is None or len(chart) != 6:
        return None
    japanese = lang == "ja" and japanese_font_path() is not None
    scale = 2  # draw large, shrink once: anti-aliased lines without extra libraries
    w = h = size * scale
    img = Image.new("RGB", (w, h), (252, 250, 245))
    draw = ImageDraw.Draw(img, "RGBA")
    top = 70 * scale if title else 30 * scale
    cx, cy = w / 2, top + (h - top - 40 * scale) / 2
    radius = min(w / 2 - 95 * scale, (h - top - 40 * scale) / 2 - 10 * scale)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + i * 2 * math.pi / 6
        r = radius * max(0.0, min(value, SCALE_MAX)) / SCALE_MAX
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in (0.2, 0.4, 0.6, 0.8):
        draw.polygon([point(i, ring) for i in range(6)], outline=GRID, width=scale)
    for i in range(6):
        draw.line([point(i, 0), point(i, SCALE_MAX)], fill=GRID, width=scale)

    def shape(values: Sequence[float], color: tuple[int, int, int]) -> None:
        pts = [point(i, v) for i, v in enumerate(values)]
        draw.polygon(pts, fill=color + (70,), outline=color + (255,), width=3 * scale)
        for x, y in pts:
            draw.ellipse([x - 5 * scale, y - 5 * scale, x + 5 * scale, y + 5 * scale], fill=color + (255,))

    if overlay is not None and len(overlay) == 6:
        shape(overlay, OVERLAY)
    shape(chart, MAIN)

    font = _font(18 * scale, japanese)
    for i, label in enumerate(axis_labels(lang)):
        x, y = point(i, SCALE_MAX * 1.17)
        draw.text((x, y), label, fill=INK, font=font, anchor="mm")
    if title:
        draw.text((w / 2, 35 * scale), title, fill=INK, font=_font(24 * scale, japanese or not title.isascii()), anchor="mm")
    if legend and overlay is not None:
        small = _font(15 * scale, japanese or not "".join(legend).isascii())
        y = h - 22 * scale
        draw.rectangle([30 * scale, y - 7 * scale, 44 * scale, y + 7 * scale], fill=MAIN)
        draw.text((52 * scale, y), legend[0], fill=INK, font=small, anchor="lm")
        draw.rectangle([w / 2, y - 7 * scale, w / 2 + 14 * scale, y + 7 * scale], fill=OVERLAY)
        draw.text((w / 2 + 22 * scale, y), legend[1], fill=INK, font=small, anchor="lm")
    img = img.resize((size, size), Image.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
