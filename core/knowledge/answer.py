"""Answers from the notes: the entry's own two to four sentences in the asker's language, never more than the base holds.

A difference question answers about both entries; where an entry names a grade, a rice or a yeast,
catalog sakes that carry it are offered as examples (from the product specs, most popular first).
"""

from __future__ import annotations

import re

from core.catalog.model import BrandInfo, Catalog
from core.knowledge.base import Entry, KnowledgeBase
from core.texts import t

MAX_EXAMPLES = 3
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“(])|(?<=。)")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def _lang(lang: str) -> str:
    return "ja" if lang == "ja" else "en"


def examples(entry: Entry, catalog: Catalog | None, limit: int = MAX_EXAMPLES) -> list[BrandInfo]:
    """Catalog brands with a product of this entry's grade, rice or yeast (never invented: only what the specs say)."""
    if catalog is None or not entry.examples:
        return []
    grade, rice, yeast = entry.examples.get("grade"), entry.examples.get("rice"), entry.examples.get("yeast")

    def fits(b: BrandInfo) -> bool:
        return any(
            (grade is None or p.grade == grade)
            and (rice is None or rice in p.rice)
            and (yeast is None or any(y.startswith(yeast) for y in p.yeast))
            for p in b.products
        )

    found = [b for b in catalog.brands.values() if b.products and fits(b)]
    found.sort(key=lambda b: (b.rank is None, b.rank or 0, -(b.score or 0), b.id))
    return found[:limit]


def entry_answer(
    base: KnowledgeBase, entry_ids: list[str], lang: str, catalog: Catalog | None = None
) -> tuple[str, list[str], list[BrandInfo]]:
    """(text, related entry ids for buttons, example brands). Two entries: a difference, two sentences about each."""
    lg = _lang(lang)
    entries = [base.entries[i] for i in entry_ids if i in base.entries][:2]
    if len(entries) == 2:
        a, b = entries
        parts = [f"{e.title[lg]}: " + " ".join(sentences(e.text[lg])[:2]) for e in entries]
        head = t("knowledge.side_by_side", lang, a=a.title[lg], b=b.title[lg])
        text = "\n".join([head, *parts])
        shown = {a.id, b.id}
        related = [r for e in entries for r in e.related if r not in shown]
        brands: list[BrandInfo] = []
    else:
        e = entries[0]
        text = f"{e.title[lg]}: {e.text[lg]}"
        related = [r for r in e.related if r != e.id]
        brands = examples(e, catalog)
        if brands:
            names = "、".join(b.label() for b in brands) if lg == "ja" else ", ".join(f"{b.label()} ({b.romaji})" for b in brands)
            text += "\n" + t("knowledge.examples", lang, title=e.title[lg], names=names)
    return text, list(dict.fromkeys(related))[:4], brands


def unknown_answer(base: KnowledgeBase, term: str, closest: list[str], lang: str) -> str:
    """The honest answer for a term the base does not hold, with what it does hold nearby."""
    shown = term.strip()[:60]
    names = "、".join(base.title(i, "ja") for i in closest) if lang == "ja" else ", ".join(base.title(i, "en") for i in closest)
    text = t("knowledge.unknown_term", lang, term=shown) if shown else t("knowledge.unknown", lang)
    return text + (t("knowledge.closest", lang, names=names) if names else "")
