"""The reveal: what a flight's ratings say (favourite, the sake that split the group, each
member's best match), a picture of them and a short summary in the group's language.

All of it is computed from the stored `Flight` alone, so the reveal after a restart, after the
day-long timeout or after the starter ends it early reads the same. Members who rated nothing
are named, not counted; a sake nobody rated has no average.
"""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass

from PIL import Image, ImageDraw

from core.catalog.model import Catalog
from core.charts import INK, MAIN, _font, japanese_font_path
from core.flights.state import Flight, Member
from core.texts import t

MAX_NAME_CHARS = 12  # a member's name in the picture's column head


@dataclass(frozen=True, slots=True)
class Results:
    flight: Flight
    averages: dict[int, float]  # brand_id -> mean stars, rated sakes only
    favourite: int | None  # the highest average (ties: the earlier in tasting order)
    split: int | None  # the widest spread of stars (two ratings at least, and some disagreement)
    best: dict[int, int]  # member user_id -> their highest-rated sake
    silent: tuple[Member, ...]  # members who rated nothing

    @property
    def any_rated(self) -> bool:
        return bool(self.averages)


def results(flight: Flight) -> Results:
    rated = {(u, b): v for (u, b), v in flight.ratings.items() if flight.member(u) is not None}
    by_sake: dict[int, list[float]] = {s.brand_id: [] for s in flight.sakes}
    for (_, b), v in rated.items():
        if b in by_sake:
            by_sake[b].append(v)
    averages = {b: statistics.fmean(v) for b, v in by_sake.items() if v}
    order = [s.brand_id for s in flight.sakes]
    favourite = max(averages, key=lambda b: (averages[b], -order.index(b))) if averages else None
    spreads = {b: max(v) - min(v) for b, v in by_sake.items() if len(v) >= 2 and max(v) > min(v)}
    split = max(spreads, key=lambda b: (spreads[b], statistics.pstdev(by_sake[b]), -order.index(b))) if spreads else None
    best: dict[int, int] = {}
    for m in flight.members:
        mine = [(v, -order.index(b), b) for (u, b), v in rated.items() if u == m.user_id and b in by_sake]
        if mine:
            best[m.user_id] = max(mine)[2]
    silent = tuple(m for m in flight.members if m.user_id not in best)
    return Results(flight, averages, favourite, split, best, silent)


