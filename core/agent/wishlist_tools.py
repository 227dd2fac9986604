"""The agent's wishlist tools: sakes the asker wants to try later."""

from __future__ import annotations

from pydantic_ai import RunContext

from core import actions
from core.agent.deps import Deps
from core.agent.tool_common import Result, _begin, _done, _fail, brand_line, closest, resolve_brand, show_cards, shown_card
from core.errors import Code, SenseiError
from core.messages import Button
from core.texts import t


async def wishlist_add(ctx: RunContext[Deps], brand_id: int | None = None, name: str | None = None) -> Result:
    """Put a sake on the user's wishlist (sakes to try later)."""
    deps = _begin(ctx, "wishlist_add")
    brand = resolve_brand(deps, brand_id, name)
    if brand is None:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    try:
        added = await deps.services.wishlist.add(deps.principal, brand.id)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = added
    shown = show_cards(deps, [brand.card()])
    if (card := shown_card(deps, brand.id)) is not None:  # on the list now: offer taking it off instead
        card.actions = [Button(actions.Unwish(brand.id), t("button.unwish", deps.lang)) if isinstance(b.action, actions.Wish) else b
                        for b in card.actions]
    text = t("wishlist.added", deps.lang, name=brand.name) if added else t("wishlist.already", deps.lang, name=brand.name)
    return _done(deps, text, shown=shown)


async def wishlist_show(ctx: RunContext[Deps]) -> Result:
    """The sakes on the user's wishlist, newest first."""
    deps = _begin(ctx, "wishlist_show")
    items = await deps.services.wishlist.list(deps.principal)
    if not items:
        return _done(deps, t("wishlist.empty", deps.lang))
    brands = [i.brand for i in items if i.brand is not None]
    shown = show_cards(deps, [b.card() for b in brands])
    lines = [f"- {brand_line(b, deps.lang)}" for b in brands[:20]]
    more = len(items) - len(lines)
    if more > 0:
        lines.append(t("list.more", deps.lang, more=more))
    return _done(deps, "\n".join([t("wishlist.head", deps.lang), *lines]), shown=shown)


async def wishlist_remove(ctx: RunContext[Deps], brand_id: int | None = None, name: str | None = None) -> Result:
    """Take a sake off the user's wishlist."""
    deps = _begin(ctx, "wishlist_remove")
    brand = resolve_brand(deps, brand_id, name)
    if brand is None:
        return _fail(deps, SenseiError(Code.UNKNOWN_SAKE), closest(deps, name or ""))
    removed = await deps.services.wishlist.remove(deps.principal, brand.id)
    deps.out.wrote = removed
    return _done(
        deps,
        t("wishlist.removed", deps.lang, name=brand.name) if removed
        else t("wishlist.not_there", deps.lang, name=brand.name),
    )
