"""How to serve a sake and what to say about it: temperature, the foods it suits, a one-line pitch.

Temperature follows the four sake types of the Sake Service Institute (the first source in
core/data/pairing_rules.json): fragrant 薫酒 and light 爽酒 are served chilled, rich 醇酒 at
room temperature or warmed, aged 熟酒 at room temperature. With a dish, the dish's rule in the
pairing data decides; without one, a brand that Sakenowa drinkers tag 燗酒 / 熱燗 is warmed.
The type is read from the flavor chart, or, without a chart, from the position the flavor
space estimates from tags (and then said with less certainty: never a made-up chart).

The pitch is a sentence staff can say to a guest as it is, in Japanese or English; it only
states what the catalog data supports (prefecture, chart or tags, temperature, dish).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.catalog.model import BrandInfo
from core.catalog.prefectures import romaji_of
from core.flavor_space import AXES, FlavorSpace
from core.pairing import FoodFamily, Pairing
from core.tasting_input import temperature_label
from core.texts import t

# Sakenowa flavor tags in English, for pitches in English (tags are stored in Japanese).
TAG_EN = {
    "フルーティ": "fruity", "華やか": "floral", "甘味": "sweet", "旨味": "umami-rich", "辛口": "dry", "キレ": "crisp",
    "スッキリ": "clean", "軽快": "light", "さわやか": "refreshing", "綺麗": "elegant", "上品": "refined", "まろやか": "mellow",
    "濃厚": "rich", "コク": "full-bodied", "しっかり": "firm", "酸味": "bright with acidity", "ジューシー": "juicy", "穏やか": "gentle",
    "優しい": "gentle", "柔らかい": "soft", "フレッシュ": "fresh", "熟成": "aged", "ガス": "lightly sparkling", "燗酒": "good warmed",
    "冷酒": "good chilled", "メロン": "melon-scented", "リンゴ": "apple-scented", "バナナ": "banana-scented", "米の旨味": "ricey",
    "苦味": "with a bitter edge", "透き通る": "clear", "どっしり": "weighty", "甘酸っぱい": "sweet-tart", "蜜": "honeyed",
}
_SERVE_EN = {"chilled": "best served chilled", "room": "best at room temperature", "warm": "best gently warmed", "hot": "best served hot"}
_WARM_TAGS = ("燗酒", "熱燗", "ぬる燗")
_AGED_TAGS = ("熟成", "古酒", "長期熟成")
STANDOUT = 0.4  # standard deviations above the catalog mean before a trait is worth saying


@dataclass(frozen=True, slots=True)
class SakeType:
    id: str  # kunshu | soshu | junshu | jukushu
    en: str
    ja: str
    temperatures: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


TYPES = {
    "kunshu": SakeType("kunshu", "fragrant (kunshu)", "薫酒", ("chilled", "room")),
    "soshu": SakeType("soshu", "light and smooth (soshu)", "爽酒", ("chilled", "room")),
    "junshu": SakeType("junshu", "rich (junshu)", "醇酒", ("room", "warm")),
    "jukushu": SakeType("jukushu", "aged (jukushu)", "熟酒", ("room", "warm")),
}


def position(brand: BrandInfo, space: FlavorSpace) -> np.ndarray | None:
    row = space.row(brand.id)
    if row is None or not space.placed[row]:
        return None
    return space.position[row]


def sake_type(brand: BrandInfo, space: FlavorSpace) -> SakeType | None:
    """The SSI type from where the sake sits on the axes; None with no flavor data at all."""
    if any(t in brand.tags[:6] for t in _AGED_TAGS):
        return TYPES["jukushu"]
    z = position(brand, space)
    if z is None:
        return None
    f = dict(zip(AXES, z))
    fragrant = f["f1"]
    rich = (f["f2"] + f["f3"]) / 2
    light = (f["f6"] - f["f3"]) / 2
    best = max((fragrant, "kunshu"), (rich, "junshu"), (light, "soshu"))
    return TYPES[best[1]]


def serving_temperature(brand: BrandInfo, space: FlavorSpace, family: FoodFamily | None = None) -> str:
    """A canonical temperature (chilled / room / warm / hot) for this sake, with this dish if any.

    With a dish, the dish's rule decides (its first temperature, as the pairing explanation
    says); without one, a sake tagged for warming is warmed, else its type decides.
    """
    if family is not None and family.temperatures:
        return family.temperatures[0]
    if any(t in brand.tags[:5] for t in _WARM_TAGS):
        return "warm"
    kind = sake_type(brand, space)
    return kind.temperatures[0] if kind is not None else "room"


_NOT_A_TRAIT = frozenset(("燗酒", "熱燗", "ぬる燗", "冷酒", "常温", "安定", "バランス"))  # serving styles and vague words


def traits(brand: BrandInfo, space: FlavorSpace, lang: str, n: int = 2) -> tuple[list[str], bool]:
    """What the sake stands out for, and whether that comes from its chart (else from its tags).

    Never from an estimated position: only a real chart or the tags drinkers gave it.
    """
    ja = lang == "ja"
    z = position(brand, space)
    if brand.chart is not None and z is not None:
        out = [t(f"serving.trait.{AXES[k]}", lang) for k in np.argsort(-z) if z[k] >= STANDOUT][:n]
        if out:
            return out, True
    out = []
    for tag in brand.tags:
        word = tag if ja else TAG_EN.get(tag)
        if word and word not in out and tag not in _NOT_A_TRAIT:
            out.append(word)
        if len(out) == n:
            break
    return out, False


class PairingTable:
    """For each food family, every brand's percentile: "in the top 10% of the catalog for sashimi"."""

    def __init__(self, pairing: Pairing, space: FlavorSpace) -> None:
        self.pairing = pairing
        self.space = space
        scores = np.vstack([pairing.scores(f, space) for f in pairing.families])  # F x N
        ranks = scores.argsort(axis=1).argsort(axis=1)
        self.percentile = ranks / max(1, scores.shape[1] - 1)
        self.percentile[:, ~space.placed] = np.nan

    def best(self, brand: BrandInfo, n: int = 3) -> list[tuple[FoodFamily, float]]:
        row = self.space.row(brand.id)
        if row is None or not self.space.placed[row]:
            return []
        col = self.percentile[:, row]
        order = np.argsort(-col)[:n]
        return [(self.pairing.families[i], float(col[i])) for i in order]


