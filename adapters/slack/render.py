"""`core.messages.Reply` → Block Kit: messages, modals and the App Home. Pure functions.

Slack's limits are enforced here (section text 3000, button text 75, option value 150,
50 blocks a message, 100 a view, action_ids unique in a message) so that a long answer is
cut rather than rejected by the API with `invalid_blocks`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from core.catalog.model import FLAVOR_AXES
from core.messages import Action, Card, Reply

MAX_SECTION = 3000
MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_BUTTON_TEXT = 75
MAX_FALLBACK = 3000
ACTION_PREFIX = "ss:"  # every interactive element we render; the app routes on it
NOTE_CALLBACK = "ss_note"
SURVEY_CALLBACK = "ss_survey"
STARS = ("5", "4.5", "4", "3.5", "3", "2.5", "2", "1.5", "1", "0.5", "0")
TEMPERATURES = ("冷酒", "常温", "ぬる燗", "熱燗")

WORDS: dict[str, dict[str, str]] = {
    "log": {"en": "Log it", "ja": "記録する"},
    "similar": {"en": "Similar", "ja": "似たお酒"},
    "wish": {"en": "Wishlist", "ja": "飲みたい"},
    "rate": {"en": "Rate…", "ja": "評価…"},
    "no_chart": {"en": "No flavor chart yet", "ja": "フレーバーチャートなし"},
    "thinking": {"en": "Thinking… :sake:", "ja": "考え中… :sake:"},
    "apology": {"en": "Sorry, something went wrong on my side. Please try again in a moment.",
                "ja": "申し訳ありません、こちらで問題が起きました。少ししてからもう一度お試しください。"},
    "note_title": {"en": "Tasting note", "ja": "テイスティング記録"},
    "survey_title": {"en": "Taste survey", "ja": "好みアンケート"},
    "submit": {"en": "Save", "ja": "保存"},
    "close": {"en": "Close", "ja": "閉じる"},
    "rating": {"en": "Rating (0-5)", "ja": "評価 (0-5)"},
    "notes": {"en": "Notes", "ja": "メモ"},
    "temperature": {"en": "Temperature", "ja": "温度"},
    "food": {"en": "Food", "ja": "料理"},
    "loading": {"en": "Loading…", "ja": "読み込み中…"},
    "home_intro": {"en": "Your sake sommelier. DM me, mention me, send a label photo, or use `/sake help`.",
                   "ja": "あなたの日本酒ソムリエです。DM・メンション・ラベル写真・`/sake help` でどうぞ。"},
}


def word(key: str, lang: str) -> str:
    return WORDS[key].get(lang, WORDS[key]["en"])


def escape(text: str) -> str:
    """Slack mrkdwn control characters; the rest of the text is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Escaped, with Markdown bold (**x**, which models write) turned into Slack's *x*."""
    return re.sub(r"\*\*(.+?)\*\*", r"*\1*", escape(text))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = MAX_BUTTON_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text or " ", limit), "emoji": True}


def bar(value: float, width: int = 5) -> str:
    """A flavor axis as text: 0.61 → ▰▰▰▱▱ (rounded to the nearest fifth)."""
    filled = max(0, min(width, round(value * width)))
    return "▰" * filled + "▱" * (width - filled)


def text_sections(text: str) -> list[dict[str, Any]]:
    """Long text split into sections of at most 3000 characters, at line breaks when possible."""
    text = mrkdwn(text.strip())
    out: list[dict[str, Any]] = []
    while text:
        if len(text) <= MAX_SECTION:
            chunk, text = text, ""
        else:
            cut = text.rfind("\n", 0, MAX_SECTION)
            cut = cut if cut > MAX_SECTION // 2 else MAX_SECTION
            chunk, text = text[:cut], text[cut:].lstrip("\n")
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    return out


def flavor_lines(flavor: dict[str, float] | None, lang: str) -> str:
    if not flavor:
        return f"_{word('no_chart', lang)}_"
    rows = []
    for axis, ja, en in FLAVOR_AXES:
        if axis in flavor:
            label = ja if lang == "ja" else f"{ja} {en}"
            rows.append(f"`{bar(flavor[axis])}` {label} {flavor[axis]:.2f}")
    return "\n".join(rows)


def card_blocks(card: Card, lang: str) -> list[dict[str, Any]]:
    """One sake: name, brewery and prefecture, flavor bars, tags, and its buttons."""
    name = f"*{escape(card.name)}*" + (f" ({escape(card.name_romaji)})" if card.name_romaji and lang != "ja" else "")
    where = " · ".join(escape(x) for x in (card.brewery, card.prefecture) if x)
    head = name + (f"\n{where}" if where else "")
    if card.reason:
        head += f"\n{mrkdwn(card.reason)}"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(head, MAX_SECTION)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": flavor_lines(card.flavor, lang)}},
    ]
    if card.tags:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _cut("🏷 " + " · ".join(escape(t) for t in card.tags[:10]), 3000)}]})
    b = card.brand_id
    blocks.append({"type": "actions", "elements": [
        button(Action(f"log:{b}", word("log", lang), "primary")),
        button(Action(f"similar:{b}", word("similar", lang))),
        button(Action(f"wish:{b}", word("wish", lang))),
        rating_select(b, lang),
    ]})
    return blocks


