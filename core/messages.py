"""Platform-neutral messages in and replies out: the only shapes adapters and the core share."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from core import actions
from core.actions import UserAction


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
    action: UserAction | None = None  # a button, postback, select, slash command or form submit (core.actions)
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
    """A sake shown to the user; `as_dict` is the card shape of `ask --json` (README, Web chat JSON API)."""

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
    actions: list[Button] = field(default_factory=list)  # this sake's buttons, in the order to show them
    rating: RatingControl | None = None  # stars for this sake, when the reply asks for a rating
    personal: bool = False  # `score` is how well it matches this user's own taste (a "% match" may be shown)
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


Style = Literal["primary", "danger"] | None


@dataclass(slots=True)
class Button:
    """A labelled typed action: what the platform shows as a button, a select option or a quick reply.

    `action` is typed (core.actions); `id` is its packed form, the string a platform carries and gives back."""

    action: UserAction
    label: str
    style: Style = None

    @property
    def id(self) -> str:
        a = self.action
        return a.raw if isinstance(a, actions.Unknown) else actions.pack(a)


@dataclass(slots=True)
class RatingControl:
    """Stars for one sake: always 1 to 5 in this order, nothing pre-selected; `label` is the prompt."""

    brand_id: int
    label: str
    options: list[Button] = field(default_factory=list)


@dataclass(slots=True)
class FormField:
    """One field of a form. `kind`: text (one line), longtext, choice (one of `options`, value -> label)."""

    name: str
    label: str
    kind: Literal["text", "longtext", "choice"] = "text"
    options: list[tuple[str, str]] = field(default_factory=list)
    optional: bool = True
    max_length: int = 200


@dataclass(slots=True)
class Form:
    """A form the platform shows (a modal, an inline form): its submit comes back as `submit` with the values."""

    title: str
    submit: Button
    fields: list[FormField] = field(default_factory=list)
    intro: str = ""
    # For surfaces that cannot show a text field (LINE): the words that ask for it as the user's next
    # message, which the core then takes as that field (core.agent.pending_note). Empty: no such field.
    next_message: str = ""


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
    actions: list[Button] = field(default_factory=list)  # reply-level: survey answers, label candidates, ...; a card's own are on the card
    tools: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None
    files: list[ReplyFile] = field(default_factory=list)
    form: Form | None = None  # a form to open (the tasting note) instead of, or beside, the text
    # A reply of several parts (Slack's Home tab: profile, history, wishlist), each a reply of its own under
    # `text`; `title` heads a reply shown as a page of its own. Surfaces without pages show them in order.
    title: str = ""
    sections: list[Reply] = field(default_factory=list)

    def buttons(self) -> list[Button]:
        """Every button the reply offers, in the core's order: each card's own (its actions, then its
        stars), then the reply-level ones. A renderer shows each exactly once; where a platform has
        less room, the first ones stay."""
        out: list[Button] = []
        for card in self.cards:
            out += card.actions
            out += card.rating.options if card.rating is not None else []
        return out + list(self.actions)

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
        return json.dumps(self._json_data(), ensure_ascii=False, separators=(",", ":"))

    def _json_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["sections"] = [s._json_data() for s in self.sections]
        data["images"] = [dict(i, png=base64.b64encode(i["png"]).decode()) for i in data["images"]]
        data["files"] = [dict(f, data=base64.b64encode(f["data"]).decode()) for f in data["files"]]
        data["actions"] = [_button_json(b) for b in self.actions]
        for card, out in zip(self.cards, data["cards"], strict=True):
            out["actions"] = [_button_json(b) for b in card.actions]
            if card.rating is not None:
                out["rating"] = dict(out["rating"], options=[_button_json(b) for b in card.rating.options])
        if self.form is not None:
            data["form"] = dict(data["form"], submit=_button_json(self.form.submit))
        return data

    @classmethod
    def from_json(cls, text: str) -> Reply:
        return cls._from_data(json.loads(text))

    @classmethod
    def _from_data(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data["text"], lang=data["lang"], tools=data["tools"], error=data["error"],
            cards=[_card_from_json(c) for c in data["cards"]],
            images=[ReplyImage(**dict(i, png=base64.b64decode(i["png"]))) for i in data["images"]],
            actions=[_button(a) for a in data["actions"]],
            files=[ReplyFile(**dict(f, data=base64.b64decode(f["data"]))) for f in data["files"]],
            form=_form_from_json(data.get("form")),
            title=data.get("title", ""), sections=[cls._from_data(s) for s in data.get("sections", [])],
        )


def _button_json(b: Button) -> dict[str, Any]:
    return {"action": b.id, "label": b.label, "style": b.style}


def _button(b: dict[str, Any]) -> Button:
    """A stored button; replies kept by an older release stored the packed action as `id`."""
    return Button(actions.read(b.get("action", b.get("id", ""))), b.get("label", ""), b.get("style"))


def _card_from_json(c: dict[str, Any]) -> Card:
    c = dict(c)
    c["actions"] = [_button(b) for b in c.get("actions", [])]
    rating = c.get("rating")
    if rating is not None:
        c["rating"] = RatingControl(rating["brand_id"], rating["label"], [_button(b) for b in rating["options"]])
    return Card(**c)


def _form_from_json(f: dict[str, Any] | None) -> Form | None:
    if f is None:
        return None
    fields = [FormField(**dict(x, options=[tuple(o) for o in x["options"]])) for x in f["fields"]]
    return Form(title=f["title"], submit=_button(f["submit"]), fields=fields, intro=f["intro"], next_message=f.get("next_message", ""))
