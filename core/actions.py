"""What a user can ask for without typing: one small value type per action, and one compact string form.

Buttons, selects, postbacks, slash commands and rich-menu taps all reach the core as one of these
types; no adapter parses an action string and no command is turned back into English text for the
understanding to read again. `pack` gives the string a platform carries (a Slack action value, a
LINE postback's data, a Discord custom_id), `unpack` reads it back after any restart. The string is
the wire format of buttons already sent, so it keeps its historic shape (`log:887`, `rate:887:4`,
`survey:start`, `survey:<question>:<answer>`).

Every packed action fits the smallest platform limit, Discord's 100-character custom_id
(LINE allows 300 bytes of postback data); ids inside are limited so that it always does.
A string that does not unpack (tampered, cut, from an older or newer release) raises
`InvalidAction`; `read` turns it into `Unknown`, which the core answers with a clear sentence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, get_args

MAX_PACKED = 100  # Discord custom_id; LINE postback data (300 bytes) and Slack values (2000) are larger
MAX_ID = 40  # a survey question/answer id or a knowledge entry id
_ID = re.compile(r"[a-z0-9_\-]{1,40}")

CommandName = Literal["help", "history", "profile", "wishlist", "survey", "stats", "menu", "flight", "home"]
COMMANDS: tuple[str, ...] = get_args(CommandName)


class InvalidAction(ValueError):
    """An action string we never issued (or no longer understand)."""


@dataclass(frozen=True, slots=True)
class Log:
    """Log a tasting of this sake (no rating yet: the reply offers one)."""

    brand_id: int


@dataclass(frozen=True, slots=True)
class Rate:
    """Log (or re-rate the pending tasting of) this sake with a rating, 0.5 to 5 in halves."""

    brand_id: int
    stars: float


@dataclass(frozen=True, slots=True)
class Unlog:
    """Delete the user's tasting of this sake: the confirm button of a delete that named no sake."""

    brand_id: int


@dataclass(frozen=True, slots=True)
class Similar:
    brand_id: int


@dataclass(frozen=True, slots=True)
class Wish:
    brand_id: int


@dataclass(frozen=True, slots=True)
class Unwish:
    brand_id: int


@dataclass(frozen=True, slots=True)
class Pick:
    """Choose this candidate (a label photo's second guess, a restaurant item): show its card."""

    brand_id: int


@dataclass(frozen=True, slots=True)
class Note:
    """The tasting-note form for this sake; submitted, it carries the form's values."""

    brand_id: int
    rating: float | None = None
    notes: str | None = None
    temperature: str | None = None
    food: str | None = None

    def with_values(self, values: dict[str, object]) -> Note:
        """The submitted form: values as the platform gave them, cut to sane lengths, empty ones dropped."""

        def text(key: str, limit: int) -> str | None:
            value = values.get(key)
            return str(value)[:limit] if value not in (None, "") else None

        rating = text("rating", 8)
        stars: float | None = None
        if rating is not None:
            try:
                stars = _stars(rating)
            except InvalidAction:
                stars = None
        return Note(self.brand_id, stars, text("notes", 2000), text("temperature", 40), text("food", 200))


@dataclass(frozen=True, slots=True)
class SurveyStart:
    """Start (or retake) the taste survey from its first question."""


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    question_id: str
    answer_id: str


@dataclass(frozen=True, slots=True)
class Explain:
    """A knowledge-base entry (what is ginjo, 精米歩合, ...)."""

    entry_id: str


@dataclass(frozen=True, slots=True)
class MenuAdd:
    """Restaurant staff: put this sake on the menu."""

    brand_id: int


@dataclass(frozen=True, slots=True)
class MenuRemove:
    """Restaurant staff: take this menu item off the menu. The button on a menu card asks first
    (`confirmed` False); the reply's confirm button carries `confirmed` True.

    A menu item, not a brand: one brand can be on a menu in several bottlings."""

    item_id: int
    confirmed: bool = False


@dataclass(frozen=True, slots=True)
class Stock:
    """Restaurant staff: this menu item is in stock (True) or sold out (False)."""

    item_id: int
    in_stock: bool


@dataclass(frozen=True, slots=True)
class FlightJoin:
    """Join this flight (a group tasting in the channel, core.flights)."""

    flight: int


@dataclass(frozen=True, slots=True)
class FlightRate:
    """The tapper's own stars for one sake of this flight (never anyone else's)."""

    flight: int
    brand_id: int
    stars: float


@dataclass(frozen=True, slots=True)
class FlightNote:
    """A note on the tapper's own rating of this flight's sake (the record the rating put in their log):
    tapped, the next plain message is the note (core.agent.pending_note); submitted, `notes` in the values."""

    flight: int
    brand_id: int


