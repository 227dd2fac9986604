"""Which reveals of self-closed flights are still to be posted, and who is posting them.

Every flight that closes itself (the day-long timeout) gets a `flight_reveals` row in the
transaction that closes it. Posting is exactly-once across processes and restarts by a claim in
SQL: a sweep takes a row with `UPDATE ... WHERE outcome IS NULL AND claim lapsed`, which only
one process can win, posts, then records the outcome. A process that dies mid-post leaves its
claim to run out (`CLAIM`), and the next sweep tries again; that is the one case a post can
show twice (the platform took it, the record did not follow), and LINE's retry key catches it.

A flight closed lazily by a turn (someone wrote in the channel a day later) is held for that
turn for `CLAIM`: if its reply shows the reveal in the channel, the row is marked `shown` and
nothing is posted; if not, the claim runs out and the sweep posts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from core.db import Database, utcnow
from core.db.flight_tables import FlightRevealRow, FlightRow
from core.db.identity_tables import Workspace

CLAIM = timedelta(minutes=5)  # longer than any post takes (Slack's and LINE's retries included)
MAX_ERROR = 128


@dataclass(frozen=True, slots=True)
class Due:
    """A reveal to post: where, and how it has gone so far."""

    flight_id: int
    platform: str
    workspace: str  # the platform's workspace id (StateKey.workspace)
    channel: str  # StateKey.channel
    due_at: datetime
    attempts: int  # posts tried before this one


class Announcements:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow, claim: timedelta = CLAIM) -> None:
        self.db = db
        self.clock = clock
        self.claim_for = claim

    async def due(self, limit: int = 100) -> list[Due]:
        """Reveals nobody has posted, shown or given up, and nobody holds now; the oldest first."""
        now = self.clock()
        async with self.db.session() as s:
            rows = (await s.execute(
                select(FlightRevealRow.flight_id, Workspace.platform, Workspace.external_id, FlightRow.channel,
                       FlightRevealRow.due_at, FlightRevealRow.attempts)
                .join(FlightRow, FlightRow.id == FlightRevealRow.flight_id)
                .join(Workspace, Workspace.id == FlightRow.workspace_id)
                .where(FlightRevealRow.outcome.is_(None), _free(now))
                .order_by(FlightRevealRow.due_at, FlightRevealRow.flight_id).limit(limit)
            )).all()
        return [Due(*r) for r in rows]

    async def claim(self, flight_id: int) -> bool:
        """Take the reveal for one post: True for exactly one of several processes trying at once."""
        now = self.clock()
        async with self.db.transaction() as s:
            result = await s.execute(
                update(FlightRevealRow).where(FlightRevealRow.flight_id == flight_id, FlightRevealRow.outcome.is_(None), _free(now))
                .values(claimed_until=now + self.claim_for, attempts=FlightRevealRow.attempts + 1))
        return bool(result.rowcount)

    async def posted(self, flight_id: int) -> None:
        await self._end(flight_id, "posted", None)

    async def give_up(self, flight_id: int, error: str) -> None:
        await self._end(flight_id, "given_up", error)

    async def release(self, flight_id: int, error: str) -> None:
        """The post failed for now: free the row for the next sweep, remembering why."""
        async with self.db.transaction() as s:
            await s.execute(update(FlightRevealRow).where(FlightRevealRow.flight_id == flight_id, FlightRevealRow.outcome.is_(None))
                            .values(claimed_until=None, last_error=error[:MAX_ERROR]))

    async def shown(self, flight_id: int) -> bool:
        """A reply in the flight's channel showed the reveal: no post. Only before any post was
        tried (a sweep that already claimed it posts it; the channel then sees it twice at worst)."""
        now = self.clock()
        async with self.db.transaction() as s:
            result = await s.execute(
                update(FlightRevealRow).where(FlightRevealRow.flight_id == flight_id, FlightRevealRow.outcome.is_(None),
                                              FlightRevealRow.attempts == 0)
                .values(outcome="shown", announced_at=now, claimed_until=None))
        return bool(result.rowcount)

    async def get(self, flight_id: int) -> FlightRevealRow | None:
        async with self.db.session() as s:
            return await s.get(FlightRevealRow, flight_id)

    async def _end(self, flight_id: int, outcome: str, error: str | None) -> None:
        async with self.db.transaction() as s:
            values = {"outcome": outcome, "claimed_until": None, "announced_at": None if outcome == "given_up" else self.clock()}
            if error is not None:  # a post that got through after failing keeps why it failed
                values["last_error"] = error[:MAX_ERROR]
            await s.execute(update(FlightRevealRow).where(FlightRevealRow.flight_id == flight_id, FlightRevealRow.outcome.is_(None))
                            .values(**values))


def _free(now: datetime):  # type: ignore[no-untyped-def]
    return or_(FlightRevealRow.claimed_until.is_(None), FlightRevealRow.claimed_until <= now)
