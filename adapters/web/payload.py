"""The web chat's JSON: what the page may send (checked strictly) and the reply it gets back.

Replies are the `ask --json` contract plus what a page needs to draw them, all decided by the
core: each card's own buttons (`cards[].actions`) and stars (`cards[].rating`), the reply's
own buttons (`actions`), a form to fill in (`form`: the tasting note), pictures (`images`,
stored in the media store and given as URLs) and, on each card whose brand has a Sakenowa
flavor chart, the chart's picture (`chart_url`). URLs are relative to the page
(`media/...png`), so they work on whatever host and port the browser used.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from core import actions
from core.describe import card_flavor_in_words
from core.errors import Code
from core.media import ChartsBusy, MediaStore
from core.messages import Button, Card, Form, Reply, ReplyImage
from core.texts import page_words, t

MAX_FILE_BYTES = 2_000_000  # a reply's file sent inline (base64); a menu CSV is tens of KB
MAX_TEXT = 4000  # Sensei.handle keeps this many characters; longer is refused rather than cut
MAX_ACTION = 200
MAX_VALUES = 20
MAX_VALUE_CHARS = 2000
HISTORY_TURNS = 20  # turns shown again after a reload
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_ACTION = re.compile(r"^[A-Za-z_]{1,32}(:[^\x00-\x1f\x7f]{1,160})*$")
_VALUE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")


class BadRequest(Exception):
    """A request the API refuses: the HTTP status, an SS code and a plain sentence per language."""

    def __init__(self, status: int, code: Code, en: str, ja: str) -> None:
        super().__init__(en)
        self.status = status
        self.code = code
        self.text = {"en": en, "ja": ja}
        self.lang: str | None = None  # the language the request asked for, once it is known

    def body(self, lang: str) -> dict[str, Any]:
        message = self.text["ja" if lang == "ja" else "en"]
        return {"text": message, "lang": lang, "error": {"code": self.code.value, "message": message}}


@dataclass(slots=True)
class ChatRequest:
    text: str = ""
    lang: str | None = None
    client_id: str | None = None
    action: actions.UserAction | None = None  # read from the packed string the page sends back
    values: dict[str, str] = field(default_factory=dict)


def lang_field(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in ("en", "ja"):
        raise BadRequest(400, Code.NOT_ALLOWED, 'lang must be "en" or "ja".', 'lang は "en" か "ja" にしてください。')
    return str(raw)


def client_id_field(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or not _CLIENT_ID.match(raw):
        raise BadRequest(400, Code.NOT_ALLOWED, "id must be 8-64 letters, digits, - or _.", "id は英数字と - _ で8〜64文字にしてください。")
    return raw


def text_too_long() -> BadRequest:
    return BadRequest(
        413, Code.NOT_ALLOWED, f"The message is longer than {MAX_TEXT} characters; please shorten it.",
        f"メッセージが{MAX_TEXT}文字を超えています。短くしてください。",
    )


def text_field(raw: Any, *, required: bool) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise BadRequest(400, Code.NOT_ALLOWED, "text must be a string.", "text は文字列にしてください。")
    if len(raw) > MAX_TEXT:
        raise text_too_long()
    if required and not raw.strip():
        raise BadRequest(400, Code.NOT_ALLOWED, "The message is empty.", "メッセージが空です。")
    return raw


def parse_chat(body: Any) -> ChatRequest:
    """`POST /api/chat`: {"text": str, "lang"?: "en"|"ja", "id"?: str}."""
    if not isinstance(body, dict):
        raise BadRequest(400, Code.NOT_ALLOWED, 'The body must be a JSON object like {"text": "..."}.',
                         '本文は {"text": "..."} のようなJSONオブジェクトにしてください。')
    lang = lang_field(body.get("lang"))
    try:
        return ChatRequest(text=text_field(body.get("text"), required=True), lang=lang, client_id=client_id_field(body.get("id")))
    except BadRequest as e:
        e.lang = lang
        raise


def parse_action(body: Any) -> ChatRequest:
    """`POST /api/action`: {"action": "rate:887:4", "values"?: {...}, "lang"?: ..., "id"?: ...}."""
    if not isinstance(body, dict):
        raise BadRequest(400, Code.NOT_ALLOWED, 'The body must be a JSON object like {"action": "log:887"}.',
                         '本文は {"action": "log:887"} のようなJSONオブジェクトにしてください。')
    lang = lang_field(body.get("lang"))
    try:
        return _action(body, lang)
    except BadRequest as e:
        e.lang = lang
        raise


def _action(body: dict[str, Any], lang: str | None) -> ChatRequest:
    action = body.get("action")
    if not isinstance(action, str) or len(action) > MAX_ACTION or not _ACTION.match(action):
        raise BadRequest(400, Code.NOT_ALLOWED, 'action must be a button id such as "log:887".',
                         'action は "log:887" のようなボタンIDにしてください。')
    raw_values = body.get("values") or {}
    if not isinstance(raw_values, dict) or len(raw_values) > MAX_VALUES:
        raise BadRequest(400, Code.NOT_ALLOWED, "values must be an object of at most 20 fields.",
                         "values は20項目以内のオブジェクトにしてください。")
    values: dict[str, str] = {}
    for k, v in raw_values.items():
        if not _VALUE_KEY.match(k) or isinstance(v, bool) or not isinstance(v, (str, int, float)) or len(str(v)) > MAX_VALUE_CHARS:
            raise BadRequest(400, Code.NOT_ALLOWED, f"values.{k[:32]} is not a short text or number.",
                             f"values.{k[:32]} は短い文字列か数値にしてください。")
        values[k] = str(v)
    return ChatRequest(action=actions.read(action), values=values, lang=lang, client_id=client_id_field(body.get("id")))


def relative(media: MediaStore, url: str) -> str:
    """`https://host/media/x.png` → `media/x.png`: the page's own origin serves the same path."""
    prefix = media.base_url + "/"
    return url.removeprefix(prefix)


