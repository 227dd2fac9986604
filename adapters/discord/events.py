"""Discord events into core Messages: gateway messages, and interactions (gateway or HTTP) as JSON.

A guild is a workspace; direct messages share the workspace "dm". The event id the core
deduplicates on is the message id or the interaction id (both Discord snowflakes).

Interactions are read from their JSON in both transports (discord.py keeps the raw `data` of a
gateway interaction), so slash commands, buttons, selects and modals mean the same thing
whether they arrive over the gateway or over `POST /discord/interactions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord.components import action_of
from core import actions
from core.actions import UserAction
from core.catalog import CatalogSearch
from core.errors import Code, SenseiError
from core.messages import Image, Message, StateKey
from core.texts import t

PLATFORM = "discord"
DM_WORKSPACE = "dm"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".heic", ".heif", ".bmp", ".tif", ".tiff")
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024  # other attachments (a menu CSV): far smaller than photos
# Permission bits (Discord API) that make a member a platform admin: restaurant workspaces count them as staff.
ADMINISTRATOR, MANAGE_GUILD = 1 << 3, 1 << 5

# Interaction types (Discord API)
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5

COMMAND = "sake"
# Subcommands whose answers are the user's own data: ephemeral in a server.
PERSONAL_COMMANDS = frozenset({"log", "history", "profile", "wishlist", "survey"})
# Clicks whose answers are the user's own data: ephemeral in a server.
PERSONAL_ACTIONS = (actions.Log, actions.Rate, actions.Note, actions.Wish, actions.Unwish, actions.SurveyStart,
                    actions.SurveyAnswer)
# Subcommands that are core commands (typed, never turned back into words for the understanding).
COMMANDS: dict[str, actions.CommandName] = {"history": "history", "profile": "profile", "wishlist": "wishlist",
                                           "flight": "flight"}  # flight: answered in the channel, for the group


def state_key(guild_id: int | str | None, channel_id: int | str | None, user_id: int | str) -> StateKey:
    return StateKey(PLATFORM, str(guild_id) if guild_id else DM_WORKSPACE, str(channel_id or "dm"), str(user_id))


def lang_of(locale: str | None) -> str | None:
    """Discord locales ("ja", "en-US", "en-GB") as a language hint; None for the others."""
    if not locale or not isinstance(locale, str):  # a forged payload may carry anything
        return None
    if locale.startswith("ja"):
        return "ja"
    if locale.startswith("en"):
        return "en"
    return None


def is_image(filename: str | None, content_type: str | None) -> bool:
    if content_type:
        return content_type.split(";")[0].strip().lower().startswith("image/")
    return (filename or "").lower().endswith(IMAGE_SUFFIXES)


def strip_mention(content: str, bot_id: int) -> str:
    return re.sub(rf"<@!?{bot_id}>", " ", content or "").strip()


def is_admin_permissions(permissions: int | str | None) -> bool:
    """Administrator or Manage Server among a member's permission bits (interaction JSON sends a string)."""
    try:
        bits = int(permissions or 0)
    except (TypeError, ValueError):
        return False
    return bool(bits & (ADMINISTRATOR | MANAGE_GUILD))


def from_message(message: discord.Message, *, bot_id: int) -> Message:
    """A gateway message to the core: the bot's mention removed, attachments fetched on demand
    (images as photos, the rest, such as a menu CSV, as files)."""
    guild_id = message.guild.id if message.guild else getattr(message.channel, "guild_id", None)
    images = [
        Image(fetch=_reader(a), filename=a.filename, media_type=a.content_type)
        for a in message.attachments
        if is_image(a.filename, a.content_type)
    ]
    files = [
        Image(fetch=_reader(a, cut=MAX_FILE_BYTES), filename=a.filename, media_type=a.content_type)
        for a in message.attachments
        if not is_image(a.filename, a.content_type)
    ]
    perms = getattr(message.author, "guild_permissions", None)  # a Member in a cached guild; a User elsewhere
    admin = bool(guild_id and perms is not None and (perms.administrator or perms.manage_guild))
    return Message(
        key=state_key(guild_id, message.channel.id, message.author.id),
        text=strip_mention(message.content, bot_id),
        images=images,
        files=files,
        platform_admin=admin,
        display_name=message.author.display_name,
        event_id=str(message.id),
    )


