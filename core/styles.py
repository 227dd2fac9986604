"""Sake styles (sparkling, cloudy, aged, very sweet, namazake, genshu ...) judged from the catalog.

A style is something a drinker opts into: a fizzy, cloudy, aged or very sweet sake is a fine
answer to "sparkling sake please" and a poor one to "something dry for sashimi". Sakenowa has
no style field, so a brand's style is read from what it is known for: its name, its leading
flavor tags (listed by relevance) and its products' names and specs.
"""

from __future__ import annotations

import re
import threading
import weakref
from typing import ClassVar

import numpy as np

from core.catalog.model import BrandInfo

STYLES = ("sparkling", "fizzy", "cloudy", "very_sweet", "aged", "namazake", "genshu", "kijoshu", "taruzake", "kimoto", "low_alcohol")
# Opt-in: never suggested unless asked for, or unless the dish calls for them (see `allowed_by_dish`).
OPT_IN = ("sparkling", "cloudy", "very_sweet", "aged")
DISH_ALLOWS = {"dessert": ("very_sweet", "sparkling", "cloudy"), "spicy": ("very_sweet", "sparkling")}

_SPARKLING = re.compile(r"スパークリング|発泡|sparkling|ぷちぷち|プチプチ|ピチピチ|しゅわ|シュワ|泡")
_CLOUDY = re.compile(r"にごり|濁|どぶろ|ドブロ|おりがらみ|オリガラミ|滓")
_AGED = re.compile(r"古酒|熟成|秘蔵")
_AGED_PRODUCT = re.compile(r"古酒|熟成")  # 秘蔵 on one product is a cellar's pride, not an aged style
_NAMA = re.compile(r"生酒|本生|生原酒|しぼりたて|無濾過生|生々")
# kimoto: the traditional lactic starters, 生酛 and 山廃 (yamahai), as the brewery names its products
_NAMES = {"genshu": re.compile("原酒"), "kijoshu": re.compile("貴醸"), "taruzake": re.compile("樽"),
          "kimoto": re.compile("生酛|生もと|きもと|山廃|山卸")}


def styles_of(b: BrandInfo) -> frozenset[str]:
    """The styles a brand stands for. Leading tags only: a brand whose drinkers mention gas tenth is not a sparkling sake."""
    out: set[str] = set()
    top = set(b.tags[:6])
    names = [b.name, *(p.name for p in b.products)]
    if _SPARKLING.search(b.name) or top & {"ピチピチ", "プチプチ", "シャンパン", "ラムネ"} or b.tags[:1] == ("ガス",):
        out.add("sparkling")
    if "sparkling" in out or "ガス" in b.tags[:5]:
        out.add("fizzy")
    if _CLOUDY.search(b.name) or top & {"カルピス", "ヤクルト", "ミルク"}:
        out.add("cloudy")
    if (b.chart is not None and b.chart[4] < 0.15) or top & {"ジュース", "砂糖", "カルピス"}:
        out.add("very_sweet")
    if _AGED.search(b.name) or top & {"紹興酒", "カラメル", "キャラメル"} or any(_AGED_PRODUCT.search(n) for n in names[1:]):
        out.add("aged")
    if any(_NAMA.search(n) for n in names):
        out.add("namazake")
    for style, pattern in _NAMES.items():
        if any(pattern.search(n) for n in names):
            out.add(style)
    if any(p.abv is not None and p.abv <= 13.0 for p in b.products) or any("低アル" in n for n in names):
        out.add("low_alcohol")
    return frozenset(out)


class StyleIndex:
    """One boolean column per style over a brand list (rows in the FlavorSpace's order); cached per list."""

    _cache: ClassVar[weakref.WeakKeyDictionary[object, StyleIndex]] = weakref.WeakKeyDictionary()
    _lock = threading.Lock()

    def __init__(self, brands: list[BrandInfo]) -> None:
        per = [styles_of(b) for b in brands]
        self.masks = {s: np.array([s in p for p in per], dtype=bool) for s in STYLES}
        charts = np.full((len(brands), 6), np.nan)
        for i, b in enumerate(brands):
            if b.chart is not None:
                charts[i] = b.chart
        self.charts = charts
        self.charted = ~np.isnan(charts[:, 0])
        self.median = np.nanmedian(charts, axis=0)
        self._sorted = np.sort(charts[self.charted], axis=0)
        # how widely a brand is made and sold, as far as the catalog tells: its number of listed products (0..1)
        self.reach = np.array([min(len(b.products), 20) / 20 for b in brands])

    def top_percent(self, k: int, value: float, more: bool) -> int:
        """How far along axis `k` a chart value sits among charted brands (see `top_percent` below)."""
        return top_percent(self._sorted[:, k], value, more)

    @classmethod
    def of(cls, owner: object, brands: list[BrandInfo]) -> StyleIndex:
        with cls._lock:
            found = cls._cache.get(owner)
            if found is None:
                found = cls._cache[owner] = cls(brands)
            return found

    def mask(self, style: str) -> np.ndarray:
        return self.masks[style]


def allowed_by_dish(family_id: str | None) -> tuple[str, ...]:
    return DISH_ALLOWS.get(family_id or "", ())


def evidence(b: BrandInfo, style: str) -> str | None:
    """What shows the brand is of the style: a product's name, or a leading tag."""
    pattern = {"sparkling": _SPARKLING, "cloudy": _CLOUDY, "aged": _AGED_PRODUCT, "namazake": _NAMA, **_NAMES}.get(style)
    if pattern is not None:
        for name in (b.name, *(p.name for p in b.products)):
            if pattern.search(name):
                return name
    if style == "low_alcohol":
        low = next((p for p in b.products if p.abv is not None and p.abv <= 13.0), None)
        return f"{low.name} {low.abv:g}%" if low else None
    tag = next((t for t in b.tags[:6] if t in {"ガス", "ピチピチ", "プチプチ", "シャンパン", "ラムネ", "カルピス", "ヤクルト", "ミルク",
                                               "紹興酒", "カラメル", "キャラメル", "ジュース", "砂糖"}), None)
    return tag


def top_percent(ascending: np.ndarray, value: float, more: bool = True) -> int:
    """Where `value` stands among `ascending` (sorted) values, said the way people understand it: "top 12 %"
    means only 12 % go as far in that direction (`more` = towards the high end), 1 to 100."""
    n = len(ascending)
    count = n - int(np.searchsorted(ascending, value, "left")) if more else int(np.searchsorted(ascending, value, "right"))
    return max(1, min(100, -(-100 * count // n)))
