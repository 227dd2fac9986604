"""Group commit for inbox claims: deliveries that arrive together are recorded in one transaction.

A webhook answers only after its event id is recorded (so a retry that arrives at once is
recognised, across processes and restarts), which puts one database write on every
request's path. One write per request serialises on SQLite's single writer; collecting the
claims that arrive while the previous batch commits and writing them as one
`INSERT .. ON CONFLICT DO NOTHING RETURNING` keeps ingress throughput near the web
framework's own at the same guarantee.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.dialects import postgresql, sqlite

from core.db import Database, utcnow
from core.db.inbox_tables import InboxEvent
from core.inbox import Inbox

Pending = tuple[str, str, "asyncio.Future[bool]"]


class BatchingInbox(Inbox):
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow, *, keep: timedelta = timedelta(days=2),
                 max_batch: int = 256) -> None:
        super().__init__(db, clock, keep=keep)
        self.max_batch = max_batch  # SQLite allows 32766 bound parameters; 5 per row
        self._pending: list[Pending] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0  # for tests and metrics: how many transactions the claims took

    async def claim(self, platform: str, event_id: str) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((platform, event_id[:191], future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch:]
            try:
                inserted = await self._insert(batch)
            except Exception as e:  # the database is down: every waiting claim fails with the cause
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(e)
                continue
            for platform, event_id, future in batch:
                first = (platform, event_id) in inserted
                inserted.discard((platform, event_id))  # the same id twice in one batch: the first wins
                if not future.done():
                    future.set_result(first)

    async def _insert(self, batch: list[Pending]) -> set[tuple[str, str]]:
        now = self.clock()
        ids = list(dict.fromkeys((p, e) for p, e, _ in batch))
        rows = [dict(platform=p, event_id=e, status="received", attempts=1, received_at=now) for p, e in ids]
        dialect = postgresql if self.db.dialect == "postgresql" else sqlite
        stmt = (
            dialect.insert(InboxEvent).values(rows).on_conflict_do_nothing()
            .returning(InboxEvent.platform, InboxEvent.event_id)
        )
        async with self.db.engine.begin() as conn:
            result = await conn.execute(stmt)
            inserted = {(r[0], r[1]) for r in result.all()}
        self.batches += 1
        return inserted