def _reader(attachment: discord.Attachment, cap: int = MAX_IMAGE_BYTES, cut: int | None = None) -> Any:
    """Reads the attachment (refusing one over `cap`); with `cut`, passes on at most cut + 1 bytes, so a
    menu CSV that is too big reaches the import cut and the answer says it is too big."""
    async def read() -> bytes:
        if attachment.size > cap:
            raise SenseiError(Code.IMAGE_UNREADABLE, f"({attachment.size // 1_000_000} MB; the limit is {cap // 1_000_000} MB)")
        data = await attachment.read()
        return data[: cut + 1] if cut is not None else data

    return read


# -- interactions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Origin:
    """Who sent an interaction, from where; the same for gateway and HTTP interactions."""

    interaction_id: str
    guild_id: str | None
    channel_id: str | None
    user_id: str
    display_name: str | None
    locale: str | None
    platform_admin: bool = False  # member.permissions has Administrator or Manage Server (servers only)

    @property
    def lang(self) -> str:
        return lang_of(self.locale) or "en"

    @property
    def key(self) -> StateKey:
        return state_key(self.guild_id, self.channel_id, self.user_id)


def origin_of(payload: dict[str, Any]) -> Origin:
    """From interaction JSON: `member.user` in a server, `user` in a DM."""
    user = (payload.get("member") or {}).get("user") or payload.get("user") or {}
    channel_id = payload.get("channel_id") or (payload.get("channel") or {}).get("id")
    return Origin(
        interaction_id=str(payload.get("id", "")),
        guild_id=str(payload["guild_id"]) if payload.get("guild_id") else None,
        channel_id=str(channel_id) if channel_id else None,
        user_id=str(user.get("id", "unknown")),
        display_name=(payload.get("member") or {}).get("nick") or user.get("global_name") or user.get("username"),
        locale=payload.get("locale") or payload.get("guild_locale"),
        platform_admin=bool(payload.get("guild_id")) and is_admin_permissions((payload.get("member") or {}).get("permissions")),
    )


@dataclass(slots=True)
class Outcome:
    """What to do with an interaction: run a turn, open the tasting note, offer choices, or nothing.

    A command written wrong (unknown, or `/sake log` naming a sake the catalog lacks) is a turn too:
    a typed `Usage` the core answers, only to the user who asked."""

    message: Message | None = None
    ephemeral: bool = False
    note_for: int | None = None  # brand id: answer with the tasting-note modal
    choices: list[tuple[str, str]] = field(default_factory=list)  # autocomplete (name, value)
    ignore: bool = False  # not ours: acknowledge and do nothing


def interpret(itype: int, data: dict[str, Any], origin: Origin, search: CatalogSearch) -> Outcome:
    """Any interaction (by type and its `data`) into what the adapter should do."""
    if itype == APPLICATION_COMMAND:
        return _command(data, origin, search)
    if itype == AUTOCOMPLETE:
        if data.get("name") != COMMAND:
            return Outcome(choices=[])
        return Outcome(choices=sake_choices(search, _focused_value(data.get("options") or []), origin.lang))
    if itype == MESSAGE_COMPONENT:
        return for_action(action_of(str(data.get("custom_id", "")), [str(v) for v in data.get("values") or []]), origin)
    if itype == MODAL_SUBMIT:
        action = action_of(str(data.get("custom_id", "")))
        if not isinstance(action, actions.Note):
            return Outcome(ignore=True)
        return Outcome(
            message=_message(origin, action=action, action_values=modal_values(data.get("components") or [])),
            ephemeral=_private(origin, True),
        )
    return Outcome(ignore=True)


def for_action(action: UserAction, origin: Origin) -> Outcome:
    """A clicked button: "Log with notes" opens the core's tasting-note form as a modal (a modal can
    only answer a click); everything else, an action we never issued too, is a turn of the core."""
    if isinstance(action, actions.Note):
        return Outcome(note_for=action.brand_id)
    return Outcome(message=_message(origin, action=action), ephemeral=_private(origin, isinstance(action, PERSONAL_ACTIONS)))


def _private(origin: Origin, personal: bool) -> bool:
    return personal and origin.guild_id is not None


