"""The foundation's brain: answers questions about a named sake straight from the catalog.

The agent (pydantic-ai with tools) replaces it; the reply contract stays the same.
"""

from __future__ import annotations

from core.catalog import CatalogSearch
from core.describe import ATTRIBUTION, describe
from core.errors import Code, SenseiError
from core.messages import Reply
from core.sensei import Turn

HELP = {
    "en": "I'm Sake Sensei, a sake sommelier. Name a sake (獺祭, \"dassai\", \"kubota\") and I'll tell you about it.",
    "ja": "日本酒ソムリエのSake Senseiです。銘柄名(獺祭、くぼた など)を送ってください。",
}


class CatalogBrain:
    def __init__(self, search: CatalogSearch) -> None:
        self.search = search

    async def reply(self, turn: Turn) -> Reply:
        text, lang = turn.message.text, turn.lang
        if not text or text.lower().strip("?!. ") in {"help", "hi", "hello", "about", "ヘルプ", "こんにちは"}:
            return Reply(text=f"{HELP[lang]}\n{ATTRIBUTION[lang]}", lang=lang)
        matches = self.search.find_in_text(text)
        if not matches:
            closest = self.search.search(text, limit=3, min_score=0.5)
            names = "、".join(m.brand.label() for m in closest)
            hint = (f"近い候補: {names}" if lang == "ja" else f"Closest matches: {names}") if closest else None
            raise SenseiError(Code.UNKNOWN_SAKE, hint)
        first = matches[0].brand
        same = [b for b in self.search.same_name(first) if b.id != first.id]
        cards = [first.card(score=matches[0].score)] + [b.card() for b in same]
        body = describe(first, lang)
        if same:
            others = "、".join(b.label() for b in same)
            body += ("\n同名の銘柄: " if lang == "ja" else "\nOther sakes with this name: ") + others
        return Reply(text=body, lang=lang, cards=cards, tools=["sake_details"])
