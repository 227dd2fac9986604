"""Discord components that carry the core's action ids, so they keep working after a restart.

A button's custom_id is `btn:<action id>` (`btn:log:887`), a select's is `sel:<action prefix>`
(`sel:rate:887`, the chosen value completing the action: `rate:887:4.5`), the tasting-note
modal's is `modal:note:<brand id>`. Nothing else is remembered between a message and the click:
the gateway bot rebuilds the item from its custom_id (`DynamicItem`), the HTTP interactions
route reads the same ids from the JSON, and both hand the action id to the core.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import discord
from discord import ui

from core.i18n import pick

BUTTON = "btn:"
SELECT = "sel:"
MODAL = "modal:"
CUSTOM_ID_MAX = 100  # Discord's limit

_ACTION = r"[a-z_]+:[^\s]{1,80}"

# Stars 0-5 in halves, as the rating select and the tasting note offer them.
STARS = tuple(f"{n / 2:g}" for n in range(10, -1, -1))  # "5", "4.5", ... "0"
TEMPERATURES = (("冷酒", "Chilled"), ("常温", "Room temperature"), ("ぬる燗", "Warm"), ("熱燗", "Hot"))


def button_id(action: str) -> str:
    return _fit(BUTTON + action)


def select_id(prefix: str) -> str:
    return _fit(SELECT + prefix)


def modal_id(action: str) -> str:
    return _fit(MODAL + action)


def _fit(custom_id: str) -> str:
    if len(custom_id) > CUSTOM_ID_MAX:
        raise ValueError(f"custom_id longer than {CUSTOM_ID_MAX} characters: {custom_id[:40]}...")
    return custom_id


def action_of(custom_id: str, values: list[str] | None = None) -> str | None:
    """The core action id a clicked component stands for; None for components that are not ours."""
    if custom_id.startswith(BUTTON) and re.fullmatch(_ACTION, custom_id[len(BUTTON):]):
        return custom_id[len(BUTTON):]
    if custom_id.startswith(SELECT) and values and re.fullmatch(_ACTION, custom_id[len(SELECT):]):
        return f"{custom_id[len(SELECT):]}:{values[0]}"
    if custom_id.startswith(MODAL) and re.fullmatch(_ACTION, custom_id[len(MODAL):]):
        return custom_id[len(MODAL):]
    return None


def star_label(stars: str, lang: str) -> str:
    value = float(stars)
    full, half = int(value), value - int(value) >= 0.5
    bar = "★" * full + ("½" if half else "") + "☆" * (5 - full - (1 if half else 0))
    return f"{bar} {stars}" if value else pick(lang, "0 — not for me", "0 — 好みではない")


class ActionHandler(Protocol):
    """What the client behind a component does with the action id (the gateway bot)."""

    async def on_sensei_action(self, interaction: discord.Interaction[Any], action: str) -> None: ...


async def _handle(interaction: discord.Interaction[Any], action: str) -> None:
    handler = interaction.client
    if not hasattr(handler, "on_sensei_action"):  # pragma: no cover - only our client registers these items
        raise TypeError("the client does not handle Sake Sensei actions")
    await handler.on_sensei_action(interaction, action)


class ActionButton(ui.DynamicItem[ui.Button[Any]], template=BUTTON + r"(?P<action>" + _ACTION + ")"):
    """A button whose custom_id is the action id; rebuilt from the id on every click."""

    def __init__(
        self, action: str, label: str = "", style: discord.ButtonStyle = discord.ButtonStyle.secondary, *, row: int | None = None
    ) -> None:
        super().__init__(ui.Button(label=label[:80] or action, style=style, custom_id=button_id(action)), row=row)
        self.action = action

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str], /) -> "ActionButton":
        button = item if isinstance(item, ui.Button) else None
        return cls(match["action"], (button.label if button else None) or "", button.style if button else discord.ButtonStyle.secondary)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _handle(interaction, self.action)


class ActionSelect(ui.DynamicItem[ui.Select[Any]], template=SELECT + r"(?P<prefix>" + _ACTION + ")"):
    """A select whose custom_id is an action prefix; the chosen option completes the action id."""

    def __init__(self, prefix: str, options: list[discord.SelectOption], placeholder: str | None = None, *, row: int | None = None) -> None:
        super().__init__(
            ui.Select(custom_id=select_id(prefix), options=options[:25], placeholder=placeholder, min_values=1, max_values=1), row=row
        )
        self.prefix = prefix

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str], /) -> "ActionSelect":
        select = item if isinstance(item, ui.Select) else None
        options = list(select.options) if select else [discord.SelectOption(label="-", value="-")]
        return cls(match["prefix"], options, select.placeholder if select else None)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        values = self.item.values
        if values:
            await _handle(interaction, f"{self.prefix}:{values[0]}")


def rating_options(lang: str) -> list[discord.SelectOption]:
    return [discord.SelectOption(label=star_label(s, lang), value=s) for s in STARS]


class TastingNoteModal(ui.Modal):
    """Rating, note, serving temperature and food; submitted as Message(action="note:<id>", action_values=...).

    The submission is read from the interaction's JSON (`events.modal_values`), not from this
    object, so a note opened before a restart is still saved after it.
    """

    def __init__(self, brand_id: int, lang: str, brand_name: str | None = None) -> None:
        title = pick(lang, "Tasting note", "テイスティングノート") + (f": {brand_name}" if brand_name else "")
        super().__init__(title=title[:45], custom_id=modal_id(f"note:{brand_id}"), timeout=15 * 60)
        self.add_item(ui.Label(text=pick(lang, "Rating", "評価"), component=ui.Select(custom_id="rating", options=rating_options(lang), required=True)))
        self.add_item(
            ui.Label(
                text=pick(lang, "Notes", "メモ"),
                component=ui.TextInput(custom_id="notes", style=discord.TextStyle.paragraph, required=False, max_length=1000),
            )
        )
        self.add_item(
            ui.Label(
                text=pick(lang, "Serving temperature", "温度"),
                component=ui.Select(
                    custom_id="temperature",
                    required=False,
                    options=[discord.SelectOption(label=ja if lang == "ja" else f"{en} ({ja})", value=ja) for ja, en in TEMPERATURES],
                ),
            )
        )
        self.add_item(
            ui.Label(text=pick(lang, "Food", "料理"), component=ui.TextInput(custom_id="food", style=discord.TextStyle.short, required=False, max_length=200))
        )
