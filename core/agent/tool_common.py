"""What every agent tool shares: opening and closing a tool's turn, cards on the reply, naming a brand, charts.

A tool's result is a small JSON-able dict whose `summary` is already in the user's language; cards,
charts, buttons and errors go into `deps.out` for the reply (see core.agent.tools).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic_ai import RunContext

from core import actions, controls
from core.agent.deps import Deps
from core.catalog.model import BrandInfo
from core.errors import SenseiError
from core.texts import t
from core.messages import Card, ReplyImage

Result = dict[str, Any]
MAX_CARDS = 5


def _begin(ctx: RunContext[Deps], name: str) -> Deps:
    ctx.deps.out.tools.append(name)
    return ctx.deps


def _done(deps: Deps, summary: str, *, shown: list[int] | None = None, lead: str | None = None, **data: Any) -> Result:
    """`lead`: when the cards carry the details (each pick's reason), the short text the reply says above them,
    so that nothing is said twice; the full `summary` stays in the result for a language model and the history."""
    deps.out.summaries.append(summary if lead is None else lead)
    return {"summary": summary, "shown": shown or [], **data} | ({"lead": lead} if lead is not None else {})


def _fail(deps: Deps, error: SenseiError, extra: str | None = None) -> Result:
    deps.out.set_error(error.as_dict(deps.lang))
    summary = error.message(deps.lang) + (f"\n{extra}" if extra else "")
    deps.out.summaries.append(summary)
    return {"summary": summary, "shown": [], "error": error.code.value}


def show_cards(deps: Deps, cards: list[Card]) -> list[int]:
    """The cards, each with its own buttons (Log it / Similar / Wishlist unless a tool chose others)."""
    cards = cards[:MAX_CARDS]
    deps.out.add_cards([controls.with_buttons(c, deps.lang) for c in cards])
    return [c.brand_id for c in cards]


def shown_card(deps: Deps, brand_id: int) -> Card | None:
    """The card of this sake already in the reply (the one the user will see), to adjust its buttons."""
    return next((c for c in deps.out.cards if c.brand_id == brand_id), None)


def _logged(deps: Deps, brand_id: int, *, ask_rating: bool) -> None:
    """A logged sake's card: no second "Log it"; stars 1..5 when the rating is still missing."""
    card = shown_card(deps, brand_id)
    if card is None:
        return
    card.actions = [b for b in card.actions if not isinstance(b.action, actions.Log)]
    card.rating = controls.rating(brand_id, deps.lang) if ask_rating else None


def brand_line(b: BrandInfo, lang: str) -> str:
    return b.label() if lang == "ja" else f"{b.label()} — {b.romaji}"


def closest(deps: Deps, text: str) -> str | None:
    found = deps.services.search.search(text[:200], limit=3, min_score=0.5) if text.strip() else []
    if not found:
        return None
    names = "、".join(m.brand.label() for m in found)
    return t("search.closest", deps.lang, names=names)


def resolve_brand(deps: Deps, brand_id: int | None, name: str | None) -> BrandInfo | None:
    """A catalog brand from an id or a name (any script, typos allowed); None when neither finds one."""
    if brand_id is not None:
        return deps.services.catalog.get(int(brand_id))
    if name and name.strip():
        search = deps.services.search
        found = search.find_in_text(name) or [m for m in search.search(name, limit=1) if m.score >= 0.85]
        if found:
            return found[0].brand
    return None


@lru_cache(maxsize=512)
def _chart_png(chart: tuple[float, ...], lang: str, title: str) -> bytes:
    """Catalog charts never change while the process runs: each is drawn once (drawing costs ~40 ms)."""
    from core.charts import flavor_chart_png

    return flavor_chart_png(chart, lang=lang, title=title)


def brand_chart_png(brand: BrandInfo, lang: str) -> bytes | None:
    """A catalog brand's flavor chart as PNG, or None when it has none (never invented)."""
    return _chart_png(tuple(brand.chart), lang, brand.name) if brand.chart is not None else None


def chart_image(brand: BrandInfo, lang: str) -> ReplyImage | None:
    if brand.chart is None:
        return None
    alt = t("chart.brand_alt", lang, name=brand.name, romaji=brand.romaji)
    return ReplyImage(_chart_png(tuple(brand.chart), lang, brand.name), alt, brand_id=brand.id)
