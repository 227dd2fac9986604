"""Staff's buttons on menu cards: Sold out / In stock and Remove from menu (which asks first), from the
catalog's words; guests see none, and a guest who sends one anyway is refused (SS-010)."""

from __future__ import annotations

import pytest

from core import actions
from core.agent.brain import AgentBrain
from core.agent.memory import ConversationMemory
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Message, Reply, StateKey
from core.restaurants.services import RestaurantServices
from core.sensei import Sensei
from core.texts import t
from tests.core.agent.conftest import make_services
from tests.core.agent.test_restaurant_agent import DASSAI, Place, _open


@pytest.fixture
def place(db: Database, catalog: Catalog, search: CatalogSearch) -> Place:
    services = make_services(db, catalog, search)
    services.restaurants = RestaurantServices.build(db, search, services.recommender)
    brain = AgentBrain(services, ConversationMemory(db))
    return Place(Sensei(Identity(db), Inbox(db), brain), brain, "T-TANUKI")


def staff_buttons(reply: Reply) -> list[actions.UserAction]:
    return [b.action for c in reply.cards for b in c.actions if isinstance(b.action, (actions.Stock, actions.MenuRemove))]


async def press(place: Place, user: str, action: actions.UserAction, *, admin: bool = False) -> Reply:
    reply = await place.sensei.handle(Message(key=StateKey(place.platform, place.workspace, "C1", user), action=action,
                                              platform_admin=admin))
    assert reply is not None
    return reply


async def test_staff_menu_cards_carry_stock_and_remove_buttons_once(place: Place) -> None:
    await _open(place)
    menu = await place.say("U-OWNER", "show the menu")
    assert menu.tools == ["menu_list"] and menu.cards
    for card in menu.cards:
        item = card.extra["menu_item_id"]
        labels = [b.label for b in card.actions]
        assert labels == ["Log it", "Similar", "Sold out", "Remove from menu"]  # Wishlist gives way (Discord's rows)
        assert [b.action for b in card.actions][2:] == [actions.Stock(item, False), actions.MenuRemove(item)]
    ids = [b.id for b in menu.buttons()]
    assert len(ids) == len(set(ids))

    guest = await place.say("U-GUEST", "show the menu")
    assert guest.cards and staff_buttons(guest) == []
    assert all([b.label for b in c.actions] == ["Log it", "Similar", "Wishlist"] for c in guest.cards)
    picks = await place.say("U-GUEST", "what should I pour for a guest who likes fruity and light")
    assert picks.tools == ["picks_from_stock"] and picks.cards and staff_buttons(picks) == []
    staff_picks = await place.say("U-OWNER", "what should I pour for a guest who likes fruity and light")
    assert staff_picks.cards and len(staff_buttons(staff_picks)) == 2 * len(staff_picks.cards)


async def test_sold_out_then_in_stock_flips_the_button(place: Place) -> None:
    await _open(place)
    card = next(c for c in (await place.say("U-OWNER", "show the menu")).cards if c.brand_id == DASSAI)
    item = card.extra["menu_item_id"]
    sold = await press(place, "U-OWNER", actions.Stock(item, False))
    assert sold.tools == ["menu_update"] and sold.error is None
    assert sold.cards[0].extra["in_stock"] is False
    assert [b.label for b in sold.cards[0].actions][2:] == ["In stock", "Remove from menu"]
    back = await press(place, "U-OWNER", actions.Stock(item, True))
    assert back.cards[0].extra["in_stock"] is True and [b.label for b in back.cards[0].actions][2] == "Sold out"


async def test_remove_asks_first_then_removes(place: Place) -> None:
    await _open(place)
    card = next(c for c in (await place.say("U-OWNER", "show the menu")).cards if c.brand_id == DASSAI)
    item = card.extra["menu_item_id"]
    ask = await press(place, "U-OWNER", actions.MenuRemove(item))
    assert ask.text == t("menu.remove_confirm", "en", id=item, name="獺祭") and ask.error is None
    assert [(b.action, b.label, b.style) for b in ask.actions] == [(actions.MenuRemove(item, True), "Yes, remove it", "danger")]
    assert len((await place.say("U-OWNER", "show the menu")).cards) == 5  # nothing removed yet
    done = await press(place, "U-OWNER", actions.MenuRemove(item, True))
    assert done.tools == ["menu_remove"] and done.error is None and "獺祭" in done.text
    assert DASSAI not in [c.brand_id for c in (await place.say("U-OWNER", "show the menu")).cards]


async def test_a_guest_pressing_staff_buttons_is_refused(place: Place) -> None:
    await _open(place)
    item = next(c for c in (await place.say("U-OWNER", "show the menu")).cards if c.brand_id == DASSAI).extra["menu_item_id"]
    for action in (actions.Stock(item, False), actions.MenuRemove(item), actions.MenuRemove(item, True)):
        r = await press(place, "U-GUEST", action)
        assert r.error is not None and r.error["code"] == "SS-010" and not r.actions, action
    assert DASSAI in [c.brand_id for c in (await place.say("U-GUEST", "show the menu")).cards]
    assert (await press(place, "U-ADMIN", actions.Stock(item, False), admin=True)).error is None  # workspace admins are staff


async def test_japanese_labels(place: Place) -> None:
    await _open(place)
    r = await place.sensei.handle(Message(key=StateKey(place.platform, place.workspace, "C1", "U-OWNER"), text="メニューを見せて"))
    assert r is not None and r.lang == "ja"
    assert [b.label for b in r.cards[0].actions][2:] == ["品切れ", "メニューから外す"]
