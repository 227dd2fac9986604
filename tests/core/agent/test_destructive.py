"""Destructive intents need an explicit target or a confirmation, and a turn that logs is not also a delete."""

from __future__ import annotations

from tests.core.agent.conftest import Chat


async def _tastings(chat: Chat) -> list[tuple[int | None, float | None]]:
    principal = await chat.sensei.identity.resolve(chat.key)
    return [(t.brand_id, t.rating) for t in await chat.brain.services.tastings.page(principal)]


async def test_sql_looking_text_that_logs_does_not_delete(chat: Chat) -> None:
    """Failed on the old code: the word "drop" made this turn delete the user's tasting of kubota."""
    first = await chat.say("log kubota 4 stars")
    assert first.tools == ["log_tasting"]
    reply = await chat.say("'; DROP TABLE tastings; -- log dassai 3 stars")
    assert reply.tools == ["log_tasting"]
    assert sorted(await _tastings(chat)) == sorted([(431, 4.0), (887, 3.0)])


async def test_a_bare_delete_asks_for_confirmation(chat: Chat) -> None:
    """Failed on the old code: "undo" deleted the last tasting at once."""
    await chat.say("log kubota 4 stars")
    reply = await chat.say("undo")
    assert reply.tools == ["delete_tasting"]
    assert await _tastings(chat) == [(431, 4.0)]
    confirm = [a for a in reply.actions if a.id == "unlog:431"]
    assert confirm and confirm[0].style == "danger"
    done = await chat.press("unlog:431")
    assert done.tools == ["delete_tasting"] and await _tastings(chat) == []


async def test_an_explicit_target_deletes(chat: Chat) -> None:
    await chat.say("log kubota 4 stars")
    await chat.say("log dassai 3 stars")
    await chat.say("delete my last tasting")
    assert await _tastings(chat) == [(431, 4.0)]
    await chat.say("remove the kubota tasting")
    assert await _tastings(chat) == []


async def test_a_typed_recommendation_after_ratings_is_personal(chat: Chat) -> None:
    """Failed on the old code: a typed 「おすすめは?」 gave the general ranking although the user had rated sakes."""
    before = await chat.say("おすすめは?")
    assert before.tools == ["recommend"] and before.cards  # no taste known yet: popular picks, no error
    assert before.error is None
    await chat.say("log juyondai 5 stars")
    await chat.say("log jikon 5 stars")
    after = await chat.say("おすすめは?")
    assert after.tools == ["recommend"] and after.cards
    assert any("十四代" in (c.reason or "") or "而今" in (c.reason or "") for c in after.cards), [c.reason for c in after.cards]


async def test_cheaper_says_there_are_no_prices_and_keeps_the_request(chat: Chat) -> None:
    """Failed on the old code: "something cheaper?" returned the same list unchanged."""
    first = await chat.say("recommend a dry sake")
    cheaper = await chat.say("something cheaper?")
    assert cheaper.tools == ["recommend"] and cheaper.cards
    assert "no prices" in cheaper.text and "easier-to-find" in cheaper.text
    assert not {c.brand_id for c in cheaper.cards} & {c.brand_id for c in first.cards}
    assert all("Drier than most" in (c.reason or "") for c in cheaper.cards)


async def test_a_beginner_gets_approachable_classics_not_rarities(chat: Chat) -> None:
    """Failed on the old code: the three most sought-after rarities (新政, 而今, 十四代)."""
    reply = await chat.say("What is a good sake for a beginner?")
    catalog = chat.brain.services.catalog
    assert reply.cards
    for card in reply.cards:
        brand = catalog.get(card.brand_id)
        assert brand is not None and brand.chart is not None and len(brand.products) >= 5
        assert brand.rank is None or brand.rank > 10
        assert "easy to find" in (card.reason or "")
