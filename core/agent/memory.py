"""Conversation memory: the agent's message history per (platform, workspace, channel, user).

Stored as pydantic-ai's own JSON (ModelMessagesTypeAdapter), so it round-trips exactly and
survives restarts. Trimmed to a token budget by dropping whole old turns (a tool call is never
kept without its result). Photos are not kept: a placeholder takes their place. Nor are the
instructions each request carried (about 500 tokens each): every run sends the current ones
again, so a stored copy only ate the budget. The budget counts what the model reads of a turn
(the words, tool calls and tool results), not the JSON around it. Long-term
memory is elsewhere: the preferences and tastings the tools read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic_ai import ModelMessagesTypeAdapter
from pydantic_ai.messages import (
    BaseToolCallPart, BaseToolReturnPart, BinaryContent, ModelMessage, ModelRequest, ModelResponse, RetryPromptPart, TextPart,
    ToolReturnPart, UserPromptPart,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db import Database, utcnow
from core.db.conversation_tables import ConversationRow
from core.identity import Principal

DEFAULT_BUDGET = 4000  # tokens: a dozen turns of tool calls and summaries
# Short turns ("thanks": 9 tokens) would let the budget hold dozens, and every turn loads, checks and
# writes all of them (25 turns: ~6 ms a turn); ten are what a language model and a reloaded page use.
MAX_TURNS = 10


def estimate_tokens(text: str) -> int:
    """A cheap token estimate: ~4 ASCII characters per token, ~1 token per Japanese character."""
    ascii_chars = sum(1 for c in text if ord(c) < 128)
    return ascii_chars // 4 + (len(text) - ascii_chars) + 1


def _starts_turn(msg: ModelMessage) -> bool:
    return isinstance(msg, ModelRequest) and any(isinstance(p, UserPromptPart) for p in msg.parts)


def split_turns(messages: list[ModelMessage]) -> list[list[ModelMessage]]:
    turns: list[list[ModelMessage]] = []
    for msg in messages:
        if _starts_turn(msg) or not turns:
            turns.append([msg])
        else:
            turns[-1].append(msg)
    return turns


def latest_turns(messages: list[ModelMessage], n: int) -> list[ModelMessage]:
    """The messages of the last `n` turns: a suffix of `messages`."""
    return [m for turn in split_turns(messages)[-n:] for m in turn] if n > 0 else []


def _for_storage(msg: ModelMessage) -> ModelMessage:
    """Without its photos and without the instructions the request was sent with."""
    if not isinstance(msg, ModelRequest):
        return msg
    changed = msg.instructions is not None
    parts = []
    for p in msg.parts:
        if isinstance(p, UserPromptPart) and not isinstance(p.content, str):
            texts = [c for c in p.content if isinstance(c, str)]
            photos = sum(1 for c in p.content if isinstance(c, BinaryContent))
            if photos:
                changed = True
                p = UserPromptPart(content=" ".join(texts + ["[photo]"] * photos), timestamp=p.timestamp)
        parts.append(p)
    if not changed:
        return msg
    from dataclasses import replace

    return replace(msg, parts=parts, instructions=None)


def _seen_text(msg: ModelMessage) -> str:
    """What the model reads of a stored message when it is sent again as history."""
    out: list[str] = []
    for p in msg.parts:
        if isinstance(p, UserPromptPart):
            out.append(p.content if isinstance(p.content, str) else " ".join(c for c in p.content if isinstance(c, str)))
        elif isinstance(p, TextPart):
            out.append(p.content)
        elif isinstance(p, BaseToolCallPart):
            out.append(p.tool_name + p.args_as_json_str())
        elif isinstance(p, BaseToolReturnPart):
            out.append(p.tool_name + p.model_response_str())
        elif isinstance(p, RetryPromptPart):
            out.append(p.model_response())
    return "\n".join(out)


def turn_tokens(turn: list[ModelMessage]) -> int:
    """A stored turn's size as the model sees it (estimate_tokens of its words, calls and results)."""
    return estimate_tokens("\n".join(_seen_text(m) for m in turn))


@dataclass(frozen=True, slots=True)
class PastTurn:
    """One stored turn as the user saw it: what they wrote (empty for a button) and the answer's text."""

    said: str
    answer: str


BUTTON_PROMPT = "[button] "  # how a button press is stored as the turn's prompt (core/agent/brain.py)


