"""Slack payloads → `core.messages.Message`, plus where the answer should go.

Pure functions over the JSON Slack sends (Events API, slash commands, interactivity), so
they are tested against captured payloads without a server. Each result is an `Incoming`:
the turn for the core and a `Target` (channel, thread, response_url) for the answer. It
round-trips through JSON because slow work runs in a job queue that may live in Redis.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from core import actions
from core.messages import Message, StateKey

PLATFORM = "slack"
# Message subtypes that are a person saying something; every other subtype (edits, deletes,
# joins, bot_message, ...) is ignored.
USER_SUBTYPES = {None, "file_share", "thread_broadcast"}
RATING = re.compile(r"^(?:[0-4](?:\.[05])?|5(?:\.0)?)$")
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


@dataclass(slots=True)
class SlackFile:
    """A file shared with the message; downloaded later, with the bot token, only if it is an image."""

    id: str
    name: str
    mimetype: str
    size: int
    url: str  # url_private_download

    @property
    def is_image(self) -> bool:
        return self.mimetype.startswith("image/")


@dataclass(slots=True)
class Target:
    """Where the answer goes: a channel (and thread), or a slash command's response_url."""

    channel: str
    thread_ts: str | None = None
    response_url: str | None = None
    user: str | None = None  # for ephemeral answers


