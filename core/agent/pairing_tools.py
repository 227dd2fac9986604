"""pair_food for sakes the user named: "dassai or kubota for tempura?", "is kubota good with oden?".

A verdict on those bottles first (core.pairing_fit), each card saying why it suits the dish or not; when
the one named is a poor match (or has no flavor data), the usual picks for the dish follow.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.agent.deps import Deps
from core.agent.tool_common import Result, _done, show_cards
from core.pairing import FoodFamily
from core.pairing_fit import EVEN, fits
from core.texts import t

MAX_NAMED = 5


async def named_pairing(deps: Deps, family: FoodFamily, among: list[int], more: Callable[[], Awaitable[Result]]) -> Result | None:
    """None when none of `among` is a catalog brand (the caller answers as for the dish alone)."""
    rec, lang = deps.services.recommender, deps.lang
    brands = [b for b in (deps.services.catalog.get(int(x)) for x in among[:MAX_NAMED] if str(x).isdigit()) if b is not None]
    brands = list({b.id: b for b in brands}.values())
    if not brands:
        return None
    found = fits(rec.pairing, family, brands, rec.space)
    food = family.name(lang)
    best = found[0]
    if len(found) == 1 and best.verdict in ("poor", "unknown"):  # no card for it: the cards are what suits the dish
        text = t(f"pairing.verdict.{best.verdict}", lang, name=best.brand.name, food=food, top=best.top)
        others = await more()  # the dish's usual picks, without the one named
        return {**others, "summary": f"{text}\n{others.get('summary', '')}".strip(), "lead": text}
    shown = show_cards(deps, [f.brand.card(reason=rec.pairing.explain(family, f.brand, lang, rec.space)) for f in found])
    if len(found) >= 2 and best.top is not None:
        sep = "、" if lang == "ja" else ", "
        tops = sep.join(t("pairing.top", lang, name=f.brand.name, top=f.top) for f in found if f.top is not None)
        even = found[1].top is not None and found[1].top - best.top <= EVEN
        text = t("pairing.even" if even else "pairing.better", lang, food=food, best=best.brand.name, tops=tops)
        return _done(deps, text, shown=shown, best=None if even else best.brand.id)
    return _done(deps, t(f"pairing.verdict.{best.verdict}", lang, name=best.brand.name, food=food, top=best.top), shown=shown,
                 best=best.brand.id)
