"""Plain-language descriptions of a sake from its catalog data, in English or Japanese."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.catalog.model import FLAVOR_AXES, BrandInfo
from core.catalog.prefectures import romaji_of
from core.knowledge.specs import brand_spec_text

ATTRIBUTION = {
    "en": "Catalog data: さけのわデータを利用しています (Sakenowa, https://sakenowa.com)",
    "ja": "さけのわデータを利用しています(https://sakenowa.com)",
}


def flavor_words(brand: BrandInfo, lang: str, top: int = 2) -> list[str]:
    """The strongest axes of the chart, as words: ["floral", "light"]."""
    if brand.chart is None:
        return []
    ranked = sorted(zip(brand.chart, FLAVOR_AXES), key=lambda x: -x[0])[:top]
    return [ja if lang == "ja" else en for _, (_, ja, en) in ranked]


def flavor_in_words(values: Sequence[float], lang: str) -> str:
    """A chart (values in FLAVOR_AXES order, 0..1) as a short phrase a person reads: its two strongest
    axes and, when one is clearly low, its weakest; never the raw figures ("floral 0.51")."""
    ranked = sorted(zip(values, FLAVOR_AXES), key=lambda x: -x[0])
    strong = [ja if lang == "ja" else en for _, (_, ja, en) in ranked[:2]]
    low_v, (_, low_ja, low_en) = ranked[-1]
    if lang == "ja":
        return f"{'・'.join(strong)}が際立つ" + (f"({low_ja}は控えめ)" if low_v < 0.3 else "")
    return f"{' and '.join(strong)} above all" + (f"; little {low_en}" if low_v < 0.3 else "")


def card_flavor_in_words(flavor: Mapping[str, float], lang: str) -> str:
    """The same phrase from a card's `flavor` (axis id -> value), for renderers that draw the chart."""
    return flavor_in_words([flavor.get(axis, 0.0) for axis, _, _ in FLAVOR_AXES], lang)


def flavor_line(brand: BrandInfo, lang: str) -> str:
    if brand.chart is None:
        return "フレーバーチャートはありません。" if lang == "ja" else "No flavor chart yet."
    return ("フレーバー: " if lang == "ja" else "Flavor: ") + flavor_in_words(brand.chart, lang)


def where(brand: BrandInfo, lang: str) -> str:
    pref = brand.prefecture
    if lang != "ja" and (ro := romaji_of(brand.prefecture_id)):
        pref = f"{brand.prefecture} ({ro})"
    if not brand.brewery:
        return pref
    return f"{brand.brewery}、{pref}" if lang == "ja" else f"{brand.brewery}, {pref}"


def describe(brand: BrandInfo, lang: str) -> str:
    """Several lines: name, brewery and prefecture, flavor chart, tags, ranking, grades."""
    name = brand.name if lang == "ja" else f"{brand.name} ({brand.romaji})"
    lines = [f"{name} — {where(brand, lang)}", flavor_line(brand, lang)]
    if brand.tags:
        lines.append(("タグ: " if lang == "ja" else "Tags: ") + "・".join(brand.tags[:8]))
    if brand.rank is not None:
        lines.append(
            f"さけのわ総合ランキング {brand.rank}位 (スコア {brand.score:.2f})"
            if lang == "ja"
            else f"Sakenowa overall ranking: #{brand.rank} (score {brand.score:.2f})"
        )
    elif brand.area_rank is not None:
        lines.append(
            f"{brand.prefecture}ランキング {brand.area_rank}位"
            if lang == "ja"
            else f"#{brand.area_rank} in {romaji_of(brand.prefecture_id) or brand.prefecture} on Sakenowa"
        )
    if brand.grades:
        lines.append(("特定名称: " if lang == "ja" else "Grades: ") + "・".join(brand.grades[:5]))
    specs, _ = brand_spec_text(brand, lang)
    if specs:
        lines.append(specs)
    return "\n".join(lines)
