"""Catalog search: exact keys first, then prefixes, then fuzzy (rapidfuzz), all in memory.

Every brand gets several keys: its folded name, a looser fold (越乃/越の), its kana reading
and its romaji spellings. Same-named brands (高砂 ×4) stay separate candidates; their label
(brewery, prefecture) tells them apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from core.catalog.model import BrandInfo, Catalog
from core.catalog.normalize import fold_name, fold_name_loose, fold_romaji, is_ascii
from core.catalog.prefectures import resolve as resolve_prefecture

MAX_QUERY = 200  # longer input is cut: no sake name is that long, and fuzzy cost grows with length

# Words around a name that are not part of it.
_SUFFIXES_JA = ("酒造店", "酒造場", "酒造", "本店", "株式会社", "日本酒", "純米大吟醸", "純米吟醸", "大吟醸", "吟醸", "特別純米", "純米",
                "本醸造", "のお酒", "のさけ", "というお酒", "って")
_SUFFIXES_EN = ("sake", "shuzo", "brewery", "junmai", "daiginjo", "ginjo", "honjozo")
# English words that happen to be a brand's romaji ("kid" is 紀土): never read them as names in a sentence.
_ENGLISH = frozenset(
    "a an the me my i you it is are be for to of and or in on at with about tell what which who how some something "
    "like likes dry sweet light rich fruity floral crisp smooth clean good best recommend recommendation sake sakes "
    "one another more less please show find give want need similar kid hello hi thanks thank yes no not any".split()
)


@dataclass(frozen=True, slots=True)
class Match:
    brand: BrandInfo
    score: float  # 0..1
    matched_on: str  # "name" | "reading" | "romaji" | "brewery" | "fuzzy" | "filter"


def _popularity(b: BrandInfo) -> float:
    """Tie-breaker among equal matches: ranked and charted brands are what people usually mean."""
    bonus = 0.0
    if b.rank is not None:
        bonus += 0.004 * (101 - b.rank) / 100
    if b.area_rank is not None:
        bonus += 0.002 / b.area_rank
    if b.chart is not None:
        bonus += 0.001
    return bonus


class CatalogSearch:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._exact: dict[str, list[tuple[int, str]]] = {}
        self._ja_keys: list[str] = []
        self._ja_ids: list[int] = []
        self._ro_keys: list[str] = []
        self._ro_ids: list[int] = []
        self._brewery: dict[str, list[int]] = {}
        for b in catalog.brands.values():
            for key, kind in self._keys(b):
                self._exact.setdefault(key, [])
                if all(bid != b.id for bid, _ in self._exact[key]):
                    self._exact[key].append((b.id, kind))
                if kind == "romaji":
                    self._ro_keys.append(key)
                    self._ro_ids.append(b.id)
                else:
                    self._ja_keys.append(key)
                    self._ja_ids.append(b.id)
            if b.brewery:
                for key in {fold_name(b.brewery), fold_name(_strip_company(b.brewery))}:
                    if key:
                        self._brewery.setdefault(key, []).append(b.id)
        # Longest names first, so that 醸し人九平次 wins over 九平次 inside a sentence.
        self._names_in_text = sorted(
            {k for k, ids in self._exact.items() if any(kind == "name" for _, kind in ids) and len(k) >= 2},
            key=len,
            reverse=True,
        )

    @staticmethod
    def _keys(b: BrandInfo) -> list[tuple[str, str]]:
        keys = [(fold_name(b.name), "name"), (fold_name_loose(b.name), "name")]
        if b.reading:
            keys.append((fold_name(b.reading), "reading"))
        for r in (b.romaji, *b.aliases):
            if r and fold_romaji(r):
                keys.append((fold_romaji(r), "romaji"))
        return [(k, kind) for k, kind in dict.fromkeys(keys) if k]

    # -- lookups -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        prefecture: str | None = None,
        grade: str | None = None,
        tag: str | None = None,
        min_score: float = 0.6,
    ) -> list[Match]:
        """Ranked brands for a name (any script, typos allowed); filters narrow the result.

        With an empty query and a filter, the filter alone chooses (ranked by popularity).
        """
        q = _clean(query)
        found: dict[int, Match] = {}
        if q:
            for m in self._by_brewery(query) + self._lookup(q, limit=max(limit * 3, 30), min_score=min_score):
                if m.brand.id not in found or found[m.brand.id].score < m.score:
                    found[m.brand.id] = m
        elif prefecture or grade or tag:
            found = {b.id: Match(b, 0.5, "filter") for b in self.catalog.brands.values()}
        area = resolve_prefecture(prefecture, self.catalog.prefectures) if prefecture else None
        if prefecture and area is None:
            return []
        matches = [m for m in found.values() if _passes(m.brand, area, grade, tag)]
        matches.sort(key=lambda m: (-(m.score + _popularity(m.brand)), m.brand.id))
        return matches[:limit]

    def _lookup(self, q: str, *, limit: int, min_score: float) -> list[Match]:
        out: list[Match] = []
        ascii_q = is_ascii(q)
        keys = [fold_romaji(q)] if ascii_q else [fold_name(q), fold_name_loose(q)]
        keys = [k for k in keys if k]
        if not keys:
            return out
        for key in keys:
            for bid, kind in self._exact.get(key, ()):
                out.append(Match(self.catalog.brands[bid], 1.0, kind))
        if out:
            return out
        key = keys[0]
        choices, ids = (self._ro_keys, self._ro_ids) if ascii_q else (self._ja_keys, self._ja_ids)
        # Prefixes: "hakkai" → hakkaisan, 久保 → 久保田.
        if len(key) >= 3 or (not ascii_q and len(key) >= 2):
            for k, bid in zip(choices, ids):
                if k.startswith(key):
                    out.append(Match(self.catalog.brands[bid], 0.85 * len(key) / len(k) + 0.1, "prefix"))
        scorer = fuzz.ratio
        cutoff = min_score * 100
        for _k, score, idx in process.extract(key, choices, scorer=scorer, limit=limit, score_cutoff=cutoff):
            out.append(Match(self.catalog.brands[ids[idx]], score / 100 * 0.95, "fuzzy"))
        return out

    def _by_brewery(self, query: str) -> list[Match]:
        key = fold_name(_strip_company(unicodedata.normalize("NFKC", query or "")[:MAX_QUERY]))
        return [Match(self.catalog.brands[bid], 0.9, "brewery") for bid in self._brewery.get(key, ())]

    def best(self, query: str, **filters: str | None) -> Match | None:
        found = self.search(query, limit=1, **filters)  # type: ignore[arg-type]
        return found[0] if found else None

    def same_name(self, brand: BrandInfo) -> list[BrandInfo]:
        """Every brand spelled like this one (高砂 has four)."""
        return [self.catalog.brands[bid] for bid, kind in self._exact.get(fold_name(brand.name), ()) if kind == "name"]

    def find_in_text(self, text: str, *, limit: int = 5) -> list[Match]:
        """Brands named somewhere in a sentence: "tell me about 獺祭", "is dassai any good?"."""
        text = unicodedata.normalize("NFKC", text[: MAX_QUERY * 5])
        found: dict[int, Match] = {}
        # Japanese names: longest first, each stretch of text used once.
        folded = fold_name(text)
        if not is_ascii(folded):
            taken: list[tuple[int, int]] = []
            for key in self._names_in_text:
                start = folded.find(key)
                if start < 0 or any(s < start + len(key) and start < e for s, e in taken):
                    continue
                taken.append((start, start + len(key)))
                for bid, kind in self._exact[key]:
                    if kind == "name":
                        found.setdefault(bid, Match(self.catalog.brands[bid], 1.0, "name"))
        # Romaji: word n-grams, exact first, fuzzy for longer words.
        words = [w for w in re.findall(r"[A-Za-z]+", text)]
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if n == 1 and gram[0].lower() in _ENGLISH:
                    continue
                key = fold_romaji("".join(gram))
                if len(key) < 4:
                    continue
                for bid, kind in self._exact.get(key, ()):
                    if kind == "romaji":
                        found.setdefault(bid, Match(self.catalog.brands[bid], 1.0, "romaji"))
                if n == 1 and len(key) >= 5 and not found:
                    hit = process.extractOne(key, self._ro_keys, scorer=fuzz.ratio, score_cutoff=80 if len(key) >= 6 else 84)
                    if hit:
                        found.setdefault(
                            self._ro_ids[hit[2]], Match(self.catalog.brands[self._ro_ids[hit[2]]], hit[1] / 100 * 0.95, "fuzzy")
                        )
        if not found:
            # The whole text may be just a name (single-kanji names such as 作, 梵 included).
            for m in self.search(text, limit=limit, min_score=0.8):
                if m.score >= 0.85:
                    found.setdefault(m.brand.id, m)
        ranked = sorted(found.values(), key=lambda m: (-(m.score + _popularity(m.brand)), m.brand.id))
        return ranked[:limit]


def _clean(query: str) -> str:
    q = unicodedata.normalize("NFKC", query or "")[:MAX_QUERY].strip()
    low = q.lower()
    for suffix in _SUFFIXES_EN:
        if low.endswith(" " + suffix):
            q = q[: -len(suffix) - 1].strip()
            low = q.lower()
    for suffix in _SUFFIXES_JA:
        if q.endswith(suffix) and len(q) > len(suffix):
            q = q[: -len(suffix)]
    return q.strip()


def _strip_company(name: str) -> str:
    for word in ("株式会社", "合資会社", "合名会社", "有限会社", "(株)", "（株）"):
        name = name.replace(word, "")
    return name.strip()


def _passes(b: BrandInfo, prefecture_id: int | None, grade: str | None, tag: str | None) -> bool:
    if prefecture_id is not None and b.prefecture_id != prefecture_id:
        return False
    if grade and grade not in b.grades:
        return False
    if tag and tag not in b.tags:
        return False
    return True
