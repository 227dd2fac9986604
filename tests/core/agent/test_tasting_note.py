"""The words after a rating are the tasting note: "dassai 4 stars, fruity and clean" keeps "fruity and clean".

Failed on the old code: the note was saved only after "notes:", so everything else a drinker wrote in
the same breath was silently lost, and the confirmation ("Logged 獺祭 ★4.") could not show it.
"""

from __future__ import annotations

import pytest

from core.agent.brain import AgentBrain
from core.agent.memory import ConversationMemory
from core.agent.tasting_note import trailing_note
from core.agent.understanding import Understanding
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.sensei import Sensei
from tests.core.agent.conftest import Chat, make_services

DASSAI = ("獺祭", "だっさい", "dassai")


@pytest.mark.parametrize("text, note", [
    ("dassai 4 stars, fruity and clean", "fruity and clean"),
    ("kubota 3/5 too dry for me", "too dry for me"),
    ("Dassai 4/5 - Lovely with sashimi", "Lovely with sashimi"),  # as written, case kept
    ("4 stars for dassai, lovely and fruity", "lovely and fruity"),  # the sake's name is not the note
    ("獺祭 星4 フルーティで綺麗", "フルーティで綺麗"),
    ("星4で獺祭を記録、甘くて美味しい", "甘くて美味しい"),
    ("4 stars for dassai", None), ("dassai 5 stars please", None), ("dassai, 5 stars!", None), ("獺祭を星5で記録", None),
    ("獺祭 4点", None), ("rate dassai 4", None), ("tell me about dassai", None),
])
def test_the_words_after_the_rating(text: str, note: str | None) -> None:
    assert trailing_note(text, DASSAI) == note


def test_a_log_turn_carries_the_note(search: CatalogSearch) -> None:
    got = Understanding(search).understand("dassai 4 stars, fruity and clean")
    assert got.tool == "log_tasting" and got.args == {"brand_id": 887, "rating": 4.0, "notes": "fruity and clean"}
    written = Understanding(search).understand("dassai 4 stars notes: great with tempura")
    assert written.args["notes"] == "great with tempura"  # "notes:" still wins


async def test_the_note_is_saved_and_repeated_in_the_confirmation(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    brain = AgentBrain(make_services(db, catalog, search), ConversationMemory(db))
    chat = Chat(Sensei(Identity(db), Inbox(db), brain), brain)
    en = await chat.say("dassai 4 stars, fruity and clean")
    assert en.text == "Logged 獺祭 ★4, with your note: “fruity and clean”."
    ja = await chat.say("久保田 星3 ちょっと辛すぎ")
    assert ja.text == "久保田 ★3 を記録しました。メモ: 「ちょっと辛すぎ」"
    principal = await chat.sensei.identity.find(chat.key)
    assert principal is not None
    saved = [(x.brand_id, x.rating, x.notes) for x in await brain.services.tastings.page(principal)]
    assert sorted(saved) == [(431, 3.0, "ちょっと辛すぎ"), (887, 4.0, "fruity and clean")]