def button(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "button", "text": plain(action.label), "action_id": ACTION_PREFIX + action.id[:200],
                           "value": action.id[:2000]}
    if action.style in ("primary", "danger"):
        out["style"] = action.style
    return out


def rating_select(brand_id: int, lang: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": f"{ACTION_PREFIX}rate:{brand_id}",
        "placeholder": plain(word("rate", lang)),
        "options": [{"text": plain(f"{_stars(s)} {s}"), "value": f"rate:{brand_id}:{s}"} for s in STARS],
    }


def _stars(s: str) -> str:
    return ("★" * int(float(s)) + ("½" if s.endswith(".5") else "")) or "☆"


def _unique_action_ids(blocks: list[dict[str, Any]]) -> None:
    """Slack rejects a message whose elements share an action_id: suffix repeats."""
    seen: dict[str, int] = {}
    for block in blocks:
        for el in block.get("elements", []) if block.get("type") == "actions" else []:
            aid = el.get("action_id")
            if aid in seen:
                seen[aid] += 1
                el["action_id"] = f"{aid}#{seen[aid]}"
            else:
                seen[aid] = 1


def reply_blocks(reply: Reply, *, max_blocks: int = MAX_BLOCKS_MESSAGE) -> list[dict[str, Any]]:
    """The whole answer: text, error code, cards, then the buttons the core asked for."""
    blocks: list[dict[str, Any]] = []
    error = reply.error
    if reply.text and not (error and reply.text.strip() == error.get("message", "").strip()):
        blocks += text_sections(reply.text)
    if error:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(f":warning: `{error['code']}` {mrkdwn(error.get('message', ''))}", 3000)}]})
    actions = list(reply.actions)
    room = max_blocks - len(blocks) - (1 + (len(actions) - 1) // 25 if actions else 0)
    for i, card in enumerate(reply.cards):
        cb = ([{"type": "divider"}] if i or blocks else []) + card_blocks(card, reply.lang)
        if len(cb) > room:
            break
        blocks += cb
        room -= len(cb)
    for start in range(0, len(actions), 25):
        blocks.append({"type": "actions", "elements": [button(a) for a in actions[start:start + 25]]})
    _unique_action_ids(blocks)
    return blocks[:max_blocks]


def fallback_text(reply: Reply) -> str:
    """The notification text (and what screen readers read first)."""
    text = reply.text or (reply.error or {}).get("message") or "、".join(c.name for c in reply.cards) or "…"
    return _cut(text, MAX_FALLBACK)


def note_modal(brand_id: int, name: str, lang: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """The tasting-note form; its submit becomes Message(action="note:<brand_id>", action_values=...)."""
    stars = [{"text": plain(f"{s}"), "value": s} for s in STARS]
    temps = [{"text": plain(t), "value": t} for t in TEMPERATURES]
    return {
        "type": "modal",
        "callback_id": NOTE_CALLBACK,
        "private_metadata": json.dumps({**metadata, "brand_id": brand_id}, ensure_ascii=False)[:3000],
        "title": plain(word("note_title", lang), 24),
        "submit": plain(word("submit", lang), 24),
        "close": plain(word("close", lang), 24),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(name)}*"}},
            {"type": "input", "block_id": "rating", "label": plain(word("rating", lang)),
             "element": {"type": "static_select", "action_id": "rating", "options": stars}},
            {"type": "input", "block_id": "notes", "optional": True, "label": plain(word("notes", lang)),
             "element": {"type": "plain_text_input", "action_id": "notes", "multiline": True, "max_length": 2000}},
            {"type": "input", "block_id": "temperature", "optional": True, "label": plain(word("temperature", lang)),
             "element": {"type": "static_select", "action_id": "temperature", "options": temps}},
            {"type": "input", "block_id": "food", "optional": True, "label": plain(word("food", lang)),
             "element": {"type": "plain_text_input", "action_id": "food", "max_length": 200}},
        ],
    }


def reply_modal(reply: Reply | None, *, lang: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """A Reply shown in a modal (the survey: one question with answer buttons); None = still loading."""
    blocks = reply_blocks(reply, max_blocks=MAX_BLOCKS_VIEW) if reply else [
        {"type": "section", "text": {"type": "mrkdwn", "text": word("loading", lang)}}]
    return {
        "type": "modal",
        "callback_id": SURVEY_CALLBACK,
        "private_metadata": json.dumps(metadata, ensure_ascii=False)[:3000],
        "title": plain(word("survey_title", lang), 24),
        "close": plain(word("close", lang), 24),
        "blocks": blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": "…"}}],
    }


def home_view(sections: list[Reply], lang: str, *, chart_file_id: str | None = None, chart_alt: str = "") -> dict[str, Any]:
    """The App Home tab: an introduction, the taste-profile chart, then each section's reply."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain("Sake Sensei 🍶", 150)},
        {"type": "section", "text": {"type": "mrkdwn", "text": word("home_intro", lang)}},
    ]
    if chart_file_id:
        blocks.append({"type": "image", "slack_file": {"id": chart_file_id}, "alt_text": _cut(chart_alt or "taste profile", 2000)})
    for reply in sections:
        part = reply_blocks(reply, max_blocks=MAX_BLOCKS_VIEW)
        if len(blocks) + 1 + len(part) > MAX_BLOCKS_VIEW:
            break
        blocks.append({"type": "divider"})
        blocks += part
    _unique_action_ids(blocks)
    return {"type": "home", "blocks": blocks}