async def reply_json(reply: Reply, media: MediaStore, *, user_id: int | None) -> dict[str, Any]:
    """The contract reply plus buttons, pictures and flavor-chart URLs for the page."""
    out = reply.as_dict()
    lang = "ja" if reply.lang == "ja" else "en"
    card_charts: set[str] = set()
    for card, data in zip(reply.cards, out["cards"]):
        url = media.flavor_url(card.brand_id, lang) if card.flavor else None
        data["chart_url"] = relative(media, url) if url else None
        if url:
            card_charts.add(f"flavor/{card.brand_id}-{lang}")
    for card, data in zip(reply.cards, out["cards"]):
        data.update(card_controls(card, lang))
    out["actions"] = [button_json(a) for a in reply.actions]
    out["form"] = form_json(reply.form) if reply.form is not None else None
    images = []
    for image in reply.images:
        if await _is_card_chart(image, card_charts, media):
            continue  # the card already shows this chart; never store a public chart as a private picture
        url = media.url(image.media_id) if image.media_id else await media.put(image.png, kind="web", user_id=user_id)
        images.append({"url": relative(media, url), "alt": image.alt})
    out["images"] = images
    # files (a menu CSV export) inline as data: URLs, shown as download links: nothing stored, nothing
    # to guess, and only the browser that asked gets them
    out["files"] = [{"filename": f.filename, "media_type": f.media_type,
                     "url": f"data:{f.media_type};base64,{base64.b64encode(f.data).decode('ascii')}"}
                    for f in reply.files if len(f.data) <= MAX_FILE_BYTES]
    out["duplicate"] = False
    return out


def button_json(button: Button) -> dict[str, Any]:
    """A button as the page draws it: its packed action (sent back as is), its label and style."""
    return {"id": button.id, "label": button.label, "style": button.style}


def page_json(lang: str) -> dict[str, Any]:
    """`GET /api/words`: the page's words (core/texts.py "page.*") and its shortcut row, in one language."""
    shortcuts: list[dict[str, Any]] = [
        {"key": "recommend", "label": t("page.recommend", lang), "text": t("page.recommend_text", lang)},
        {"key": "survey", "label": t("page.survey", lang), "action": actions.pack(actions.SurveyStart())},
        {"key": "profile", "label": t("page.profile", lang), "action": actions.pack(actions.Command("profile"))},
        {"key": "history", "label": t("page.history", lang), "action": actions.pack(actions.Command("history"))},
    ]
    return {"lang": lang, "words": page_words(lang, "page."), "shortcuts": shortcuts, "max_text": MAX_TEXT}


def fill_page(html: str, lang: str) -> str:
    """index.html with its `{{key}}` words (core/texts.py "page.<key>", HTML-escaped) in `lang`."""
    words = page_words(lang, "page.")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: lang if m[1] == "lang" else escape(words[f"page.{m[1]}"]), html)


def card_controls(card: Card, lang: str) -> dict[str, Any]:
    """The card's own buttons and stars, exactly as the core chose them (the page adds none)."""
    rating = card.rating
    return {
        "no_chart": t("card.no_chart", lang) if card.flavor is None else None,
        "flavor_words": card_flavor_in_words(card.flavor, lang) if card.flavor else None,
        # a percentage only where it means "for you"; a search or label score is not a match
        "match": t("card.match", lang, pct=round(card.score * 100)) if card.personal and card.score is not None else None,
        "actions": [button_json(b) for b in card.actions],
        "rating": {"label": rating.label, "options": [button_json(b) for b in rating.options]} if rating else None,
    }


def form_json(form: Form) -> dict[str, Any]:
    """The core's form (the tasting note) as fields the page draws inline; its submit posts the values."""
    return {
        "title": form.title, "intro": form.intro, "submit": button_json(form.submit),
        "fields": [{"name": f.name, "label": f.label, "kind": f.kind, "optional": f.optional, "max_length": f.max_length,
                    "options": [{"value": v, "label": label} for v, label in f.options]} for f in form.fields],
    }


async def _is_card_chart(image: ReplyImage, card_charts: set[str], media: MediaStore) -> bool:
    """True when the picture is exactly the flavor chart of one of the reply's cards (by id, or byte for byte)."""
    if image.media_id is not None:
        return image.media_id in card_charts
    for path in card_charts:
        try:
            found = await media.get(path)  # drawn once, then cached in memory
        except ChartsBusy:  # drawings are queued up: compare with the next chart rather than wait
            continue
        if found is not None and found[0] == image.png:
            return True
    return False
