"""The explain tool through the real offline agent: knowledge questions answered from the notes, with buttons."""

from __future__ import annotations

from core import actions
from core.agent.brain import parse_action
from core.messages import Card, Reply
from tests.core.agent.conftest import Chat


async def test_what_is_kimoto_explains_and_never_names_a_brand(chat: Chat) -> None:
    r = await chat.say("What is kimoto?")
    assert r.tools == ["explain"]
    assert "Kimoto" in r.text and "lactic" in r.text
    assert "古都" not in r.text and not r.cards
    assert {"explain:yamahai", "explain:sokujo"} <= {a.id for a in r.actions}


async def test_japanese_question_gets_a_japanese_answer(chat: Chat) -> None:
    r = await chat.say("熱燗って何度?")
    assert r.tools == ["explain"] and r.lang == "ja"
    assert "50℃" in r.text and "熱燗" in r.text


async def test_difference_answers_about_both(chat: Chat) -> None:
    r = await chat.say("what is the difference between junmai and ginjo?")
    assert r.tools == ["explain"]
    assert "Junmai" in r.text and "Ginjo" in r.text and "60 %" in r.text


async def test_grade_entry_offers_catalog_examples_from_the_specs(chat: Chat) -> None:
    r = await chat.say("what does junmai daiginjo mean?")
    assert r.tools == ["explain"]
    assert "to try:" in r.text and r.cards
    assert all(c.specs and c.specs.get("grade") for c in r.cards)
    assert "explain:daiginjo" in {a.id for a in r.actions}


async def test_unknown_term_is_not_in_my_notes_with_closest_entries(chat: Chat) -> None:
    r = await chat.say("what is a kioke?")
    assert r.tools == ["explain"]
    assert "not in my notes" in r.text and "Closest entries" in r.text
    assert not r.cards and all(a.id.startswith("explain:") for a in r.actions) and r.actions
    r = await chat.say("甑とは")
    assert "ノートにありません" in r.text and not r.cards


async def test_brand_questions_stay_brand_lookups(chat: Chat) -> None:
    for text in ("what is 獺祭", "tell me about dassai", "獺祭とは"):
        r = await chat.say(text)
        assert r.tools == ["sake_details"], text
        assert r.cards[0].name == "獺祭"


async def test_recommendations_are_not_knowledge_questions(chat: Chat) -> None:
    r = await chat.say("what is a good junmai daiginjo for me?")
    assert "explain" not in r.tools
    r = await chat.say("チーズに合うお酒ある?")
    assert "explain" not in r.tools


async def test_explain_button_opens_the_entry(chat: Chat) -> None:
    assert parse_action(actions.Explain("yamahai"), {}) is not None
    assert parse_action(actions.read("explain:"), {}) is None  # an empty entry id is no action at all
    r = await chat.press("explain:yamahai")
    assert r.tools == ["explain"] and "Yamahai" in r.text
    r = await chat.press("explain:no-such-entry")
    assert "not in my notes" in r.text


async def test_brand_details_show_specs_in_words_with_explain_buttons(chat: Chat) -> None:
    r = await chat.say("tell me about 獺祭")
    assert "SMV" in r.text or "Polishing ratio" in r.text
    ids = {a.id for a in r.actions}
    assert any(i.startswith("explain:") for i in ids)
    card = r.cards[0]
    assert card.specs and "grade" in card.specs
    assert Reply.from_json(r.to_json()).cards[0].specs == card.specs
    assert card.as_dict()["specs"] == card.specs
    assert "specs" not in Card(1, "x", "x", "", "", None, []).as_dict()
