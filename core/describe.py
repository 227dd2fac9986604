"""Plain-language descriptions of a sake from its catalog data, in English or Japanese (words: core/describe_texts.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.catalog.model import FLAVOR_AXES, BrandInfo
from core.catalog.prefectures import romaji_of
from core.knowledge.specs import brand_spec_text
from core.texts import t


def flavor_words(brand: BrandInfo, lang: str, top: int = 2) -> list[str]:
    """The strongest axes of the chart, as words: ["floral", "light"]."""
    if brand.chart is None:
        return []
    ranked = sorted(zip(brand.chart, FLAVOR_AXES), key=lambda x: -x[0])[:top]
    return [t(f"flavor.{axis}", lang) for _, (axis, _, _) in ranked]


def flavor_in_words(values: Sequence[float], lang: str) -> str:
    """A chart (values in FLAVOR_AXES order, 0..1) as a short phrase a person reads: its two strongest
    axes and, when one is clearly low, its weakest; never the raw figures ("floral 0.51")."""
    ranked = sorted(zip(values, FLAVOR_AXES), key=lambda x: -x[0])
    first, second = (t(f"flavor.{axis}", lang) for _, (axis, _, _) in ranked[:2])
    low_v, (low_axis, _, _) = ranked[-1]
    little = t("flavor.little", lang, axis=t(f"flavor.{low_axis}", lang)) if low_v < 0.3 else ""
    return t("flavor.strongest", lang, first=first, second=second) + little


def card_flavor_in_words(flavor: Mapping[str, float], lang: str) -> str:
    """The same phrase from a card's `flavor` (axis id -> value), for renderers that draw the chart."""
    return flavor_in_words([flavor.get(axis, 0.0) for axis, _, _ in FLAVOR_AXES], lang)


def flavor_line(brand: BrandInfo, lang: str) -> str:
    if brand.chart is None:
        return t("describe.no_chart", lang)
    return t("describe.flavor", lang, words=flavor_in_words(brand.chart, lang))


def where(brand: BrandInfo, lang: str) -> str:
    pref = brand.prefecture
    if ro := romaji_of(brand.prefecture_id):
        pref = t("describe.prefecture", lang, prefecture=brand.prefecture, romaji=ro)
    if not brand.brewery:
        return pref
    return t("describe.where", lang, brewery=brand.brewery, prefecture=pref)


def describe(brand: BrandInfo, lang: str) -> str:
    """Several lines: name, brewery and prefecture, flavor chart, tags, ranking, grades."""
    lines = [t("describe.head", lang, name=brand.name, romaji=brand.romaji, where=where(brand, lang)), flavor_line(brand, lang)]
    if brand.tags:
        lines.append(t("describe.tags", lang, tags="・".join(brand.tags[:8])))
    if brand.rank is not None:
        lines.append(t("describe.rank", lang, rank=brand.rank, score=brand.score))
    elif brand.area_rank is not None:
        # English readers get the prefecture's romaji where we know it; Japanese readers its own name
        area = brand.prefecture if lang == "ja" else romaji_of(brand.prefecture_id) or brand.prefecture
        lines.append(t("describe.area_rank", lang, rank=brand.area_rank, area=area))
    if brand.grades:
        lines.append(t("describe.grades", lang, grades="・".join(brand.grades[:5])))
    specs, _ = brand_spec_text(brand, lang)
    if specs:
        lines.append(specs)
    return "\n".join(lines)
