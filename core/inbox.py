"""Exactly-once effects for at-least-once deliveries: the first process to record an event id handles it.

An event's row goes received -> done (or failed) with the reply kept -> delivered (the reply
dropped). A job retried between done and delivered (its process died, or the platform refused
the answer) sends the kept reply: the user is answered, and the turn's effects are not repeated.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from core.db import Database, utcnow
from core.db.inbox_tables import InboxEvent


class Inbox:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow, *, keep: timedelta = timedelta(days=2)) -> None:
        self.db = db
        self.clock = clock
        self.keep = keep  # longer than every platform's retry window (Slack's is about 5 minutes)

    async def claim(self, platform: str, event_id: str) -> bool:
        """True for the first delivery of this id (across processes and restarts); False for a duplicate."""
        try:
            async with self.db.transaction() as s:
                s.add(InboxEvent(platform=platform, event_id=event_id[:191], status="received", attempts=1, received_at=self.clock()))
            return True
        except IntegrityError:
            return False

    async def reclaim_stale(self, platform: str, event_id: str, *, older_than: timedelta) -> bool:
        """Take over an event whose handler died (kill -9) before finishing it."""
        async with self.db.transaction() as s:
            result = await s.execute(
                update(InboxEvent)
                .where(
                    InboxEvent.platform == platform,
                    InboxEvent.event_id == event_id,
                    InboxEvent.status == "received",
                    InboxEvent.received_at < self.clock() - older_than,
                )
                .values(received_at=self.clock(), attempts=InboxEvent.attempts + 1)
            )
            return bool(result.rowcount)

    async def finish(self, platform: str, event_id: str, *, reply: str | None = None, failed: bool = False) -> None:
        async with self.db.transaction() as s:
            await s.execute(
                update(InboxEvent)
                .where(InboxEvent.platform == platform, InboxEvent.event_id == event_id[:191])
                .values(status="failed" if failed else "done", finished_at=self.clock(), reply=reply)
            )

    async def delivered(self, platform: str, event_id: str) -> None:
        """The platform accepted the reply: nothing is left to resend, and its bytes can go."""
        async with self.db.transaction() as s:
            await s.execute(
                update(InboxEvent)
                .where(InboxEvent.platform == platform, InboxEvent.event_id == event_id[:191])
                .values(delivered_at=self.clock(), reply=None)
            )

    async def take_undelivered(self, platform: str, event_id: str, *, older_than: timedelta) -> str | None:
        """The kept reply of a finished turn that was never delivered, for one caller only: the row is
        marked taken (finished_at moves to now), so a concurrent retry finds it fresh and leaves it."""
        async with self.db.transaction() as s:
            result = await s.execute(
                update(InboxEvent)
                .where(
                    InboxEvent.platform == platform,
                    InboxEvent.event_id == event_id[:191],
                    InboxEvent.status != "received",
                    InboxEvent.reply.is_not(None),
                    InboxEvent.delivered_at.is_(None),
                    InboxEvent.finished_at <= self.clock() - older_than,
                )
                .values(finished_at=self.clock(), attempts=InboxEvent.attempts + 1)
                .returning(InboxEvent.reply)
            )
            return result.scalar_one_or_none()

    async def status(self, platform: str, event_id: str) -> str | None:
        async with self.db.session() as s:
            return await s.scalar(select(InboxEvent.status).where(InboxEvent.platform == platform, InboxEvent.event_id == event_id[:191]))

    async def state(self, platform: str, event_id: str) -> tuple[str, datetime] | None:
        """(status, received_at) of an event, None when it was never recorded."""
        async with self.db.session() as s:
            row = (await s.execute(
                select(InboxEvent.status, InboxEvent.received_at)
                .where(InboxEvent.platform == platform, InboxEvent.event_id == event_id[:191])
            )).first()
            return (row[0], row[1]) if row is not None else None

    async def unfinished(self, platform: str | None = None, *, older_than: timedelta = timedelta(seconds=30)) -> list[tuple[str, str]]:
        """Events recorded but never finished: a process died mid-turn."""
        async with self.db.session() as s:
            q = select(InboxEvent.platform, InboxEvent.event_id).where(
                InboxEvent.status == "received", InboxEvent.received_at < self.clock() - older_than
            )
            if platform:
                q = q.where(InboxEvent.platform == platform)
            return [(r.platform, r.event_id) for r in (await s.execute(q)).all()]

    async def prune(self) -> int:
        async with self.db.transaction() as s:
            result = await s.execute(delete(InboxEvent).where(InboxEvent.received_at < self.clock() - self.keep))
            return int(result.rowcount or 0)
