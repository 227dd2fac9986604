"""Picks from stock: only in-stock items, each with a reason, a serving temperature and a guest line (EN/JA)."""

from __future__ import annotations

import pytest

from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.errors import Code, SenseiError
from core.identity import Principal
from core.pairing import Pairing
from core.preferences import Preferences
from core.profile import TasteProfiles
from core.recommender import Recommender
from core.restaurants import Menu, Restaurants
from core.restaurants.picks import Picks
from core.tasting import TastingLog
from core.tasting_input import TastingInput
from tests.fakes.clock import FakeClock
from tests.fakes.users import principal

DASSAI, JUYONDAI, KOKURYU, ARAMASA = 887, 144, 522, 109
STOCKED = ["獺祭", "十四代", "黒龍", "八海山", "大七", "神亀", "菊正宗"]


@pytest.fixture
def picks(db: Database, catalog: Catalog, search: CatalogSearch) -> Picks:
    clock = FakeClock()
    log = TastingLog(db, catalog, clock)
    prefs = Preferences(db, clock)
    rec = Recommender(catalog, log, prefs, TasteProfiles(db, catalog, log, prefs), Pairing(catalog))
    return Picks(Menu(db, search), rec)


async def _menu(picks: Picks, workspace: str = "w1", stocked: list[str] = STOCKED, out: tuple[str, ...] = ("新政", "而今")) -> Principal:
    owner = await principal(picks.menu.db, "owner", workspace)
    await Restaurants(picks.menu.db).setup(owner, "Tanuki")
    for name in stocked:
        await picks.menu.add(owner, name, price_glass=900)
    for name in out:
        await picks.menu.add(owner, name, stock="在庫切れ")
    return owner


async def test_fruity_and_light_picks_only_from_stock(picks: Picks) -> None:
    owner = await _menu(picks)
    stocked = {i.brand_id for i in await picks.menu.items(owner, available_only=True)}
    got = await picks.picks(owner, want={"f1": 1, "f6": 1}, limit=5)
    assert len(got) == 5 and {p.item.brand_id for p in got} <= stocked
    assert ARAMASA not in {p.item.brand_id for p in got}  # light and floral, but out of stock
    top = got[0]
    assert top.item.brand_id in (DASSAI, JUYONDAI, KOKURYU)
    assert "aromatic" in top.reason and "lighter" in top.reason
    assert top.temperature == "chilled" and top.temperature_label("en") == "chilled"
    assert top.pitch.startswith(f"This is {top.item.name}") and "chilled" in top.pitch
    for p in got:
        assert p.reason and p.pitch and p.temperature in ("chilled", "room", "warm", "hot")


async def test_pairing_with_grilled_mackerel_in_english_and_japanese(picks: Picks) -> None:
    owner = await _menu(picks)
    en = await picks.picks(owner, food="grilled mackerel")
    assert en and all(p.family is not None and p.family.id == "grilled_fish" for p in en)
    for p in en:
        assert p.reason.startswith("Grilled fish:") and p.temperature == "room"
        assert "grilled mackerel" in p.pitch and "room temperature" in p.pitch
    ja = await picks.picks(owner, food="サバの塩焼き", lang="ja")
    assert [p.item.id for p in ja] == [p.item.id for p in en]
    for p in ja:
        assert p.reason.startswith("焼き魚:") and "常温" in p.pitch and "サバの塩焼きによく合います" in p.pitch
        assert p.temperature_label("ja") == "常温"


async def test_the_best_match_out_of_stock_is_never_picked(picks: Picks) -> None:
    owner = await _menu(picks, stocked=["大七"], out=("獺祭", "十四代", "新政"))
    got = await picks.picks(owner, want={"f1": 1, "f6": 1}, limit=3)
    assert [p.item.name for p in got] == ["大七"]
    await picks.menu.update(owner, "大七", stock=0)
    with pytest.raises(SenseiError) as e:
        await picks.picks(owner, want={"f1": 1})
    assert e.value.code is Code.RECOMMENDATION_FAILED and "in stock" in e.value.message("en") and "在庫" in e.value.message("ja")


async def test_a_count_of_zero_is_out_of_stock(picks: Picks) -> None:
    owner = await _menu(picks, stocked=["大七", "獺祭"], out=())
    await picks.menu.update(owner, "獺祭", stock=0)
    assert {p.item.name for p in await picks.picks(owner, limit=5)} == {"大七"}


async def test_empty_menu_and_unknown_dish_are_explained(picks: Picks) -> None:
    owner = await _menu(picks, stocked=[], out=())
    with pytest.raises(SenseiError) as e:
        await picks.picks(owner)
    assert "menu is empty" in e.value.message("en")
    await picks.menu.add(owner, "獺祭")
    with pytest.raises(SenseiError) as e:
        await picks.picks(owner, food="zxqv")
    assert e.value.code is Code.RECOMMENDATION_FAILED and "zxqv" in e.value.message("en")


async def test_the_askers_own_tastings_neither_hide_nor_steer_guest_picks(picks: Picks, db: Database) -> None:
    owner = await _menu(picks, stocked=["獺祭"], out=())
    await picks.recommender.tasting.add(owner, TastingInput(brand_id=DASSAI, rating=1))
    got = await picks.picks(owner, want={"f5": 1})
    assert [p.item.brand_id for p in got] == [DASSAI]


async def test_guests_get_picks_and_never_see_counts(picks: Picks, db: Database) -> None:
    owner = await _menu(picks, stocked=[], out=())
    await picks.menu.add(owner, "黒龍", stock=4, price_glass=1100)
    guest = await principal(db, "guest", "w1")
    got = await picks.picks(guest, food="sashimi")
    assert [p.item.brand_id for p in got] == [KOKURYU]
    assert not await picks.counts_visible(guest) and await picks.counts_visible(owner)
    card = got[0].card("en", counts=await picks.counts_visible(guest))
    assert card is not None
    d = card.as_dict()
    assert d["count_left"] is None and d["in_stock"] is True and d["price_glass"] == 1100
    assert d["serve"] == "chilled" and d["pitch"] == got[0].pitch and d["reason"] == got[0].reason


async def test_for_me_without_preferences_falls_back_to_popular_in_stock(picks: Picks, db: Database) -> None:
    await _menu(picks)
    guest = await principal(db, "guest", "w1")
    got = await picks.picks(guest, for_me=True, limit=2)
    assert len(got) == 2 and got[0].item.brand_id == JUYONDAI  # Sakenowa's #3, in stock
    assert all("Sakenowa" in p.reason for p in got)
    assert ARAMASA not in {p.item.brand_id for p in got}


async def test_several_bottlings_of_one_brand_pour_the_one_sold_by_the_glass(picks: Picks) -> None:
    owner = await _menu(picks, stocked=[], out=())
    bottle, _ = await picks.menu.add(owner, "獺祭 純米大吟醸 磨き二割三分", price_bottle=12000)
    glass, _ = await picks.menu.add(owner, "獺祭 純米大吟醸 45", price_glass=900)
    got = await picks.picks(owner, want={"f1": 1})
    assert len(got) == 1 and got[0].item.id == glass.id and [o.id for o in got[0].others] == [bottle.id]
    assert "純米大吟醸" in got[0].pitch
