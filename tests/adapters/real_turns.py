"""Real turns of the real offline brain (no scripted replies), for the per-platform render tests.

Each entry is a reply as the core gives it to an adapter: a brand card, several picks, a label
photo result and its candidates, a survey step, the profile, Log it (stars on the card), and
"Log with notes" (the note form). The label reader is the fake one of the agent tests (OCR is not
what is tested here); everything after it (the tools, the reply, its buttons and words) is real.
"""

from __future__ import annotations

from core import actions
from core.agent.brain import AgentBrain
from core.agent.memory import ConversationMemory
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Reply
from core.restaurants.services import RestaurantServices
from core.sensei import Sensei
from core.texts import t
from tests.core.agent.conftest import BLURRY_PHOTO, DASSAI_PHOTO, Chat, make_services


async def real_replies(chat: Chat) -> dict[str, Reply]:
    """Name -> reply, in English and Japanese, from one user's conversation."""
    out: dict[str, Reply] = {}
    out["card_en"] = await chat.say("tell me about dassai")
    out["picks_en"] = await chat.say("recommend a dry sake from Niigata")
    out["label_photo"] = await chat.say("", images=[DASSAI_PHOTO])
    out["label_candidates"] = await chat.say("", images=[BLURRY_PHOTO])
    out["log_it"] = await chat.press(actions.pack(actions.Log(431)))
    out["note_form"] = await chat.press(actions.pack(actions.Note(887)))
    out["survey_step"] = await chat.press(actions.pack(actions.SurveyStart()))
    out["profile_en"] = await chat.press(actions.pack(actions.Command("profile")))
    ja = chat.as_user("hanako")
    out["card_ja"] = await ja.say("獺祭について教えて")
    out["picks_ja"] = await ja.say("フルーティな日本酒のおすすめは?")
    out["survey_ja"] = await ja.press(actions.pack(actions.SurveyStart()))
    out["profile_ja"] = await ja.press(actions.pack(actions.Command("profile")))
    return out


def check_turns(replies: dict[str, Reply]) -> None:
    """The turns are what their names say (so that a render test cannot pass on empty replies)."""
    assert len(replies["card_en"].cards) == 1 and replies["card_en"].cards[0].actions
    assert len(replies["picks_en"].cards) > 1 and all(c.actions for c in replies["picks_en"].cards)
    assert replies["label_photo"].cards and replies["label_photo"].cards[0].rating is not None
    assert len(replies["label_candidates"].actions) > 1
    assert replies["log_it"].cards and replies["log_it"].cards[0].rating is not None
    assert replies["note_form"].form is not None
    assert any(isinstance(b.action, actions.SurveyAnswer) for b in replies["survey_step"].buttons())
    assert replies["card_ja"].lang == "ja" and replies["survey_ja"].lang == "ja"


async def staff_replies(db: Database, catalog: Catalog, search: CatalogSearch) -> dict[str, Reply]:
    """A restaurant's menu through the real offline brain: staff's menu cards (Sold out / In stock and
    Remove from menu on each), a stock flip, the remove confirmation, and a guest's menu (no staff buttons)."""
    services = make_services(db, catalog, search)
    services.restaurants = RestaurantServices.build(db, search, services.recommender)
    brain = AgentBrain(services, ConversationMemory(db))
    chat = Chat(Sensei(Identity(db), Inbox(db), brain), brain)
    owner = chat.as_user("owner", "tanuki")
    await owner.say("set up a restaurant called Sakaba Tanuki")
    for text in ("add 獺祭 to the menu at 900 yen a glass", "add 十四代 to the menu, 1500 yen a glass, 3 bottles",
                 "add 黒龍 to the menu at ¥1,100", "add 大七 to the menu for 800 yen a glass", "add 新政 to the menu at 1000 yen a glass"):
        assert (await owner.say(text)).tools == ["menu_add"]
    out: dict[str, Reply] = {"menu_staff": await owner.say("show the menu")}
    item = out["menu_staff"].cards[0].extra["menu_item_id"]
    out["sold_out"] = await owner.press(actions.pack(actions.Stock(item, False)))
    out["remove_confirm"] = await owner.press(actions.pack(actions.MenuRemove(item)))
    out["menu_staff_ja"] = await owner.say("メニューを見せて")
    out["menu_guest"] = await chat.as_user("guest", "tanuki").say("show the menu")
    return out


def check_staff_turns(replies: dict[str, Reply]) -> None:
    """The staff turns are what their names say, with the catalog's labels."""
    def staff_labels(reply: Reply) -> list[str]:
        return [b.label for c in reply.cards for b in c.actions if isinstance(b.action, (actions.Stock, actions.MenuRemove))]

    assert len(replies["menu_staff"].cards) == 5
    assert staff_labels(replies["menu_staff"]) == [t("button.sold_out", "en"), t("button.menu_remove", "en")] * 5
    assert staff_labels(replies["sold_out"]) == [t("button.in_stock", "en"), t("button.menu_remove", "en")]
    assert [b.label for b in replies["remove_confirm"].actions] == [t("button.menu_remove_confirm", "en")]
    ja = [t("button.in_stock", "ja"), t("button.menu_remove", "ja")] + [t("button.sold_out", "ja"), t("button.menu_remove", "ja")] * 4
    assert replies["menu_staff_ja"].lang == "ja" and staff_labels(replies["menu_staff_ja"]) == ja  # the first was sold out
    assert replies["menu_guest"].cards and staff_labels(replies["menu_guest"]) == []
