"""The sake menu of the asker's restaurant: items, prices by glass and bottle, and stock.

Staff (and the owner, and platform admins) add, update and remove items; everyone in the
workspace may read the menu. Each call finds the restaurant from `principal.workspace_id`
and every query is filtered by that restaurant's id, so an item id from another workspace
is simply "not on the menu". Each write is one transaction; bad input is refused (SS-011)
before the database is touched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.catalog import BrandInfo, CatalogSearch
from core.catalog.normalize import fold_name, fold_romaji
from core.db import Database, utcnow
from core.db.restaurant_tables import MenuItemRow
from core.errors import Code, SenseiError
from core.identity import Principal
from core.messages import Card
from core.restaurants.brands import BrandMatch, resolve_brand, split_grade
from core.restaurants.roles import Restaurant, Restaurants, Role
from core.restaurants.values import (
    MAX_NOTES, MAX_PRODUCT, Stock, clean_grade, clean_text, invalid, parse_price, parse_stock,
)
from core.tasting import Clock
from core.texts import t

MAX_ITEMS = 500  # a sake list longer than this is a shop's catalog, not a menu
EDITABLE = frozenset({"price_glass", "price_bottle", "stock", "notes", "grade", "product"})
_EDIT = "doing.change_menu"  # the catalog key of what a refused guest was trying to do


@dataclass(frozen=True, slots=True)
class MenuItem:
    id: int
    brand_id: int
    brand: BrandInfo | None  # None only if a catalog refresh dropped the brand
    grade: str
    product: str
    price_glass: int | None
    price_bottle: int | None
    stock: Stock
    notes: str | None

    @property
    def name(self) -> str:
        return self.brand.name if self.brand else f"#{self.brand_id}"

    @property
    def available(self) -> bool:
        return self.stock.available

    def title(self) -> str:
        """獺祭 純米大吟醸 磨き二割三分: how staff tell two bottlings of one brand apart."""
        return " ".join(x for x in (self.name, self.grade, self.product) if x)

    def prices(self, lang: str = "en") -> str:
        parts = []
        if self.price_glass is not None:
            parts.append(t("price.glass", lang, price=f"{self.price_glass:,}"))
        if self.price_bottle is not None:
            parts.append(t("price.bottle", lang, price=f"{self.price_bottle:,}"))
        return ("・" if lang == "ja" else " · ").join(parts)

    def stock_text(self, lang: str = "en", *, counts: bool = True) -> str:
        if not self.available:
            return t("stock.out", lang)
        if counts and self.stock.count_left is not None:
            return t("stock.left", lang, n=self.stock.count_left)
        return t("stock.in", lang)

    def line(self, lang: str = "en", *, counts: bool = True) -> str:
        bits = [x for x in (self.prices(lang), self.stock_text(lang, counts=counts)) if x]
        return f"#{self.id} {self.title()} — " + ("、".join(bits) if lang == "ja" else ", ".join(bits))

    def card(self, lang: str = "en", *, counts: bool = True, reason: str | None = None, score: float | None = None) -> Card | None:
        """The contract card with the menu fields added; guests do not see bottle counts."""
        if self.brand is None:
            return None
        card = self.brand.card(score=score, reason=reason)
        card.extra.update(
            {
                "menu_item_id": self.id,
                "grade": self.grade or None,
                "product": self.product or None,
                "price_glass": self.price_glass,
                "price_bottle": self.price_bottle,
                "in_stock": self.available,
                "count_left": self.stock.count_left if counts else None,
                "menu_line": self.line(lang, counts=counts),
            }
        )
        return card


@dataclass(slots=True)
class MenuInput:
    """One item as typed by staff, before it is checked."""

    brand: BrandInfo
    grade: str = ""
    product: str = ""
    price_glass: int | None = None
    price_bottle: int | None = None
    stock: Stock | None = None
    notes: str | None = None
    given: set[str] = field(default_factory=set)  # which fields the input actually set (an update keeps the others)


def input_for(
    match: BrandMatch,
    *,
    grade: Any = None,
    product: Any = None,
    price_glass: Any = None,
    price_bottle: Any = None,
    stock: Any = None,
    notes: Any = None,
) -> MenuInput:
    """The checked input for a resolved brand: a grade or product named with the brand fills in when not given apart."""
    assert match.brand is not None
    inp = MenuInput(brand=match.brand)
    inp.grade = clean_grade(grade) if grade not in (None, "") else match.grade
    inp.product = clean_text(product if product not in (None, "") else match.rest, MAX_PRODUCT, "product name", "商品名")
    inp.price_glass = parse_price(price_glass, "glass price")
    inp.price_bottle = parse_price(price_bottle, "bottle price")
    inp.stock = parse_stock(stock)
    inp.notes = clean_text(notes, MAX_NOTES, "note", "メモ") or None
    inp.given = {
        name for name, value in (("price_glass", price_glass), ("price_bottle", price_bottle), ("stock", stock), ("notes", notes))
        if value not in (None, "")
    }
    return inp


def _to_item(row: MenuItemRow, search: CatalogSearch) -> MenuItem:
    return MenuItem(
        id=row.id, brand_id=row.brand_id, brand=search.catalog.get(row.brand_id), grade=row.grade, product=row.product,
        price_glass=row.price_glass, price_bottle=row.price_bottle, stock=Stock(row.in_stock, row.count_left), notes=row.notes,
    )


def unknown_sake(text: str, reason_en: str, reason_ja: str) -> SenseiError:
    return SenseiError(Code.UNKNOWN_SAKE, f"“{text}”: {reason_en}", detail_ja=f"「{text}」: {reason_ja}")


_ITEM_ID = re.compile(r"^#?\s*(\d{1,9})$")


class Menu:
    def __init__(self, db: Database, search: CatalogSearch, restaurants: Restaurants | None = None, clock: Clock = utcnow) -> None:
        self.db = db
        self.search = search
        self.restaurants = restaurants or Restaurants(db, clock)
        self.clock = clock

    # -- reading ---------------------------------------------------------------------------

    async def items(self, principal: Principal, *, available_only: bool = False) -> list[MenuItem]:
        """The whole menu (anyone in the workspace), in the order it was written."""
        restaurant = await self.restaurants.require(principal, Role.GUEST)
        return await self._items(restaurant, available_only=available_only)

    async def _items(self, restaurant: Restaurant, *, available_only: bool = False) -> list[MenuItem]:
        async with self.db.session() as s:
            q = select(MenuItemRow).where(MenuItemRow.restaurant_id == restaurant.id).order_by(MenuItemRow.id)
            rows = (await s.scalars(q)).all()
        items = [_to_item(r, self.search) for r in rows]
        return [i for i in items if i.available] if available_only else items

    async def find(self, principal: Principal, ref: str | int) -> MenuItem:
        """One item by its id (#12) or by what staff call it ("獺祭", "dassai 45", "高砂 純米")."""
        restaurant = await self.restaurants.require(principal, Role.GUEST)
        return await self._find(restaurant, ref)

    async def _find(self, restaurant: Restaurant, ref: str | int) -> MenuItem:
        """An item of this restaurant: by number with one indexed read, by name among the menu's items."""
        m = _ITEM_ID.match(unicodedata.normalize("NFKC", str(ref)).strip())
        if m is not None:
            async with self.db.session() as s:
                row = await s.scalar(
                    select(MenuItemRow).where(MenuItemRow.id == int(m.group(1)), MenuItemRow.restaurant_id == restaurant.id)
                )
            return self._pick([_to_item(row, self.search)] if row is not None else [], ref)
        return self._pick(await self._items(restaurant), ref)

    def _pick(self, items: list[MenuItem], ref: str | int) -> MenuItem:
        text = unicodedata.normalize("NFKC", str(ref)).strip()
        if (m := _ITEM_ID.match(text)) is not None:
            wanted = int(m.group(1))
            for item in items:
                if item.id == wanted:
                    return item
            raise SenseiError(
                Code.MENU_NOT_CHANGED, f"There is no item #{wanted} on this menu.", detail_ja=f"このメニューに #{wanted} はありません。"
            )
        found = match_items(items, text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise SenseiError(Code.MENU_NOT_CHANGED, f"“{text}” is not on this menu.", detail_ja=f"「{text}」はこのメニューにありません。")
        listed = ", ".join(f"#{i.id} {i.title()}" for i in found[:6])
        raise SenseiError(
            Code.MENU_NOT_CHANGED,
            f"“{text}” could be {listed}; say which by its number.",
            detail_ja=f"「{text}」は {listed} のどれですか。番号で指定してください。",
        )

    # -- writing ---------------------------------------------------------------------------

    def parse_input(self, sake: str | int, *, brewery: str | None = None, prefecture: str | None = None, **fields: Any) -> MenuInput:
        """Check one item's input without touching the database (SS-002 / SS-011 with the reason)."""
        text = str(sake)
        match = resolve_brand(self.search, text, brewery=brewery, prefecture=prefecture)
        if match.brand is None:
            raise unknown_sake(text, match.reason("en"), match.reason("ja"))
        return input_for(match, **fields)

    async def add(self, principal: Principal, sake: str | int, *, platform_admin: bool = False, **fields: Any) -> tuple[MenuItem, bool]:
        """Put a sake on the menu; (item, created). Adding one already there updates what was given."""
        restaurant = await self.restaurants.require(principal, Role.STAFF, platform_admin=platform_admin, doing=_EDIT)
        inp = self.parse_input(sake, **fields)
        async with self.db.transaction() as s:
            item, created = await self._write(s, restaurant, inp)
        return item, created

    async def _write(self, s, restaurant: Restaurant, inp: MenuInput) -> tuple[MenuItem, bool]:  # type: ignore[no-untyped-def]
        """Write one checked item inside the caller's transaction."""
        return (await self._write_many(s, restaurant, [inp]))[0]

    async def _write_many(self, s, restaurant: Restaurant, inputs: list[MenuInput]) -> list[tuple[MenuItem, bool]]:  # type: ignore[no-untyped-def]
        """Write checked items inside the caller's transaction: one read of the menu, one flush (the CSV import)."""
        rows = (await s.scalars(select(MenuItemRow).where(MenuItemRow.restaurant_id == restaurant.id))).all()
        existing = {(r.brand_id, r.grade, r.product): r for r in rows}
        count = len(rows)
        written: list[tuple[MenuItemRow, bool]] = []
        for inp in inputs:
            row = existing.get((inp.brand.id, inp.grade, inp.product))
            if row is None:
                if count >= MAX_ITEMS:
                    raise invalid(f"The menu already has {MAX_ITEMS} items, the most it can hold.", f"メニューは{MAX_ITEMS}品までです。")
                count += 1
            row = self._apply(s, restaurant, row, inp)
            existing[(inp.brand.id, inp.grade, inp.product)] = row
            written.append((row, row.id is None))
        await s.flush()
        return [(_to_item(row, self.search), created) for row, created in written]

    def _apply(self, s, restaurant: Restaurant, row: MenuItemRow | None, inp: MenuInput) -> MenuItemRow:  # type: ignore[no-untyped-def]
        now = self.clock()
        if row is None:
            stock = inp.stock or Stock(True, None)
            row = MenuItemRow(
                restaurant_id=restaurant.id, brand_id=inp.brand.id, grade=inp.grade, product=inp.product,
                price_glass=inp.price_glass, price_bottle=inp.price_bottle, in_stock=stock.in_stock, count_left=stock.count_left,
                notes=inp.notes, created_at=now, updated_at=now,
            )
            s.add(row)
            return row
        if "price_glass" in inp.given:
            row.price_glass = inp.price_glass
        if "price_bottle" in inp.given:
            row.price_bottle = inp.price_bottle
        if "stock" in inp.given and inp.stock is not None:
            row.in_stock, row.count_left = inp.stock.in_stock, inp.stock.count_left
        if "notes" in inp.given:
            row.notes = inp.notes
        row.updated_at = now
        return row

    async def update(self, principal: Principal, ref: str | int, *, platform_admin: bool = False, **changes: Any) -> MenuItem:
        """Change prices, stock, notes, grade or product of one item; an empty price or note clears it."""
        restaurant = await self.restaurants.require(principal, Role.STAFF, platform_admin=platform_admin, doing=_EDIT)
        unknown = set(changes) - EDITABLE
        if unknown:
            raise invalid(
                f"I can't change {', '.join(sorted(unknown))} on a menu item.", f"{', '.join(sorted(unknown))} は変更できません。"
            )
        if not changes:
            raise invalid(
                "Say what to change: price by glass or bottle, stock, or notes.",
                "変更内容(グラス・ボトルの価格、在庫、メモ)を指定してください。",
            )
        values: dict[str, Any] = {}
        if "price_glass" in changes:
            values["price_glass"] = parse_price(changes["price_glass"], "glass price")
        if "price_bottle" in changes:
            values["price_bottle"] = parse_price(changes["price_bottle"], "bottle price")
        if "stock" in changes:
            stock = parse_stock(changes["stock"])
            if stock is None:
                raise invalid(
                    "Say the stock: a count, in stock, or out of stock.", "在庫を本数、あり、在庫切れのいずれかで指定してください。"
                )
            values["in_stock"], values["count_left"] = stock.in_stock, stock.count_left
        if "notes" in changes:
            values["notes"] = clean_text(changes["notes"], MAX_NOTES, "note", "メモ") or None
        if "grade" in changes:
            values["grade"] = clean_grade(changes["grade"])
        if "product" in changes:
            values["product"] = clean_text(changes["product"], MAX_PRODUCT, "product name", "商品名")
        item = await self._find(restaurant, ref)
        try:
            async with self.db.transaction() as s:
                row = await s.scalar(select(MenuItemRow).where(MenuItemRow.id == item.id, MenuItemRow.restaurant_id == restaurant.id))
                if row is None:  # removed by someone else meanwhile
                    raise invalid(f"#{item.id} was just removed from the menu.", f"#{item.id} はメニューから削除されたところです。")
                for key, value in values.items():
                    setattr(row, key, value)
                row.updated_at = self.clock()
                await s.flush()
                return _to_item(row, self.search)
        except IntegrityError:
            raise invalid(
                f"{item.name} with that grade and product is already on the menu.",
                f"その特定名称・商品名の{item.name}はすでにメニューにあります。",
            ) from None

    async def removable(self, principal: Principal, ref: str | int, *, platform_admin: bool = False) -> MenuItem:
        """The item a remove button names, checked as `remove` would (staff only, on this menu), so that the
        reply asks a guest nothing and confirms only what can be removed."""
        restaurant = await self.restaurants.require(principal, Role.STAFF, platform_admin=platform_admin, doing=_EDIT)
        return await self._find(restaurant, ref)

    async def remove(self, principal: Principal, ref: str | int, *, platform_admin: bool = False) -> MenuItem:
        restaurant = await self.restaurants.require(principal, Role.STAFF, platform_admin=platform_admin, doing=_EDIT)
        item = await self._find(restaurant, ref)
        async with self.db.transaction() as s:
            row = await s.scalar(select(MenuItemRow).where(MenuItemRow.id == item.id, MenuItemRow.restaurant_id == restaurant.id))
            if row is not None:
                await s.delete(row)
        return item


def match_items(items: list[MenuItem], text: str) -> list[MenuItem]:
    """Menu items a phrase names: by brand name, reading or romaji, narrowed by grade and product words.

    Matching against the menu (not the whole catalog) means "高砂" is unambiguous when only
    one 高砂 is on this menu, and a longer name (醸し人九平次) wins over one inside it (九平次).
    """
    grade, rest = split_grade(text)
    folded = fold_name(rest)
    romaji = fold_romaji(rest)
    scored: list[tuple[int, MenuItem]] = []
    for item in items:
        b = item.brand
        if b is None:
            continue
        best = 0
        for key in (fold_name(b.name), fold_name(b.reading) if b.reading else ""):
            if key and key in folded:
                best = max(best, len(key))
        for r in (b.romaji, *b.aliases):
            key = fold_romaji(r) if r else ""
            if len(key) >= 3 and key in romaji:
                best = max(best, len(key))
        if best:
            scored.append((best, item))
    if not scored:
        return []
    longest = max(n for n, _ in scored)
    found = [i for n, i in scored if n == longest]
    if grade:
        found = [i for i in found if i.grade == grade] or ([] if any(i.grade for i in found) else found)
    if len(found) > 1:
        words = [w for w in re.split(r"\s+", unicodedata.normalize("NFKC", rest).lower()) if w]
        narrowed = [i for i in found if i.product and any(w in i.product.lower() for w in words)]
        if narrowed:
            found = narrowed
    return found
