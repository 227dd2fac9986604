"""LINE webhook events (raw JSON dicts) → what the bot should do with them.

Why raw dicts and not the SDK's event models: `linebot.v3.WebhookParser` validates the whole
body at once, so a single event the SDK's models reject (measured: an `__unknown__` event
without `mode` in LINE's own PHP fixture, old events without `webhookEventId`) makes every
other event in the same delivery unreadable. Here each event is translated on its own, and
anything unknown is ignored, never fatal. The signature is still checked with the SDK.

Where a LINE conversation lives (StateKey):
- 1:1 chat with the bot: workspace "direct", channel = user id, user = user id. Every LINE
  user who talks to the bot alone shares the "direct" workspace, the way Slack users share a team.
- group / room (e.g. a restaurant's staff group): workspace = the groupId / roomId, channel =
  the same id, user = the speaker's userId. The group is the workspace, so what the staff save
  there belongs to the restaurant. The bot answers there only when addressed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from core import actions
from core.messages import Image, Message, StateKey

PLATFORM = "line"
DIRECT = "direct"
# Ways to address the bot in a group without a @mention: "sensei …", "先生、…", "@Sake Sensei …".
ADDRESS = re.compile(r"^\s*(?:@\s*sake\s*sensei|sake\s*sensei|sensei|センセイ|先生|せんせい|酒先生)[\s,:、。!!??]*", re.IGNORECASE)
VALUES = "?"  # postback data: the packed action, then the form values a quick reply submits (render.postback)


@dataclass(slots=True)
class Source:
    """Who sent an event and where to answer: `to` is what push_message needs."""

    kind: str  # user | group | room
    user_id: str | None
    chat_id: str  # userId for 1:1, groupId / roomId otherwise

    @property
    def workspace(self) -> str:
        return DIRECT if self.kind == "user" else self.chat_id

    @property
    def to(self) -> str:
        return self.chat_id

    def key(self) -> StateKey:
        return StateKey(PLATFORM, self.workspace, self.chat_id, self.user_id or "anonymous")


@dataclass(slots=True)
class Work:
    """One event turned into work: a kind, the core Message (if any), and how to answer."""

    kind: str  # "message" | "image" | "postback" | "sticker" | "follow" | "unfollow" | "join" | "ignore"
    source: Source | None
    event_id: str | None
    reply_token: str | None
    message: Message | None = None
    reason: str = ""  # why an event is ignored, for the debug log
    extra: dict[str, Any] = field(default_factory=dict)


ImageFetcher = Callable[[str], Awaitable[bytes]]


async def _cannot_fetch(ref: str) -> bytes:
    raise RuntimeError("translate() was given no image fetcher")


def source_of(event: dict[str, Any]) -> Source | None:
    src = event.get("source")
    if not isinstance(src, dict):
        return None
    kind = src.get("type")
    user_id = src.get("userId") if isinstance(src.get("userId"), str) else None
    if kind == "user" and user_id:
        return Source("user", user_id, user_id)
    if kind == "group" and isinstance(src.get("groupId"), str):
        return Source("group", user_id, src["groupId"])
    if kind == "room" and isinstance(src.get("roomId"), str):
        return Source("room", user_id, src["roomId"])
    return None


def event_id_of(event: dict[str, Any]) -> str | None:
    """`webhookEventId` (the same on every redelivery); older payloads only have the message id."""
    if isinstance(event.get("webhookEventId"), str) and event["webhookEventId"]:
        return event["webhookEventId"]
    msg = event.get("message")
    if isinstance(msg, dict) and isinstance(msg.get("id"), str):
        return f"message:{msg['id']}"
    return None


_USER_ID = re.compile(r"^U[0-9a-f]{32}$|^[A-Za-z0-9_.\-]{1,64}$")


def _mentions(message: dict[str, Any]) -> tuple[str, bool]:
    """The text with the bot's own mention taken out and other users' mentions written as `<@userId>`
    (so "staff add @Hana" names Hana's user id, never the display name); and whether the bot was mentioned."""
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    mention = message.get("mention")
    spans: list[tuple[int, int, str]] = []
    to_bot = False
    if isinstance(mention, dict):
        for m in mention.get("mentionees") or []:
            if not isinstance(m, dict):
                continue
            try:
                start, length = int(m.get("index", 0)), int(m.get("length", 0))
            except (TypeError, ValueError):
                continue
            if not (0 <= start and 0 < length and start + length <= len(text)):
                continue
            if m.get("isSelf") is True:
                spans.append((start, start + length, ""))
                to_bot = True
            elif m.get("type") == "user" and isinstance(m.get("userId"), str) and _USER_ID.match(m["userId"]):
                spans.append((start, start + length, f"<@{m['userId']}>"))
    for start, end, replacement in sorted(spans, reverse=True):  # from the end, so earlier indices stay right
        text = text[:start] + replacement + text[end:]
    return text, to_bot


def addressed_text(message: dict[str, Any]) -> str | None:
    """The text meant for the bot in a group, without the mention or call word; None when not addressed."""
    text, to_bot = _mentions(message)
    if to_bot:
        return text.strip()
    match = ADDRESS.match(text)
    if match and match.end() > 0:
        return text[match.end() :].strip()
    return None


def postback_message(data: str) -> tuple[actions.UserAction, dict[str, str]]:
    """A postback's typed action and the form values it carries; data we never issued reads as
    `Unknown`, which the core answers with a clear sentence."""
    packed, _, values = data.partition(VALUES)
    return actions.read(packed), dict(parse_qsl(values)) if values else {}


def translate(event: dict[str, Any], *, fetch_image: ImageFetcher | None = None, lang: str | None = None) -> Work:
    """One webhook event → Work. Never raises on odd input: what is not understood is ignored.

    LINE events carry no language. Turns without words (photos, postbacks) get no hint, so the core
    answers in the language the user last wrote in; a follow, a join and a sticker are a typed
    `PlatformEvent` the core answers in what it knows of the user, with the profile's language as
    the hint when the webhook learnt it (webhook.py).
    """
    if not isinstance(event, dict):
        return Work("ignore", None, None, None, reason="not an object")
    etype = event.get("type")
    source = source_of(event)
    event_id = event_id_of(event)
    token = event.get("replyToken") if isinstance(event.get("replyToken"), str) else None
    if source is None:
        return Work("ignore", None, event_id, token, reason=f"{etype}: no usable source")
    if event.get("mode") == "standby":  # another channel has chat control; it answers
        return Work("ignore", source, event_id, token, reason=f"{etype}: standby mode")
    in_group = source.kind != "user"

    def message(**kw: Any) -> Message:
        return Message(key=source.key(), event_id=event_id, lang=lang, **kw)  # type: ignore[arg-type]

    if etype == "follow":
        return Work("follow", source, event_id, token, message(action=actions.PlatformEvent("follow")))
    if etype == "unfollow":
        return Work("unfollow", source, event_id, None)
    if etype == "join":  # the bot was added to a group or room
        return Work("join", source, event_id, token, message(action=actions.PlatformEvent("join")))
    if etype == "postback":
        pb = event.get("postback") if isinstance(event.get("postback"), dict) else {}
        data = pb.get("data") if isinstance(pb.get("data"), str) else ""
        action, values = postback_message(data)
        return Work("postback", source, event_id, token, message(action=action, action_values=values))
    if etype != "message":
        return Work("ignore", source, event_id, token, reason=f"event type {etype!r} needs no answer")
    msg = event.get("message") if isinstance(event.get("message"), dict) else {}
    mtype = msg.get("type")
    if mtype == "text":
        text, _ = _mentions(msg)
        if in_group:
            addressed = addressed_text(msg)
            if addressed is None:
                return Work("ignore", source, event_id, token, reason="group text not addressed to the bot")
            text = addressed
        return Work("message", source, event_id, token, message(text=text))
    if mtype == "image":
        if in_group:  # a photo cannot be addressed; staff chatter with pictures is not for the bot
            return Work("ignore", source, event_id, token, reason="image in a group")
        message_id = msg.get("id") if isinstance(msg.get("id"), str) else None
        provider = msg.get("contentProvider") if isinstance(msg.get("contentProvider"), dict) else {}
        if message_id is None:
            return Work("ignore", source, event_id, token, reason="image without id")
        fetch = fetch_image or _cannot_fetch
        if provider.get("type") == "external" and isinstance(provider.get("originalContentUrl"), str):
            ref = provider["originalContentUrl"]
            image = Image(fetch=lambda: fetch("url:" + ref), filename=f"line-{message_id}.jpg", media_type="image/jpeg")
        else:
            image = Image(fetch=lambda: fetch(message_id), filename=f"line-{message_id}.jpg", media_type="image/jpeg")
        return Work("image", source, event_id, token, message(images=[image]), extra={"message_id": message_id})
    if mtype == "sticker":
        if in_group:
            return Work("ignore", source, event_id, token, reason="sticker in a group")
        return Work("sticker", source, event_id, token, message(action=actions.PlatformEvent("sticker")))
    return Work("ignore", source, event_id, token, reason=f"message type {mtype!r} is not read")
