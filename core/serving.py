"""How warm to serve one sake, read from what the catalog knows of it, with the reason in one line.

The temperatures themselves (雪冷え 5 °C ... 上燗 45 °C) are the knowledge base's entries
(core/knowledge/data/temperature.json): a recommendation names two of them, so the reply uses the
base's own names and figures and its buttons open those entries. What decides, strongest evidence
first: a sparkling style; what Sakenowa drinkers say about temperature (熱燗, 常温, 冷酒 among the
brand's leading tags); the grades most of its products carry (ginjo family chilled, junmai/honjozo
family at room temperature or warm); an aged style; kimoto/yamahai; namazake; fizz; finally the
flavor chart (floral → chilled, rich → warm). With none of these, the answer says so and gives the
general rule instead of guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from core.catalog.model import BrandInfo
from core.knowledge.base import KnowledgeBase
from core.styles import evidence, styles_of
from core.texts import t

# how warm → the two knowledge entries that bound it ("hiya" is room temperature, 常温)
SERVE_ENTRIES: dict[str, tuple[str, str]] = {
    "well_chilled": ("yukibie", "hanabie"),
    "chilled": ("hanabie", "suzubie"),
    "cool_or_room": ("suzubie", "hiya"),
    "room_or_warm": ("hiya", "nurukan"),
    "room_slightly_warm": ("hiya", "hitohadakan"),
    "warm": ("nurukan", "jokan"),
}
# Sakenowa's temperature tags → (how warm, the tag's words)
TAG_SERVING = {"熱燗": ("warm", "atsukan"), "燗酒": ("warm", "kanzake"), "常温": ("room_or_warm", "jo-on"), "冷酒": ("chilled", "reishu")}
TOP_TAGS = 8  # tags are listed by relevance: a temperature tag further down is one drinker's aside
GINJO = ("純米大吟醸", "大吟醸", "純米吟醸", "吟醸")
JUNMAI = ("純米", "特別純米", "本醸造", "特別本醸造", "普通酒")
FLORAL, RICH = 0.45, 0.45  # chart values: about the top fifth of charted brands on that axis


@dataclass(frozen=True, slots=True)
class Serving:
    how: str  # a key of SERVE_ENTRIES, or "" when the catalog knows nothing to go on
    reason: str  # serve.why.<reason>
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def entries(self) -> tuple[str, ...]:
        return SERVE_ENTRIES.get(self.how, ("serving-temperature",))


def _main_grade(brand: BrandInfo) -> tuple[str, str] | None:
    """("ginjo" | "junmai", the most common grade) when most graded products fall in one family."""
    grades = Counter(p.grade for p in brand.products if p.grade in GINJO + JUNMAI)
    if not grades:
        return None
    ginjo = sum(n for g, n in grades.items() if g in GINJO)
    junmai = sum(grades.values()) - ginjo
    if ginjo == junmai:
        return None
    family = GINJO if ginjo > junmai else JUNMAI
    top = max((g for g in grades if g in family), key=lambda g: (grades[g], -family.index(g)))
    return ("ginjo" if family is GINJO else "junmai", top)


def serving_for(brand: BrandInfo) -> Serving:
    styles = styles_of(brand)
    if "sparkling" in styles:
        return Serving("well_chilled", "sparkling")
    tag = next((tg for tg in brand.tags[:TOP_TAGS] if tg in TAG_SERVING), None)
    if tag is not None:
        how, words = TAG_SERVING[tag]
        return Serving(how, "tag", {"tag": tag, "words": words})
    if (grade := _main_grade(brand)) is not None:  # before "aged": one 古酒 among many daiginjo does not make the brand aged
        family, top = grade
        return Serving("chilled" if family == "ginjo" else "room_or_warm", family, {"grade": top})
    if "aged" in styles:
        return Serving("room_slightly_warm", "aged", {"evidence": evidence(brand, "aged") or ""})
    for style, how in (("kimoto", "warm"), ("namazake", "well_chilled")):
        if style in styles:
            return Serving(how, "kimoto" if style == "kimoto" else "nama", {"evidence": evidence(brand, style) or ""})
    if "fizzy" in styles:
        return Serving("chilled", "fizzy")
    if brand.chart is None:
        return Serving("", "unknown")
    f1, _, f3, _, _, _ = brand.chart
    if f1 >= FLORAL and f3 < RICH:
        return Serving("chilled", "aromatic")
    if f3 >= RICH:
        return Serving("room_or_warm", "rich")
    return Serving("cool_or_room", "balanced")


def temperature_name(base: KnowledgeBase, entry_id: str, lang: str) -> str:
    """An entry's title as the temperature's name: 花冷え(10℃); in English with the Japanese name, which labels
    and menus use: hanabie 花冷え (10 °C)."""
    if entry_id == "hiya":
        return t("serve.room", lang)
    entry = base.entries[entry_id]
    ja = entry.title["ja"]
    if lang == "ja":
        return ja
    en = entry.title["en"]
    return f"{en[0].lower()}{en[1:]}".replace(" (", f" {re.sub(r'[(（].*', '', ja)} (", 1)


def serving_text(brand: BrandInfo, serving: Serving, base: KnowledgeBase, lang: str) -> str:
    """Two lines: how warm, with the temperatures' names, and why."""
    if not serving.how:
        return t("serve.unknown", lang, name=brand.name)
    low, high = (temperature_name(base, e, lang) for e in serving.entries)
    lead = t("serve.lead", lang, name=brand.name, how=t(f"serve.how.{serving.how}", lang), temps=t("serve.range", lang, low=low, high=high))
    fields = dict(serving.fields)
    if "words" in fields:
        fields["words"] = t(f"serve.tag.{fields['words']}", lang)
    why = t(f"serve.why.{serving.reason}", lang, name=brand.name, **fields)
    return f"{lead}\n{why}"
