"""Reply → LINE message objects (plain dicts in the Messaging API's JSON shape). Pure: no I/O.

The SDK checks none of LINE's limits on the client side, and LINE rejects a whole request that
breaks one of them, so they are enforced here:
- a text message holds at most 5,000 characters (counted in UTF-16 units, as LINE does);
- one reply / push carries at most 5 messages;
- a carousel holds at most 12 bubbles; `altText` at most 400 characters;
- quick replies: at most 13 buttons, labels at most 20 characters; postback data at most 300.
What the reply offers is the core's (core.messages): a card's buttons become its bubble's footer,
stars and the reply's own buttons quick replies, a form (LINE has none) a short prompt whose choices
are quick replies; nothing is added here. Images must be fetched by LINE from URLs, so the caller stores Reply.images first and passes
their URLs in; flavor-chart hero images come from `flavor_url`, which answers None for brands
without a chart (then the card has no picture: a chart is never invented).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from core.messages import Button, Card, Form, RatingControl, Reply
from core.texts import t

MAX_TEXT = 5000
MAX_MESSAGES = 5
MAX_BUBBLES = 12
MAX_ALT_TEXT = 400
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
MAX_DATA = 300
ACCENT = "#C43D39"  # 臙脂, the colour of the flavor charts
VALUES = "?"  # postback data: the packed action, then the form values a quick reply submits (never in a packed action)

FlavorUrl = Callable[[int, str], "str | None"]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> str:
    """The longest prefix of `text` within `limit` UTF-16 units."""
    if utf16_len(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if ord(ch) > 0xFFFF else 1
        if used + w > limit:
            break
        out.append(ch)
        used += w
    return "".join(out)


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` UTF-16 units, with an ellipsis when something was cut."""
    return text if utf16_len(text) <= limit else _cut(text, limit - 1) + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` units, broken at a paragraph, line or space when one is near."""
    text = text.strip()
    pieces: list[str] = []
    while text:
        if utf16_len(text) <= limit:
            pieces.append(text)
            break
        head = _cut(text, limit)
        cut = len(head)
        for sep in ("\n\n", "\n", "。", ". ", " "):
            at = head.rfind(sep)
            if at >= len(head) // 2:  # only if the piece stays reasonably long
                cut = at + len(sep)
                break
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [p for p in pieces if p]


def postback(button: Button, display: str | None = None, values: dict[str, str] | None = None) -> dict[str, Any] | None:
    """A postback carrying the button's packed action (and, for a form's choice, its value); None if it cannot fit."""
    data = button.id + (VALUES + urlencode(values) if values else "")
    if not button.id or len(data.encode()) > MAX_DATA:
        return None
    action: dict[str, Any] = {"type": "postback", "label": shorten(button.label or button.id, MAX_LABEL), "data": data}
    action["displayText"] = shorten(display or button.label or button.id, 300)
    return action


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, **style}


def _button(button: Button, name: str, **style: Any) -> dict[str, Any] | None:
    action = postback(button, f"{button.label}: {name}")
    if action is None:
        return None
    look = {"style": "primary", "color": ACCENT} if button.style == "primary" else {"style": "secondary"}
    return {"type": "button", "height": "sm", **look, **style, "action": action}


def _footer(card: Card, stars_inline: bool) -> dict[str, Any] | None:
    """The card's own buttons in the core's order (primary ones full width, the others two a row);
    its stars too when they cannot be the quick replies (several cards ask for a rating)."""
    name = card.name or str(card.brand_id)
    rows: list[dict[str, Any]] = []
    pair: list[dict[str, Any]] = []
    for b in card.actions:
        item = _button(b, name)
        if item is None:
            continue
        if b.style == "primary":
            rows.append(item)
            continue
        pair.append(item)
        if len(pair) == 2:
            rows.append({"type": "box", "layout": "horizontal", "spacing": "sm", "contents": pair})
            pair = []
    if pair:
        rows.append(pair[0] if len(pair) == 1 else {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": pair})
    if card.rating is not None and card.rating.options:
        rows.append(_text(card.rating.label, size="xs", color="#888888", margin="md"))
        if stars_inline:
            stars = [x for b in card.rating.options if (x := _button(b, name, flex=1)) is not None]
            rows.append({"type": "box", "layout": "horizontal", "spacing": "xs", "contents": stars})
    if not rows:
        return None
    return {"type": "box", "layout": "vertical", "spacing": "sm", "contents": rows}


def card_bubble(card: Card, lang: str, hero_url: str | None, stars_inline: bool = False) -> dict[str, Any]:
    """One sake as a Flex bubble: chart hero (if the brand has one), facts, and the buttons the core gave the card."""
    body: list[dict[str, Any]] = [_text(card.name or str(card.brand_id), weight="bold", size="xl")]
    if card.name_romaji:
        body.append(_text(card.name_romaji, size="sm", color="#888888"))
    where = " · ".join(x for x in (card.brewery, card.prefecture) if x)
    if where:
        body.append(_text(where, size="sm", color="#555555"))
    if card.tags:
        body.append(_text(" ".join(f"#{tag}" for tag in card.tags[:6]), size="sm", color=ACCENT))
    if card.reason:
        body.append(_text(shorten(card.reason, 300), size="sm", margin="md"))
    if hero_url is None and card.flavor is None:
        body.append(_text(t("card.no_chart", lang), size="xs", color="#AAAAAA", margin="md"))
    bubble: dict[str, Any] = {"type": "bubble", "size": "kilo"}
    if hero_url:
        bubble["hero"] = {"type": "image", "url": hero_url, "size": "full", "aspectRatio": "1:1", "aspectMode": "fit"}
    bubble["body"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body}
    footer = _footer(card, stars_inline)
    if footer is not None:
        bubble["footer"] = footer
    return bubble


def carousel(cards: list[Card], lang: str, flavor_url: FlavorUrl) -> dict[str, Any]:
    shown = cards[:MAX_BUBBLES]
    stars_inline = len(_rated(shown)) > 1
    alt = f"{t('card.suggestions', lang)}: " + "、".join(c.name for c in shown if c.name)
    return {
        "type": "flex",
        "altText": shorten(alt, MAX_ALT_TEXT),
        "contents": {"type": "carousel",
                     "contents": [card_bubble(c, lang, flavor_url(c.brand_id, lang), stars_inline) for c in shown]},
    }


def _rated(cards: list[Card]) -> list[RatingControl]:
    return [c.rating for c in cards if c.rating is not None and c.rating.options]


def form_prompt(form: Form) -> tuple[str, list[dict[str, Any]]]:
    """LINE has no forms: the form's title and what it is about, the core's words asking for its text as
    the next message, and its first choice the user must make as quick replies, each one submitting the
    form with that value (the other fields stay empty)."""
    lines = [x for x in (form.title, form.intro, form.next_message) if x]
    choice = next((f for f in form.fields if f.kind == "choice" and not f.optional), None)
    items: list[dict[str, Any]] = []
    if choice is not None:
        lines.append(f"{choice.label}:")
        for value, label in choice.options:
            action = postback(Button(form.submit.action, label), label, {choice.name: value})
            if action is not None:
                items.append({"type": "action", "action": action})
    return "\n".join(lines), items


def quick_reply(buttons: list[Button]) -> list[dict[str, Any]]:
    """Buttons as quick-reply items (survey answers, stars, take the survey, ...), in the core's order."""
    items = []
    for b in buttons:
        if (action := postback(b)) is not None:
            items.append({"type": "action", "action": action})
    return items


def render(reply: Reply, *, flavor_url: FlavorUrl, image_urls: list[str] | None = None) -> list[dict[str, Any]]:
    """The LINE messages for one reply: text pieces, a card carousel, images; at most 5 in all.

    Quick replies under the last message: the form's choices, then the stars of the one card that asks
    for a rating (with several, each card shows its own), then the reply's own buttons, in the core's
    order; LINE shows 13, the rest is left out. `image_urls` are the public URLs of `reply.images`, in
    the same order. The adapter adds no words of its own (a follow's greeting is the core's reply).
    """
    lang = reply.lang
    items: list[dict[str, Any]] = []
    form_text = ""
    if reply.form is not None:
        form_text, items = form_prompt(reply.form)
    text = "\n\n".join(x for x in (reply.text, form_text) if x and x.strip())
    pieces = split_text(text)
    others: list[dict[str, Any]] = []
    if reply.cards:
        others.append(carousel(reply.cards, lang, flavor_url))
    inline = {id(i) for i in reply.images} - {id(i) for i in reply.extra_images()}
    for url, image in zip(image_urls or [], reply.images):
        if id(image) in inline:  # a card's flavor chart: already the card's hero image
            continue
        others.append({"type": "image", "originalContentUrl": url, "previewImageUrl": url})
    others = others[: MAX_MESSAGES - (1 if pieces else 0)]
    room = MAX_MESSAGES - len(others)
    if len(pieces) > room:  # keep what fits; the last piece says that it was cut
        pieces = pieces[:room]
        pieces[-1] = shorten(pieces[-1] + "\n…", MAX_TEXT)
    messages: list[dict[str, Any]] = [{"type": "text", "text": p} for p in pieces] + others
    rated = _rated(reply.cards[:MAX_BUBBLES])
    if len(rated) == 1:
        items += quick_reply(rated[0].options)
    items += quick_reply(reply.actions)
    if messages and items:
        messages[-1]["quickReply"] = {"items": items[:MAX_QUICK_REPLIES]}
    return messages


def text_messages(text: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": p} for p in split_text(text)[:MAX_MESSAGES]]
