"""A job asking to run again later (`RetryLater`), and how long it waits while its platform is down.

Kept apart from the queues (core.jobs, core.jobs_redis), which share it: a platform that refused
an answer says so once, and every queue pauses, counts and gives up the same way.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Awaitable, Callable

# How long an answer waits for its platform to come back: under the inbox's `keep` (2 days), so that
# the retried job still finds the reply it kept and never runs the turn again.
OUTAGE_LIMIT = timedelta(days=2) - timedelta(hours=1)
OUTAGE_BACKOFF = 300.0  # seconds: the longest pause between two runs during an outage


class RetryLater(Exception):
    """Raised by a handler whose work could not be completed now (a platform refused the answer):
    the job runs again after `after` seconds, up to the queue's `max_attempts`, still holding its
    place (a durable job stays leased to this process, so a kill meanwhile hands it over).

    `outage`: the platform is unreachable, so the run says nothing about the job itself: it does
    not count against `max_attempts`, and the pause doubles with each such run (up to the queue's
    `outage_backoff`) until the queue's `outage_limit` since the job was submitted. `back`, when
    given, returns once the platform answers again: the pause (past `after`) ends then, so the
    answer goes out when the platform is back rather than at the end of a long backoff."""

    def __init__(self, reason: str, *, after: float, outage: bool = False,
                 back: Callable[[], Awaitable[Any]] | None = None) -> None:
        super().__init__(reason)
        self.after = after
        self.outage = outage
        self.back = back

    def pause(self, outages: int, cap: float) -> float:
        """Seconds before the next run, after `outages` earlier outage runs of this job."""
        if not self.outage:
            return self.after
        return min(self.after * 2 ** min(outages, 32), max(cap, self.after))



async def first_of(*waits: Awaitable[Any]) -> int:
    """The position of the first of `waits` to finish; the others are cancelled."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
    for task in done:
        if not task.cancelled():
            task.exception()  # a `back` that failed ends the pause too: the next run finds out
    return min(tasks.index(task) for task in done)
