"""A core Reply as a Discord message: content, one embed per sake card, images and components.

Pure: builds discord.py objects and bytes, sends nothing. Flavor charts come drawn (PNG bytes by
brand id, see turns.py) and are attached as `chart-<brand id>.png`, which the card's embed shows
through `attachment://`; a card without a flavor chart gets none: it is never invented.
Buttons and selects carry the core's action ids (see components.py).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any, Mapping

import discord
from discord import ui

from adapters.discord.components import ActionButton, ActionSelect, rating_options
from core.catalog.model import FLAVOR_AXES
from core.i18n import pick
from core.messages import Action, Card, Reply

log = logging.getLogger(__name__)

CONTENT_MAX = 2000
EMBED_DESCRIPTION_MAX = 4096
MAX_EMBEDS = 10
MAX_FILES = 10
MAX_ROWS = 5
BUTTONS_PER_ROW = 5
COLOR = 0xB8860B  # the gold of a sake cup's rim

STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger, "success": discord.ButtonStyle.success}


@dataclass(slots=True)
class Attachment:
    filename: str
    data: bytes
    description: str | None = None


@dataclass(slots=True)
class Rendered:
    content: str
    embeds: list[discord.Embed] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    view: ui.View | None = None

    def files(self) -> list[discord.File]:
        """Fresh File objects for one send (a File's stream is consumed by sending it)."""
        return [discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description) for a in self.attachments]

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"content": self.content or None, "embeds": self.embeds, "files": self.files()}
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def snapshot(self) -> dict[str, Any]:
        """A JSON-able picture of what would be sent, for snapshot tests."""
        return {
            "content": self.content,
            "embeds": [e.to_dict() for e in self.embeds],
            "attachments": [{"filename": a.filename, "description": a.description, "png": a.data[:8] == b"\x89PNG\r\n\x1a\n"} for a in self.attachments],
            "components": self.view.to_components() if self.view is not None else [],
        }


def render(reply: Reply, *, charts: Mapping[int, bytes] | None = None) -> Rendered:
    lang = reply.lang
    content = reply.text or ""
    if reply.error:
        content = f"{content}\n-# {reply.error['code']}"
    embeds: list[discord.Embed] = []
    attachments: list[Attachment] = []
    if len(content) > CONTENT_MAX:  # long answers go in an embed, which holds twice as much
        embeds.append(discord.Embed(description=_cut(content, EMBED_DESCRIPTION_MAX), color=COLOR))
        content = ""
    for card in reply.cards[: MAX_EMBEDS - len(embeds)]:
        embed = card_embed(card, lang)
        png = (charts or {}).get(card.brand_id)
        if card.flavor is not None and png and len(attachments) < MAX_FILES:
            name = f"chart-{card.brand_id}.png"
            attachments.append(Attachment(name, png, pick(lang, f"Flavor chart of {card.name}", f"{card.name}のフレーバーチャート")))
            embed.set_image(url=f"attachment://{name}")
        embeds.append(embed)
    if len(reply.cards) > len(embeds):
        log.warning("discord shows %d of %d cards", len(embeds), len(reply.cards))
    images = reply.extra_images()  # card charts are already attached to their embeds
    for i, image in enumerate(images):
        if len(attachments) >= MAX_FILES:
            log.warning("discord shows %d files; %d images left out", MAX_FILES, len(images) - i)
            break
        attachments.append(Attachment(f"image-{i + 1}.png", image.png, image.alt[:1000] or None))
    for i, file in enumerate(reply.files):  # a menu CSV export
        if len(attachments) >= MAX_FILES:
            log.warning("discord shows %d files; %d files left out", MAX_FILES, len(reply.files) - i)
            break
        attachments.append(Attachment(file.filename, file.data, None))
    return Rendered(content=content, embeds=embeds, attachments=attachments, view=action_view(reply.actions, reply.cards, lang))


def chart_values(flavor: dict[str, float]) -> tuple[float, ...]:
    return tuple(float(flavor.get(axis, 0.0)) for axis, _, _ in FLAVOR_AXES)


