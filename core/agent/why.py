""""Why these?": the reasons behind the last picks, read back from the conversation.

Each pick's reason is on its card, and the reply's text is only a lead ("My picks:"), so a user who
asks why gets the reasons written out. They come from the list tool's own summary in the stored
history (one line per pick, "1. 獺祭 (…): reason"), so the answer is exactly what was decided then,
not a second guess; a language model reads the same history and may put it in its own words.
"""

from __future__ import annotations

import re

from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, ToolCallPart, ToolReturnPart

from core.texts import t

LIST_TOOLS = ("recommend", "pair_food", "search_catalog")
_PICK_LINE = re.compile(r"^\d+\.\s")


def last_reasons(messages: list[ModelMessage]) -> list[str]:
    """The numbered pick lines of the last successful list tool's summary; [] when there were none."""
    names: dict[str, str] = {}
    for msg in messages:
        if isinstance(msg, ModelResponse):
            names.update({p.tool_call_id: p.tool_name for p in msg.parts if isinstance(p, ToolCallPart)})
    for msg in reversed(messages):
        if not isinstance(msg, ModelRequest):
            continue
        for p in reversed(msg.parts):
            if not isinstance(p, ToolReturnPart) or not isinstance(p.content, dict) or p.content.get("error"):
                continue
            if names.get(p.tool_call_id, p.tool_name) not in LIST_TOOLS:
                continue
            return [line for line in str(p.content.get("summary") or "").splitlines() if _PICK_LINE.match(line)]
    return []


def why_text(messages: list[ModelMessage], lang: str) -> str:
    lines = last_reasons(messages)
    if not lines:
        return t("why.nothing", lang)
    return "\n".join([t("why.head", lang), *lines])
