"""A core Reply as a Discord message: content, one embed per sake card, images and components.

Pure: builds discord.py objects and bytes, sends nothing. Flavor charts come drawn (PNG bytes by
brand id, see turns.py) and are attached as `chart-<brand id>.png`, which the card's embed shows
through `attachment://`; a card without a flavor chart gets none: it is never invented.
The components are the core's and nothing else (see components.py): each card's buttons and stars
in a row of their own (named by a greyed button with the sake's name when there are several
cards, since Discord shows all components under all embeds), then the reply's own buttons, then a
button opening the form. A message holds five rows: the rows past five go in a second message
(`render_messages`; a flight of five has five rows of stars, then Join/End), and past ten the core's
order decides what is left out.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import ui

from adapters.discord.components import ActionButton, ActionSelect, select_for
from core.catalog.model import FLAVOR_AXES
from core.messages import Button, Card, Reply
from core.texts import t

log = logging.getLogger(__name__)

CONTENT_MAX = 2000
EMBED_DESCRIPTION_MAX = 4096
MAX_EMBEDS = 10
MAX_FILES = 10
MAX_ROWS = 5
MAX_MESSAGES = 2  # one reply's components over at most this many messages (five rows each)
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
            "attachments": [{"filename": a.filename, "description": a.description, "png": a.data[:8] == b"\x89PNG\r\n\x1a\n"}
                            for a in self.attachments],
            "components": self.view.to_components() if self.view is not None else [],
        }


def render(reply: Reply, *, charts: Mapping[int, bytes] | None = None) -> Rendered:
    """The reply's first message (all of it unless its components need more than five rows)."""
    return render_messages(reply, charts=charts)[0]


def render_messages(reply: Reply, *, charts: Mapping[int, bytes] | None = None) -> list[Rendered]:
    """The reply as Discord messages, sent in this order: the first with the text, cards and images and
    the first five rows of components; each next one only the next five rows."""
    lang = reply.lang
    content = reply.text or ""
    if reply.error:
        content = f"{content}\n-# {reply.error['code']}"
    embeds: list[discord.Embed] = []
    attachments: list[Attachment] = []
    if len(content) > CONTENT_MAX:  # long answers go in an embed, which holds twice as much
        embeds.append(discord.Embed(description=_cut(content, EMBED_DESCRIPTION_MAX), color=COLOR))
        content = ""
    shown = min(len(reply.cards), MAX_EMBEDS - len(embeds))
    for card in reply.cards[:shown]:
        embed = card_embed(card, lang)
        png = (charts or {}).get(card.brand_id)
        if card.flavor is not None and png and len(attachments) < MAX_FILES:
            name = f"chart-{card.brand_id}.png"
            attachments.append(Attachment(name, png, t("card.chart_alt", lang, name=card.name)))
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
    rows = action_rows(reply, shown=shown)
    chunks = [rows[i : i + MAX_ROWS] for i in range(0, len(rows), MAX_ROWS)] or [[]]
    if len(chunks) > MAX_MESSAGES:
        left = sum(len(r) for c in chunks[MAX_MESSAGES:] for r in c)
        log.warning("discord shows %d messages of components; %d buttons left out", MAX_MESSAGES, left)
    first = Rendered(content=content, embeds=embeds, attachments=attachments, view=_view(chunks[0]))
    return [first, *(Rendered(content="", view=_view(c)) for c in chunks[1:MAX_MESSAGES])]


def chart_values(flavor: dict[str, float]) -> tuple[float, ...]:
    return tuple(float(flavor.get(axis, 0.0)) for axis, _, _ in FLAVOR_AXES)


def card_embed(card: Card, lang: str) -> discord.Embed:
    title = card.name if not card.name_romaji or lang == "ja" else f"{card.name} ({card.name_romaji})"
    embed = discord.Embed(title=title[:256], description=_cut(card.reason or "", EMBED_DESCRIPTION_MAX) or None, color=COLOR)
    where = " · ".join(x for x in (card.brewery, card.prefecture) if x)
    if where:
        embed.add_field(name=t("card.brewery", lang), value=where[:1024], inline=False)
    embed.add_field(name=t("card.flavor", lang), value=flavor_bars(card.flavor, lang), inline=False)
    if card.tags:
        embed.add_field(name=t("card.tags", lang), value="・".join(card.tags[:8])[:1024], inline=False)
    footer = []
    if card.score is not None:
        footer.append(t("card.match", lang, pct=round(card.score * 100)))
    if not card.certain:
        footer.append(t("card.guess", lang))
    footer.append(t("card.data", lang))
    embed.set_footer(text=" · ".join(footer))
    return embed