def _stars(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def summary(res: Results, catalog: Catalog, lang: str) -> str:
    """A few lines in the group's language: favourite, the split, each member's best match."""
    def name(brand_id: int) -> str:
        brand = catalog.get(brand_id)
        return brand.name if brand is not None else f"#{brand_id}"

    lines = [t("flight.reveal.title", lang)]
    if res.flight.closed_how == "timeout":
        lines.append(t("flight.timeout", lang))
    if not res.any_rated:
        lines.append(t("flight.reveal.nobody", lang))
        return "\n".join(lines)
    if res.favourite is not None:
        lines.append(t("flight.reveal.favourite", lang, sake=name(res.favourite), avg=f"{res.averages[res.favourite]:.1f}"))
    if res.split is not None:
        values = [v for (u, b), v in res.flight.ratings.items() if b == res.split and res.flight.member(u) is not None]
        lines.append(t("flight.reveal.split", lang, sake=name(res.split), low=_stars(min(values)), high=_stars(max(values))))
    for m in res.flight.members:
        if m.user_id in res.best:
            lines.append(t("flight.reveal.best", lang, name=m.name, sake=name(res.best[m.user_id])))
    if res.silent:
        lines.append(t("flight.reveal.missing", lang, names=", ".join(m.name for m in res.silent)))
    lines.append(t("flight.reveal.learned", lang))
    return "\n".join(lines)


_PAPER = (252, 250, 245)
_LINE = (215, 210, 200)
_GOLD = (201, 151, 0)
_BLUE = (46, 104, 160)


def picture(res: Results, catalog: Catalog, lang: str) -> bytes:
    """The results as a table: a row per sake in tasting order, a column per member, the stars in
    each cell shaded by how high they are, the group's average last. The favourite's row is
    framed in gold, the sake that split the group is marked ↕, each member's best match is framed
    in blue. Drawn once, at its final size (no supersampling): it must stay well under 300 ms."""
    flight = res.flight
    japanese = japanese_font_path() is not None
    members = list(flight.members)
    name_w, cell_w, row_h, head_h, pad = 230, 84, 46, 64, 16
    width = max(620, pad * 2 + name_w + cell_w * (len(members) + 1))
    height = pad * 2 + head_h + row_h * len(flight.sakes) + 34
    img = Image.new("RGB", (width, height), _PAPER)
    draw = ImageDraw.Draw(img)
    font = _font(18, japanese)
    small = _font(14, japanese)
    title = _font(20, japanese)
    draw.text((pad, pad), t("flight.reveal.title", lang), fill=INK, font=title, anchor="la")
    y0 = pad + head_h
    x0 = pad + name_w
    for i, m in enumerate(members):
        label = m.name if japanese or m.name.isascii() else m.external_id
        draw.text((x0 + cell_w * i + cell_w / 2, y0 - 10), label[:MAX_NAME_CHARS], fill=INK, font=small, anchor="ms")
    draw.text((x0 + cell_w * len(members) + cell_w / 2, y0 - 10), t("flight.reveal.average", lang), fill=INK, font=small, anchor="ms")
    for r, sake in enumerate(flight.sakes):
        y = y0 + row_h * r
        brand = catalog.get(sake.brand_id)
        label = (brand.name if japanese else brand.romaji or f"#{sake.brand_id}") if brand is not None else f"#{sake.brand_id}"
        mark = (" ↕" if japanese else " <>") if sake.brand_id == res.split else ""
        draw.text((pad + 4, y + row_h / 2), f"{r + 1}. {label}"[:18] + mark, fill=INK, font=font, anchor="lm")
        for i, m in enumerate(members):
            x = x0 + cell_w * i
            v = flight.ratings.get((m.user_id, sake.brand_id))
            box = (x + 3, y + 3, x + cell_w - 3, y + row_h - 3)
            if v is None:
                draw.rectangle(box, outline=_LINE)
                draw.text((x + cell_w / 2, y + row_h / 2), "–", fill=_LINE, font=font, anchor="mm")
                continue
            draw.rectangle(box, fill=_shade(v))
            if res.best.get(m.user_id) == sake.brand_id:
                draw.rectangle(box, outline=_BLUE, width=3)
            draw.text((x + cell_w / 2, y + row_h / 2), f"{_stars(v)}★" if japanese else _stars(v), fill=INK if v < 3.5 else _PAPER,
                      font=font, anchor="mm")
        x = x0 + cell_w * len(members)
        avg = res.averages.get(sake.brand_id)
        draw.text((x + cell_w / 2, y + row_h / 2), f"{avg:.1f}" if avg is not None else "–", fill=INK, font=font, anchor="mm")
        if sake.brand_id == res.favourite:
            draw.rectangle((pad, y + 1, width - pad, y + row_h - 1), outline=_GOLD, width=3)
        draw.line((pad, y + row_h, width - pad, y + row_h), fill=_LINE)
    split_mark = "↕" if japanese else "<>"
    draw.text((pad, height - pad - 8), t("flight.reveal.legend", lang, split=split_mark), fill=INK, font=_font(13, japanese), anchor="ls")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _shade(stars: float) -> tuple[int, int, int]:
    """From paper (½★) to the chart's 臙脂 red (5★)."""
    k = max(0.0, min(1.0, (stars - 0.5) / 4.5))
    return tuple(round(p + (m - p) * k) for p, m in zip(_PAPER, MAIN, strict=True))  # type: ignore[return-value]
