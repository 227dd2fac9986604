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
from core.messages import Button, Card, Form, FormField, RatingControl, Reply, ReplyImage
from core.texts import t

MAX_SECTION = 3000
MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_BUTTON_TEXT = 75
MAX_FALLBACK = 3000
MAX_OPTION_TEXT = 75
ACTION_PREFIX = "ss:"  # every interactive element we render; the app routes on it
NOTE_CALLBACK = "ss_note"
SURVEY_CALLBACK = "ss_survey"


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
        return f"_{t('card.no_chart', lang)}_"
    rows = []
    for axis, ja, en in FLAVOR_AXES:
        if axis in flavor:
            label = ja if lang == "ja" else f"{ja} {en}"
            rows.append(f"`{bar(flavor[axis])}` {label} {flavor[axis]:.2f}")
    return "\n".join(rows)


def card_blocks(card: Card, lang: str) -> list[dict[str, Any]]:
    """One sake: name, brewery and prefecture, flavor bars, tags, then exactly the buttons and
    stars the core gave this card (nothing added here)."""
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
        tags = _cut("🏷 " + " · ".join(escape(t) for t in card.tags[:10]), 3000)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": tags}]})
    if card.actions:
        blocks.append({"type": "actions", "elements": [button(b) for b in card.actions[:25]]})
    if card.rating is not None:
        blocks += rating_blocks(card.rating)
    return blocks


def button(b: Button) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "button", "text": plain(b.label), "action_id": ACTION_PREFIX + b.id[:200], "value": b.id[:2000]}
    if b.style in ("primary", "danger"):
        out["style"] = b.style
    return out


def rating_blocks(rating: RatingControl) -> list[dict[str, Any]]:
    """The core's stars, one tap each, in its order (1 to 5), under its prompt."""
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(escape(rating.label), 3000)}]},
            {"type": "actions", "elements": [button(b) for b in rating.options[:25]]}]


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
    """The whole answer: text, error code, cards with their own buttons, then the reply's buttons."""
    blocks: list[dict[str, Any]] = []
    error = reply.error
    if reply.text and not (error and reply.text.strip() == error.get("message", "").strip()):
        blocks += text_sections(reply.text)
    if error:
        warning = _cut(f":warning: `{error['code']}` {mrkdwn(error.get('message', ''))}", 3000)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": warning}]})
    actions = list(reply.actions)
    if reply.form is not None:  # a form is a modal on Slack: its button opens it (the app answers a Note with one)
        actions.insert(0, Button(reply.form.submit.action, reply.form.title, "primary"))
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


def thinking(lang: str) -> str:
    return f"{t('turn.thinking', lang)} :sake:"


def apology(lang: str) -> Reply:
    return Reply(text=t("turn.apology", lang), lang=lang)


def fallback_text(reply: Reply, *, with_code: bool = False) -> str:
    """The notification text (and what screen readers read first). `with_code`: an error's code and
    sentence first, for an answer whose text is all some clients show (a slash command's ack)."""
    error = reply.error
    text = reply.text or (error or {}).get("message") or "、".join(c.name for c in reply.cards) or "…"
    if with_code and error:
        said = error.get("message", "")
        text = f":warning: `{error['code']}` {said}" + (f"\n{text}" if text.strip() != said.strip() else "")
    return _cut(text, MAX_FALLBACK)


def form_modal(form: Form, lang: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """The core's form (the tasting note) as a modal; its submit comes back as the form's own
    action (carried in private_metadata) with the values by field name."""
    meta = {**metadata, "action": form.submit.id}
    blocks: list[dict[str, Any]] = []
    if form.intro:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _cut(f"*{escape(form.intro)}*", MAX_SECTION)}})
    blocks += [_input(f) for f in form.fields]
    return {
        "type": "modal",
        "callback_id": NOTE_CALLBACK,
        "private_metadata": json.dumps(meta, ensure_ascii=False)[:3000],
        "title": plain(form.title, 24),
        "submit": plain(form.submit.label, 24),
        "close": plain(t("form.close", lang), 24),
        "blocks": blocks,
    }


def _input(f: FormField) -> dict[str, Any]:
    element: dict[str, Any]
    if f.kind == "choice":
        element = {"type": "static_select", "action_id": f.name,
                   "options": [{"text": plain(label, MAX_OPTION_TEXT), "value": value[:150]} for value, label in f.options[:100]]}
    else:
        element = {"type": "plain_text_input", "action_id": f.name, "max_length": f.max_length}
        if f.kind == "longtext":
            element["multiline"] = True
    return {"type": "input", "block_id": f.name, "optional": f.optional, "label": plain(f.label, 2000), "element": element}


def reply_modal(reply: Reply | None, *, lang: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """A Reply shown in a modal (the survey: one question with answer buttons); None = still loading."""
    blocks = reply_blocks(reply, max_blocks=MAX_BLOCKS_VIEW) if reply else [
        {"type": "section", "text": {"type": "mrkdwn", "text": t("turn.loading", lang)}}]
    return {
        "type": "modal",
        "callback_id": SURVEY_CALLBACK,
        "private_metadata": json.dumps(metadata, ensure_ascii=False)[:3000],
        "title": plain(t("form.survey.title", lang), 24),
        "close": plain(t("form.close", lang), 24),
        "blocks": blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": "…"}}],
    }


def home_chart(home: Reply) -> ReplyImage | None:
    """The picture the Home tab shows under its introduction (the taste profile's chart), if any."""
    return next((image for part in (home, *home.sections) for image in part.images), None)


def home_view(home: Reply, *, chart_file_id: str | None = None) -> dict[str, Any]:
    """The App Home tab, from the core's home reply: its title and introduction, the chart (uploaded
    beforehand as `chart_file_id`), then each section's reply."""
    blocks: list[dict[str, Any]] = [{"type": "header", "text": plain(home.title or "Sake Sensei", 150)}, *text_sections(home.text)]
    chart = home_chart(home)
    if chart_file_id and chart is not None:
        blocks.append({"type": "image", "slack_file": {"id": chart_file_id}, "alt_text": _cut(chart.alt or "taste profile", 2000)})
    for reply in home.sections:
        part = reply_blocks(reply, max_blocks=MAX_BLOCKS_VIEW)
        if len(blocks) + 1 + len(part) > MAX_BLOCKS_VIEW:
            break
        blocks.append({"type": "divider"})
        blocks += part
    _unique_action_ids(blocks)
    return {"type": "home", "blocks": blocks}
