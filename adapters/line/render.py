"""Reply → LINE message objects (plain dicts in the Messaging API's JSON shape). Pure: no I/O.

The SDK checks none of LINE's limits on the client side, and LINE rejects a whole request that
breaks one of them, so they are enforced here:
- a text message holds at most 5,000 characters (counted in UTF-16 units, as LINE does);
- one reply / push carries at most 5 messages;
- a carousel holds at most 12 bubbles; `altText` at most 400 characters;
- quick replies: at most 13 buttons, labels at most 20 characters; postback data at most 300.
Images must be fetched by LINE from URLs, so the caller stores Reply.images first and passes
their URLs in; flavor-chart hero images come from `flavor_url`, which answers None for brands
without a chart (then the card has no picture: a chart is never invented).
"""

from __future__ import annotations

from typing import Any, Callable

from core.messages import Action, Card, Reply

MAX_TEXT = 5000
MAX_MESSAGES = 5
MAX_BUBBLES = 12
MAX_ALT_TEXT = 400
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
MAX_DATA = 300
ACCENT = "#C43D39"  # 臙脂, the colour of the flavor charts

FlavorUrl = Callable[[int, str], "str | None"]

TEXTS: dict[str, dict[str, str]] = {
    "greeting": {
        "ja": "友だち追加ありがとうございます!🍶 日本酒ソムリエの Sake Sensei です。\n"
        "銘柄名を送ればそのお酒を、ラベルの写真を送れば銘柄を調べます。\n"
        "まずは好みを知るために、短い好み診断をどうぞ。",
        "en": "Thanks for adding me! 🍶 I'm Sake Sensei, a sake sommelier.\n"
        "Send a sake's name and I'll tell you about it, or a photo of a label and I'll find it.\n"
        "To start, take the short taste survey so I learn what you like.",
    },
    "joined": {
        "ja": "Sake Sensei です。🍶 グループでは「先生」で始めるか、@メンションで話しかけてください。\n例: 先生 獺祭ってどんなお酒?",
        "en": "Sake Sensei here. 🍶 In a group, start with \"sensei\" or @mention me.\nFor example: sensei what is dassai like?",
    },
    "sticker": {
        "ja": "スタンプありがとうございます!😊 お酒の名前や、ラベルの写真を送ってくださいね。",
        "en": "Thanks for the sticker! 😊 Send me a sake's name or a photo of its label.",
    },
    "log": {"ja": "記録する", "en": "Log it"},
    "similar": {"ja": "似たお酒", "en": "Similar"},
    "wish": {"ja": "飲みたい", "en": "Wishlist"},
    "no_chart": {"ja": "味のチャートはありません", "en": "No flavor chart"},
    "cards_alt": {"ja": "おすすめの日本酒", "en": "Sake suggestions"},
    "image_alt": {"ja": "画像", "en": "Image"},
}


def t(name: str, lang: str) -> str:
    entry = TEXTS[name]
    return entry.get(lang, entry["en"])


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


def postback(label: str, data: str, display: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "postback", "label": shorten(label, MAX_LABEL), "data": data[:MAX_DATA]}
    if display:
        action["displayText"] = shorten(display, 300)
    return action


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, **style}


def card_bubble(card: Card, lang: str, hero_url: str | None) -> dict[str, Any]:
    """One sake as a Flex bubble: chart hero (if the brand has one), facts, three postback buttons."""
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
        body.append(_text(t("no_chart", lang), size="xs", color="#AAAAAA", margin="md"))
    name = card.name or str(card.brand_id)
    footer = {
        "type": "box",
        "layout": "vertical",
        "spacing": "sm",
        "contents": [
            {"type": "button", "style": "primary", "height": "sm", "color": ACCENT,
             "action": postback(t("log", lang), f"log:{card.brand_id}", f"{t('log', lang)}: {name}")},
            {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
                {"type": "button", "style": "secondary", "height": "sm",
                 "action": postback(t("similar", lang), f"similar:{card.brand_id}", f"{t('similar', lang)}: {name}")},
                {"type": "button", "style": "secondary", "height": "sm",
                 "action": postback(t("wish", lang), f"wish:{card.brand_id}", f"{t('wish', lang)}: {name}")},
            ]},
        ],
    }
    bubble: dict[str, Any] = {"type": "bubble", "size": "kilo"}
    if hero_url:
        bubble["hero"] = {"type": "image", "url": hero_url, "size": "full", "aspectRatio": "1:1", "aspectMode": "fit"}
    bubble["body"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body}
    bubble["footer"] = footer
    return bubble


def carousel(cards: list[Card], lang: str, flavor_url: FlavorUrl) -> dict[str, Any]:
    shown = cards[:MAX_BUBBLES]
    alt = f"{t('cards_alt', lang)}: " + "、".join(c.name for c in shown if c.name)
    return {
        "type": "flex",
        "altText": shorten(alt, MAX_ALT_TEXT),
        "contents": {"type": "carousel", "contents": [card_bubble(c, lang, flavor_url(c.brand_id, lang)) for c in shown]},
    }


def quick_reply(actions: list[Action]) -> dict[str, Any] | None:
    """Reply.actions as quick-reply buttons (ratings ★1-5, survey answers, …): shown under the last message."""
    items = [
        {"type": "action", "action": postback(a.label or a.id, a.id, a.label or a.id)}
        for a in actions[:MAX_QUICK_REPLIES]
        if a.id and len(a.id) <= MAX_DATA
    ]
    return {"items": items} if items else None


def render(reply: Reply, *, flavor_url: FlavorUrl, image_urls: list[str] | None = None, prefix: str | None = None) -> list[dict[str, Any]]:
    """The LINE messages for one reply: text pieces, a card carousel, images; at most 5 in all.

    `prefix` is text the adapter says first (the follow greeting). `image_urls` are the public
    URLs of `reply.images`, in the same order.
    """
    lang = reply.lang
    text = "\n\n".join(x for x in (prefix, reply.text) if x and x.strip())
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
    if messages and (qr := quick_reply(reply.actions)):
        messages[-1]["quickReply"] = qr
    return messages


def text_messages(text: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": p} for p in split_text(text)[:MAX_MESSAGES]]