def card_embed(card: Card, lang: str) -> discord.Embed:
    title = card.name if not card.name_romaji or lang == "ja" else f"{card.name} ({card.name_romaji})"
    embed = discord.Embed(title=title[:256], description=_cut(card.reason or "", EMBED_DESCRIPTION_MAX) or None, color=COLOR)
    where = " · ".join(x for x in (card.brewery, card.prefecture) if x)
    if where:
        embed.add_field(name=pick(lang, "Brewery", "蔵元"), value=where[:1024], inline=False)
    embed.add_field(name=pick(lang, "Flavor", "味わい"), value=flavor_bars(card.flavor, lang), inline=False)
    if card.tags:
        embed.add_field(name=pick(lang, "Tags", "タグ"), value="・".join(card.tags[:8])[:1024], inline=False)
    footer = []
    if card.score is not None:
        footer.append(pick(lang, f"Match {card.score:.0%}", f"マッチ度 {card.score:.0%}"))
    if not card.certain:
        footer.append(pick(lang, "no flavor chart: a guess from its tags", "フレーバーチャートなし: タグからの推測"))
    footer.append(pick(lang, "Data: Sakenowa", "さけのわデータを利用しています"))
    embed.set_footer(text=" · ".join(footer))
    return embed


def flavor_bars(flavor: dict[str, float] | None, lang: str) -> str:
    if flavor is None:
        return pick(lang, "No flavor chart yet.", "フレーバーチャートはありません。")
    lines = []
    for axis, ja, en in FLAVOR_AXES:
        value = max(0.0, min(1.0, float(flavor.get(axis, 0.0))))
        filled = round(value * 10)
        lines.append(f"`{'█' * filled}{'░' * (10 - filled)}` {ja if lang == 'ja' else en} {value:.2f}")
    return "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _brand_of(action_id: str) -> int | None:
    parts = action_id.split(":")
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None


def action_view(actions: list[Action], cards: list[Card], lang: str) -> ui.View | None:
    """Buttons in rows of five, a select for a rating (`rate:<id>:<stars>`) or a long list of survey answers.

    With several cards, a button for one of them says which (`Log it · 獺祭`).
    """
    if not actions:
        return None
    names = {c.brand_id: c.name for c in cards}
    several = len({b for a in actions if (b := _brand_of(a.id)) is not None}) > 1
    selects: dict[str, list[Action]] = {}
    buttons: list[Action] = []
    for a in actions:
        parts = a.id.split(":")
        if parts[0] == "rate" and len(parts) == 3:
            selects.setdefault(f"rate:{parts[1]}", []).append(a)
        elif parts[0] == "survey" and len(parts) == 3:
            selects.setdefault(f"survey:{parts[1]}", []).append(a)
        else:
            buttons.append(a)
    # A survey question with five answers or fewer reads better as buttons.
    for prefix in [p for p, items in selects.items() if p.startswith("survey:") and len(items) <= BUTTONS_PER_ROW]:
        buttons.extend(selects.pop(prefix))
    view = ui.View(timeout=None)
    rows = 0
    for prefix, items in selects.items():
        if rows >= MAX_ROWS:
            break
        brand = _brand_of(prefix + ":x")
        if prefix.startswith("rate:"):
            offered = {a.id.rsplit(":", 1)[1] for a in items}
            options = [o for o in rating_options(lang) if o.value in offered] or rating_options(lang)
            placeholder = pick(lang, "Rate it", "評価する") + (f" · {names[brand]}" if several and brand in names else "")
        else:
            options = [discord.SelectOption(label=a.label[:100], value=a.id.rsplit(":", 1)[1][:100]) for a in items]
            placeholder = pick(lang, "Choose", "選んでください")
        view.add_item(ActionSelect(prefix, options[:25], placeholder[:150], row=rows))
        rows += 1
    groups: dict[int | None, list[Action]] = {}
    for a in buttons:  # one sake's buttons share a row
        groups.setdefault(_brand_of(a.id), []).append(a)
    left = len(buttons)
    for brand, items in groups.items():
        for i in range(0, len(items), BUTTONS_PER_ROW):
            if rows >= MAX_ROWS:
                log.warning("discord shows %d rows of components; %d buttons left out", MAX_ROWS, left)
                return view
            for a in items[i : i + BUTTONS_PER_ROW]:
                label = a.label
                if several and brand in names and names[brand] not in label:
                    label = f"{label} · {names[brand]}"
                view.add_item(ActionButton(a.id, label, STYLES.get(a.style or "", discord.ButtonStyle.secondary), row=rows))
                left -= 1
            rows += 1
    return view
