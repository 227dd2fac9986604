"""The staff cheat sheet: one card per menu item, for training new staff.

Each card: name, brewery and prefecture, grade, prices and stock, the sake's type and serving
temperature, its Sakenowa tags, the food families it suits best (from the pairing rules, as
its percentile in the catalog), and the line to say to a guest. The flavor chart picture is
drawn only for brands that have a chart (core/charts.py); the others say so.

Rendered as text (for chat) and as PNG pages (cards in a column, for printing or a channel).
"""

from __future__ import annotations

import io
from functools import lru_cache
from dataclasses import dataclass

from PIL import Image, ImageDraw

from core.catalog.prefectures import romaji_of
from core.charts import INK, MAIN, _font, flavor_chart_png, japanese_font_path
from core.flavor_space import FlavorSpace
from core.identity import Principal
from core.pairing import FoodFamily, Pairing
from core.restaurants.menu import Menu, MenuItem
from core.restaurants.roles import Role
from core.restaurants.serving import SakeType, pairing_table, pitch, sake_type, serving_temperature
from core.tasting_input import temperature_label
from core.texts import t

CARDS_PER_PAGE = 8  # a PNG page stays a few hundred KB and readable on a phone
CARD_W, CARD_H, CHART = 1000, 330, 300
PAPER = (252, 250, 245)
RULE = (215, 210, 200)


@dataclass(frozen=True, slots=True)
class SheetCard:
    item: MenuItem
    kind: SakeType | None
    temperature: str
    pairings: tuple[tuple[FoodFamily, float], ...]  # (family, percentile in the catalog 0..1), best first
    tags: tuple[str, ...]
    pitch: str
    has_chart: bool  # False: the brand has no Sakenowa flavor chart, so no picture is ever drawn

    def chart_png(self, lang: str = "en") -> bytes | None:
        """The flavor chart picture, drawn on first use (about 50 ms each) and kept."""
        b = self.item.brand
        return _chart(tuple(b.chart), lang, b.name) if b is not None and b.chart is not None else None

    def lines(self, lang: str = "en") -> list[str]:
        ja = lang == "ja"
        b = self.item.brand
        assert b is not None
        where = ", ".join(x for x in (b.brewery, b.prefecture if ja else (romaji_of(b.prefecture_id) or b.prefecture)) if x)
        head = f"#{self.item.id} {self.item.title()}" + (f" ({b.romaji.title()})" if not ja and b.romaji else "")
        out = [head, f"  {where}" if where else ""]
        money = ("、" if ja else ", ").join(x for x in (self.item.prices(lang), self.item.stock_text(lang)) if x)
        out.append(f"  {money}")
        temp = temperature_label(self.temperature, lang)
        if self.kind is not None:
            guess = ("(タグからの推定)" if ja else " (estimated from tags)") if b.chart is None else ""
            out.append(f"  タイプ: {self.kind.ja}{guess} ・ 温度: {temp}" if ja else f"  Type: {self.kind.en}{guess} · serve {temp}")
        else:
            out.append(f"  温度: {temp}(味のデータなし)" if ja else f"  Serve {temp} (no flavor data)")
        if self.tags:
            out.append(("  タグ: " + "・".join(self.tags)) if ja else ("  Tags: " + ", ".join(self.tags)))
        if self.pairings:
            foods = [
                f"{f.name(lang)}(上位{max(1, round((1 - p) * 100))}%)" if ja else f"{f.name(lang)} (top {max(1, round((1 - p) * 100))}%)"
                for f, p in self.pairings
            ]
            out.append(("  料理: " + "、".join(foods)) if ja else ("  Pairs with: " + "; ".join(foods)))
        out.append(
            ("  チャート: " + ("あり" if self.has_chart else "なし(さけのわにチャートがありません)"))
            if ja
            else ("  Chart: " + ("yes" if self.has_chart else "none (Sakenowa has no chart for it)"))
        )
        out.append(f"  ひとこと: {self.pitch}" if ja else f"  Say: {self.pitch}")
        return [line for line in out if line.strip()]

    def text(self, lang: str = "en") -> str:
        return "\n".join(self.lines(lang))


