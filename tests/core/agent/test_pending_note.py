"""After "Log with notes", the user's next plain message is the note (LINE's form has no text field):
kept in the conversation memory for ten minutes on the memory's injected clock, per user and channel,
closed by "cancel", a button or command, a submitted form, or the note itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core import actions
from core.agent.brain import AgentBrain
from core.agent.memory import ConversationMemory
from core.agent.pending_note import WINDOW
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.messages import StateKey
from core.sensei import Sensei
from core.texts import t
from tests.core.agent.conftest import Chat, make_services

NOTE = actions.pack(actions.Note(887))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat(db: Database, catalog: Catalog, search: CatalogSearch, clock: Clock) -> Chat:
    brain = AgentBrain(make_services(db, catalog, search), ConversationMemory(db, clock=clock))
    return Chat(Sensei(Identity(db), Inbox(db), brain), brain)


async def tastings(chat: Chat) -> list[tuple[int | None, float | None, str | None]]:
    principal = await chat.sensei.identity.find(chat.key)
    if principal is None:
        return []
    return [(x.brand_id, x.rating, x.notes) for x in await chat.brain.services.tastings.page(principal)]


async def test_the_next_message_is_the_note_then_the_stars_complete_it(chat: Chat) -> None:
    form = await chat.press(NOTE)
    assert form.form is not None and form.form.next_message == t("form.note.type_next", "en")
    noted = await chat.say("fruity, lovely with tempura")
    assert noted.tools == ["log_tasting"] and noted.cards[0].brand_id == 887 and noted.cards[0].rating is not None
    assert await tastings(chat) == [(887, None, "fruity, lovely with tempura")]
    await chat.press(actions.pack(actions.Rate(887, 4)))
    assert await tastings(chat) == [(887, 4.0, "fruity, lovely with tempura")]  # one record, not two
    again = await chat.say("recommend a dry sake")  # the note was taken: this is a request again
    assert again.tools == ["recommend"]


async def test_cancel_closes_it_without_saving(chat: Chat) -> None:
    await chat.press(NOTE)
    r = await chat.say("Cancel")
    assert r.text == t("form.note.cancelled", "en") and await tastings(chat) == []
    assert (await chat.say("recommend a dry sake")).tools == ["recommend"]
    ja = chat.as_user("hanako")
    await ja.press(NOTE)
    assert (await ja.say("キャンセル")).text == t("form.note.cancelled", "ja")


async def test_it_expires(chat: Chat, clock: Clock) -> None:
    await chat.press(NOTE)
    clock.now += WINDOW + timedelta(seconds=1)
    assert (await chat.say("recommend a dry sake")).tools == ["recommend"] and await tastings(chat) == []


async def test_just_inside_the_window_it_is_still_the_note(chat: Chat, clock: Clock) -> None:
    await chat.press(NOTE)
    clock.now += WINDOW - timedelta(seconds=1)
    assert (await chat.say("recommend a dry sake")).tools == ["log_tasting"]
    assert await tastings(chat) == [(887, None, "recommend a dry sake")]


async def test_a_command_or_a_submitted_form_closes_it(chat: Chat) -> None:
    await chat.press(NOTE)
    await chat.press(actions.pack(actions.Command("history")))
    assert (await chat.say("recommend a dry sake")).tools == ["recommend"]
    await chat.press(NOTE)
    await chat.press(NOTE, {"rating": "4"})  # LINE's rating quick reply submits the form
    assert (await chat.say("recommend a dry sake")).tools == ["recommend"]
    assert await tastings(chat) == [(887, 4.0, None)]


async def test_only_that_user_in_that_channel(chat: Chat) -> None:
    await chat.press(NOTE)
    assert (await chat.as_user("bob").say("recommend a dry sake")).tools == ["recommend"]
    elsewhere = Chat(chat.sensei, chat.brain, StateKey("local", "local", "other-channel", "alice"))
    assert (await elsewhere.say("recommend a dry sake")).tools == ["recommend"]
    assert (await chat.say("smooth and dry")).tools == ["log_tasting"]
    assert await tastings(chat) == [(887, None, "smooth and dry")]
