"""Synthetic sake labels and photo-like pictures of them, for tests and benchmarks/label_accuracy.py.

Labels are drawn with Pillow in Japanese fonts from Debian packages (.ci/apt-packages):
IPA Gothic/Mincho, Noto Sans/Serif CJK, and the Kouzan brush fonts; horizontal and
vertical (tategaki) layouts; secondary text a real label carries (grade, brewery,
prefecture, volume, alcohol, rice polishing, ingredients). `photo_like` puts the label on
a bottle-coloured background filling 40-70% of the frame, curves it like a bottle, tilts it
in perspective, rotates, blurs, adds noise and uneven light, and saves a phone-size JPEG.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

_FONT_FILES = (
    ("IPA Gothic", "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", None),
    ("IPA Mincho", "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf", None),
    ("Noto Sans CJK JP Bold", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "JP"),
    ("Noto Serif CJK JP Bold", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "JP"),
    ("Kouzan brush (kaisho)", "/usr/share/fonts/truetype/kouzan-mouhitsu/kouzan-mouhitsu.ttf", None),
    ("Kouzan brush (gyosho)", "/usr/share/fonts/truetype/kouzan-mouhitsu/kouzan-mouhitsu-gyosho.ttf", None),
)
SMALL_PRINT_FONTS = ("IPA Gothic", "IPA Mincho", "Noto Sans CJK JP Bold", "Noto Serif CJK JP Bold")


@dataclass(frozen=True)
class Font:
    name: str
    path: str
    index: int

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return _load(self.path, self.index, size)


@lru_cache(maxsize=256)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


@lru_cache(maxsize=1)
def japanese_fonts() -> tuple[Font, ...]:
    """The Japanese fonts installed here (empty when none: tests then skip with a reason)."""
    found = []
    for name, path, face in _FONT_FILES:
        if not Path(path).is_file():
            continue
        index = 0
        if face:  # a .ttc collection: find the Japanese face
            for i in range(10):
                try:
                    if face in " ".join(ImageFont.truetype(path, 12, index=i).getname()):
                        index = i
                        break
                except OSError:
                    break
        found.append(Font(name, path, index))
    return tuple(found)


def font(name: str) -> Font | None:
    return next((f for f in japanese_fonts() if f.name == name), None)


@lru_cache(maxsize=4096)
def _has_glyph(path: str, index: int, ch: str) -> bool:
    f = _load(path, index, 48)
    if ch.isspace():
        return True
    drawn = _glyph_pixels(f, ch)
    return drawn is not None and drawn != _glyph_pixels(f, "\U0010fffd")


def _glyph_pixels(f: ImageFont.FreeTypeFont, ch: str) -> bytes | None:
    img = Image.new("L", (64, 64), 0)
    ImageDraw.Draw(img).text((4, 4), ch, font=f, fill=255)
    return img.tobytes() if img.getbbox() else None


def covers(f: Font, text: str) -> bool:
    return all(_has_glyph(f.path, f.index, c) for c in text)


@dataclass(frozen=True)
class LabelSpec:
    brand: str
    lines: tuple[str, ...]  # secondary text, most important first
    layout: str = "horizontal"  # | "vertical"
    font: str = "Noto Serif CJK JP Bold"
    small_font: str = "IPA Gothic"
    paper: tuple[int, int, int] = (246, 240, 226)
    ink: tuple[int, int, int] = (20, 20, 20)
    accent: tuple[int, int, int] = (150, 20, 20)


PAPERS = (((246, 240, 226), (20, 20, 20)), ((255, 255, 255), (10, 10, 10)), ((25, 25, 28), (235, 230, 215)),
          ((140, 20, 25), (250, 245, 230)), ((220, 228, 235), (15, 30, 70)))


def secondary_lines(
    rng: random.Random, *, grade: str | None, brewery: str, prefecture: str, brewery_shown: float = 1.0, prefecture_shown: float = 1.0
) -> tuple[str, ...]:
    """Small print like a real label's: grade, maker, place, volume, alcohol, polishing, ingredients.

    Many front labels leave out the maker or the place (they are on the back label):
    `brewery_shown` / `prefecture_shown` are the chances that each is printed.
    """
    grade = grade or rng.choice(("純米吟醸", "純米大吟醸", "特別純米", "本醸造", "純米酒", "吟醸", "大吟醸"))
    lines = [grade]
    if brewery and rng.random() < brewery_shown:
        lines.append(rng.choice((brewery, f"{brewery}株式会社", f"製造者 {brewery}", f"{brewery}謹醸")))
    if prefecture and rng.random() < prefecture_shown:
        lines.append(rng.choice((prefecture, f"{prefecture}産", f"{prefecture}の地酒")))
    lines.append(f"{rng.choice((720, 1800, 300, 500))}ml")
    lines.append(f"アルコール分{rng.choice((14, 15, 16, 17))}度")
    if rng.random() < 0.6:
        lines.append(f"精米歩合{rng.choice((35, 40, 45, 50, 55, 60, 65, 70))}%")
    if rng.random() < 0.4:
        lines.append("原材料名 米(国産) 米麹(国産)")
    return tuple(lines)


def render_label(spec: LabelSpec, *, width: int = 900, height: int = 1200) -> Image.Image:
    """A flat, printed label (a scan)."""
    img = Image.new("RGB", (width, height), spec.paper)
    d = ImageDraw.Draw(img)
    bf, sf = font(spec.font), font(spec.small_font)
    if bf is None or sf is None:
        raise RuntimeError("Japanese fonts are not installed (see .ci/apt-packages)")
    margin = width // 14
    d.rectangle([margin // 2, margin // 2, width - margin // 2, height - margin // 2], outline=spec.accent, width=max(3, width // 150))
    vertical = spec.layout == "vertical" and all(ord(c) > 0x2FF or c.isspace() for c in spec.brand)
    if vertical:
        _vertical(d, spec, bf, sf, width, height, margin)
    else:
        _horizontal(d, spec, bf, sf, width, height, margin)
    return img


def _horizontal(d: ImageDraw.ImageDraw, spec: LabelSpec, bf: Font, sf: Font, w: int, h: int, margin: int) -> None:
    size = min(int(h * 0.22), int((w - 2 * margin) / max(1, len(spec.brand)) * 1.05))
    big = bf.at(max(size, 24))
    while big.getlength(spec.brand) > w - 2 * margin and big.size > 20:
        big = bf.at(int(big.size * 0.9))
    x0, y0, x1, y1 = d.textbbox((0, 0), spec.brand, font=big)
    top = int(h * 0.12)
    d.text(((w - (x1 - x0)) / 2 - x0, top - y0), spec.brand, font=big, fill=spec.ink)
    y = top + (y1 - y0) + int(h * 0.08)
    small = sf.at(max(16, int(h * 0.038)))
    for i, line in enumerate(spec.lines):
        f = sf.at(int(small.size * 1.35)) if i == 0 else small
        while f.getlength(line) > w - 2 * margin and f.size > 12:
            f = sf.at(int(f.size * 0.9))
        lx0, ly0, lx1, ly1 = d.textbbox((0, 0), line, font=f)
        if y + (ly1 - ly0) > h - margin:
            break
        d.text(((w - (lx1 - lx0)) / 2 - lx0, y - ly0), line, font=f, fill=spec.accent if i == 0 else spec.ink)
        y += int((ly1 - ly0) * 1.7)


def _column(d: ImageDraw.ImageDraw, text: str, f: ImageFont.FreeTypeFont, x_center: float, top: float, fill: tuple[int, int, int]) -> float:
    y = top
    for ch in text:
        if ch.isspace():
            y += f.size * 0.5
            continue
        if ch in "ー〜～-":
            ch = "｜"
        x0, y0, x1, y1 = d.textbbox((0, 0), ch, font=f)
        d.text((x_center - (x1 - x0) / 2 - x0, y), ch, font=f, fill=fill)
        y += f.size * 1.05
    return y


def _vertical(d: ImageDraw.ImageDraw, spec: LabelSpec, bf: Font, sf: Font, w: int, h: int, margin: int) -> None:
    chars = [c for c in spec.brand if not c.isspace()]
    usable = h - 2 * margin
    size = int(min(w * 0.3, usable * 0.92 / max(1, len(chars) * 1.05)))
    _column(d, spec.brand, bf.at(max(size, 20)), w / 2, margin + (usable - size * 1.05 * len(chars)) / 2, spec.ink)
    small = sf.at(max(16, int(w * 0.045)))
    # Right of the brand: the grade (larger); left: brewery, prefecture, the rest, right to left.
    right_x = w / 2 + size * 0.5 + (w / 2 - size * 0.5 - margin) / 2
    if spec.lines:
        g = sf.at(int(small.size * 1.4))
        while len(spec.lines[0]) * g.size * 1.05 > usable and g.size > 12:
            g = sf.at(int(g.size * 0.9))
        _column(d, spec.lines[0], g, right_x, margin * 1.3, spec.accent)
    x = w / 2 - size * 0.5 - small.size * 1.2
    for line in spec.lines[1:]:
        if x < margin:
            break
        f = small
        while len(line) * f.size * 1.05 > usable and f.size > 12:
            f = sf.at(int(f.size * 0.9))
        _column(d, line, f, x, margin * 1.3, spec.ink)
        x -= f.size * 1.6


# -- photo-like conditions ---------------------------------------------------------------------

BOTTLES = ((38, 70, 40), (70, 45, 20), (20, 22, 25), (95, 110, 100), (150, 120, 80), (200, 205, 210), (30, 50, 90))


@lru_cache(maxsize=2)
def _noise(shape: tuple[int, int]) -> np.ndarray:
    return np.random.default_rng(7).normal(0, 1, (shape[0], shape[1], 1)).astype(np.float32)


def _curve(img: Image.Image, strength: float) -> Image.Image:
    """A label on a round bottle: the middle comes forward, the sides fold away (cylinder projection)."""
    if strength <= 0:
        return img
    w, h = img.size
    a = np.asarray(img)
    xs = np.arange(w, dtype=np.float32)
    u = (xs / (w - 1)) * 2 - 1  # -1..1 across the output
    theta = u * math.asin(min(0.99, strength))  # visible arc
    src = (np.sin(theta) / math.sin(math.asin(min(0.99, strength))) + 1) / 2 * (w - 1)
    out = a[:, np.clip(src.round().astype(int), 0, w - 1)]
    shade = (0.75 + 0.25 * np.cos(theta))[None, :, None]
    return Image.fromarray((out * shade).astype(np.uint8))


def _perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    rows = []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=np.float64)
    b = np.array([c for p in src for c in p], dtype=np.float64)
    return list(np.linalg.solve(a, b))


def photo_like(label: Image.Image, rng: random.Random, *, size: tuple[int, int] = (3024, 4032), quality: int | None = None) -> bytes:
    """A phone photo of the label on a bottle: JPEG bytes."""
    w, h = size
    fill = rng.uniform(0.40, 0.70)  # share of the frame's height the label covers
    lh = int(h * fill)
    lw = int(label.width * lh / label.height)
    if lw > w * 0.9:
        lw = int(w * 0.9)
        lh = int(label.height * lw / label.width)
    lab = _curve(label, rng.uniform(0.3, 0.8)).resize((lw, lh), Image.Resampling.BICUBIC)
    bottle = rng.choice(BOTTLES)
    # Background: the bottle (a vertical band with a highlight) in front of a room.
    bg = Image.new("RGB", (w, h), tuple(int(c * rng.uniform(0.5, 1.3)) % 256 for c in (120, 110, 100)))
    bd = ImageDraw.Draw(bg)
    bx0, bx1 = (w - lw) / 2 - lw * 0.12, (w + lw) / 2 + lw * 0.12
    bd.rectangle([bx0, 0, bx1, h], fill=bottle)
    hx = bx0 + (bx1 - bx0) * rng.uniform(0.15, 0.3)
    bd.rectangle([hx, 0, hx + lw * 0.04, h], fill=tuple(min(255, c + 90) for c in bottle))
    # Perspective: jitter the corners of the label's place by up to 7% of its size.
    ox, oy = (w - lw) / 2 + rng.uniform(-0.05, 0.05) * w, (h - lh) / 2 + rng.uniform(-0.05, 0.05) * h
    j = lambda s: rng.uniform(-0.07, 0.07) * s  # noqa: E731
    dst = [(ox + j(lw), oy + j(lh)), (ox + lw + j(lw), oy + j(lh)), (ox + lw + j(lw), oy + lh + j(lh)), (ox + j(lw), oy + lh + j(lh))]
    coeffs = _perspective_coeffs([(0, 0), (lw, 0), (lw, lh), (0, lh)], dst)
    warped = lab.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    mask = Image.new("L", lab.size, 255).transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    bg.paste(warped, (0, 0), mask)
    # Rotation of the whole photo (a hand-held phone), filled with the room colour.
    angle = rng.uniform(-12, 12)
    photo = bg.rotate(angle, Image.Resampling.BILINEAR, expand=False, fillcolor=bg.getpixel((2, 2)))
    # Focus blur and camera shake.
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 2.8) * w / 3024))
    # Uneven light: a broad gradient from a window, and sensor noise.
    a = np.asarray(photo, dtype=np.float32)
    gx = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    gy = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    cx, cy = rng.random(), rng.random()
    light = 1.15 - 0.55 * np.sqrt((gx - cx) ** 2 + (gy - cy) ** 2)
    a *= np.clip(light, 0.45, 1.2)
    noise = _noise((h, w))
    shift = rng.randrange(h)
    a += np.roll(noise, shift, axis=0) * rng.uniform(3, 10)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=quality or rng.randint(70, 92))
    return buf.getvalue()


def scan_png(label: Image.Image) -> bytes:
    buf = io.BytesIO()
    label.save(buf, "PNG")
    return buf.getvalue()


def scan_jpeg(label: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    label.save(buf, "JPEG", quality=quality)
    return buf.getvalue()
