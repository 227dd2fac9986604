"""The agent's favourites tool: the sakes the asker rated best, from their own tasting log.

"My favourite sake" is a question about the user's history, not a request for picks: the answer is
their own best-rated brands (the mean of their ratings of each, ★4 and up), most loved first, each
card saying how it was rated; "more like my favourites" is the recommender's job (`liked`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic_ai import RunContext

from core.agent.deps import Deps
from core.agent.tool_common import MAX_CARDS, Result, _begin, _done, show_cards
from core.texts import t

FAVOURITE_STARS = 4.0  # the same bar as "the ones I liked" (core.agent.intent_words.LIKED_DEFAULT)


async def favourites(ctx: RunContext[Deps]) -> Result:
    """The user's favourite sakes: the brands they rated best (mean of their ratings, ★4 and up), best first."""
    deps = _begin(ctx, "favourites")
    lang = deps.lang
    per_brand: dict[int, list[tuple[float, date]]] = defaultdict(list)
    for r in await deps.services.tastings.ratings(deps.principal):
        if r.brand_id is not None:
            per_brand[r.brand_id].append((r.rating, r.tasted_on))
    ranked = sorted(
        ((round(sum(s for s, _ in v) / len(v), 1), len(v), max(d for _, d in v), b) for b, v in per_brand.items()),
        key=lambda x: (-x[0], -x[1], -x[2].toordinal(), x[3]),
    )
    best = [x for x in ranked if x[0] >= FAVOURITE_STARS][:MAX_CARDS]
    brands = [(x, deps.services.catalog.get(x[3])) for x in best]
    brands = [(x, b) for x, b in brands if b is not None]
    if not brands:
        return _done(deps, t("favourites.none", lang, stars=FAVOURITE_STARS))
    lines, cards = [t("favourites.head", lang)], []
    for (stars, count, day, _), b in brands:
        times = (t("favourites.once", lang, day=day.isoformat()) if count == 1
                 else t("favourites.times", lang, count=count, day=day.isoformat()))
        lines.append(t("favourites.line", lang, name=b.name, stars=stars, times=times))
        cards.append(b.card(reason=t("favourites.reason", lang, stars=stars)))
    shown = show_cards(deps, cards)
    head = t("favourites.head", lang)
    return _done(deps, "\n".join([*lines, t("favourites.more", lang)]), lead="\n".join([head, t("favourites.more", lang)]), shown=shown)
