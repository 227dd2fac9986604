"""The agent's tools that find sakes: catalog search, one sake's details, and the sake in a label photo."""

from __future__ import annotations

from pydantic_ai import RunContext

from core.agent.deps import Deps
from core.agent.tool_common import MAX_CARDS, Result, _begin, _done, _fail, brand_line, chart_image, closest, resolve_brand, show_cards
from core.describe import describe
from core.errors import Code, SenseiError
from core.texts import t
from core.knowledge.specs import spec_actions


async def search_catalog(
    ctx: RunContext[Deps],
    query: str = "",
    prefecture: str | None = None,
    grade: str | None = None,
    tag: str | None = None,
    limit: int = 5,
) -> Result:
    """Find sakes in the catalog by name (any script, typos allowed) and/or prefecture, grade (特定名称) or flavor tag."""
    deps = _begin(ctx, "search_catalog")
    query = (query or "")[:200]
    found = deps.services.search.search(query, limit=max(1, min(int(limit), MAX_CARDS)), prefecture=prefecture, grade=grade, tag=tag)
    if not found:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, query))
    shown = show_cards(deps, [m.brand.card(score=m.score) for m in found])
    lines = [f"{i}. {brand_line(m.brand, deps.lang)}" for i, m in enumerate(found, 1)]
    head = t("catalog.found", deps.lang)
    if int(limit) > MAX_CARDS:  # "show me 10 from niigata": say why there are fewer
        head += "\n" + t("recommend.capped", deps.lang, n=MAX_CARDS)
    return _done(deps, "\n".join([head, *lines]), shown=shown)


async def sake_details(ctx: RunContext[Deps], brand_id: int | None = None, name: str | None = None) -> Result:
    """Everything the catalog knows about one sake: brewery, prefecture, flavor chart, tags, ranking, grades."""
    deps = _begin(ctx, "sake_details")
    brand = resolve_brand(deps, brand_id, name)
    if brand is None:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    search = deps.services.search
    same = [b for b in search.same_name(brand) if b.id != brand.id]
    body = describe(brand, deps.lang)
    if same:
        others = "、".join(b.label() for b in same)
        body += t("catalog.same_name", deps.lang) + others
    shown = show_cards(deps, [brand.card(score=1.0 if brand_id is None else None)] + [b.card() for b in same])
    if (image := chart_image(brand, deps.lang)) is not None:
        deps.out.images.append(image)
    deps.out.add_actions(spec_actions(brand, deps.lang))  # explain:<entry> for the figures shown (knowledge_tools)
    return _done(deps, body, shown=shown, brand={"id": brand.id, "name": brand.name, "flavor": brand.flavor, "tags": list(brand.tags[:8])})


async def identify_label(ctx: RunContext[Deps], hint: str | None = None) -> Result:
    """Identify the sake in this turn's label photo. `hint`: the sake name you can read on the label, if any;
    it counts only where the catalog has exactly that name, never on its own."""
    deps = _begin(ctx, "identify_label")
    lang = deps.lang
    if not deps.images:
        return _done(deps, t("label.ask_photo", lang))
    vision = None
    if hint and hint.strip():
        reading = hint.strip()[:200]

        async def vision(_image: bytes, _media_type: str) -> str | None:  # the model already looked: its reading
            return reading

    result, reply = await deps.services.labels.identify_for(deps.principal.user_id, deps.images[0], lang=lang, vision=vision)
    if reply.error:
        deps.out.set_error(reply.error)
    deps.out.add_cards(reply.cards if result.confident else [c.brand.card(score=c.confidence) for c in result.candidates[:3]])
    deps.out.images.extend(reply.images)
    deps.out.add_actions(reply.actions)  # the label reply's cards carry their own buttons and stars
    deps.out.summaries.append(reply.text)
    shown = [c.brand.id for c in result.candidates[: 1 if result.confident else 3]]
    return {
        "summary": reply.text,
        "shown": shown,
        "candidates": [{"id": c.brand.id, "name": c.brand.name, "confidence": round(c.confidence, 2)} for c in result.candidates[:3]],
    }
