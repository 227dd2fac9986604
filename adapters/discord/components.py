"""Discord components that carry the core's typed actions, so they keep working after a restart.

A button's custom_id is the packed action (`core.actions.pack`: `log:887`, `rate:887:4`), the
tasting-note modal's is its submit action (`note:887`). Nothing else is remembered between a
message and the click: the gateway bot rebuilds the button from its custom_id (`DynamicItem`),
the HTTP interactions route reads the same ids from the JSON, and both hand the typed action
(`actions.read`) to the core. Buttons and selects sent by the previous release (`btn:log:887`,
`sel:rate:887` with the chosen value, `modal:note:887`) are still read.

The modal is drawn from the core's Form (core.controls.note_form): its fields, words and choices.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import discord
from discord import ui

from core import actions
from core.actions import UserAction
from core.controls import note_form
from core.messages import Form

CUSTOM_ID_MAX = 100  # Discord's limit; every packed action fits (actions.MAX_PACKED)
LEGACY_BUTTON, LEGACY_SELECT, LEGACY_MODAL = "btn:", "sel:", "modal:"  # the previous release's custom_ids
_PACKED = r"[a-z]+:[^\s]{1,95}"


def action_of(custom_id: str, values: list[str] | None = None) -> UserAction:
    """The typed action a clicked component or a submitted modal stands for; `Unknown` for anything
    we did not issue (the core answers it with a clear sentence)."""
    if custom_id.startswith(LEGACY_SELECT) and values:
        return actions.read(f"{custom_id[len(LEGACY_SELECT):]}:{values[0]}")
    return actions.read(custom_id.removeprefix(LEGACY_BUTTON).removeprefix(LEGACY_MODAL))


class ActionHandler(Protocol):
    """What the client behind a component does with the action (the gateway bot)."""

    async def on_sensei_action(self, interaction: discord.Interaction[Any], action: UserAction) -> None: ...


class ActionButton(ui.DynamicItem[ui.Button[Any]], template=r"(?:btn:)?(?P<action>" + _PACKED + ")"):
    """A button whose custom_id is the packed action; rebuilt from the id on every click."""

    def __init__(self, action: UserAction | str, label: str = "",
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary, *, row: int | None = None,
                 disabled: bool = False) -> None:
        packed = action if isinstance(action, str) else actions.pack(action)
        super().__init__(ui.Button(label=label[:80] or packed, style=style, custom_id=packed[:CUSTOM_ID_MAX],
                                   disabled=disabled), row=row)
        self.action = actions.read(packed) if isinstance(action, str) else action

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str], /) -> ActionButton:
        button = item if isinstance(item, ui.Button) else None
        return cls(match["action"], (button.label if button else None) or "", button.style if button else discord.ButtonStyle.secondary)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = interaction.client
        if not hasattr(handler, "on_sensei_action"):  # pragma: no cover - only our client registers these items
            raise TypeError("the client does not handle Sake Sensei actions")
        await handler.on_sensei_action(interaction, self.action)


class ActionSelect(ui.DynamicItem[ui.Select[Any]], template=r"sel:(?P<prefix>" + _PACKED + ")"):
    """Stars as one select where a message has no room for a row of star buttons per sake (a flight):
    its custom_id is `sel:` and the packed action without its last field, each option's value that
    field (`sel:frate:7:887` + `4` = `frate:7:887:4`); rebuilt from the id on every choice."""

    def __init__(self, prefix: str, options: list[tuple[str, str]] | None = None, placeholder: str = "", *, row: int | None = None) -> None:
        super().__init__(ui.Select(custom_id=f"{LEGACY_SELECT}{prefix}"[:CUSTOM_ID_MAX], placeholder=placeholder[:150] or None,
                                   options=[discord.SelectOption(label=label[:100], value=value[:100])
                                            for value, label in (options or [])[:25]]
                                   or [discord.SelectOption(label="-", value="-")]), row=row)
        self.prefix = prefix

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: ui.Item[Any], match: re.Match[str], /) -> ActionSelect:
        return cls(match["prefix"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = interaction.client
        if not hasattr(handler, "on_sensei_action"):  # pragma: no cover - only our client registers these items
            raise TypeError("the client does not handle Sake Sensei actions")
        values = [str(v) for v in (interaction.data or {}).get("values") or []]  # type: ignore[union-attr]
        await handler.on_sensei_action(interaction, action_of(f"{LEGACY_SELECT}{self.prefix}", values))


def select_for(buttons: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]] | None:
    """(prefix, [(value, label)]) when these (packed id, label) pairs differ only in their last field; else None."""
    heads = {packed.rpartition(":")[0] for packed, _ in buttons}
    if len(heads) != 1 or not buttons or "" in heads:
        return None
    return heads.pop(), [(packed.rpartition(":")[2], label) for packed, label in buttons]


def form_modal(form: Form) -> ui.Modal:
    """A core Form as a Discord modal: choices as selects, text as text inputs, all in labels.

    The submission is read from the interaction's JSON (`events.modal_values`), not from this
    object, so a form opened before a restart is still saved after it."""
    title = f"{form.title}: {form.intro}" if form.intro else form.title
    modal = ui.Modal(title=title[:45], custom_id=form.submit.id, timeout=15 * 60)
    for f in form.fields:
        component: ui.Item[Any]
        if f.kind == "choice":
            component = ui.Select(custom_id=f.name, required=not f.optional,
                                  options=[discord.SelectOption(label=label[:100], value=value[:100]) for value, label in f.options[:25]])
        else:
            style = discord.TextStyle.paragraph if f.kind == "longtext" else discord.TextStyle.short
            component = ui.TextInput(custom_id=f.name, style=style, required=not f.optional, max_length=min(f.max_length, 4000))
        modal.add_item(ui.Label(text=f.label[:45], component=component))
    return modal


def TastingNoteModal(brand_id: int, lang: str, brand_name: str | None = None) -> ui.Modal:
    """The core's tasting-note form for this sake, as a modal."""
    return form_modal(note_form(brand_id, brand_name or str(brand_id), lang))
