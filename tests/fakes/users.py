"""Users for service tests: a Principal per name, created through the real Identity service."""

from __future__ import annotations

from core.db import Database
from core.identity import Identity, Principal
from core.messages import StateKey


async def principal(db: Database, user: str = "alice", workspace: str = "w1") -> Principal:
    return await Identity(db).resolve(StateKey("local", workspace, "c1", user))
