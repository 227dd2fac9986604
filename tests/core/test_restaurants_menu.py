"""The menu: CRUD by staff, reading by everyone, refusals with codes, nothing half-written."""

from __future__ import annotations

import pytest

from core.catalog import CatalogSearch
from core.db import Database
from core.errors import Code, SenseiError
from core.identity import Principal
from core.restaurants import Menu, Restaurants, Stock
from core.restaurants.values import parse_price, parse_stock
from tests.fakes.users import principal

DASSAI, JUYONDAI, KOKURYU = 887, 144, 522


@pytest.fixture
def menu(db: Database, search: CatalogSearch) -> Menu:
    return Menu(db, search)


async def _restaurant(menu: Menu, workspace: str = "w1") -> tuple[Principal, Menu]:
    owner = await principal(menu.db, "owner", workspace)
    await Restaurants(menu.db).setup(owner, f"{workspace}-ya")
    return owner, menu


async def test_add_list_update_remove(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    item, created = await menu.add(owner, "獺祭 純米大吟醸 磨き二割三分", price_glass="¥1,800", price_bottle="12000円", stock="3本")
    assert created and item.brand_id == DASSAI and item.grade == "純米大吟醸" and item.product == "磨き二割三分"
    assert (item.price_glass, item.price_bottle, item.stock) == (1800, 12000, Stock(True, 3))
    plain, _ = await menu.add(owner, "juyondai", price_glass=1500)
    assert plain.brand_id == JUYONDAI and plain.grade == "" and plain.stock == Stock(True, None)
    assert [i.id for i in await menu.items(owner)] == [item.id, plain.id]

    updated = await menu.update(owner, "獺祭", stock="在庫切れ")
    assert updated.id == item.id and not updated.available and updated.price_glass == 1800
    assert [i.id for i in await menu.items(owner, available_only=True)] == [plain.id]
    updated = await menu.update(owner, f"#{item.id}", stock=5, price_glass="")
    assert updated.available and updated.stock.count_left == 5 and updated.price_glass is None

    removed = await menu.remove(owner, "十四代")
    assert removed.id == plain.id
    assert [i.id for i in await menu.items(owner)] == [item.id]


async def test_adding_again_updates_the_same_item(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    first, _ = await menu.add(owner, "獺祭", price_glass=900, notes="house pour")
    again, created = await menu.add(owner, "Dassai", price_bottle=5000)
    assert not created and again.id == first.id
    assert (again.price_glass, again.price_bottle, again.notes) == (900, 5000, "house pour")
    other, created = await menu.add(owner, "獺祭 純米大吟醸", price_glass=1200)
    assert created and other.id != first.id  # another grade is another item


async def test_items_named_by_grade_and_ambiguity_is_explained(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    a, _ = await menu.add(owner, "獺祭 純米大吟醸 45")
    b, _ = await menu.add(owner, "獺祭 純米大吟醸 磨き二割三分")
    c, _ = await menu.add(owner, "獺祭 純米吟醸")
    assert (await menu.find(owner, "獺祭 純米吟醸")).id == c.id
    assert (await menu.find(owner, "獺祭 磨き二割三分")).id == b.id
    assert (await menu.find(owner, "dassai 45")).id == a.id
    with pytest.raises(SenseiError) as e:
        await menu.find(owner, "獺祭 純米大吟醸")
    assert e.value.code is Code.MENU_NOT_CHANGED and f"#{a.id}" in e.value.message("en") and f"#{b.id}" in e.value.message("ja")
    with pytest.raises(SenseiError) as e:
        await menu.update(owner, "黒龍", stock=0)
    assert "not on this menu" in e.value.message("en")


async def test_same_named_brands_need_a_brewery(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    with pytest.raises(SenseiError) as e:
        await menu.add(owner, "高砂")
    assert e.value.code is Code.UNKNOWN_SAKE and "brewery" in e.value.message("en") and "静岡県" in e.value.message("en")
    item, _ = await menu.add(owner, "高砂", prefecture="静岡")
    assert item.brand is not None and item.brand.prefecture == "静岡県"
    assert (await menu.find(owner, "高砂")).id == item.id  # only one 高砂 on this menu: no ambiguity


@pytest.mark.parametrize(
    "kwargs, code, words",
    [
        ({"sake": "獺際"}, Code.UNKNOWN_SAKE, "did you mean 獺祭"),
        ({"sake": "純米大吟醸"}, Code.UNKNOWN_SAKE, "not in the catalog"),
        ({"sake": "獺祭", "price_glass": "-100"}, Code.MENU_NOT_CHANGED, "not a number"),
        ({"sake": "獺祭", "price_glass": -100}, Code.MENU_NOT_CHANGED, "zero or more"),
        ({"sake": "獺祭", "price_bottle": "a lot"}, Code.MENU_NOT_CHANGED, "bottle price"),
        ({"sake": "獺祭", "price_glass": 99_999_999}, Code.MENU_NOT_CHANGED, "too large"),
        ({"sake": "獺祭", "price_glass": 9.5}, Code.MENU_NOT_CHANGED, "whole yen"),
        ({"sake": "獺祭", "stock": "-2"}, Code.MENU_NOT_CHANGED, "negative"),
        ({"sake": "獺祭", "stock": "maybe"}, Code.MENU_NOT_CHANGED, "can't read the stock"),
        ({"sake": "獺祭", "grade": "super premium"}, Code.MENU_NOT_CHANGED, "grade"),
        ({"sake": "獺祭", "notes": "x" * 1001}, Code.MENU_NOT_CHANGED, "too long"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(db: Database, menu: Menu, kwargs: dict, code: Code, words: str) -> None:
    owner, menu = await _restaurant(menu)
    sake = kwargs.pop("sake")
    with pytest.raises(SenseiError) as e:
        await menu.add(owner, sake, **kwargs)
    assert e.value.code is code and words in e.value.message("en"), e.value.message("en")
    assert e.value.message("ja") != e.value.message("en")
    assert await menu.items(owner) == []


async def test_update_refuses_unknown_fields_and_empty_changes(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    await menu.add(owner, "獺祭")
    with pytest.raises(SenseiError) as e:
        await menu.update(owner, "獺祭", restaurant_id=2)
    assert e.value.code is Code.MENU_NOT_CHANGED and "restaurant_id" in e.value.message("en")
    with pytest.raises(SenseiError):
        await menu.update(owner, "獺祭")
    with pytest.raises(SenseiError):
        await menu.update(owner, "獺祭", stock="")


async def test_changing_grade_into_an_existing_variant_is_refused(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    await menu.add(owner, "獺祭 純米大吟醸")
    plain, _ = await menu.add(owner, "獺祭")
    with pytest.raises(SenseiError) as e:
        await menu.update(owner, f"#{plain.id}", grade="junmai daiginjo")
    assert e.value.code is Code.MENU_NOT_CHANGED and "already on the menu" in e.value.message("en")
    assert (await menu.find(owner, f"#{plain.id}")).grade == ""


async def test_guests_read_but_cannot_change_the_menu(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    item, _ = await menu.add(owner, "獺祭", stock=4)
    guest = await principal(db, "guest", "w1")
    assert [i.id for i in await menu.items(guest)] == [item.id]
    for call in (
        menu.add(guest, "十四代"),
        menu.update(guest, "獺祭", stock=0),
        menu.remove(guest, "獺祭"),
    ):
        with pytest.raises(SenseiError) as e:
            await call
        assert e.value.code is Code.NOT_ALLOWED
        assert e.value.message("en") == (
            "You're not allowed to do that here. Only staff of w1-ya can change the menu; guests can ask for picks from the menu."
        )
        assert "スタッフだけ" in e.value.message("ja")
    assert (await menu.find(guest, "獺祭")).stock.count_left == 4


async def test_staff_and_platform_admins_can_change_the_menu(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    await Restaurants(db).add_staff(owner, "hana")
    hana = await principal(db, "hana", "w1")
    admin = await principal(db, "admin", "w1")
    await menu.add(hana, "獺祭")
    await menu.add(admin, "十四代", platform_admin=True)
    with pytest.raises(SenseiError):
        await menu.add(admin, "黒龍")  # the same person without the platform's word is a guest
    assert len(await menu.items(owner)) == 2


async def test_no_restaurant_means_no_menu(db: Database, menu: Menu) -> None:
    someone = await principal(db, "someone", "w1")
    for call in (menu.items(someone), menu.add(someone, "獺祭")):
        with pytest.raises(SenseiError) as e:
            await call
        assert e.value.code is Code.NOT_ALLOWED and "not set up as a restaurant" in e.value.message("en")


async def test_cards_carry_menu_fields_and_hide_counts_from_guests(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    item, _ = await menu.add(owner, "獺祭 純米大吟醸", price_glass=900, price_bottle=5000, stock=2)
    card = item.card("en")
    assert card is not None
    d = card.as_dict()
    assert d["brand_id"] == DASSAI and d["name"] == "獺祭" and d["price_glass"] == 900 and d["count_left"] == 2
    assert d["menu_line"] == f"#{item.id} 獺祭 純米大吟醸 — glass ¥900 · bottle ¥5,000, 2 left"
    guest_card = item.card("ja", counts=False)
    assert guest_card is not None and guest_card.as_dict()["count_left"] is None
    assert guest_card.as_dict()["menu_line"] == f"#{item.id} 獺祭 純米大吟醸 — グラス 900円・ボトル 5,000円、在庫あり"


@pytest.mark.parametrize(
    "text, expected",
    [("900", 900), ("¥1,200", 1200), ("1200円", 1200), ("９００", 900), ("900 yen", 900), ("", None), ("-", None), (0, 0), (900.0, 900)],
)
def test_prices(text: object, expected: int | None) -> None:
    assert parse_price(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3", Stock(True, 3)), ("3本", Stock(True, 3)), ("残り2", Stock(True, 2)), ("0", Stock(False, 0)), (True, Stock(True, None)),
        ("在庫切れ", Stock(False, 0)), ("sold out", Stock(False, 0)), ("○", Stock(True, None)), ("yes", Stock(True, None)),
        ("×", Stock(False, 0)), ("", None), ("4 bottles", Stock(True, 4)),
    ],
)
def test_stock(text: object, expected: Stock | None) -> None:
    assert parse_stock(text) == expected


async def test_a_name_written_exactly_beats_a_reading(db: Database, menu: Menu) -> None:
    owner, menu = await _restaurant(menu)
    item, _ = await menu.add(owner, "たかちよ")
    assert item.brand is not None and item.brand.name == "たかちよ"
    other, _ = await menu.add(owner, "高千代")
    assert other.brand is not None and other.brand.name == "高千代" and other.id != item.id
