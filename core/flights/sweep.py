"""The sweep: flights left open for a day close by themselves, and their reveal is posted.

Without it a day-old flight closed only when someone next wrote in its channel, and nobody saw
its results. `serve`, `discord` and `slack-socket` run `RevealSweep.run` shortly after start and
then every `EVERY` (`run_forever`). Each run closes the stale flights (the reveal to post is recorded with the
close), then posts every reveal still due through its platform's `core.announce.ChannelPoster`,
in the group's language, the same reveal the starter's "end" shows. Exactly once across
processes and restarts: see core.flights.announcements. A post the platform could not take now
is tried again on later runs, up to `MAX_ATTEMPTS` posts and for `GIVE_UP_AFTER`; then, or when
the platform refused it for good, it is given up with a log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.announce import ChannelPoster
from core.flights.announcements import Announcements, Due
from core.flights.service import Flights
from core.flights.turns import FlightTurns
from core.transport import Undelivered

log = logging.getLogger(__name__)

FIRST_AFTER = 30.0  # seconds after start: the platforms' clients are up by then
EVERY = 5 * 60.0  # seconds between runs
MAX_ATTEMPTS = 6
GIVE_UP_AFTER = timedelta(hours=6)  # a reveal later than this is news nobody waits for


@dataclass(frozen=True, slots=True)
class SweepRun:
    """What one run did, for its log line and for tests."""

    closed: int = 0
    posted: int = 0
    retrying: int = 0
    given_up: int = 0


class RevealSweep:
    def __init__(self, flights: Flights, turns: FlightTurns, announcements: Announcements, posters: Mapping[str, ChannelPoster], *,
                 clock: Callable[[], datetime] | None = None, max_attempts: int = MAX_ATTEMPTS,
                 give_up_after: timedelta = GIVE_UP_AFTER, only: frozenset[str] | None = None) -> None:
        self.flights = flights
        self.turns = turns
        self.announcements = announcements
        self.posters = posters  # by platform (StateKey.platform)
        self.clock = clock or flights.clock
        self.max_attempts = max_attempts
        self.give_up_after = give_up_after
        # a process that runs one platform's bot (`sake-sensei discord`) sweeps that platform's reveals only and
        # leaves the others to the process that can post them; `serve` takes every platform (only=None)
        self.only = only

    async def run(self) -> SweepRun:
        closed = await self.flights.close_stale()
        counts = {"posted": 0, "retrying": 0, "given_up": 0}
        for due in await self.announcements.due():
            if self.only is not None and due.platform not in self.only:
                continue
            if not await self.announcements.claim(due.flight_id):
                continue  # another process took it a moment ago
            counts[await self._post(due)] += 1
        out = SweepRun(len(closed), **counts)
        if out != SweepRun():
            log.info("flight sweep: %d closed, %d reveals posted, %d to retry, %d given up",
                     out.closed, out.posted, out.retrying, out.given_up)
        return out

    async def _post(self, due: Due) -> str:
        poster = self.posters.get(due.platform)
        flight = await self.flights.get(due.flight_id)
        if poster is None or flight is None:
            # the web chat and the terminal have no channel to post in: nothing to warn about
            return await self._give_up(due, "no poster for this platform" if flight is not None else "flight gone", level=logging.INFO)
        reply = self.turns.revealed(flight, "flight_timeout")
        try:
            await poster.post(reply, due.workspace, due.channel, key=f"flight-reveal-{due.flight_id}")
        except Undelivered as e:
            if not e.transient:
                return await self._give_up(due, e.reason)
            return await self._retry(due, e.reason)
        except Exception as e:  # a bug or an SDK surprise: retried like a transient failure, within the same limits
            log.exception("flight reveal post failed", extra={"flight_id": due.flight_id, "platform": due.platform})
            return await self._retry(due, type(e).__name__)
        await self.announcements.posted(due.flight_id)
        log.info("flight reveal posted", extra={"flight_id": due.flight_id, "platform": due.platform, "attempt": due.attempts + 1})
        return "posted"

    async def _retry(self, due: Due, reason: str) -> str:
        if due.attempts + 1 >= self.max_attempts or self.clock() - due.due_at >= self.give_up_after:
            return await self._give_up(due, reason)
        await self.announcements.release(due.flight_id, reason)
        log.info("flight reveal not posted yet (%s); next sweep tries again", reason, extra={"flight_id": due.flight_id})
        return "retrying"

    async def _give_up(self, due: Due, reason: str, *, level: int = logging.WARNING) -> str:
        await self.announcements.give_up(due.flight_id, reason)
        log.log(level, "flight reveal given up after %d attempts: %s", due.attempts + 1, reason,
                extra={"flight_id": due.flight_id, "platform": due.platform})
        return "given_up"

    async def run_forever(self, *, first_after: float = FIRST_AFTER, every: float = EVERY,
                          sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        """`run` shortly after start, then every `every` seconds, until cancelled. A failed run (the
        database briefly away) is logged and the next one tries again."""
        await sleep(first_after)
        while True:
            try:
                await self.run()
            except Exception:
                log.warning("flight sweep failed; the next one tries again", exc_info=True)
            await sleep(every)
