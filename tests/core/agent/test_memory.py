"""Conversation history: per user and channel, trimmed to a token budget, and surviving a restart."""

from __future__ import annotations

import pytest
from pydantic_ai import ModelMessagesTypeAdapter
from pydantic_ai.messages import ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart, UserPromptPart

from bot.config import Settings
from bot.wiring import build_core
from core.agent.memory import (
    DEFAULT_BUDGET, MAX_TURNS, ConversationMemory, PastTurn, estimate_tokens, latest_turns, past_turns, split_turns, trim,
)
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.messages import Message, StateKey
from tests.core.agent.conftest import make_chat


def _turn(i: int) -> list:  # type: ignore[type-arg]
    return [
        ModelRequest(parts=[UserPromptPart(f"question {i} " + "x" * 200)]),
        ModelResponse(parts=[ToolCallPart("search_catalog", {"query": f"q{i}"}, tool_call_id=f"c{i}")]),
        ModelRequest(parts=[ToolReturnPart("search_catalog", {"summary": "s" * 200, "shown": [i]}, tool_call_id=f"c{i}")]),
        ModelResponse(parts=[TextPart(f"answer {i}")]),
    ]


def test_trim_keeps_whole_recent_turns_within_budget() -> None:
    messages = [m for i in range(30) for m in _turn(i)]
    kept, tokens = trim(messages, budget=800)
    turns = split_turns(kept)
    assert 1 <= len(turns) < 30 and tokens <= 800
    assert all(len(t) == 4 for t in turns)  # never a tool call without its result
    assert "question 29" in turns[-1][0].parts[0].content
    kept, _ = trim(messages, budget=1)  # the last turn always stays
    assert len(split_turns(kept)) == 1


def test_token_estimate_counts_japanese_per_character() -> None:
    assert estimate_tokens("a" * 400) == 101 and estimate_tokens("獺祭" * 50) == 101


async def test_history_survives_a_restart(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    key = StateKey("slack", "T1", "C1", "U1")
    core = await build_core(Settings.from_env())
    try:
        first = await core.sensei.handle(Message(key=key, text="recommend a fruity sake"))
        assert first is not None and first.cards
        shown = first.cards[0].brand_id
    finally:
        await core.close()

    core = await build_core(Settings.from_env())  # a new process on the same database
    try:
        r = await core.sensei.handle(Message(key=key, text="log that one, 4 stars"))
        assert r is not None and r.tools == ["log_tasting"] and [c.brand_id for c in r.cards] == [shown]
        other_channel = await core.sensei.handle(Message(key=StateKey("slack", "T1", "C2", "U1"), text="log that one, 4 stars"))
        assert other_channel is not None and not other_channel.cards  # history is per channel
    finally:
        await core.close()


async def test_history_is_per_user_and_photos_are_not_kept(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    from tests.core.agent.conftest import DASSAI_PHOTO

    chat = make_chat(db, catalog, search)
    await chat.say("what is this?", images=[DASSAI_PHOTO])
    bob = chat.as_user("bob")
    r = await bob.say("log that one, 5 stars")
    assert not r.cards  # bob has no "that one": alice's conversation is hers
    memory = ConversationMemory(db)
    alice = await chat.sensei.identity.resolve(chat.key)
    history = await memory.load(alice, chat.key.channel)
    assert history and DASSAI_PHOTO.decode("latin-1") not in str(history)


async def test_export_and_forget_cover_the_conversation(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    from core.privacy import export_user, forget_user

    chat = make_chat(db, catalog, search)
    await chat.say("tell me about kubota")
    ref = f"{chat.key.platform}:{chat.key.workspace}:{chat.key.user}"
    exported = await export_user(db, ref)
    assert exported["data"]["conversations"] and "kubota" in str(exported["data"]["conversations"])
    await forget_user(db, ref)
    chat.sensei.identity.forget_cached(chat.key)
    alice = await chat.sensei.identity.resolve(chat.key)  # a new user row: the old one is gone
    assert await ConversationMemory(db).load(alice, chat.key.channel) == []


def test_past_turns_are_the_users_words_and_the_last_answer_text() -> None:
    messages = [
        ModelRequest(parts=[UserPromptPart(content="tell me about dassai")]),
        ModelResponse(parts=[ToolCallPart(tool_name="sake_details", args={"query": "dassai"}, tool_call_id="1")]),
        ModelRequest(parts=[ToolReturnPart(tool_name="sake_details", content="...", tool_call_id="1")]),
        ModelResponse(parts=[TextPart(content="Dassai is floral.")]),
        ModelRequest(parts=[UserPromptPart(content="[button] wish:887")]),
        ModelResponse(parts=[TextPart(content="Added to your wishlist.")]),
    ]
    assert past_turns(messages) == [PastTurn("tell me about dassai", "Dassai is floral."), PastTurn("", "Added to your wishlist.")]


async def test_the_stored_history_is_what_the_model_reads_without_the_instructions(db: Database, catalog: Catalog,
                                                                                     search: CatalogSearch) -> None:
    """Every run sends the instructions again: a stored copy per request (about 500 tokens) filled the
    4000-token budget in two turns, so a follow-up three turns on had lost its context."""
    from sqlalchemy import select

    from core.db.conversation_tables import ConversationRow

    async def stored() -> ConversationRow:
        async with db.session() as s:
            row = await s.scalar(select(ConversationRow))
        assert row is not None
        return row

    chat = make_chat(db, catalog, search)
    await chat.say("thanks")
    row = await stored()
    assert all(m.get("instructions") is None for m in row.messages if m["kind"] == "request")
    assert row.tokens < 50  # "thanks" and "You're welcome! ...": was 821, the JSON of the instructions and the usage figures
    for said in ("recommend a fruity sake", "tell me about dassai", "log it, 4 stars", "something drier", "thanks"):
        await chat.say(said)
    row = await stored()
    turns = split_turns(list(ModelMessagesTypeAdapter.validate_python(row.messages)))
    assert len(turns) == 6 and row.tokens < DEFAULT_BUDGET  # all six turns kept (was the last two)


def test_at_most_max_turns_are_kept_however_short() -> None:
    """Short turns let the budget hold dozens, and every turn loaded, checked and wrote them all: the offline
    turn benchmark's p50 went from 30.7 to 38.8 ms until the stored turns were capped."""
    messages = [m for i in range(40) for m in _turn(i)]
    kept, _ = trim(messages, budget=10**9)
    turns = split_turns(kept)
    assert len(turns) == MAX_TURNS and "question 39" in turns[-1][0].parts[0].content
    assert latest_turns(kept, 4) == kept[-16:] and latest_turns(kept, 0) == []


async def test_the_offline_model_reads_the_latest_turns_and_the_store_keeps_the_rest(db: Database, catalog: Catalog,
                                                                                       search: CatalogSearch) -> None:
    from core.agent.brain import OFFLINE_TURNS

    chat = make_chat(db, catalog, search)
    seen: list[int] = []
    real_run = chat.brain.agent.run

    async def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(len(split_turns(list(kwargs.get("message_history") or []))))
        return await real_run(*args, **kwargs)

    chat.brain.agent.run = counting  # type: ignore[method-assign]
    for said in ("recommend a fruity sake", "thanks", "tell me about dassai", "thanks", "something drier", "thanks", "why?"):
        await chat.say(said)
    assert max(seen) == OFFLINE_TURNS
    principal = await chat.sensei.identity.find(chat.key)
    assert principal is not None
    assert len(split_turns(await chat.brain.memory.load(principal, chat.key.channel))) == 7  # the store keeps them all

