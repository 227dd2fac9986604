"""Food pairing: recognise a dish as a food family, then say which flavor directions suit it.

The rules live in core/data/pairing_rules.json (families, words in English and Japanese,
axis directions, tags, serving temperatures, and the sources they summarise). The recommender
scores the whole catalog with `scores`; a restaurant menu reuses the same rules.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from core.catalog.model import BrandInfo, Catalog
from core.catalog.normalize import kata_to_hira
from core.flavor_space import FlavorSpace, axis_vector
from core.tasting_input import temperature_label
from core.texts import t

RULES = Path(__file__).resolve().parent / "data" / "pairing_rules.json"
TAG_WEIGHT = 0.35  # one matching tag is worth about a third of a standard deviation on the chart


@dataclass(frozen=True, slots=True)
class FoodFamily:
    id: str
    en: str
    ja: str
    priority: int
    words_en: tuple[str, ...]
    words_ja: tuple[str, ...]
    axes: dict[str, float]
    tags: tuple[str, ...]
    temperatures: tuple[str, ...]
    why_en: str
    why_ja: str

    def name(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    def why(self, lang: str) -> str:
        return self.why_ja if lang == "ja" else self.why_en

    @property
    def direction(self) -> np.ndarray:
        return axis_vector(self.axes)


def _fold(text: str) -> str:
    return kata_to_hira(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=2)
def load_rules(path: Path = RULES) -> tuple[tuple[FoodFamily, ...], tuple[dict[str, str], ...]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    families = tuple(
        FoodFamily(
            id=f["id"], en=f["en"], ja=f["ja"], priority=int(f["priority"]), words_en=tuple(f["words_en"]),
            words_ja=tuple(f["words_ja"]), axes=dict(f["axes"]), tags=tuple(f["tags"]), temperatures=tuple(f["temperatures"]),
            why_en=f["why_en"], why_ja=f["why_ja"],
        )
        for f in data["families"]
    )
    return families, tuple(data["sources"])


class Pairing:
    def __init__(self, catalog: Catalog | None = None, rules: Path = RULES) -> None:
        self.families, self.sources = load_rules(rules)
        self.by_id = {f.id: f for f in self.families}
        self.catalog = catalog
        self._model: Any = None  # core.food_model.FoodModel, built on first use
        # One pattern per word; Japanese words match inside text, English ones as whole words (plural s/es allowed).
        self._patterns: list[tuple[re.Pattern[str], FoodFamily]] = []
        for f in self.families:
            for w in f.words_en:
                self._patterns.append((re.compile(rf"(?<![a-z]){re.escape(_fold(w))}(?:e?s)?(?![a-z])"), f))
            for w in f.words_ja:
                word = _fold(w)
                # Two-kana words are also verb and adverb endings (飲みたい, 久しぶり, 書き): after
                # another hiragana they count only behind a particle that joins nouns or the polite お (刺身のたい, おすし).
                guard = r"(?:(?<![ぁ-ゖ])|(?<=[のとやお]))" if re.fullmatch(r"[ぁ-ゖ]{1,2}", word) else ""
                self._patterns.append((re.compile(guard + re.escape(word)), f))

    def get(self, family_id: str) -> FoodFamily | None:
        return self.by_id.get(family_id)

    def profile_for(self, text: str) -> FoodFamily | None:
        """The table's family for the dish, else one built from its components (core.food_model); None if nothing is known."""
        from core.food_model import FoodModel  # the model reads this module's FoodFamily

        if not text or not text.strip():
            return None
        found = self.family_for(text) or self.get(text)
        if found is None:
            if self._model is None:
                self._model = FoodModel()
            found = self._model.family_for(text)
        return found

    def family_for(self, text: str) -> FoodFamily | None:
        """The food family a dish belongs to: "grilled mackerel" / "サバの塩焼き" -> grilled fish.

        Longest words win their stretch of text (カツオのたたき is not a カツ); among the families
        left, a qualifier (タレ, spicy, fried) beats the ingredient, then more matched text wins.
        """
        if not text or not text.strip():
            return None
        folded = _fold(text[:500])
        if (exact := self.by_id.get(folded.strip())) is not None:
            return exact
        hits: list[tuple[int, int, FoodFamily]] = []
        for pattern, fam in self._patterns:
            for m in pattern.finditer(folded):
                hits.append((m.start(), m.end(), fam))
        hits.sort(key=lambda h: -(h[1] - h[0]))
        taken: list[tuple[int, int]] = []
        score: dict[str, list[int]] = {}
        for start, end, fam in hits:
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            slot = score.setdefault(fam.id, [fam.priority, 0])
            slot[1] += end - start
        if not score:
            return None
        best = max(score.items(), key=lambda kv: (kv[1][0], kv[1][1]))
        return self.by_id[best[0]]

    # -- scoring ---------------------------------------------------------------------------

    def scores(self, family: FoodFamily, space: FlavorSpace) -> np.ndarray:
        """How well every brand suits the family: direction along the axes plus matching tags (vectorised)."""
        return self.along(family, space) + TAG_WEIGHT * np.minimum(space.tag_scores(self.tags_for(family)), 3.0)

    def along(self, family: FoodFamily, space: FlavorSpace) -> np.ndarray:
        """The flavor part of `scores`: how far each brand lies in the family's direction."""
        d = family.direction
        norm = float(np.linalg.norm(d)) or 1.0
        return space.position @ (d / norm)

    def tags_for(self, family: FoodFamily) -> tuple[str, ...]:
        """The tag part of `scores`: the family's tags and the serving-style tags of its temperature."""
        return family.tags + _temperature_tags(family)

    def score(self, family: FoodFamily, brand: BrandInfo, space: FlavorSpace | None = None) -> float:
        space = space or self._space()
        row = space.row(brand.id)
        if row is None:
            return 0.0
        return float(self.scores(family, space)[row])

    def explain(self, family: FoodFamily, brand: BrandInfo, lang: str = "en", space: FlavorSpace | None = None) -> str:
        """Why this sake suits the dish, from its chart (or tags) and the family's rule."""
        space = space or self._space()
        row = space.row(brand.id)
        traits: list[str] = []
        if row is not None and brand.chart is not None:
            z = space.chart_z[row]
            for axis, want in sorted(family.axes.items(), key=lambda kv: -abs(kv[1])):
                i = int(axis[1]) - 1
                if want > 0 and z[i] > 0.3:  # higher or lower than most on an axis the dish wants
                    traits.append(t(f"dish_trait.{axis}+", lang))
                elif want < 0 and z[i] < -0.3:
                    traits.append(t(f"dish_trait.{axis}-", lang))
                if len(traits) == 2:
                    break
        matching = [tag for tag in brand.tags if tag in family.tags][:2]
        temp = next((tp for tp in family.temperatures), None)
        serve = temperature_label(temp, lang) if temp else None
        ja = lang == "ja"
        parts = [t("dish_why.head", lang, dish=family.ja if ja else family.en.capitalize(), why=family.why(lang))]
        bits = []
        if traits:
            bits.append(t("dish_why.traits", lang, traits=t("dish_why.and", lang).join(traits)))
        if matching:
            bits.append(t("dish_why.tagged", lang, tags=("・" if ja else ", ").join(matching)))
        if bits:
            parts.append(t("dish_why.brand", lang, name=brand.name, bits=("、" if ja else "; ").join(bits)))
        if serve:
            parts.append(t("dish_why.serve", lang, serve=serve))
        return "".join(parts)

    def _space(self) -> FlavorSpace:
        if self.catalog is None:
            raise ValueError("Pairing needs a catalog (or a FlavorSpace) to score brands")
        return FlavorSpace.of(self.catalog)


def _temperature_tags(family: FoodFamily) -> tuple[str, ...]:
    """Sakenowa tags that name a serving style (燗酒, 冷酒 …) matching the family's first temperature."""
    first = family.temperatures[0] if family.temperatures else None
    return {"warm": ("燗酒", "熱燗"), "hot": ("熱燗",), "chilled": ("冷酒",), "room": ("常温",)}.get(first or "", ())
