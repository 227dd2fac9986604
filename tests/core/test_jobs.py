import asyncio
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from core.db import Database
from core.db.job_tables import Job
from core.jobs import DurableJobs, InProcessJobs


async def test_jobs_of_one_key_run_in_order() -> None:
    jobs = InProcessJobs()
    seen: list[int] = []

    async def work(payload: dict) -> None:
        await asyncio.sleep(0.02 if payload["n"] == 0 else 0)
        seen.append(payload["n"])

    jobs.register("w", work)
    for n in range(5):
        await jobs.submit("w", {"n": n}, key="conv")
    assert await jobs.drain(timeout=5)
    assert seen == [0, 1, 2, 3, 4]


async def test_a_failing_job_does_not_stop_the_next() -> None:
    jobs = InProcessJobs()
    seen: list[str] = []

    async def work(payload: dict) -> None:
        if payload["x"] == "bad":
            raise RuntimeError("boom")
        seen.append(payload["x"])

    jobs.register("w", work)
    await jobs.submit("w", {"x": "bad"}, key="k")
    await jobs.submit("w", {"x": "good"}, key="k")
    await jobs.drain(timeout=5)
    assert seen == ["good"]


async def _count(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(Job)) or 0)


async def test_durable_jobs_are_removed_when_done(db: Database) -> None:
    jobs = DurableJobs(db)
    done = asyncio.Event()

    async def work(payload: dict) -> None:
        done.set()

    jobs.register("w", work)
    await jobs.submit("w", {"a": 1}, key="k")
    await asyncio.wait_for(done.wait(), 5)
    assert await jobs.drain(timeout=5)
    assert await _count(db) == 0


async def test_a_killed_process_hands_its_jobs_on(db: Database) -> None:
    now = [datetime(2026, 11, 28, 12, tzinfo=timezone.utc)]
    clock = lambda: now[0]  # noqa: E731
    dying = DurableJobs(db, clock=clock, lease=timedelta(seconds=30))
    started = asyncio.Event()

    async def hang(payload: dict) -> None:
        started.set()
        await asyncio.sleep(3600)

    dying.register("turn", hang)
    await dying.submit("turn", {"event": "E1"}, key="u1")
    await asyncio.wait_for(started.wait(), 5)
    for task in list(dying._tasks):  # simulate kill -9: the task vanishes, the row stays
        task.cancel()
    await asyncio.sleep(0)

    survivor = DurableJobs(db, clock=clock, lease=timedelta(seconds=30))
    handled: list[dict] = []

    async def work(payload: dict) -> None:
        handled.append(payload)

    survivor.register("turn", work)
    assert await survivor.recover() == 0  # the lease has not run out yet
    now[0] += timedelta(seconds=31)
    assert await survivor.recover() == 1
    assert await survivor.drain(timeout=5)
    assert handled == [{"event": "E1"}]
    assert await _count(db) == 0
    assert await survivor.recover() == 0  # taken once only


async def test_drain_hands_back_unfinished_jobs(db: Database) -> None:
    jobs = DurableJobs(db)

    async def slow(payload: dict) -> None:
        await asyncio.sleep(3600)

    jobs.register("slow", slow)
    await jobs.submit("slow", {}, key=None)
    assert not await jobs.drain(timeout=0.1)
    async with db.session() as s:
        job = (await s.scalars(select(Job))).one()
    assert job.locked_until <= datetime.now(timezone.utc) + timedelta(seconds=1)  # free to take at once
    for task in list(jobs._tasks):
        task.cancel()


async def test_recovery_leaves_jobs_it_cannot_run(db: Database) -> None:
    now = [datetime(2026, 11, 28, 12, tzinfo=timezone.utc)]
    server = DurableJobs(db, clock=lambda: now[0], lease=timedelta(seconds=5))
    server.register("discord.interaction", lambda p: asyncio.sleep(3600))
    await server.submit("discord.interaction", {"id": 1})
    for task in list(server._tasks):
        task.cancel()
    now[0] += timedelta(seconds=10)
    other = DurableJobs(db, clock=lambda: now[0])  # e.g. the Slack socket process: no such handler
    other.register("slack.turn", lambda p: asyncio.sleep(0))
    assert await other.recover() == 0
    assert await _count(db) == 1  # still there for a process that can run it


async def test_a_job_that_asks_to_be_retried_runs_again_later_and_is_given_up_at_last() -> None:
    from core.jobs import RetryLater

    jobs = InProcessJobs(max_attempts=3)
    runs: list[str] = []

    async def flaky(payload: dict) -> None:
        runs.append(payload["n"])
        if payload["n"] == "never" or len([r for r in runs if r == payload["n"]]) < 2:
            raise RetryLater("the platform said 500", after=0.01)

    jobs.register("send", flaky)
    await jobs.submit("send", {"n": "once"})
    await jobs.submit("send", {"n": "never"})
    for _ in range(200):
        if jobs.depth == 0:
            break
        await asyncio.sleep(0.01)
    assert await jobs.drain(timeout=5)
    assert runs.count("once") == 2 and runs.count("never") == 3


async def test_a_durable_job_waiting_to_be_retried_stays_in_the_database(db: Database) -> None:
    from core.jobs import RetryLater

    jobs = DurableJobs(db)
    release = asyncio.Event()
    runs: list[int] = []

    async def flaky(payload: dict) -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RetryLater("the platform said 500", after=0.05)
        await release.wait()

    jobs.register("send", flaky)
    await jobs.submit("send", {})
    for _ in range(100):
        if len(runs) == 2:
            break
        await asyncio.sleep(0.01)
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Job)) == 1  # a kill now leaves it for another process
    release.set()
    assert await jobs.drain(timeout=5)
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Job)) == 0
