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


async def test_a_backlog_waits_in_the_table_and_runs_in_order(db: Database) -> None:
    """Memory holds at most `resident` jobs however long the queue; the rest run in turn, in order."""
    from core.jobs import job_attempt

    jobs = DurableJobs(db, concurrency=2, resident=3)
    gate = asyncio.Event()
    seen: list[tuple[str, int, int]] = []
    most_in_memory = 0

    async def work(payload: dict) -> None:
        nonlocal most_in_memory
        most_in_memory = max(most_in_memory, len(jobs._tasks))
        await gate.wait()
        seen.append((payload["key"], payload["n"], job_attempt()))

    jobs.register("w", work)
    for n in range(10):
        for key in ("a", "b"):
            await jobs.submit("w", {"key": key, "n": n}, key=key)
    assert len(jobs._tasks) == 3 and jobs.depth == 20
    assert await _count(db) == 20
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Job).where(Job.attempts == 0)) == 17
    gate.set()
    for _ in range(500):
        if jobs.depth == 0:
            break
        await asyncio.sleep(0.01)
    assert await jobs.drain(timeout=5)
    assert len(seen) == 20 and most_in_memory <= 3
    for key in ("a", "b"):
        assert [n for k, n, _ in seen if k == key] == list(range(10))
    assert {attempt for *_, attempt in seen} == {1}  # each a first run, however long it waited
    assert await _count(db) == 0


async def test_drain_hands_back_waiting_jobs_and_another_process_runs_them(db: Database) -> None:
    from core.jobs import job_attempt

    now = [datetime(2026, 11, 28, 12, tzinfo=timezone.utc)]
    first = DurableJobs(db, clock=lambda: now[0], resident=1)

    async def slow(payload: dict) -> None:
        await asyncio.sleep(3600)

    first.register("w", slow)
    for n in range(4):
        await first.submit("w", {"n": n}, key=f"k{n}")
    assert not await first.drain(timeout=0.1)  # one running, three waiting: all handed back
    for task in list(first._tasks):
        task.cancel()

    second = DurableJobs(db, clock=lambda: now[0] + timedelta(seconds=1), resident=2)
    seen: list[tuple[int, int]] = []

    async def work(payload: dict) -> None:
        seen.append((payload["n"], job_attempt()))

    second.register("w", work)
    assert await second.recover() == 4
    for _ in range(300):
        if second.depth == 0:
            break
        await asyncio.sleep(0.01)
    assert await second.drain(timeout=5)
    # the started one runs as a takeover (its first run may have done part of the work); the waiting ones as first runs
    assert sorted(seen) == [(0, 2), (1, 1), (2, 1), (3, 1)]
    assert await _count(db) == 0


async def test_a_taken_over_job_knows_it_is_not_its_first_run(db: Database) -> None:
    from core.jobs import job_attempt

    now = [datetime(2026, 11, 28, 12, tzinfo=timezone.utc)]
    dying = DurableJobs(db, clock=lambda: now[0], lease=timedelta(seconds=30))
    attempts: list[int] = []
    started = asyncio.Event()

    async def hang(payload: dict) -> None:
        attempts.append(job_attempt())
        started.set()
        await asyncio.sleep(3600)

    dying.register("turn", hang)
    await dying.submit("turn", {})
    await asyncio.wait_for(started.wait(), 5)
    for task in list(dying._tasks):
        task.cancel()
    now[0] += timedelta(seconds=31)
    survivor = DurableJobs(db, clock=lambda: now[0], lease=timedelta(seconds=30))

    async def work(payload: dict) -> None:
        attempts.append(job_attempt())

    survivor.register("turn", work)
    assert await survivor.recover() == 1
    assert await survivor.drain(timeout=5)
    assert attempts == [1, 2]