class CheatSheet:
    def __init__(self, menu: Menu, pairing: Pairing, space: FlavorSpace | None = None) -> None:
        self.menu = menu
        self.pairing = pairing
        self.space = space or FlavorSpace.of(menu.search.catalog)

    async def cards(self, principal: Principal, *, lang: str = "en", platform_admin: bool = False) -> list[SheetCard]:
        """A card per menu item (out of stock too: staff still get asked about it). Staff only."""
        restaurant = await self.menu.restaurants.require(
            principal, Role.STAFF, platform_admin=platform_admin, doing="doing.see_cheatsheet"
        )
        items = await self.menu._items(restaurant)
        table = pairing_table(self.pairing, self.space)
        out = []
        for item in items:
            b = item.brand
            if b is None:
                continue
            temp = serving_temperature(b, self.space)
            out.append(
                SheetCard(
                    item=item,
                    kind=sake_type(b, self.space),
                    temperature=temp,
                    pairings=tuple(table.best(b, 3)),
                    tags=tuple(b.tags[:6]),
                    pitch=pitch(b, self.space, lang, temperature=temp, grade=item.grade),
                    has_chart=b.chart is not None,
                )
            )
        return out

    @staticmethod
    def render_text(cards: list[SheetCard], lang: str = "en") -> str:
        if not cards:
            return t("cheatsheet.empty", lang)
        title = t("cheatsheet.title", lang, n=len(cards))
        return title + "\n\n" + "\n\n".join(c.text(lang) for c in cards)

    @staticmethod
    def render_png(cards: list[SheetCard], lang: str = "en") -> list[bytes]:
        """PNG pages of up to CARDS_PER_PAGE cards each: chart on the left, the card's lines on the right."""
        japanese = japanese_font_path() is not None
        if lang == "ja" and not japanese:
            lang = "en"  # no Japanese font here: the English card still carries the Japanese names as best it can
        pages = []
        for start in range(0, len(cards), CARDS_PER_PAGE):
            chunk = cards[start : start + CARDS_PER_PAGE]
            img = Image.new("RGB", (CARD_W, CARD_H * len(chunk)), PAPER)
            draw = ImageDraw.Draw(img)
            big = _font(30, japanese)
            small = _font(19, japanese)
            for k, card in enumerate(chunk):
                top = k * CARD_H
                if k:
                    draw.line([(20, top), (CARD_W - 20, top)], fill=RULE, width=2)
                png = card.chart_png(lang)
                if png:
                    chart = Image.open(io.BytesIO(png)).convert("RGB")
                    img.paste(chart.resize((CHART, CHART)), (10, top + 15))
                else:
                    draw.rectangle([30, top + 35, CHART - 10, top + CHART - 5], outline=RULE, width=2)
                    label = t("cheatsheet.no_chart", lang)
                    draw.text((CHART / 2 + 10, top + CHART / 2 + 15), label, fill=RULE, font=small, anchor="mm")
                lines = card.lines(lang)
                x, y = CHART + 30, top + 22
                draw.text((x, y), lines[0], fill=MAIN, font=big)
                y += 44
                for line in lines[1:]:
                    for part in _wrap(draw, line.strip(), small, CARD_W - x - 20):
                        if y > top + CARD_H - 26:
                            break
                        draw.text((x, y), part, fill=INK, font=small)
                        y += 27
            buf = io.BytesIO()
            img.save(buf, format="PNG", compress_level=6)
            pages.append(buf.getvalue())
        return pages


@lru_cache(maxsize=512)
def _chart(chart: tuple[float, ...], lang: str, title: str) -> bytes | None:
    """Catalog charts do not change while the process runs: each is drawn once."""
    return flavor_chart_png(chart, lang=lang, title=title, size=CHART)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> list[str]:  # type: ignore[no-untyped-def]
    """Lines that fit `width` pixels: by words for English, by characters where there are no spaces.

    Token widths are measured once each and summed (kerning across tokens is too small to matter here).
    """
    ascii_text = text.isascii()
    tokens = text.split(" ") if ascii_text else list(text)
    sep = draw.textlength(" ", font=font) if ascii_text else 0.0
    widths: dict[str, float] = {}
    out: list[str] = []
    line: list[str] = []
    used = 0.0
    for token in tokens:
        w = widths.get(token)
        if w is None:
            w = widths[token] = draw.textlength(token, font=font)
        extra = w + (sep if line else 0.0)
        if line and used + extra > width:
            out.append((" " if ascii_text else "").join(line))
            line, used = [token], w
        else:
            line.append(token)
            used += extra
    if line:
        out.append((" " if ascii_text else "").join(line))
    return out or [""]


__all__ = ["CheatSheet", "SheetCard"]