@dataclass(frozen=True, slots=True)
class FlightEnd:
    """End this flight and show the results (its starter or restaurant staff)."""

    flight: int


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command, a rich-menu tap or a shortcut: help, history, profile, wishlist, survey, stats, menu, flight,
    and home (Slack's Home tab: the profile, history and wishlist in one reply, core.home)."""

    name: CommandName


@dataclass(frozen=True, slots=True)
class Usage:
    """A platform command the adapter could not turn into a request: help, an unknown (sub)command, or
    one missing what it needs (`/sake log` without a rating, or naming no sake it could find). `given`:
    what the user typed, for the command (`option` empty) or for one option of it (`option="sake"`).
    The core answers how to write it; never a button, so never packed."""

    command: str
    given: str = ""
    option: str = ""


EventKind = Literal["follow", "join", "sticker"]


@dataclass(frozen=True, slots=True)
class PlatformEvent:
    """Something a user did that is not a request (added the bot, added it to a group, sent a
    sticker): the core answers it like a turn, in what it knows of the user's language. Never packed."""

    kind: EventKind


@dataclass(frozen=True, slots=True)
class Unknown:
    """A string that did not unpack; `raw` is kept (cut) for the log, never acted on."""

    raw: str


UserAction = (Log | Unlog | Rate | Similar | Wish | Unwish | Pick | Note | SurveyStart | SurveyAnswer | Explain
              | MenuAdd | MenuRemove | Stock | FlightJoin | FlightRate | FlightNote | FlightEnd | Command | Usage | PlatformEvent
              | Unknown)

_BRAND_KINDS: dict[str, type] = {
    "log": Log, "unlog": Unlog, "similar": Similar, "wish": Wish, "unwish": Unwish, "pick": Pick, "note": Note,
    "menuadd": MenuAdd,
}
_KIND_OF: dict[type, str] = {cls: kind for kind, cls in _BRAND_KINDS.items()}


def pack(action: UserAction) -> str:
    """The compact string a platform carries for this action (at most MAX_PACKED characters)."""
    match action:
        case Rate(brand_id, stars):
            out = f"rate:{brand_id}:{_fmt_stars(stars)}"
        case SurveyStart():
            out = "survey:start"
        case SurveyAnswer(q, a):
            out = f"survey:{q}:{a}"
        case Explain(entry):
            out = f"explain:{entry}"
        case Stock(item_id, in_stock):
            out = f"stock:{item_id}:{1 if in_stock else 0}"
        case MenuRemove(item_id, confirmed):
            out = f"menurm:{item_id}" + (":yes" if confirmed else "")
        case FlightJoin(flight):
            out = f"fjoin:{_id_text(flight)}"
        case FlightRate(flight, brand_id, stars):
            out = f"frate:{_id_text(flight)}:{_id_text(brand_id)}:{_fmt_stars(stars)}"
        case FlightNote(flight, brand_id):
            out = f"fnote:{_id_text(flight)}:{_id_text(brand_id)}"
        case FlightEnd(flight):
            out = f"fend:{_id_text(flight)}"
        case Command(name):
            out = f"cmd:{name}"
        case Unknown() | Usage() | PlatformEvent():
            raise InvalidAction(f"{type(action).__name__} has no string form: it is never a button")
        case _:
            out = f"{_KIND_OF[type(action)]}:{action.brand_id}"  # type: ignore[union-attr]
    if len(out) > MAX_PACKED:
        raise InvalidAction("packed action too long")
    return out


def unpack(packed: str) -> UserAction:
    """The action behind a string we issued; InvalidAction for anything else (never another exception)."""
    if not isinstance(packed, str) or not packed or len(packed) > MAX_PACKED:
        raise InvalidAction("not an action string")
    kind, *rest = packed.split(":")
    if kind in _BRAND_KINDS and len(rest) == 1:
        return _BRAND_KINDS[kind](_brand(rest[0]))
    if kind == "rate" and len(rest) == 2:
        return Rate(_brand(rest[0]), _stars(rest[1]))
    if kind == "survey" and rest == ["start"]:
        return SurveyStart()
    if kind == "survey" and len(rest) == 2:
        return SurveyAnswer(_ident(rest[0]), _ident(rest[1]))
    if kind == "explain" and len(rest) == 1:
        return Explain(_ident(rest[0]))
    if kind == "stock" and len(rest) == 2 and rest[1] in ("0", "1"):
        return Stock(_brand(rest[0]), rest[1] == "1")
    if kind == "menurm" and (len(rest) == 1 or len(rest) == 2 and rest[1] == "yes"):
        return MenuRemove(_brand(rest[0]), len(rest) == 2)
    if kind == "fjoin" and len(rest) == 1:
        return FlightJoin(_brand(rest[0]))
    if kind == "frate" and len(rest) == 3:
        return FlightRate(_brand(rest[0]), _brand(rest[1]), _stars(rest[2]))
    if kind == "fnote" and len(rest) == 2:
        return FlightNote(_brand(rest[0]), _brand(rest[1]))
    if kind == "fend" and len(rest) == 1:
        return FlightEnd(_brand(rest[0]))
    if kind == "cmd" and len(rest) == 1 and rest[0] in COMMANDS:
        return Command(rest[0])  # type: ignore[arg-type]
    raise InvalidAction("unknown action")


def read(packed: object) -> UserAction:
    """`unpack`, with anything unreadable as `Unknown` (what adapters put on a Message)."""
    try:
        return unpack(packed)  # type: ignore[arg-type]
    except InvalidAction:
        return Unknown(str(packed)[:MAX_PACKED])


def brand_of(action: UserAction) -> int | None:
    """The sake an action is about, if any (renderers group a card's buttons by it)."""
    return getattr(action, "brand_id", None)


def _brand(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) <= 0:
        raise InvalidAction("bad brand id")
    return int(text)


def _id_text(value: int) -> str:
    """A flight or brand id as it is packed; refuse to issue one `_brand` would not read back."""
    text = str(value)
    _brand(text)
    return text


def _ident(text: str) -> str:
    if not _ID.fullmatch(text):
        raise InvalidAction("bad id")
    return text


def _stars(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidAction("bad rating") from None
    if not math.isfinite(value) or not 0.5 <= value <= 5 or value * 2 != int(value * 2):
        raise InvalidAction("rating out of range")
    return value


def _fmt_stars(stars: float) -> str:
    _stars(str(stars))  # refuse to issue what we would not read back
    return str(int(stars)) if stars == int(stars) else str(stars)
