"""A product's label figures in words ("SMV +5: on the dry side"), each linked to the entry explaining it.

The catalog ships specs for about 1,200 products (grade, polishing ratio, SMV, acidity, amino acids,
rice, yeast); a number alone teaches nothing, so each comes with what it means and an entry id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.actions import Explain
from core.catalog.model import BrandInfo, ProductInfo
from core.i18n import pick
from core.messages import Button

GRADE_ENTRIES = {
    "純米": "junmai", "特別純米": "tokubetsu-junmai", "純米吟醸": "junmai-ginjo", "純米大吟醸": "junmai-daiginjo", "吟醸": "ginjo",
    "大吟醸": "daiginjo", "本醸造": "honjozo", "特別本醸造": "tokubetsu-honjozo", "普通酒": "futsushu",
}
RICE_ENTRIES = {
    "山田錦": "yamada-nishiki", "五百万石": "gohyakumangoku", "雄町": "omachi", "美山錦": "miyama-nishiki", "愛山": "aiyama",
    "出羽燦々": "dewasansan", "八反錦": "hattan-nishiki", "亀の尾": "kame-no-o", "越淡麗": "koshi-tanrei",
}


@dataclass(frozen=True, slots=True)
class SpecLine:
    entry_id: str  # the knowledge entry that explains this figure
    text: str


def smv_words(smv: float, lang: str) -> str:
    """The usual reading of the sake meter value: plus is drier, minus sweeter."""
    bands = ((6, "very dry", "大辛口"), (3.5, "on the dry side", "辛口"), (1.5, "slightly dry", "やや辛口"), (-1.4, "medium", "普通"),
             (-3.4, "slightly sweet", "やや甘口"), (-5.9, "on the sweet side", "甘口"))
    for floor, en, ja in bands:
        if smv >= floor:
            return pick(lang, en, ja)
    return pick(lang, "very sweet", "大甘口")


def acidity_words(acidity: float, lang: str) -> str:
    if acidity < 1.2:
        return pick(lang, "low acidity, soft", "酸は控えめでやわらか")
    if acidity <= 1.6:
        return pick(lang, "medium acidity", "酸は中くらい")
    return pick(lang, "high acidity, firm and tangy", "酸が高めで引き締まった味")


def amino_words(amino: float, lang: str) -> str:
    if amino < 1.2:
        return pick(lang, "clean, light umami", "すっきりしたうま味")
    if amino <= 1.6:
        return pick(lang, "moderate umami", "ほどよいうま味")
    return pick(lang, "rich umami", "うま味たっぷり")


def _num(x: float) -> str:
    return f"{x:g}"


def yeast_entry(name: str) -> str:
    """きょうかい901号 is the foamless form of No. 9, so it is explained by No. 9."""
    m = re.search(r"(\d+)号", name)
    if m:
        n = m.group(1)
        base = n[:-2] if len(n) >= 3 and n.endswith("01") and n != "1801" else n
        if base in ("6", "7", "9", "1801"):
            return f"kyokai-{base}"
        return "kyokai-yeast"
    return "yeast"


def product_lines(p: ProductInfo, lang: str) -> list[SpecLine]:
    out: list[SpecLine] = []
    if p.grade and p.grade in GRADE_ENTRIES:
        out.append(SpecLine(GRADE_ENTRIES[p.grade], pick(lang, f"Grade: {p.grade}", f"特定名称: {p.grade}")))
    if p.polishing is not None:
        gone = 100 - p.polishing
        out.append(SpecLine("seimai-buai", pick(lang, f"Polishing ratio {_num(p.polishing)} %: {_num(gone)} % of each grain polished away",
                                                f"精米歩合 {_num(p.polishing)}%: 米の外側を{_num(gone)}%削っています")))
    if p.smv is not None:
        sign = "+" if p.smv > 0 else ""
        out.append(SpecLine("nihonshu-do", pick(lang, f"SMV {sign}{_num(p.smv)}: {smv_words(p.smv, lang)}", f"日本酒度 {sign}{_num(p.smv)}: {smv_words(p.smv, lang)}")))
    if p.acidity is not None:
        out.append(SpecLine("sando", pick(lang, f"Acidity {_num(p.acidity)}: {acidity_words(p.acidity, lang)}", f"酸度 {_num(p.acidity)}: {acidity_words(p.acidity, lang)}")))
    if p.amino is not None:
        out.append(SpecLine("amino-sando", pick(lang, f"Amino acids {_num(p.amino)}: {amino_words(p.amino, lang)}", f"アミノ酸度 {_num(p.amino)}: {amino_words(p.amino, lang)}")))
    if p.abv is not None:
        out.append(SpecLine("alcohol-content", pick(lang, f"Alcohol {_num(p.abv)} %", f"アルコール度数 {_num(p.abv)}%")))
    if p.rice:
        rice = "・".join(p.rice[:3])
        out.append(SpecLine(next((RICE_ENTRIES[r] for r in p.rice if r in RICE_ENTRIES), "sakamai"), pick(lang, f"Rice: {rice}", f"酒米: {rice}")))
    if p.yeast:
        yeast = "・".join(p.yeast[:2])
        out.append(SpecLine(yeast_entry(p.yeast[0]), pick(lang, f"Yeast: {yeast}", f"酵母: {yeast}")))
    return out


def main_product(brand: BrandInfo) -> ProductInfo | None:
    """The product with the most figures: the one a card can speak for."""
    if not brand.products:
        return None
    return max(brand.products, key=lambda p: sum(x is not None for x in (p.grade, p.polishing, p.smv, p.acidity, p.amino)) + bool(p.rice) + bool(p.yeast))


def brand_spec_text(brand: BrandInfo, lang: str, limit: int = 2) -> tuple[str, list[str]]:
    """Spec lines for a 'tell me about' answer (up to `limit` products) and the entry ids they link to."""
    lines: list[str] = []
    linked: list[str] = []
    for p in sorted(brand.products, key=lambda p: p is not main_product(brand))[:limit]:
        spec = product_lines(p, lang)
        if not spec:
            continue
        lines.append(f"{p.name}: " + "; ".join(s.text for s in spec))
        linked += [s.entry_id for s in spec if s.entry_id not in linked]
    return "\n".join(lines), linked


def card_specs(brand: BrandInfo) -> dict[str, Any] | None:
    """The main product's figures for a card (numbers as the catalog has them); None when it has none."""
    p = main_product(brand)
    if p is None:
        return None
    out = {k: v for k, v in (("product", p.name), ("grade", p.grade), ("polishing", p.polishing), ("smv", p.smv), ("acidity", p.acidity),
                               ("amino", p.amino), ("abv", p.abv), ("rice", list(p.rice)), ("yeast", list(p.yeast))) if v not in (None, [], "")}
    return out if len(out) > 1 else None


def spec_actions(brand: BrandInfo, lang: str, limit: int = 4) -> list[Button]:
    """Explain buttons for the figures a brand's answer shows (SMV, polishing ratio...), grade first."""
    from core.knowledge.base import load_base

    _, linked = brand_spec_text(brand, lang)
    base = load_base()
    return [Button(Explain(eid), base.title(eid, lang)) for eid in linked[:limit] if eid in base]
