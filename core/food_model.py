"""A general food model: any dish as the sum of what it is made of and how it is cooked.

The pairing table (core/data/pairing_rules.json) knows fourteen families by name. For a dish it
does not know ("gyoza", "pad thai", 「鯖の味噌煮」), this model finds the components in the words
(ingredients, methods, seasonings: grilled, fried, raw, simmered, smoked, miso, soy, cream, tomato,
spicy; 焼き, 揚げ, 煮, 刺身, 味噌, 醤油) or in a short list of dishes whose names say nothing of their
ingredients, adds up the flavor directions they call for, and builds a food family on the fly,
with a reason that names the components (fat, salt, umami, acidity, sweetness, heat, temperature).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from core.catalog.normalize import kata_to_hira
from core.pairing import FoodFamily

DATA = Path(__file__).resolve().parent / "data" / "food_components.json"
_AXIS_EN = {"f1": "fruity", "f2": "mellow", "f3": "full-bodied", "f4": "calm", "f5": "dry", "f6": "light"}
_AXIS_JA = {"f1": "フルーティ", "f2": "芳醇", "f3": "濃醇", "f4": "穏やか", "f5": "辛口", "f6": "軽快"}


def _fold(text: str) -> str:
    return kata_to_hira(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=2)
def _load(path: Path = DATA) -> tuple[dict[str, dict], dict[str, list[str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["components"], data["dishes"]


class FoodModel:
    def __init__(self, path: Path = DATA) -> None:
        self.components, dishes = _load(path)
        entries: list[tuple[str, tuple[str, ...]]] = [(d, tuple(c)) for d, c in dishes.items()]
        for cid, comp in self.components.items():
            entries += [(w, (cid,)) for w in (*comp["words_en"], *comp["words_ja"])]
        self._words: dict[str, tuple[str, ...]] = {}
        parts = []
        for word, comps in sorted(entries, key=lambda e: -len(e[0])):
            key = _fold(word)
            if key in self._words:
                continue
            self._words[key] = comps
            esc = re.escape(key).replace(r"\ ", r"[\s-]?")
            parts.append(rf"(?<![a-z]){esc}(?:e?s)?(?![a-z])" if key.isascii() else esc)
        self._pattern = re.compile("|".join(parts))

    def components_in(self, text: str) -> list[str]:
        """Component ids named in the text, longest words first (a dish name before its parts)."""
        out: list[str] = []
        for m in self._pattern.finditer(_fold(text[:300])):
            word = m.group(0)
            comps = self._words.get(word) or self._words.get(re.sub(r"e?s$", "", word)) or self._words.get(word.replace(" ", ""))
            if comps is None:
                comps = next((v for k, v in self._words.items() if re.sub(r"[\s-]", "", k) == re.sub(r"[\s-]", "", word)), ())
            out += [c for c in comps if c not in out]
        return out

    def family_for(self, text: str) -> FoodFamily | None:
        """A food family built from the dish's components; None when no component is recognised."""
        comps = self.components_in(text)
        if not comps:
            return None
        axes: Counter[str] = Counter()
        tags: list[str] = []
        temps: Counter[str] = Counter()
        for cid in comps:
            comp = self.components[cid]
            for axis, v in comp["axes"].items():
                axes[axis] += float(v)
            tags += [t for t in comp["tags"] if t not in tags]
            if comp.get("temperature"):
                temps[comp["temperature"]] += 1
        axes = Counter({a: round(v / len(comps), 3) for a, v in axes.items() if abs(v) > 1e-9})
        top = [a for a, v in sorted(axes.items(), key=lambda kv: -abs(kv[1])) if v > 0][:2]
        sweet = axes.get("f5", 0) < -0.2
        want_en = ("a softer, sweeter " if sweet else "a ") + ", ".join(_AXIS_EN[a] for a in top if not (sweet and a == "f5")) + " sake"
        want_ja = ("やや甘口で" if sweet else "") + "・".join(_AXIS_JA[a] for a in top if not (sweet and a == "f5")) + "のお酒"
        facets = [self.components[c] for c in comps[:3]]
        why_en = " and ".join(f["why_en"] for f in facets) + f" call for {want_en.replace(' ,', '')}"
        why_ja = "、".join(f["why_ja"] for f in facets) + f"には{want_ja}"
        name = text.strip()[:60]
        family_id = "dessert" if "sweet" in comps else "spicy" if "spicy" in comps else "composed"
        temperature = temps.most_common(1)[0][0] if temps else "room"
        return FoodFamily(
            id=family_id, en=name, ja=name, priority=0, words_en=(), words_ja=(), axes=dict(axes), tags=tuple(tags[:5]),
            temperatures=(temperature,), why_en=why_en, why_ja=why_ja,
        )