def flavor_bars(flavor: dict[str, float] | None, lang: str) -> str:
    if flavor is None:
        return t("card.no_chart", lang)
    lines = []
    for axis, ja, en in FLAVOR_AXES:
        value = max(0.0, min(1.0, float(flavor.get(axis, 0.0))))
        filled = round(value * 10)
        lines.append(f"`{'█' * filled}{'░' * (10 - filled)}` {ja if lang == 'ja' else en} {value:.2f}")
    return "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(buttons: list[Button]) -> list[ui.Item[Any]]:
    return [ActionButton(b.action, b.label, STYLES.get(b.style or "", discord.ButtonStyle.secondary)) for b in buttons]


def _star_selects(reply: Reply, cards: list[Card]) -> list[list[ui.Item[Any]]]:
    """Every card's stars as one select (placeholder: the sake's name and the core's prompt), then the reply's buttons."""
    rows: list[list[ui.Item[Any]]] = []
    for card in cards:
        if card.rating is None or not card.rating.options:
            continue
        found = select_for([(b.id, b.label) for b in card.rating.options])
        if found is None:
            stars = _row(card.rating.options)
            rows += [stars[i : i + BUTTONS_PER_ROW] for i in range(0, len(stars), BUTTONS_PER_ROW)]
            continue
        prefix, options = found
        rows.append([ActionSelect(prefix, options, f"{card.name} · {card.rating.label}")])
    extra = _row(reply.actions)
    return rows + [extra[i : i + BUTTONS_PER_ROW] for i in range(0, len(extra), BUTTONS_PER_ROW)]


def action_view(reply: Reply, *, shown: int | None = None) -> ui.View | None:
    """The first message's components (see `render_messages` for the rest)."""
    return _view(action_rows(reply, shown=shown)[:MAX_ROWS])


def action_rows(reply: Reply, *, shown: int | None = None) -> list[list[ui.Item[Any]]]:
    """The reply's components, rows of at most five in the core's order; `shown`: cards that have an embed."""
    cards = reply.cards[:shown] if shown is not None else reply.cards
    several = sum(1 for c in cards if c.actions or c.rating) > 1
    rows: list[list[ui.Item[Any]]] = []
    for card in cards:
        if several and (card.actions or card.rating):  # which sake a row is about: its name, greyed
            name = ui.Button(label=(card.name or str(card.brand_id))[:80], custom_id=f"name-{card.brand_id}", disabled=True)
            items: list[ui.Item[Any]] = [name, *_row(card.actions)]
        else:
            items = _row(card.actions)
        rows += [items[i : i + BUTTONS_PER_ROW] for i in range(0, len(items), BUTTONS_PER_ROW)]
        if card.rating is not None and card.rating.options:
            stars = _row(card.rating.options)
            rows += [stars[i : i + BUTTONS_PER_ROW] for i in range(0, len(stars), BUTTONS_PER_ROW)]
    extra = _row(reply.actions)
    if reply.form is not None:  # a modal opens only from a click: the form's own button opens it
        extra += _row([Button(reply.form.submit.action, reply.form.title, "primary")])
    rows += [extra[i : i + BUTTONS_PER_ROW] for i in range(0, len(extra), BUTTONS_PER_ROW)]
    if len(rows) > MAX_ROWS and all(not c.actions for c in cards):
        rows = _star_selects(reply, cards)  # a flight's sakes: a select of stars each, named, instead of two rows each
    return rows


def _view(rows: list[list[ui.Item[Any]]]) -> ui.View | None:
    """One message's rows (five at most) as a persistent view."""
    if not rows:
        return None
    view = ui.View(timeout=None)
    for n, row in enumerate(rows[:MAX_ROWS]):
        for item in row:
            item.row = n
            view.add_item(item)
    return view
