"""Whether the bot may push to someone: a user who blocked it (LINE `unfollow`) gets nothing
until they add it again (`follow`). Kept in the database so that every process, and a process
started after the unfollow, respects it; pushes cost money on LINE and are unwelcome after a block.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.db import Database, utcnow
from core.db.reachability_tables import PushBlock


class Reachability:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def stop(self, platform: str, recipient: str) -> None:
        """No more pushes to `recipient` (idempotent)."""
        try:
            async with self.db.transaction() as s:
                if await s.get(PushBlock, (platform, recipient[:128])) is None:
                    s.add(PushBlock(platform=platform, recipient=recipient[:128], since=self.clock()))
        except IntegrityError:  # another process recorded the same block at the same moment
            pass

    async def resume(self, platform: str, recipient: str) -> None:
        async with self.db.transaction() as s:
            await s.execute(delete(PushBlock).where(PushBlock.platform == platform, PushBlock.recipient == recipient[:128]))

    async def can_push(self, platform: str, recipient: str) -> bool:
        async with self.db.session() as s:
            found = await s.scalar(select(PushBlock.since).where(PushBlock.platform == platform, PushBlock.recipient == recipient[:128]))
        return found is None
