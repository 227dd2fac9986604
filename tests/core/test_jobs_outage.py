"""Answers wait in the job queue while their platform is down (issue #21, item 4).

A run that meets an outage (`RetryLater(outage=True)`) does not count against `max_attempts`:
the job backs off, doubling up to `outage_backoff`, runs again as soon as `back` says the
platform answers, and is given up only after `outage_limit`. The fake clock and an injected
sleep let an outage last an hour in a few milliseconds.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.db import Database
from core.db.job_tables import Job
from core.inbox import Inbox
from core.job_retry import OUTAGE_LIMIT, RetryLater
from core.jobs import DurableJobs, InProcessJobs
from tests.fakes.clock import FakeClock


class FakeSleep:
    """Moves the fake clock instead of waiting; a pause longer than `block_over` seconds blocks
    (the platform stays down as long as nobody says it is back)."""

    def __init__(self, clock: FakeClock, block_over: float = float("inf")) -> None:
        self.clock = clock
        self.block_over = block_over
        self.pauses: list[float] = []

    async def __call__(self, seconds: float) -> None:
        if seconds > self.block_over:
            await asyncio.Event().wait()
        self.pauses.append(seconds)
        self.clock.advance(seconds=seconds)
        await asyncio.sleep(0)


async def until(predicate: Any, what: str, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.005)):
        if predicate():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_answer_waits_less_long_than_the_inbox_keeps_its_reply() -> None:
    """Past the inbox's `keep` the kept reply could be gone and a retried job would run the turn again."""
    assert OUTAGE_LIMIT < Inbox(db=None).keep  # type: ignore[arg-type]


async def test_an_hour_long_outage_does_not_use_up_the_attempts_and_the_answer_goes_out_after_it() -> None:
    clock = FakeClock()
    sleep = FakeSleep(clock)
    jobs = InProcessJobs(max_attempts=3, clock=clock, sleep=sleep)
    started = clock.now
    back_at = started + timedelta(hours=1)
    runs: list[int] = []
    sent: list[int] = []

    async def send(payload: dict[str, Any]) -> None:
        runs.append(payload["n"])
        if clock.now < back_at:
            raise RetryLater("the platform is unreachable", after=10, outage=True)
        sent.append(payload["n"])

    jobs.register("send", send)
    await jobs.submit("send", {"n": 1}, key="alice")
    await jobs.submit("send", {"n": 2}, key="alice")  # behind it: waits, then goes out in order
    await until(lambda: len(sent) == 2, "both answers")
    assert sent == [1, 2]
    assert len(runs) > 3 + 1  # far more runs than max_attempts, the last one delivered
    # back off: 10, 20, 40, ... each pause is `after` then the rest; never longer than 300 s in all
    totals = [a + b for a, b in zip(sleep.pauses[1::2], sleep.pauses[2::2])]
    assert sleep.pauses[0] == 10 and totals[:4] == [20, 40, 80, 160] and max(totals) == 300
    assert back_at <= clock.now < back_at + timedelta(seconds=300)
    assert await jobs.drain(timeout=1)


async def test_the_pause_ends_when_the_platform_is_back_not_at_the_end_of_the_backoff() -> None:
    clock = FakeClock()
    jobs = InProcessJobs(clock=clock, sleep=FakeSleep(clock, block_over=1))  # long pauses never end by themselves
    up = asyncio.Event()
    runs: list[bool] = []

    async def send(payload: dict[str, Any]) -> None:
        runs.append(up.is_set())
        if not up.is_set():
            raise RetryLater("the platform is unreachable", after=1, outage=True, back=up.wait)

    jobs.register("send", send)
    await jobs.submit("send", {})
    await until(lambda: len(runs) == 3, "three runs during the outage")
    await asyncio.sleep(0.05)
    assert runs == [False, False, False]  # paused for 4 s (1 + 3): the 3 s part blocks
    up.set()
    await until(lambda: runs[-1], "the run once the platform is back")
    assert runs == [False, False, False, True]
    await until(lambda: jobs.depth == 0, "the job to finish")


async def test_an_answer_is_given_up_once_the_platform_stays_down_past_the_limit() -> None:
    clock = FakeClock()
    jobs = InProcessJobs(max_attempts=2, clock=clock, sleep=FakeSleep(clock), outage_limit=timedelta(hours=3))
    runs: list[int] = []

    async def send(payload: dict[str, Any]) -> None:
        runs.append(1)
        raise RetryLater("the platform is unreachable", after=10, outage=True)

    jobs.register("send", send)
    start = clock.now
    await jobs.submit("send", {})
    await until(lambda: jobs.depth == 0, "the job to be given up")
    assert timedelta(hours=3) <= clock.now - start < timedelta(hours=3, minutes=5)
    assert len(runs) > 30


async def test_runs_refused_for_another_reason_still_count() -> None:
    """A 5xx from a platform that is otherwise up is not an outage: max_attempts still bounds it."""
    clock = FakeClock()
    jobs = InProcessJobs(max_attempts=3, clock=clock, sleep=FakeSleep(clock))
    runs: list[int] = []

    async def send(payload: dict[str, Any]) -> None:
        runs.append(1)
        raise RetryLater("the platform said 500", after=10, outage=len(runs) % 2 == 0)  # outages in between

    jobs.register("send", send)
    await jobs.submit("send", {})
    await until(lambda: jobs.depth == 0, "the job to be given up")
    assert len(runs) == 5  # three counted runs, two outage runs between them


async def test_a_durable_answer_waiting_for_its_platform_leaves_room_for_other_work_and_is_handed_back(db: Database) -> None:
    clock = FakeClock()
    jobs = DurableJobs(db, clock=clock, sleep=FakeSleep(clock, block_over=1), resident=1)
    ran: list[str] = []

    async def send(payload: dict[str, Any]) -> None:
        ran.append(payload["who"])
        if payload["who"] == "slack":
            raise RetryLater("Slack is unreachable", after=1, outage=True)

    jobs.register("send", send)
    await jobs.submit("send", {"who": "slack"}, key="a")
    await until(lambda: jobs.parked == 1 and ran.count("slack") == 3, "the Slack answer to park")
    await jobs.submit("send", {"who": "line"}, key="b")  # resident=1: it runs all the same
    await until(lambda: "line" in ran, "the LINE answer")
    assert not await jobs.drain(timeout=1)  # the parked answer is handed back, not dropped
    async with db.session() as s:
        job = (await s.scalars(select(Job))).one()
    assert job.payload == {"who": "slack"} and job.locked_until <= clock.now
