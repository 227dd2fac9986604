"""A user's recent turns in one conversation, for a surface that shows the conversation again (the web
chat after a reload). Read from the stored conversation memory; adapters call this, never the database."""

from __future__ import annotations

from core.agent.memory import ConversationMemory, PastTurn
from core.identity import Identity
from core.messages import StateKey

MAX_TURNS = 50


class RecentTurns:
    def __init__(self, identity: Identity, memory: ConversationMemory) -> None:
        self.identity = identity
        self.memory = memory

    async def of(self, key: StateKey, limit: int = 20) -> list[PastTurn]:
        """The last `limit` turns (at most 50) of `key`'s conversation, oldest first; none for a stranger."""
        principal = await self.identity.find(key)
        if principal is None:
            return []
        return await self.memory.recent(principal, key.channel, max(0, min(limit, MAX_TURNS)))
