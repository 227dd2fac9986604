"""Platform-neutral messages in and replies out: the only shapes adapters and the core share."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Awaitable, Callable


@dataclass(frozen=True, slots=True)
class StateKey:
    """Who and where: every piece of per-conversation state is keyed by this."""

    platform: str
    workspace: str
    channel: str
    user: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.channel}:{self.user}"


@dataclass(slots=True)
class Image:
    """An image a user sent; `fetch` lets adapters defer the download until it is needed."""

    data: bytes | None = None
    fetch: Callable[[], Awaitable[bytes]] | None = None
    filename: str | None = None
    media_type: str | None = None

    async def read(self) -> bytes:
        if self.data is None and self.fetch is not None:
            self.data = await self.fetch()
        return self.data or b""


@dataclass(slots=True)
class Message:
    """One incoming event: text and/or images, or an action (button, postback, modal)."""

    key: StateKey
    text: str = ""
    images: list[Image] = field(default_factory=list)
    action: str | None = None  # e.g. "rate:887:4", see architecture.md
    action_values: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None  # a hint from the platform (locale); the text decides otherwise
    display_name: str | None = None
    event_id: str | None = None  # the platform's delivery id, for the inbox
    files: list[Image] = field(default_factory=list)  # other attachments (a menu CSV), read like images
    # The platform says this user administers the workspace (Slack admin/owner, Discord Manage Server):
    # restaurant workspaces count them as staff. Never stored; set by adapters that know it.
    platform_admin: bool = False
    claimed: bool = False  # set once the inbox has recorded event_id for this process
    # A retry of a turn whose handler died mid-turn (kill -9): what that turn wrote may already be saved.
    taken_over: bool = False


@dataclass(slots=True)
class Card:
    """A sake shown to the user; `as_dict` is the `contracts.md` card shape."""

    brand_id: int
    name: str
    name_romaji: str
    brewery: str
    prefecture: str
    flavor: dict[str, float] | None
    tags: list[str]
    score: float | None = None
    reason: str | None = None
    certain: bool = True  # False when recommended without a flavor chart
    extra: dict[str, Any] = field(default_factory=dict)
    specs: dict[str, Any] | None = None  # the main product's label figures (grade, polishing, smv, acidity, rice, yeast...)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "brand_id": self.brand_id,
            "name": self.name,
            "name_romaji": self.name_romaji,
            "brewery": self.brewery,
            "prefecture": self.prefecture,
            "flavor": self.flavor,
            "tags": self.tags,
            "score": self.score,
            "reason": self.reason,
        }
        if self.specs:
            out["specs"] = self.specs
        out.update(self.extra)
        return out


@dataclass(slots=True)
class Action:
    """A button the platform should show; `id` routes back to the core after a restart."""

    id: str
    label: str
    style: str | None = None  # "primary" | "danger" | None


@dataclass(slots=True)
class ReplyImage:
    png: bytes
    alt: str
    media_id: str | None = None  # set when stored for /media/...
    brand_id: int | None = None  # set when this is the flavor chart of that brand


@dataclass(slots=True)
class ReplyFile:
    """A file the reply carries (a menu exported as CSV); adapters upload it where the platform allows."""

    data: bytes
    filename: str
    media_type: str = "text/csv"


@dataclass(slots=True)
class Reply:
    text: str
    lang: str = "en"
    cards: list[Card] = field(default_factory=list)
    images: list[ReplyImage] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None
    files: list[ReplyFile] = field(default_factory=list)

    def extra_images(self) -> list[ReplyImage]:
        """Images other than the flavor charts of the cards, for renderers that draw card charts inline."""
        charted = {c.brand_id for c in self.cards if c.flavor is not None}
        return [i for i in self.images if i.brand_id is None or i.brand_id not in charted]

    def as_dict(self) -> dict[str, Any]:
        """The `ask --json` contract."""
        return {
            "text": self.text,
            "lang": self.lang,
            "cards": [c.as_dict() for c in self.cards],
            "tools": self.tools,
            "error": self.error,
        }

    def to_json(self) -> str:
        """Everything a platform needs to send this reply again, as JSON (pictures and files base64):
        the inbox keeps it from the end of the turn until the platform has accepted it."""
        data = asdict(self)
        data["images"] = [dict(i, png=base64.b64encode(i["png"]).decode()) for i in data["images"]]
        data["files"] = [dict(f, data=base64.b64encode(f["data"]).decode()) for f in data["files"]]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Reply":
        data = json.loads(text)
        return cls(
            text=data["text"], lang=data["lang"], tools=data["tools"], error=data["error"],
            cards=[Card(**c) for c in data["cards"]],
            images=[ReplyImage(**dict(i, png=base64.b64decode(i["png"]))) for i in data["images"]],
            actions=[Action(**a) for a in data["actions"]],
            files=[ReplyFile(**dict(f, data=base64.b64decode(f["data"]))) for f in data["files"]],
        )