def _message(origin: Origin, *, text: str = "", action: UserAction | None = None, action_values: dict[str, Any] | None = None) -> Message:
    return Message(
        key=origin.key,
        text=text,
        action=action,
        action_values=action_values or {},
        lang=lang_of(origin.locale),
        display_name=origin.display_name,
        event_id=origin.interaction_id or None,
        platform_admin=origin.platform_admin,
    )


def _options(options: list[dict[str, Any]]) -> tuple[str | None, dict[str, Any]]:
    """(subcommand, {option: value}) from a chat-input command's options."""
    for opt in options:
        if opt.get("type") == 1:  # SUB_COMMAND
            return str(opt.get("name")), {o["name"]: o.get("value") for o in opt.get("options") or [] if "name" in o}
    return None, {o["name"]: o.get("value") for o in options if "name" in o}


def _focused_value(options: list[dict[str, Any]]) -> str:
    for opt in options:
        if opt.get("focused"):
            return str(opt.get("value") or "")
        if opt.get("options"):
            found = _focused_value(opt["options"])
            if found:
                return found
    return ""


def _usage(origin: Origin, usage: actions.Usage) -> Outcome:
    return Outcome(message=_message(origin, action=usage), ephemeral=True)


def _command(data: dict[str, Any], origin: Origin, search: CatalogSearch) -> Outcome:
    lang = origin.lang
    if data.get("name") != COMMAND or data.get("type", 1) != 1:
        return _usage(origin, actions.Usage(str(data.get("name") or "?")[:40]))
    sub, opts = _options(data.get("options") or [])
    private = _private(origin, sub in PERSONAL_COMMANDS)
    if sub == "survey":
        return Outcome(message=_message(origin, action=actions.SurveyStart()), ephemeral=private)
    if sub == "log":
        brand_id = resolve_brand(search, str(opts.get("sake") or ""))
        if brand_id is None:  # the core says it does not know that sake, and which ones come closest
            return _usage(origin, actions.Usage("log", str(opts.get("sake") or ""), option="sake"))
        rating = opts.get("rating")
        if rating is None:
            return Outcome(note_for=brand_id)
        values = {"rating": str(rating)}
        if opts.get("note"):
            values["notes"] = str(opts["note"])
        return Outcome(message=_message(origin, action=actions.Note(brand_id), action_values=values), ephemeral=private)
    if sub in COMMANDS:  # options ride along as values: /sake flight size:4 theme:niigata
        return Outcome(message=_message(origin, action=actions.Command(COMMANDS[sub]), action_values=opts), ephemeral=private)
    if sub == "rec":
        request = str(opts.get("request") or "").strip()
        text = request or t("request.recommend", lang)  # no command for it: the request in the user's words
        if request and (lang == "ja" or not re.search(r"\b(recommend|suggest)\b", request, re.IGNORECASE)):
            text = t("request.recommend_for", lang, request=request)
        return Outcome(message=_message(origin, text=text), ephemeral=private)
    return _usage(origin, actions.Usage(str(sub or "?")[:40]))


def resolve_brand(search: CatalogSearch, value: str) -> int | None:
    """A brand id from an autocomplete value (the id) or a typed name."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and search.catalog.get(int(value)) is not None:
        return int(value)
    best = search.search(value, limit=1)
    return best[0].brand.id if best else None


def sake_choices(search: CatalogSearch, query: str, lang: str, limit: int = 25) -> list[tuple[str, str]]:
    """Autocomplete: (label, brand id) for what the user has typed so far."""
    query = query.strip()
    if not query:
        return []
    out = []
    for m in search.search(query, limit=limit, min_score=0.5):
        b = m.brand
        label = b.label() if lang == "ja" else f"{b.label()} — {b.romaji}" if b.romaji else b.label()
        out.append((label[:100], str(b.id)))
    return out


def modal_values(components: list[dict[str, Any]]) -> dict[str, str]:
    """{custom_id: value} from a modal submission: text inputs and selects, in rows or in labels."""
    out: dict[str, str] = {}
    for comp in components:
        inner = [comp["component"]] if isinstance(comp.get("component"), dict) else comp.get("components") or []
        for c in inner or [comp]:
            cid = c.get("custom_id")
            if not cid:
                continue
            value = c.get("value")
            if value is None and c.get("values"):
                value = c["values"][0]
            if value not in (None, ""):
                out[str(cid)] = str(value)
    return out
