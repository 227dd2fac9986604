"""Which catalog brand a menu line means: "獺祭 純米大吟醸 磨き二割三分", "Dassai 45", "高砂" + brewery.

A menu is money and stock, so a name is taken only when it is certain: an exact name, reading
or romaji (typos are reported with suggestions, never guessed), one brand among same-named
ones only when a brewery or prefecture tells them apart. Grade words are read off first,
because 純米大吟醸 is itself the name of a brand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.catalog import BrandInfo, CatalogSearch
from core.catalog.normalize import fold_name
from core.catalog.prefectures import resolve as resolve_prefecture
from core.tasting_input import GRADES
from core.texts import t

# Every spelling of every grade, longest first, so 純米大吟醸 is not read as 大吟醸.
_GRADE_SPELLINGS: list[tuple[str, str]] = sorted(
    (
        (unicodedata.normalize("NFKC", w).lower(), g)
        for g, words in GRADES.items()
        for w in (g, *words, *(x.replace(" ", "-") for x in words))
    ),
    key=lambda kv: -len(kv[0]),
)
_ASCII_WORD = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class BrandMatch:
    brand: BrandInfo | None
    problem: str | None = None  # "not_found" | "ambiguous" | "other_brewery" when brand is None
    candidates: tuple[BrandInfo, ...] = ()  # ambiguous: the same-named brands; not found: the closest names
    grade: str = ""  # a grade named in the text (純米吟醸 …)
    rest: str = ""  # what is left once brand and grade are taken out: the product name, if any

    def reason(self, lang: str = "en") -> str:
        names = "、".join(b.label() for b in self.candidates[:4]) if lang == "ja" else "; ".join(b.label() for b in self.candidates[:4])
        if self.problem == "ambiguous":
            return t("brand.ambiguous", lang, names=names)
        if self.problem == "other_brewery":
            return t("brand.other_brewery", lang, names=names)
        if self.candidates:
            return t("brand.did_you_mean", lang, names=names)
        return t("brand.not_found", lang)


def split_grade(text: str) -> tuple[str, str]:
    """(grade, text without it): "獺祭 純米大吟醸 45" -> ("純米大吟醸", "獺祭 45")."""
    folded = unicodedata.normalize("NFKC", text)
    low = folded.lower()
    for spelling, grade in _GRADE_SPELLINGS:
        at = low.find(spelling)
        if at < 0:
            continue
        if _ASCII_WORD.search(spelling):  # romaji: whole words only ("ginjo" is not inside "daiginjo")
            before = low[at - 1] if at > 0 else " "
            after = low[at + len(spelling)] if at + len(spelling) < len(low) else " "
            if before.isalpha() or after.isalpha():
                continue
        rest = (folded[:at] + " " + folded[at + len(spelling) :]).strip()
        return grade, " ".join(rest.split())
    return "", " ".join(folded.split())


def _without_name(text: str, brand: BrandInfo) -> str:
    """The text with the brand's name (or romaji, or reading) taken out: what names the product."""
    low = text.lower()
    for spelling in sorted(set(brand.spellings) - {""}, key=len, reverse=True):
        at = low.find(spelling.lower())
        if at >= 0:
            return " ".join((text[:at] + " " + text[at + len(spelling) :]).split()).strip(" -/・")
    return ""


def _narrow(brands: list[BrandInfo], search: CatalogSearch, brewery: str | None, prefecture: str | None) -> list[BrandInfo]:
    out = brands
    if brewery and brewery.strip():
        key = fold_name(_strip_company(brewery))
        out = [
            b
            for b in out
            if b.brewery and key and (key in fold_name(_strip_company(b.brewery)) or fold_name(_strip_company(b.brewery)) in key)
        ]
    if prefecture and prefecture.strip():
        pid = resolve_prefecture(prefecture, search.catalog.prefectures)
        out = [b for b in out if b.prefecture_id == pid]
    return out


def _strip_company(name: str) -> str:
    for word in ("株式会社", "合資会社", "合名会社", "有限会社", "(株)", "酒造店", "酒造場", "酒造", "醸造"):
        name = name.replace(word, "")
    return name.strip() or name


def resolve_brand(search: CatalogSearch, text: str, *, brewery: str | None = None, prefecture: str | None = None) -> BrandMatch:
    """The one brand `text` names, or why not (with suggestions)."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if raw.isdigit():
        brand = search.catalog.get(int(raw))
        return BrandMatch(brand) if brand else BrandMatch(None, "not_found")
    if not raw:
        return BrandMatch(None, "not_found")
    grade, rest = split_grade(raw)
    if not rest:  # only a grade ("純米大吟醸" is also a brand's name: that one is reached by its id)
        return BrandMatch(None, "not_found", grade=grade)
    hits = [m for m in search.search(rest, limit=10) if m.score >= 1.0]
    # A brand written exactly so beats one that is only read so (たかちよ is a brand; 高千代 is read たかちよ).
    named = [m for m in hits if m.matched_on == "name"]
    exact = [m.brand for m in (named or hits)]
    product = ""
    if not exact:  # a name inside more words: "Dassai 45", "獺祭 磨き二割三分"
        inside = [m.brand for m in search.find_in_text(rest, limit=10) if m.score >= 1.0 and m.matched_on in ("name", "romaji")]
        names = {fold_name(b.name) for b in inside}
        if len(names) > 1:
            return BrandMatch(None, "ambiguous", tuple(inside), grade)
        exact = inside
        product = _without_name(rest, exact[0]) if exact else ""
    if exact:
        exact = list({b.id: b for b in exact}.values())
        chosen = _narrow(exact, search, brewery, prefecture)
        if len(chosen) == 1:
            return BrandMatch(chosen[0], grade=grade, rest=product)
        if not chosen:
            return BrandMatch(None, "other_brewery", tuple(exact), grade)
        return BrandMatch(None, "ambiguous", tuple(sorted(chosen, key=lambda b: (b.rank or 999, b.id))), grade)
    close = tuple(m.brand for m in search.search(rest or raw, limit=3, min_score=0.5))
    return BrandMatch(None, "not_found", close, grade)