@lru_cache(maxsize=4)
def pairing_table(pairing: Pairing, space: FlavorSpace) -> PairingTable:
    return PairingTable(pairing, space)


def pitch(
    brand: BrandInfo, space: FlavorSpace, lang: str, *, temperature: str, family: FoodFamily | None = None,
    dish: str | None = None, grade: str = "",
) -> str:
    """One line staff can say to a guest, from catalog facts only."""
    ja = lang == "ja"
    words, from_chart = traits(brand, space, lang)
    temp = temperature_label(temperature, lang) or ""
    if ja:
        where = f"{brand.prefecture}の" if brand.prefecture else ""
        line = f"{where}{brand.name}{' ' + grade if grade else ''}です。"
        if words and from_chart:
            line += f"{'で'.join(words)}な味わいで、"
        elif words:
            line += f"{'・'.join(words)}が持ち味で、"
        line += f"{temp}でどうぞ。" if temp else ""
        if family is not None:
            line += f"{dish or family.ja}によく合います。"
        return line
    where = romaji_of(brand.prefecture_id) if brand.prefecture_id else None
    head = (
        f"This is {brand.name}{' ' + grade if grade else ''}"
        + (f" ({brand.romaji.title()})" if brand.romaji else "")
        + (f" from {where}" if where else "")
    )
    body = f" — {' and '.join(words)}" if words else ""
    tail = f"; {_SERVE_EN.get(temperature, 'best ' + temp)}" if temp else ""
    if family is not None:
        tail += f", and it suits {dish or family.en} beautifully"
    return f"{head}{body}{tail}."
