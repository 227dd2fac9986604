"""Issue #19 gaps, end to end with the real offline brain: the user's own history, "not X", how many."""

from __future__ import annotations

import numpy as np

from core.catalog import Catalog
from core.flavor_space import FlavorSpace
from tests.core.agent.conftest import Chat


def ids(reply) -> list[int]:  # type: ignore[no-untyped-def]
    return [c.brand_id for c in reply.cards]


async def test_how_many_is_honoured_and_capped(chat: Chat) -> None:
    r = await chat.say("give me 2 dry sakes")
    assert r.tools == ["recommend"] and len(r.cards) == 2
    r = await chat.say("drier")  # a follow-up keeps the count
    assert r.tools == ["recommend"] and len(r.cards) == 2
    r = await chat.say("top 10 sakes")
    assert len(r.cards) == 5  # a chat reply shows five at most
    r = await chat.say("辛口を3つ")
    assert len(r.cards) == 3
    r = await chat.say("just one light sake")
    assert len(r.cards) == 1


async def test_not_x_excludes_it_and_steers_away(chat: Chat, catalog: Catalog) -> None:
    sp = FlavorSpace.of(catalog)
    dassai = sp.position[sp.row(887)]  # type: ignore[index]

    def mean_distance(reply) -> float:  # type: ignore[no-untyped-def]
        rows = [sp.row(b) for b in ids(reply)]
        return float(np.mean([((sp.position[r] - dassai) ** 2).sum() for r in rows]))

    plain = await chat.say("a fruity sake, 5 picks")
    away = await chat.say("a fruity sake, 5 picks, nothing like dassai")
    assert away.tools == ["recommend"] and len(away.cards) == 5
    assert 887 not in ids(away) and all(c.name != "獺祭" for c in away.cards)
    assert mean_distance(away) > mean_distance(plain)  # beyond plain exclusion: further from 獺祭's profile
    assert any("Unlike 獺祭" in c.reason for c in away.cards)
    r = await chat.say("獺祭以外のおすすめ")
    assert r.tools == ["recommend"] and r.cards and 887 not in ids(r)


async def test_like_the_ones_i_rated_5(chat: Chat) -> None:
    r = await chat.say("like the ones I rated 5")
    assert r.tools == ["recommend"] and not r.cards and "rated any sake ★5" in r.text  # nothing rated yet: says so
    await chat.say("log 十四代 5 stars")
    await chat.say("log kubota 2 stars")
    r = await chat.say("something like what I gave 5 stars")
    assert r.tools == ["recommend"] and r.cards and r.error is None
    assert "十四代" in r.cards[0].reason  # why: the user's own ★5
    r = await chat.say("星5をつけたのに似たお酒")
    assert r.lang == "ja" and r.cards and r.tools == ["recommend"]


async def test_more_than_five_says_so(chat: Chat) -> None:
    """"top 10": five cards, and the reply says why there are not ten (it was capped silently)."""
    r = await chat.say("top 10 sakes")
    assert len(r.cards) == 5 and "5" in r.text and "at most" in r.text
    r = await chat.say("辛口を8つ")
    assert len(r.cards) == 5 and "5" in r.text and "まで" in r.text
    r = await chat.say("give me 3 dry sakes")  # within the cap: no such line
    assert len(r.cards) == 3 and "at most" not in r.text


async def test_not_that_one_gives_others(chat: Chat) -> None:
    """Turning the picks down is a follow-up: the same request again, without what was shown
    (it used to describe the pick, or answer "I only know about sake")."""
    first = await chat.say("just one light sake")
    r = await chat.say("not that one")
    assert r.tools == ["recommend"] and len(r.cards) == 1 and set(ids(r)).isdisjoint(ids(first))
    first = await chat.say("dry sake for sashimi")
    r = await chat.say("none of those")
    assert r.tools == ["pair_food"] and r.cards and set(ids(r)).isdisjoint(ids(first))
    chat = chat.as_user("bob")  # a new conversation: no sashimi in its context
    first = await chat.say("辛口のお酒")
    r = await chat.say("それ以外で")
    assert r.lang == "ja" and r.tools == ["recommend"] and r.cards and set(ids(r)).isdisjoint(ids(first))
    chat = chat.as_user("carol")
    first = await chat.say("a fruity sake")
    r = await chat.say("I don't like those")
    assert r.tools == ["recommend"] and r.cards and set(ids(r)).isdisjoint(ids(first))


async def test_not_that_one_after_a_brand_card_steers_away_from_it(chat: Chat) -> None:
    await chat.say("tell me about dassai")
    r = await chat.say("not that one")
    assert r.tools == ["recommend"] and r.cards and 887 not in ids(r)
