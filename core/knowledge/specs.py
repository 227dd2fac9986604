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
from core.messages import Button
from core.texts import t

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
    bands = ((6, "smv.very_dry"), (3.5, "smv.dry"), (1.5, "smv.slightly_dry"), (-1.4, "smv.medium"),
             (-3.4, "smv.slightly_sweet"), (-5.9, "smv.sweet"))
    for floor, key in bands:
        if smv >= floor:
            return t(key, lang)
    return t("smv.very_sweet", lang)


def acidity_words(acidity: float, lang: str) -> str:
    if acidity < 1.2:
        return t("acidity.low", lang)
    if acidity <= 1.6:
        return t("acidity.medium", lang)
    return t("acidity.high", lang)


def amino_words(amino: float, lang: str) -> str:
    if amino < 1.2:
        return t("amino.low", lang)
    if amino <= 1.6:
        return t("amino.medium", lang)
    return t("amino.high", lang)


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
        out.append(SpecLine(GRADE_ENTRIES[p.grade], t("spec.grade", lang, grade=p.grade)))
    if p.polishing is not None:
        gone = 100 - p.polishing
        out.append(SpecLine("seimai-buai", t("spec.polishing", lang, polishing=_num(p.polishing), gone=_num(gone))))
    if p.smv is not None:
        sign = "+" if p.smv > 0 else ""
        out.append(SpecLine("nihonshu-do", t("spec.smv", lang, sign=sign, smv=_num(p.smv), words=smv_words(p.smv, lang))))
    if p.acidity is not None:
        out.append(SpecLine("sando", t("spec.acidity", lang, acidity=_num(p.acidity), words=acidity_words(p.acidity, lang))))
    if p.amino is not None:
        out.append(SpecLine("amino-sando", t("spec.amino", lang, amino=_num(p.amino), words=amino_words(p.amino, lang))))
    if p.abv is not None:
        out.append(SpecLine("alcohol-content", t("spec.abv", lang, abv=_num(p.abv))))
    if p.rice:
        rice = "・".join(p.rice[:3])
        out.append(SpecLine(next((RICE_ENTRIES[r] for r in p.rice if r in RICE_ENTRIES), "sakamai"), t("spec.rice", lang, rice=rice)))
    if p.yeast:
        yeast = "・".join(p.yeast[:2])
        out.append(SpecLine(yeast_entry(p.yeast[0]), t("spec.yeast", lang, yeast=yeast)))
    return out


def main_product(brand: BrandInfo) -> ProductInfo | None:
    """The product with the most figures: the one a card can speak for."""
    if not brand.products:
        return None
    return max(
        brand.products,
        key=lambda p: sum(x is not None for x in (p.grade, p.polishing, p.smv, p.acidity, p.amino)) + bool(p.rice) + bool(p.yeast),
    )


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
    out = {
        k: v
        for k, v in (("product", p.name), ("grade", p.grade), ("polishing", p.polishing), ("smv", p.smv), ("acidity", p.acidity),
                     ("amino", p.amino), ("abv", p.abv), ("rice", list(p.rice)), ("yeast", list(p.yeast)))
        if v not in (None, [], "")
    }
    return out if len(out) > 1 else None


def spec_actions(brand: BrandInfo, lang: str, limit: int = 4) -> list[Button]:
    """Explain buttons for the figures a brand's answer shows (SMV, polishing ratio...), grade first."""
    from core.knowledge.base import load_base

    _, linked = brand_spec_text(brand, lang)
    base = load_base()
    return [Button(Explain(eid), base.title(eid, lang)) for eid in linked[:limit] if eid in base]
