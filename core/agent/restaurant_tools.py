"""The agent's restaurant tools: the sake menu and its stock, staff, picks from stock, the cheat sheet.

Like every tool, these act for `ctx.deps.principal` in its own workspace and nothing else: no
argument names a user, workspace or restaurant. Menu items are named by their number on the
asker's menu (#12) or by what staff call them ("獺祭 純米大吟醸"); a number from another
workspace's menu is simply not on this one. Whether the asker may change anything is decided
by core.restaurants (owner, staff, or a platform admin as the platform says), never by the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_ai import RunContext

from core import controls
from core.agent.deps import Deps, Services
from core.agent.tool_common import Result, _begin, _done, _fail
from core.errors import SenseiError
from core.texts import t
from core.messages import Card, ReplyFile, ReplyImage
from core.restaurants.cheatsheet import CARDS_PER_PAGE
from core.restaurants.menu import MenuItem
from core.restaurants.roles import Role
from core.restaurants.services import RestaurantServices

MAX_LISTED = 60  # menu lines in one chat answer; the CSV export has them all
MAX_SHEET_PAGES = 4

Price = int | str | None
StockValue = int | str | bool | None


def _svc(deps: Deps) -> RestaurantServices:
    """The restaurant services; the tools that call this are offered only where they exist (restaurant_tools)."""
    services = deps.services.restaurants
    if services is None:
        raise RuntimeError("a restaurant tool ran in a process without the restaurant services")
    return services


def _cards(deps: Deps, cards: list[Card | None], *, staff: bool) -> list[int]:
    """Menu cards: a menu sake is a sake (Log / Similar / Wishlist); staff get its stock and remove buttons."""
    real = [controls.with_buttons(c, deps.lang) for c in cards if c is not None][:5]
    for card in real:
        item_id = card.extra.get("menu_item_id")
        if staff and isinstance(item_id, int):
            card.actions = controls.staff_menu_buttons(card.brand_id, item_id, bool(card.extra.get("in_stock")), deps.lang)
    deps.out.add_cards(real)
    return [c.brand_id for c in real]


async def _counts(deps: Deps) -> bool:
    role = await _svc(deps).restaurants.role(deps.principal, platform_admin=deps.platform_admin)
    return role.rank >= Role.STAFF.rank


def _item_line(item: MenuItem, lang: str, counts: bool = True) -> str:
    return "- " + item.line(lang, counts=counts)


# -- the restaurant and its staff ------------------------------------------------------------------


async def restaurant_setup(ctx: RunContext[Deps], name: str | None = None) -> Result:
    """Make this workspace a restaurant with the asker as its owner (or rename it, if the asker is the owner)."""
    deps = _begin(ctx, "restaurant_setup")
    try:
        restaurant, created = await _svc(deps).restaurants.setup(deps.principal, name, platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    lang = deps.lang
    if created:
        text = t("restaurant.created", lang, name=restaurant.name)
    else:
        text = t("restaurant.renamed", lang, name=restaurant.name)
    return _done(deps, text, restaurant={"name": restaurant.name, "created": created})


async def staff_add(ctx: RunContext[Deps], member: str) -> Result:
    """Make someone in this workspace staff (owner only). `member`: their mention (@someone) or platform user id."""
    deps = _begin(ctx, "staff_add")
    try:
        m, added = await _svc(deps).restaurants.add_staff(deps.principal, member, platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = added
    who = m.mention()
    if not added:
        role = m.role.label(deps.lang)
        return _done(deps, t("staff.already", deps.lang, who=who, role=role))
    return _done(deps, t("staff.added", deps.lang, who=who))


async def staff_remove(ctx: RunContext[Deps], member: str) -> Result:
    """Remove someone from the staff (owner only). `member`: their mention (@someone) or platform user id."""
    deps = _begin(ctx, "staff_remove")
    try:
        m = await _svc(deps).restaurants.remove_staff(deps.principal, member, platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    if m is None:
        return _done(deps, t("staff.not_staff", deps.lang, member=member))
    deps.out.wrote = True
    return _done(deps, t("staff.removed", deps.lang, member=m.mention()))


async def staff_list(ctx: RunContext[Deps]) -> Result:
    """The owner and staff of this restaurant (staff only)."""
    deps = _begin(ctx, "staff_list")
    try:
        members = await _svc(deps).restaurants.members(deps.principal, platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    lines = [f"- {m.mention()} ({m.role.label(deps.lang)})" for m in members]
    note = t("staff.admins_count", deps.lang)
    return _done(deps, "\n".join([t("staff.head", deps.lang), *lines, note]))


# -- the menu ------------------------------------------------------------------------------------------


async def menu_add(
    ctx: RunContext[Deps],
    sake: str,
    grade: str | None = None,
    product: str | None = None,
    price_glass: Price = None,
    price_bottle: Price = None,
    stock: StockValue = None,
    notes: str | None = None,
    brewery: str | None = None,
    prefecture: str | None = None,
) -> Result:
    """Put a sake on the menu (staff). `sake`: its name as staff write it ("獺祭 純米大吟醸 45"); prices in yen;
    stock: a count of bottles, true/false, or words like 在庫切れ. Same-named brands need brewery or prefecture."""
    deps = _begin(ctx, "menu_add")
    fields = {"grade": grade, "product": product, "price_glass": price_glass, "price_bottle": price_bottle, "stock": stock,
              "notes": notes, "brewery": brewery, "prefecture": prefecture}
    try:
        item, created = await _svc(deps).menu.add(deps.principal, sake, platform_admin=deps.platform_admin, **fields)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    shown = _cards(deps, [item.card(deps.lang)], staff=True)  # the menu changed: the asker is staff
    head = t("menu.added", deps.lang) if created else t("menu.updated", deps.lang)
    return _done(deps, f"{head} {item.line(deps.lang)}", shown=shown, item={"id": item.id, "name": item.title()})


async def menu_update(
    ctx: RunContext[Deps],
    item: str,
    price_glass: Price = None,
    price_bottle: Price = None,
    stock: StockValue = None,
    notes: str | None = None,
    grade: str | None = None,
    product: str | None = None,
) -> Result:
    """Change one menu item (staff): `item` is its number (#12) or name. Give only what changes; stock: a count,
    true/false, "out of stock" / 在庫切れ / "back in stock"; a price of "-" clears it."""
    deps = _begin(ctx, "menu_update")
    changes = {k: v for k, v in {"price_glass": price_glass, "price_bottle": price_bottle, "stock": stock, "notes": notes,
                                 "grade": grade, "product": product}.items() if v is not None}
    try:
        updated = await _svc(deps).menu.update(deps.principal, str(item), platform_admin=deps.platform_admin, **changes)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    shown = _cards(deps, [updated.card(deps.lang)], staff=True)
    return _done(deps, t("menu.item_updated", deps.lang) + updated.line(deps.lang), shown=shown)


async def menu_remove(ctx: RunContext[Deps], item: str) -> Result:
    """Take an item off the menu (staff): `item` is its number (#12) or name."""
    deps = _begin(ctx, "menu_remove")
    try:
        removed = await _svc(deps).menu.remove(deps.principal, str(item), platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = True
    return _done(deps, t("menu.removed", deps.lang, number=removed.id, title=removed.title()))


async def menu_list(ctx: RunContext[Deps], in_stock_only: bool = False) -> Result:
    """The sake menu of this restaurant with prices and stock (anyone in the workspace)."""
    deps = _begin(ctx, "menu_list")
    try:
        items = await _svc(deps).menu.items(deps.principal, available_only=in_stock_only)
        counts = await _counts(deps)
    except SenseiError as e:
        return _fail(deps, e)
    lang = deps.lang
    if not items:
        return _done(deps, t("menu.none_in_stock", lang) if in_stock_only
                     else t("menu.empty", lang))
    lines = [_item_line(i, lang, counts) for i in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        lines.append(t("menu.more", lang, more=len(items) - MAX_LISTED))
    head = t("menu.in_stock_head", lang, count=len(items)) if in_stock_only else t("menu.head", lang, count=len(items))
    shown = _cards(deps, [i.card(lang, counts=counts) for i in items], staff=counts)
    return _done(deps, "\n".join([head, *lines]), shown=shown)


async def menu_import_csv(ctx: RunContext[Deps], replace: bool = False) -> Result:
    """Import the menu CSV attached to this message (staff). replace=true makes the file the whole menu."""
    deps = _begin(ctx, "menu_import_csv")
    lang = deps.lang
    if not deps.files:
        return _done(deps, t("menu.attach_csv", lang))
    try:
        report = await _svc(deps).csv.import_csv(deps.principal, deps.files[0][1], replace=replace, platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    deps.out.wrote = report.applied and bool(report.added or report.updated or report.removed)
    problems = [{"line": p.line, "value": p.value, "reason": p.reason(lang), "suggestions": list(p.suggestions)} for p in report.problems]
    return _done(deps, report.summary(lang), imported=len(report.added) + len(report.updated), problems=problems)


async def menu_export_csv(ctx: RunContext[Deps]) -> Result:
    """The whole menu as a CSV file (staff), the same columns the import reads."""
    deps = _begin(ctx, "menu_export_csv")
    try:
        data = await _svc(deps).csv.export_csv(deps.principal, lang=deps.lang, platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    rows = max(0, data.count(b"\r\n") - 1)
    deps.out.files.append(ReplyFile(data, "sake-menu.csv", "text/csv"))
    return _done(deps, t("menu.csv_done", deps.lang, rows=rows))


# -- picks and the cheat sheet ----------------------------------------------------------------------------


async def picks_from_stock(
    ctx: RunContext[Deps],
    want: dict[str, int] | None = None,
    tags: list[str] | None = None,
    food: str | None = None,
    for_me: bool = False,
    limit: int = 3,
) -> Result:
    """What to pour from this restaurant's stock: for a guest's taste (`want` axes f1 floral, f2 mellow, f3 rich,
    f4 calm, f5 dry, f6 light: +1/-1, and/or `tags`), with a dish (`food`), or for the asker (for_me).
    Each pick has a reason, a serving temperature and a line to say to the guest. Only in-stock items."""
    deps = _begin(ctx, "picks_from_stock")
    lang = deps.lang
    want_axes = {k: float(v) for k, v in (want or {}).items() if k in ("f1", "f2", "f3", "f4", "f5", "f6")}
    try:
        picks = await _svc(deps).picks.picks(
            deps.principal, want=want_axes, tags=[str(tag)[:32] for tag in (tags or [])][:10], food=(food or None) and str(food)[:200],
            for_me=bool(for_me), limit=max(1, min(int(limit), 5)), lang=lang, platform_admin=deps.platform_admin,
        )
        counts = await _counts(deps)
    except SenseiError as e:
        return _fail(deps, e)
    lines, brief = [], []  # brief: without the reasons, which the cards show (the lead never repeats them)
    for n, p in enumerate(picks, 1):
        price = p.item.prices(lang)
        serve = t("picks.serve", lang, temperature=p.temperature_label(lang))
        say = t("picks.say", lang, pitch=p.pitch)
        title = f"{n}. {p.item.title()}" + (f" ({price})" if price else "")
        lines += [title, f"   {p.reason}", serve, say]
        brief += [title, serve, say]
    family = next((p.family for p in picks if p.family is not None), None)
    head = t("lead.stock_food", lang, food=family.name(lang)) if family is not None else t("lead.stock", lang)
    shown = _cards(deps, [p.card(lang, counts=counts) for p in picks], staff=counts)
    return _done(deps, "\n".join([head, *lines]), lead="\n".join([head, *brief]), shown=shown,
                 picks=[{"item": p.item.id, "name": p.item.title(), "serve": p.temperature} for p in picks])


async def cheat_sheet(ctx: RunContext[Deps]) -> Result:
    """The staff cheat sheet (staff): a card per menu item with flavor chart, tags, temperature, pairings and pitch."""
    deps = _begin(ctx, "cheat_sheet")
    lang = deps.lang
    sheet = _svc(deps).sheet
    try:
        cards = await sheet.cards(deps.principal, lang=lang, platform_admin=deps.platform_admin)
    except SenseiError as e:
        return _fail(deps, e)
    pages = sheet.render_png(cards[: MAX_SHEET_PAGES * CARDS_PER_PAGE], lang) if cards else []
    for n, png in enumerate(pages, 1):
        alt = t("cheatsheet.page", lang, n=n, pages=len(pages))
        deps.out.images.append(ReplyImage(png, alt))
    return _done(deps, sheet.render_text(cards, lang), items=len(cards))


RESTAURANT_TOOLS: list[Callable[..., Any]] = [
    restaurant_setup, staff_add, staff_remove, staff_list, menu_add, menu_update, menu_remove, menu_list,
    menu_import_csv, menu_export_csv, picks_from_stock, cheat_sheet,
]


def restaurant_tools(services: Services) -> list[Callable[..., Any]]:
    """Offered only when the process has the restaurant services."""
    return list(RESTAURANT_TOOLS) if services.restaurants is not None else []


__all__ = ["RESTAURANT_TOOLS", "restaurant_tools"]
