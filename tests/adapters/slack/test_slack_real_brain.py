"""The real offline brain's replies in Block Kit: every action the core offers shows exactly once,
with the catalog's words, and nothing else is added (the doubled Log / Similar / Wishlist bug)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.slack import render
from core import actions
from core.actions import Command, Log, Note, Pick, Rate, Similar, SurveyAnswer, SurveyStart, UserAction, Wish
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.messages import Image, Message, Reply
from core.texts import t
from tests.adapters.real_turns import check_staff_turns, staff_replies
from tests.core.agent.conftest import BLURRY_PHOTO, DASSAI_PHOTO, Chat, make_chat


@pytest.fixture
async def chat(db: Database, catalog: Catalog, search: CatalogSearch) -> AsyncIterator[Chat]:
    yield make_chat(db, catalog, search)


async def say(chat: Chat, text: str = "", images: list[bytes] | None = None) -> Reply:
    reply = await chat.sensei.handle(Message(key=chat.key, text=text, images=[Image(data=b) for b in images or []]))
    assert reply is not None
    return reply


async def press(chat: Chat, action: UserAction, values: dict[str, Any] | None = None) -> Reply:
    reply = await chat.sensei.handle(Message(key=chat.key, action=action, action_values=values or {}))
    assert reply is not None
    return reply


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [el for b in blocks if b["type"] == "actions" for el in b["elements"]]


def assert_each_core_action_once(reply: Reply) -> list[dict[str, Any]]:
    """The Block Kit's interactive elements are exactly the reply's buttons: same actions, same labels, once each."""
    blocks = render.reply_blocks(reply)
    shown = [(el["value"], el["text"]["text"]) for el in elements(blocks)]
    expected = [(b.id, b.label) for b in reply.buttons()]
    if reply.form is not None:
        expected.insert(0, (reply.form.submit.id, reply.form.title))
    assert Counter(shown) == Counter(expected), (shown, expected)
    values = [v for v, _ in shown]
    assert len(values) == len(set(values)), f"an action shown twice: {values}"
    ids = [el["action_id"] for el in elements(blocks)]
    assert len(ids) == len(set(ids)) and not any("#" in i for i in ids)  # no clash hidden by a suffix
    return blocks


def card_values(blocks: list[dict[str, Any]]) -> list[str]:
    return [el["value"] for el in elements(blocks)]


async def test_a_brand_card_has_its_three_buttons_once(chat: Chat) -> None:
    reply = await say(chat, "tell me about dassai")
    assert [c.brand_id for c in reply.cards][:1] == [887]
    blocks = assert_each_core_action_once(reply)
    values = card_values(blocks)
    assert values.count("log:887") == values.count("similar:887") == values.count("wish:887") == 1
    labels = {el["value"]: el["text"]["text"] for el in elements(blocks)}
    assert labels["log:887"] == t("button.log", "en") and labels["similar:887"] == t("button.similar", "en")
    assert labels["wish:887"] == t("button.wish", "en")


async def test_japanese_card_has_japanese_buttons(chat: Chat) -> None:
    reply = await say(chat, "獺祭について教えて")
    assert reply.lang == "ja"
    blocks = assert_each_core_action_once(reply)
    labels = {el["value"]: el["text"]["text"] for el in elements(blocks)}
    assert labels["log:887"] == t("button.log", "ja") and labels["wish:887"] == t("button.wish", "ja")


@pytest.mark.parametrize("text", ["something fruity", "recommend a dry sake from Niigata", "フルーティなお酒"])
async def test_several_picks_each_with_their_own_buttons(chat: Chat, text: str) -> None:
    reply = await say(chat, text)
    assert len(reply.cards) >= 2 and reply.tools == ["recommend"]
    blocks = assert_each_core_action_once(reply)
    values = card_values(blocks)
    for card in reply.cards:
        assert [v for v in values if v.endswith(f":{card.brand_id}")] == [f"log:{card.brand_id}", f"similar:{card.brand_id}",
                                                                          f"wish:{card.brand_id}"]
    assert not any(": " in el["text"]["text"] for el in elements(blocks))  # no "Log it: 獺祭" copies


async def test_a_label_photo_result_has_stars_one_to_five_and_log_with_notes(chat: Chat) -> None:
    reply = await say(chat, "", images=[DASSAI_PHOTO])
    blocks = assert_each_core_action_once(reply)
    values = card_values(blocks)
    stars = [v for v in values if v.startswith("rate:887:")]
    assert stars == [actions.pack(Rate(887, n)) for n in (1, 2, 3, 4, 5)]  # 1 to 5, in that order
    assert not any(el.get("style") for el in elements(blocks) if el["value"] in stars)  # nothing pre-selected
    labels = {el["value"]: el["text"]["text"] for el in elements(blocks)}
    assert labels["note:887"] == t("button.note", "en") and "log:887" not in labels
    assert [labels[s] for s in stars] == [t("rating.stars", "en", n=n) for n in (1, 2, 3, 4, 5)]

    form = await press(chat, Note(887))  # "Log with notes": the core's form, as a modal
    assert form.form is not None
    modal = render.form_modal(form.form, form.lang, {"target": {"channel": "D1"}})
    assert [b["block_id"] for b in modal["blocks"] if b["type"] == "input"] == ["rating", "notes", "temperature", "food"]
    assert modal["title"]["text"] == t("form.note.title", "en") and '"action": "note:887"' in modal["private_metadata"]
    assert_each_core_action_once(form)


async def test_label_candidates_are_picked_once(chat: Chat) -> None:
    reply = await say(chat, "what is this?", images=[BLURRY_PHOTO])
    blocks = assert_each_core_action_once(reply)
    assert [v for v in card_values(blocks) if v.startswith("pick:")] == [actions.pack(Pick(b)) for b in (887, 431, 380)]


async def test_logging_shows_stars_instead_of_a_second_log(chat: Chat) -> None:
    await say(chat, "kubota")
    reply = await press(chat, Log(431))
    blocks = assert_each_core_action_once(reply)
    values = card_values(blocks)
    assert "log:431" not in values and [v for v in values if v.startswith("rate:")] == [f"rate:431:{n}" for n in range(1, 6)]
    assert values[:2] == [actions.pack(Similar(431)), actions.pack(Wish(431))]


async def test_a_survey_step_and_the_profile(chat: Chat) -> None:
    profile = await press(chat, Command("profile"))  # not ready yet: the survey button, once
    blocks = assert_each_core_action_once(profile)
    assert card_values(blocks) == [actions.pack(SurveyStart())]
    assert elements(blocks)[0]["text"]["text"] == t("button.survey_take", "en")

    step = await press(chat, SurveyStart())
    blocks = assert_each_core_action_once(step)
    answers = [v for v in card_values(blocks) if v.startswith("survey:")]
    assert answers and all(isinstance(actions.unpack(v), SurveyAnswer) for v in answers)
    q = actions.unpack(answers[0])
    assert isinstance(q, SurveyAnswer)
    nxt = await press(chat, q)
    assert_each_core_action_once(nxt)
    profile = await press(chat, Command("profile"))
    assert_each_core_action_once(profile)


async def test_staff_menu_buttons_once_with_their_catalog_labels(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    replies = await staff_replies(db, catalog, search)
    check_staff_turns(replies)
    for reply in replies.values():
        assert_each_core_action_once(reply)