@dataclass(slots=True)
class Incoming:
    team_id: str
    enterprise_id: str | None
    user: str
    conversation: str  # StateKey.channel: the DM, or "<channel>/<thread_ts>" for a thread
    target: Target
    text: str = ""
    action: str | None = None  # packed (core.actions.pack): an Incoming round-trips through JSON
    action_values: dict[str, Any] = field(default_factory=dict)
    event_id: str | None = None
    files: list[SlackFile] = field(default_factory=list)
    lang: str | None = None
    # a channel message in a thread without a mention: only handled when the bot is in that thread
    needs_joined_thread: bool = False

    @property
    def key(self) -> StateKey:
        return StateKey(PLATFORM, self.team_id, self.conversation, self.user)

    def message(self) -> Message:
        """The core's view of this turn; images are attached by the app, which holds the token."""
        action = actions.read(self.action) if self.action else None
        return Message(key=self.key, text=self.text, action=action, action_values=dict(self.action_values),
                       lang=self.lang, event_id=self.event_id)

    def to_payload(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies every value, a measurable cost on the ack path
        return {
            "team_id": self.team_id, "enterprise_id": self.enterprise_id, "user": self.user, "conversation": self.conversation,
            "target": {"channel": self.target.channel, "thread_ts": self.target.thread_ts,
                       "response_url": self.target.response_url, "user": self.target.user},
            "text": self.text, "action": self.action, "action_values": dict(self.action_values), "event_id": self.event_id,
            "files": [{"id": f.id, "name": f.name, "mimetype": f.mimetype, "size": f.size, "url": f.url} for f in self.files],
            "lang": self.lang, "needs_joined_thread": self.needs_joined_thread,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> "Incoming":
        data = dict(data)
        data["target"] = Target(**data["target"])
        data["files"] = [SlackFile(**f) for f in data.get("files", [])]
        return cls(**data)


def clean_text(text: str, bot_user_id: str | None = None) -> str:
    """Slack's wire text → what the user typed: mentions of the bot removed, links and entities decoded."""
    text = _MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else m.group(0), text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return html.unescape(text).strip()


def conversation_of(channel: str, thread_ts: str | None) -> str:
    return f"{channel}/{thread_ts}" if thread_ts else channel


def team_of(body: dict[str, Any]) -> tuple[str, str | None]:
    """The workspace (team_id) and Enterprise Grid org of any Slack payload.

    For events, the installation the event was delivered to (`authorizations[0]`) wins over the
    sender's team: in a Slack Connect channel they differ, and the token is the installation's."""
    auths = body.get("authorizations")
    if isinstance(auths, list) and auths and isinstance(auths[0], dict) and auths[0].get("team_id"):
        return str(auths[0]["team_id"]), auths[0].get("enterprise_id")
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    team = body.get("team")
    if isinstance(team, dict):
        return str(team.get("id") or user.get("team_id") or ""), team.get("enterprise_id")
    team_id = body.get("team_id") or (body.get("view") or {}).get("team_id") or user.get("team_id")
    enterprise = body.get("enterprise_id")
    if not enterprise and isinstance(body.get("enterprise"), dict):
        enterprise = body["enterprise"].get("id")
    return str(team_id or ""), enterprise


def _files(event: dict[str, Any]) -> list[SlackFile]:
    out = []
    for f in event.get("files") or []:
        url = f.get("url_private_download") or f.get("url_private")
        if not url or f.get("mode") == "tombstone":
            continue
        out.append(SlackFile(id=str(f.get("id", "")), name=str(f.get("name") or "file"), mimetype=str(f.get("mimetype") or ""),
                             size=int(f.get("size") or 0), url=url))
    return out


def is_from_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Our own messages and every other bot's: never answered (no loops between bots)."""
    return bool(
        event.get("bot_id")
        or event.get("bot_profile")
        or event.get("subtype") == "bot_message"
        or (bot_user_id and event.get("user") == bot_user_id)
    )


def from_event(body: dict[str, Any], *, bot_user_id: str | None) -> Incoming | None:
    """A `message` or `app_mention` event → the turn to handle, or None when the bot should stay quiet."""
    event = body.get("event") or {}
    kind = event.get("type")
    if kind not in ("message", "app_mention") or is_from_bot(event, bot_user_id):
        return None
    if event.get("subtype") not in USER_SUBTYPES or not event.get("user") or not event.get("channel"):
        return None
    team_id, enterprise_id = team_of(body)
    channel, ts, thread_ts = event["channel"], event.get("ts"), event.get("thread_ts")
    raw = event.get("text") or ""
    needs_thread = False
    if kind == "app_mention":
        thread_ts = thread_ts or ts  # answered in a thread under the mention
    elif event.get("channel_type") != "im":
        if bot_user_id and f"<@{bot_user_id}" in raw:
            return None  # the app_mention event for this same message answers it
        if not thread_ts:
            return None  # channel chatter not addressed to the bot
        needs_thread = True
    text = clean_text(raw, bot_user_id)
    files = _files(event)
    if not text and not files:
        return None
    return Incoming(
        team_id=team_id, enterprise_id=enterprise_id, user=event["user"], conversation=conversation_of(channel, thread_ts),
        target=Target(channel=channel, thread_ts=thread_ts), text=text, event_id=body.get("event_id"), files=files,
        needs_joined_thread=needs_thread,
    )


# ---- slash command ---------------------------------------------------------------------

@dataclass(slots=True)
class CommandPlan:
    """What a `/sake` command does: a turn for the core, a modal to open, or (help, a command missing
    what it needs) a `Usage` the core answers right away in the acknowledgement."""

    incoming: Incoming | None = None
    modal: str | None = None  # "survey"
    usage: actions.Usage | None = None
    usage_key: StateKey | None = None  # who asked: the core answers in their language


def from_command(body: dict[str, Any]) -> CommandPlan:
    team_id, enterprise_id = team_of(body)
    words = clean_text(body.get("text", "")).split()
    sub = words[0].lower() if words else "help"
    rest = words[1:]
    target = Target(channel=body.get("channel_id", ""), response_url=body.get("response_url"), user=body.get("user_id"))
    # trigger_id is unique per invocation; Slack does not retry slash commands, but a proxy might.
    base = dict(team_id=team_id, enterprise_id=enterprise_id, user=body.get("user_id", ""), conversation=body.get("channel_id", ""),
                target=target, event_id=f"cmd:{body.get('trigger_id')}" if body.get("trigger_id") else None)
    if sub in ("help", "?", "ヘルプ"):
        said = words if not sub.isascii() else rest  # 「ヘルプ」 says the language; "help" does not
        return CommandPlan(usage=actions.Usage("help", " ".join(said)), usage_key=Incoming(**base).key)
    if sub == "survey":
        return CommandPlan(incoming=Incoming(**base, action=actions.pack(actions.SurveyStart())), modal="survey")
    if sub in ("rec", "recommend", "おすすめ"):
        return CommandPlan(incoming=Incoming(**base, text=" ".join(["recommend", *rest]).strip()))
    if sub in ("history", "profile", "wishlist", "stats"):  # a typed command, never English text to read again
        return CommandPlan(incoming=Incoming(**base, action=actions.pack(actions.Command(sub))))
    if sub in ("flight", "飲み比べ"):  # a group tasting, started (or shown) in this channel: "/sake flight 4 niigata"
        values = {"theme": " ".join(rest)} if rest else {}
        return CommandPlan(incoming=Incoming(**base, action=actions.pack(actions.Command("flight")), action_values=values))
    if sub == "log":
        at = next((i for i, w in enumerate(rest) if i >= 1 and RATING.match(w)), None)
        if at is None:
            return CommandPlan(usage=actions.Usage("log", " ".join(rest)), usage_key=Incoming(**base).key)
        return CommandPlan(incoming=Incoming(**base, text=" ".join(["log", *rest])))
    return CommandPlan(incoming=Incoming(**base, text=" ".join(words)))  # free text: "/sake what goes with tempura?"


# ---- interactivity ----------------------------------------------------------------------


def action_value(action: dict[str, Any]) -> str | None:
    """The core action id a button or select carries."""
    if action.get("type") == "static_select":
        return (action.get("selected_option") or {}).get("value")
    return action.get("value")


def from_block_action(body: dict[str, Any]) -> Incoming | None:
    """A button or select in one of our messages → the action for the core."""
    actions = body.get("actions") or []
    if not actions:
        return None
    value = action_value(actions[0])
    if not value:
        return None
    team_id, enterprise_id = team_of(body)
    user = (body.get("user") or {}).get("id", "")
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    thread_ts = message.get("thread_ts") or container.get("thread_ts")
    if not channel:  # an App Home or modal button: answer in the user's DM (opened by the app)
        conversation, target = f"home:{user}", Target(channel="", user=user)
    else:
        conversation = conversation_of(channel, thread_ts)
        ephemeral = bool(container.get("is_ephemeral"))
        target = Target(channel=channel, thread_ts=thread_ts, response_url=body.get("response_url") if ephemeral else None, user=user)
    stamp = actions[0].get("action_ts") or body.get("trigger_id")
    return Incoming(team_id=team_id, enterprise_id=enterprise_id, user=user, conversation=conversation, target=target,
                    action=value, event_id=f"act:{user}:{stamp}:{value}" if stamp else None)


def view_values(view: dict[str, Any]) -> dict[str, Any]:
    """A modal's inputs by action_id: text inputs' values and selects' chosen option values."""
    out: dict[str, Any] = {}
    for block in (view.get("state") or {}).get("values", {}).values():
        for action_id, state in block.items():
            if "selected_option" in state:
                out[action_id] = (state.get("selected_option") or {}).get("value")
            else:
                out[action_id] = state.get("value")
    return out
