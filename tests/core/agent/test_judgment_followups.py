"""Turns a sommelier is expected to understand after its picks, or about the user: "why?", "my favourites",
"I didn't like it", "I don't know what I like". Each was answered off-topic or read as a brand before."""

from __future__ import annotations

from tests.core.agent.conftest import Chat


def ids(reply) -> list[int]:  # type: ignore[no-untyped-def]
    return [c.brand_id for c in reply.cards]


async def test_why_explains_the_last_picks(chat: Chat) -> None:
    picks = await chat.say("dry sake for sashimi")
    r = await chat.say("why?")
    assert r.error is None and r.lang == "en"
    assert all(c.name in r.text for c in picks.cards)  # each pick named with its reason
    assert all(c.reason and c.reason in r.text for c in picks.cards)
    r = await chat.say("why did you pick these?")
    assert all(c.name in r.text for c in picks.cards)
    ja = chat.as_user("hanako")
    picks = await ja.say("辛口のお酒")
    r = await ja.say("なんで?")
    assert r.lang == "ja" and all(c.name in r.text for c in picks.cards)


async def test_why_with_nothing_shown_says_so(chat: Chat) -> None:
    r = await chat.say("why?")
    assert "recommend" in r.text.lower() or "pick" in r.text.lower()
    assert "only know about sake" not in r.text


async def test_my_favourites_are_my_best_rated(chat: Chat) -> None:
    r = await chat.say("my favorite sake")
    assert "only know about sake" not in r.text and not r.cards  # nothing rated yet: says how to start
    await chat.say("log 十四代 5 stars")
    await chat.say("log kubota 2 stars")
    await chat.say("log dassai 4 stars")
    r = await chat.say("my favorite sakes")
    assert [c.name for c in r.cards][:2] == ["十四代", "獺祭"] and "久保田" not in [c.name for c in r.cards]
    r = await chat.say("私のお気に入りは?")
    assert r.lang == "ja" and r.cards and r.cards[0].name == "十四代"


async def test_i_didnt_like_it_steers_away(chat: Chat) -> None:
    first = await chat.say("recommend me something")
    r = await chat.say("I didn't like it")
    assert r.tools == ["recommend"] and r.cards and set(ids(r)).isdisjoint(ids(first))
    assert not any(f"like {first.cards[0].name}" in r.text for _ in [0])  # not "Sakes like <the one refused>"


async def test_i_dont_know_what_i_like_offers_the_survey(chat: Chat) -> None:
    for text, lang in (("I don't know what I like", "en"), ("何が好きか分からない", "ja"), ("not sure what I like", "en")):
        r = await chat.as_user(f"new-{lang}-{len(text)}").say(text)
        assert r.error is None and r.lang == lang, (text, r.text)
        assert r.tools == ["survey"] or any(a.action.__class__.__name__ == "SurveyAnswer" for a in r.actions), (text, r.tools)


async def test_questions_that_are_requests_and_requests_that_are_questions(chat: Chat) -> None:
    r = await chat.say("is there a dry sake from niigata?")  # was the prefecture's encyclopedia entry
    assert r.tools == ["recommend"] and r.cards and all(c.prefecture == "新潟県" for c in r.cards)
    r = await chat.say("is nigori sweet?")  # was nigori picks with no answer
    assert r.tools == ["explain"] and "nigori" in r.text.lower()
    picks = await chat.as_user("dan").say("recommend something from Hiroshima")
    r = await chat.as_user("dan").say("more like the first one")  # was "another" (three more from Hiroshima)
    assert r.tools == ["recommend"] and picks.cards[0].name in r.text
