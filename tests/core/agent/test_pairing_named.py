"""Sakes the user names with a dish: "dassai or kubota for tempura?", "is kubota good with oden?".

Failed on the old code: the named sakes were dropped and the answer was the dish's usual picks, so the
question asked (which of these two? does this one work?) was never answered.
"""

from __future__ import annotations

import math

import pytest

from core.agent.brain import AgentBrain
from core.agent.memory import ConversationMemory
from core.agent.understanding import Understanding
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.flavor_space import FlavorSpace
from core.identity import Identity
from core.inbox import Inbox
from core.pairing import Pairing
from core.pairing_fit import fits
from core.sensei import Sensei
from tests.core.agent.conftest import Chat, make_services

DASSAI, KUBOTA, HAKKAISAN = 887, 431, 380


@pytest.mark.parametrize("text, food, among", [
    ("does dassai go with tempura?", "tempura", [DASSAI]),
    ("dassai or kubota for tempura?", "tempura", [DASSAI, KUBOTA]),
    ("獺祭と久保田、天ぷらに合うのはどっち?", "tempura", [DASSAI, KUBOTA]),
    ("is kubota good with oden?", "oden", [KUBOTA]),
    ("八海山は焼き鳥に合う?", "yakitori", [HAKKAISAN]),
])
def test_named_sakes_with_a_dish_are_asked_about(search: CatalogSearch, text: str, food: str, among: list[int]) -> None:
    got = Understanding(search).understand(text)
    assert got.tool == "pair_food" and got.args["food"] == food and sorted(got.args["among"]) == sorted(among), got.as_dict()


@pytest.mark.parametrize("text", ["what goes with tempura?", "a sake like dassai for sushi"])
def test_a_dish_alone_or_a_likeness_stays_a_pairing_request(search: CatalogSearch, text: str) -> None:
    assert "among" not in Understanding(search).understand(text).args


def test_fit_is_the_place_among_charted_sakes_by_the_pairing_score(catalog: Catalog) -> None:
    space, pairing = FlavorSpace.of(catalog), Pairing(catalog)
    family = pairing.profile_for("tempura")
    assert family is not None
    brands = [catalog.get(DASSAI), catalog.get(KUBOTA)]
    found = fits(pairing, family, [b for b in brands if b is not None], space)
    scores = pairing.scores(family, space)
    charted = scores[space.charted]
    for f in found:
        row = space.row(f.brand.id)
        assert row is not None
        assert f.top == max(1, math.ceil(100 * (charted >= scores[row]).sum() / len(charted)))
    assert [f.top for f in found] == sorted(f.top for f in found)  # best first


@pytest.fixture
def chat(db: Database, catalog: Catalog, search: CatalogSearch) -> Chat:
    brain = AgentBrain(make_services(db, catalog, search), ConversationMemory(db))
    return Chat(Sensei(Identity(db), Inbox(db), brain), brain)


async def test_the_better_of_two_leads_and_both_cards_say_why(chat: Chat) -> None:
    r = await chat.say("dassai or kubota for tempura?")
    assert r.tools == ["pair_food"]
    assert r.text.startswith("For tempura and fried food, 久保田 is the better match (久保田 top ")
    assert [c.brand_id for c in r.cards] == [KUBOTA, DASSAI] and all(c.reason for c in r.cards)


async def test_a_poor_match_says_so_and_offers_what_suits_the_dish(chat: Chat) -> None:
    r = await chat.say("does dassai go with tempura?")
    assert r.text.startswith("獺祭 with tempura and fried food: not the natural match (top ")
    assert r.cards and DASSAI not in [c.brand_id for c in r.cards]  # no card that looks like an endorsement
    ja = await chat.say("八海山は焼き鳥に合う?")
    assert ja.text.startswith("八海山は焼き鳥(塩)によく合います(相性の良さで上位") and [c.brand_id for c in ja.cards] == [HAKKAISAN]
