"""The reply's text is a short lead above the cards; each pick's reason is said on its card only.

Real offline turns (no scripted brain): picks, food pairings, "like X", "like X but drier", Japanese,
a relaxed request and the budget note. Surfaces without cards (the terminal, `ask` without --json, a
reloaded web chat) still get every reason.
"""

from __future__ import annotations

import re

from adapters.console import plain_text, render
from core import actions
from core.agent.memory import past_turns
from core.messages import Reply
from tests.core.agent.conftest import Chat


def sentences(reason: str) -> list[str]:
    """A reason's sentences long enough to mean something on their own."""
    return [s.strip() for s in re.split(r"(?<=[.。])\s*", reason) if len(s.strip()) >= 12]


def assert_said_once(reply: Reply) -> None:
    assert reply.cards and all(c.reason for c in reply.cards), reply
    for card in reply.cards:
        assert card.reason not in reply.text
        for s in sentences(card.reason or ""):
            assert s not in reply.text, f"{s!r} is on the card and in the text {reply.text!r}"


async def test_picks_text_is_a_lead_and_the_reasons_stay_on_the_cards(chat: Chat) -> None:
    turns = {
        "dry from niigata": ("recommend a dry sake from Niigata", "My picks:"),
        "sashimi": ("three dry light sake for sashimi", "Picks for sashimi and white fish:"),
        "similar": ("something similar to dassai", "Sakes like 獺祭:"),
    }
    for name, (said, lead) in turns.items():
        reply = await chat.say(said)
        assert reply.text.startswith(lead), name
        assert_said_once(reply)
        assert not any(card.name in reply.text for card in reply.cards), name  # the cards name them

    drier = await chat.say("like dassai but drier")
    assert drier.tools == ["recommend"] and drier.text == "Like 獺祭, but drier:"
    assert_said_once(drier)

    button = await chat.press(actions.pack(actions.Similar(887)))
    assert button.text == "Sakes like 獺祭:"
    assert_said_once(button)


async def test_japanese_lead(chat: Chat) -> None:
    reply = await chat.as_user("hanako").say("フルーティな日本酒のおすすめは?")
    assert reply.lang == "ja" and reply.text == "おすすめはこちら:"
    assert_said_once(reply)


async def test_relaxed_and_budget_notes_stay_in_the_text(chat: Chat) -> None:
    reply = await chat.say("sweet sparkling sake under 1000 yen from Hokkaido with rich body")
    assert "I relaxed: rich" in reply.text and "no prices" in reply.text
    assert_said_once(reply)


async def test_surfaces_without_cards_still_get_every_reason(chat: Chat) -> None:
    reply = await chat.say("recommend a dry sake from Niigata")
    text = plain_text(reply)
    assert text.startswith(reply.text)
    for card in reply.cards:
        assert f"- {card.name} ({card.brewery}, {card.prefecture}): {card.reason}" in text
        assert card.reason in render(reply)


async def test_a_reloaded_conversation_shows_the_picks_in_full(chat: Chat) -> None:
    reply = await chat.say("recommend a dry sake from Niigata")
    principal = await chat.sensei.identity.find(chat.key)
    assert principal is not None
    turns = past_turns(await chat.brain.memory.load(principal, chat.key.channel))
    answer = turns[-1].answer
    assert answer.startswith("My picks:")
    assert all(card.name in answer and (card.reason or "") in answer for card in reply.cards)
