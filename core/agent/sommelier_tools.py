"""The sommelier's tools for a named sake: compare two, and say how to serve one.

Both answer from the catalog (flavor charts, product specs, styles) and the knowledge base's
temperature entries; the words are core.sake_comparison's and core.serving's, in the asker's language.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic_ai import RunContext

from core.agent.deps import Deps
from core.agent.knowledge_tools import explain_actions
from core.agent.tool_common import Result, _begin, _done, _fail, closest, resolve_brand, show_cards
from core.catalog.model import BrandInfo
from core.errors import Code, SenseiError
from core.knowledge.base import load_base
from core.messages import ReplyImage
from core.sake_comparison import compare
from core.styles import StyleIndex
from core.serving import serving_for, serving_text
from core.texts import t

Axis = Literal["drier", "sweeter", "lighter", "richer", "more_aromatic"]


@lru_cache(maxsize=256)
def _pair_png(a: tuple[float, ...], b: tuple[float, ...], lang: str, names: tuple[str, str]) -> bytes | None:
    """Both charts on one radar, the first in red, the second in blue (drawing costs ~40 ms: each pair once)."""
    from core.charts import flavor_chart_png

    return flavor_chart_png(a, overlay=b, lang=lang, title=f"{names[0]} / {names[1]}", legend=names)


def pair_chart(a: BrandInfo, b: BrandInfo, lang: str) -> ReplyImage | None:
    if a.chart is None or b.chart is None:
        return None
    png = _pair_png(tuple(a.chart), tuple(b.chart), lang, (a.name, b.name))
    return ReplyImage(png, t("compare.chart_alt", lang, name=a.name, other=b.name)) if png else None


async def compare_sakes(
    ctx: RunContext[Deps], brand_ids: list[int] | None = None, names: list[str] | None = None, axis: Axis | None = None
) -> Result:
    """Compare two catalog sakes, given by id (`brand_ids`) or by name (`names`, any script): which is drier,
    sweeter, lighter, richer or more aromatic (`axis`), or their main differences when no axis is asked.
    Answers from the flavor charts and label figures; says so when a sake has no chart."""
    deps = _begin(ctx, "compare_sakes")
    brands: list[BrandInfo] = []
    for bid in (brand_ids or [])[:2]:
        if (found := resolve_brand(deps, int(bid), None)) is not None and found not in brands:
            brands.append(found)
    for name in (names or [])[:2]:
        found = resolve_brand(deps, None, name) if len(brands) < 2 else None
        if found is None and len(brands) < 2:
            return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name))
        if found is not None and found not in brands:
            brands.append(found)
    if len(brands) < 2:
        return _done(deps, t("compare.need_two", deps.lang), shown=show_cards(deps, [b.card() for b in brands]))
    a, b = brands
    found = compare(a, b, axis, deps.lang, StyleIndex.of(deps.services.recommender.space, deps.services.recommender.space.brands))
    shown = show_cards(deps, [a.card(), b.card()])
    if (image := pair_chart(a, b, deps.lang)) is not None:
        deps.out.images.append(image)
    return _done(deps, "\n".join(found.lines), shown=shown, winner=found.winner, axis=axis)


async def serving_temperature(ctx: RunContext[Deps], brand_id: int | None = None, name: str | None = None) -> Result:
    """How warm to serve one catalog sake (by id or name): the temperature range with its Japanese names
    (花冷え, 常温, ぬる燗...) and the reason, from its style, grades, drinkers' tags or flavor chart."""
    deps = _begin(ctx, "serving_temperature")
    brand = resolve_brand(deps, brand_id, name)
    if brand is None:
        if not (name or "").strip():
            return _done(deps, t("serve.need_name", deps.lang))
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    base = load_base()
    serving = serving_for(brand)
    shown = show_cards(deps, [brand.card()])
    deps.out.add_actions(explain_actions(base, list(serving.entries), deps.lang))
    return _done(deps, serving_text(brand, serving, base, deps.lang), shown=shown,
                 serving={"how": serving.how or None, "entries": list(serving.entries)})


SOMMELIER_TOOLS = [compare_sakes, serving_temperature]
