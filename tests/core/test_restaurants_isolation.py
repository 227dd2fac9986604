"""Workspace A never sees or changes workspace B's menu, staff or stock: every entry point is keyed by the asker."""

from __future__ import annotations

import inspect

import pytest

from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.errors import Code, SenseiError
from core.pairing import Pairing
from core.preferences import Preferences
from core.privacy import export_user, forget_user
from core.profile import TasteProfiles
from core.recommender import Recommender
from core.restaurants import Menu, Restaurants, Role
from core.restaurants.cheatsheet import CheatSheet
from core.restaurants.menu_csv import MenuCsv
from core.restaurants.picks import Picks
from core.tasting import TastingLog
from tests.fakes.users import principal


@pytest.fixture
def services(db: Database, catalog: Catalog, search: CatalogSearch) -> tuple[Menu, MenuCsv, Picks, CheatSheet]:
    log = TastingLog(db, catalog)
    prefs = Preferences(db)
    menu = Menu(db, search)
    rec = Recommender(catalog, log, prefs, TasteProfiles(db, catalog, log, prefs), Pairing(catalog))
    return menu, MenuCsv(menu), Picks(menu, rec), CheatSheet(menu, Pairing(catalog))


async def test_two_restaurants_never_meet(db: Database, services: tuple[Menu, MenuCsv, Picks, CheatSheet]) -> None:
    menu, csvs, picks, sheet = services
    a = await principal(db, "owner-a", "A")
    b = await principal(db, "owner-b", "B")
    await Restaurants(db).setup(a, "A-ya")
    await Restaurants(db).setup(b, "B-ya")
    a_item, _ = await menu.add(a, "獺祭", price_glass=900, stock=3)
    b_item, _ = await menu.add(b, "大七", price_glass=700, stock=5)

    assert [i.id for i in await menu.items(a)] == [a_item.id]
    assert [i.id for i in await menu.items(b)] == [b_item.id]
    # B's item id, named from A, is not on A's menu: not read, not changed, not removed
    for call in (
        menu.find(a, b_item.id),
        menu.update(a, f"#{b_item.id}", stock=0),
        menu.remove(a, b_item.id),
        menu.update(a, "大七", stock=0),
    ):
        with pytest.raises(SenseiError) as e:
            await call
        assert e.value.code is Code.MENU_NOT_CHANGED
    assert (await menu.find(b, b_item.id)).stock.count_left == 5
    # picks come from the asker's stock only, whatever the taste
    assert {p.item.id for p in await picks.picks(a, want={"f3": 1}, limit=5)} == {a_item.id}
    assert {p.item.id for p in await picks.picks(b, want={"f1": 1}, limit=5)} == {b_item.id}
    # the export, the import and the cheat sheet are the asker's own
    exported = (await csvs.export_csv(a)).decode("utf-8-sig")
    assert "獺祭" in exported and "大七" not in exported
    await csvs.import_csv(a, "name,glass\n黒龍,800\n".encode(), replace=True)
    assert [i.name for i in await menu.items(a)] == ["黒龍"]
    assert [i.id for i in await menu.items(b)] == [b_item.id]
    assert [c.item.name for c in await sheet.cards(b)] == ["大七"]


async def test_owner_and_staff_of_a_are_guests_in_b(db: Database, services: tuple[Menu, MenuCsv, Picks, CheatSheet]) -> None:
    menu, csvs, _, sheet = services
    r = Restaurants(db)
    a = await principal(db, "owner-a", "A")
    b = await principal(db, "owner-b", "B")
    await r.setup(a, "A-ya")
    await r.setup(b, "B-ya")
    await r.add_staff(a, "hana")
    for who in ("owner-a", "hana"):  # the same platform ids, in workspace B
        in_b = await principal(db, who, "B")
        assert await r.role(in_b) is Role.GUEST
        for call in (menu.add(in_b, "獺祭"), csvs.export_csv(in_b), sheet.cards(in_b), r.add_staff(in_b, "x"), r.setup(in_b, "mine")):
            with pytest.raises(SenseiError) as e:
                await call
            assert e.value.code is Code.NOT_ALLOWED


def test_no_entry_point_takes_a_workspace() -> None:
    """The asker's Principal is the only way in: no parameter could name another workspace or restaurant."""
    from core.restaurants import cheatsheet, menu, menu_csv, picks, roles

    forbidden = {"workspace", "workspace_id", "restaurant", "restaurant_id", "team", "guild", "group"}
    for module in (roles, menu, menu_csv, picks, cheatsheet):
        for cls in (getattr(module, n) for n in dir(module)):
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for name, fn in inspect.getmembers(cls, inspect.iscoroutinefunction):
                if name.startswith("_"):
                    continue
                params = list(inspect.signature(fn).parameters)
                assert params[1] == "principal", (cls.__name__, name)
                assert not forbidden & set(params), (cls.__name__, name, params)


async def test_forgetting_a_staff_member_removes_their_membership_and_export_shows_it(db: Database) -> None:
    r = Restaurants(db)
    owner = await principal(db, "owner", "A")
    await r.setup(owner, "A-ya")
    await r.add_staff(owner, "hana")
    hana = await principal(db, "hana", "A")
    exported = await export_user(db, str(hana.user_id))
    assert exported["data"]["restaurant_members"] == [
        {"restaurant_id": 1, "user_id": hana.user_id, "role": "staff", "added_at": exported["data"]["restaurant_members"][0]["added_at"]}
    ]
    removed = await forget_user(db, str(hana.user_id))
    assert removed["restaurant_members"] == 1
    assert [m.external_id for m in await r.members(owner)] == ["owner"]
