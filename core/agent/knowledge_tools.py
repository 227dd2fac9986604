"""The explain tool: the Sensei teaches from its notes (core/knowledge), for the offline model and language models alike.

Answers are the base's own sentences in the asker's language; related entries come back as buttons
(`explain:<entry_id>`), and where an entry names a grade, rice or yeast, catalog sakes carrying it
are shown from the product specs. A term the notes do not hold gets "not in my notes" and the
closest entries, never a guess.
"""

from __future__ import annotations

from typing import Any

from pydantic_ai import RunContext

from core.actions import Explain
from core.agent.deps import Deps
from core.agent.tool_common import show_cards
from core.knowledge.answer import entry_answer, unknown_answer
from core.knowledge.base import KnowledgeBase, load_base
from core.knowledge.routing import KnowledgeRouter
from core.messages import Button

MAX_RELATED = 4


def explain_actions(base: KnowledgeBase, entry_ids: list[str], lang: str) -> list[Button]:
    """Buttons that open other entries (a tap comes back as actions.Explain)."""
    return [Button(Explain(eid), base.title(eid, lang)) for eid in entry_ids[:MAX_RELATED] if eid in base]


async def explain(ctx: RunContext[Deps], topic: str = "", entry_ids: list[str] | None = None) -> dict[str, Any]:
    """Explain a sake term or answer a sake knowledge question from the Sensei's notes: grades (junmai, ginjo...),
    brewing (koji, kimoto, pasteurisation), styles, label terms (polishing ratio, SMV, acidity), rice, yeast,
    serving temperatures, vessels, storage, pairing principles, etiquette, prefectures' styles, alcohol/calories/gluten.
    Pass the user's question or term as `topic` (any language), or entry ids you already have.
    Answer only with what this returns: a term the notes lack is reported as such."""
    deps = ctx.deps
    deps.out.tools.append("explain")
    base = load_base()
    ids = [i for i in (entry_ids or []) if isinstance(i, str) and i in base][:2]
    if not ids:
        reading = KnowledgeRouter.default(deps.services.search).lookup((topic or "")[:300])
        if reading.kind != "entry":
            summary = unknown_answer(base, reading.term or topic, list(reading.closest), deps.lang)
            deps.out.add_actions(explain_actions(base, list(reading.closest), deps.lang))
            deps.out.summaries.append(summary)
            return {"summary": summary, "shown": [], "entries": [], "in_notes": False}
        ids = list(reading.entries)
    text, related, brands = entry_answer(base, ids, deps.lang, deps.services.catalog)
    shown = show_cards(deps, [b.card() for b in brands]) if brands else []
    deps.out.add_actions(explain_actions(base, related, deps.lang))
    deps.out.summaries.append(text)
    return {"summary": text, "shown": shown, "entries": ids, "in_notes": True, "sources": [base.entries[i].source for i in ids]}


KNOWLEDGE_TOOLS = [explain]