def past_turns(messages: list[ModelMessage]) -> list[PastTurn]:
    """The turns in a stored history, oldest first: the user's words and the last text the model answered."""
    out = []
    for turn in split_turns(messages):
        said = next((p.content for m in turn if isinstance(m, ModelRequest) for p in m.parts if isinstance(p, UserPromptPart)), None)
        if said is None:
            continue
        said = said if isinstance(said, str) else " ".join(c for c in said if isinstance(c, str))
        texts = [p.content for m in turn if isinstance(m, ModelResponse) for p in m.parts if isinstance(p, TextPart) and p.content.strip()]
        out.append(PastTurn("" if said.startswith(BUTTON_PROMPT) else said, _in_full(turn, texts[-1] if texts else "")))
    return out


def _in_full(turn: list[ModelMessage], answer: str) -> str:
    """The answer as text alone: a turn shown without its cards (a reloaded chat) gets the tools' full
    summaries where the offline model said only their leads (the picks' reasons were on the cards)."""
    results = [p.content for m in turn if isinstance(m, ModelRequest) for p in m.parts
               if isinstance(p, ToolReturnPart) and isinstance(p.content, dict)]
    if not any(r.get("lead") for r in results):
        return answer
    leads = "\n\n".join(str(r.get("lead") or r.get("summary") or "") for r in results)
    if answer.strip() != leads.strip():
        return answer  # a language model's own words
    return "\n\n".join(str(r.get("summary") or "") for r in results)


def trim(messages: list[ModelMessage], budget: int, max_turns: int = MAX_TURNS) -> tuple[list[ModelMessage], int]:
    """The newest whole turns that fit in `budget` tokens, `max_turns` at most (the last turn always stays)."""
    turns = split_turns([_for_storage(m) for m in messages])[-max_turns:]
    kept: list[list[ModelMessage]] = []
    total = 0
    for turn in reversed(turns):
        size = turn_tokens(turn)
        if kept and total + size > budget:
            break
        kept.append(turn)
        total += size
    out = [m for turn in reversed(kept) for m in turn]
    return out, total


class ConversationMemory:
    def __init__(self, db: Database, *, budget_tokens: int = DEFAULT_BUDGET, clock: Callable[[], Any] = utcnow) -> None:
        self.db = db
        self.budget = budget_tokens
        self.clock = clock

    async def load(self, principal: Principal, channel: str) -> list[ModelMessage]:
        async with self.db.session() as s:
            raw = await s.scalar(
                select(ConversationRow.messages).where(
                    ConversationRow.user_id == principal.user_id, ConversationRow.channel == channel[:128]
                )
            )
        if not raw:
            return []
        try:
            return list(ModelMessagesTypeAdapter.validate_python(raw))
        except Exception:  # a history written by an incompatible version: start afresh rather than fail the turn
            return []

    async def recent(self, principal: Principal, channel: str, limit: int) -> list[PastTurn]:
        """The last `limit` turns of this conversation, oldest first (what a reloaded page shows again)."""
        return past_turns(await self.load(principal, channel))[-limit:] if limit > 0 else []

    async def save(self, principal: Principal, channel: str, messages: list[ModelMessage]) -> int:
        """Store the trimmed history; returns its estimated size in tokens."""
        kept, tokens = trim(messages, self.budget)
        data = json.loads(ModelMessagesTypeAdapter.dump_json(kept))
        channel = channel[:128]
        for _ in range(2):  # two first turns at once in a new channel: the loser updates
            try:
                async with self.db.transaction() as s:
                    row = await s.scalar(
                        select(ConversationRow).where(ConversationRow.user_id == principal.user_id, ConversationRow.channel == channel)
                    )
                    if row is None:
                        s.add(ConversationRow(
                            user_id=principal.user_id, channel=channel, messages=data, tokens=tokens, updated_at=self.clock()
                        ))
                    else:
                        row.messages = data
                        row.tokens = tokens
                        row.updated_at = self.clock()
                break
            except IntegrityError:
                continue
        return tokens

    async def clear(self, principal: Principal, channel: str) -> None:
        from sqlalchemy import delete

        async with self.db.transaction() as s:
            await s.execute(delete(ConversationRow).where(
                ConversationRow.user_id == principal.user_id, ConversationRow.channel == channel[:128]
            ))
