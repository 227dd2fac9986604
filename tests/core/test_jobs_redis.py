"""The Redis job queue (core.jobs_redis) on the real Redis at 127.0.0.1:6379.

Each test uses a queue name of its own and deletes its keys afterwards. Two `RedisJobs` in one
test are two workers (they share nothing but Redis); a worker killed with SIGKILL is a real
process (a short script below), since arq's own cancellation is the graceful path, not a crash.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from core.jobs import RetryLater, job_attempt
from core.jobs_redis import RedisJobs

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def _redis_up() -> bool:
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        return bool(await client.ping())
    except Exception:
        return False
    finally:
        await client.aclose()


@pytest.fixture
async def queue() -> AsyncIterator[str]:
    if not await _redis_up():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    name = f"ss-test-{uuid.uuid4().hex[:10]}"
    yield name
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        keys = [k async for k in client.scan_iter(f"{name}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


async def until(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def test_jobs_of_one_key_run_in_submit_order_across_two_workers(queue: str) -> None:
    log: list[tuple[str, int, str, float]] = []  # (key, n, worker, time) for starts and ends
    workers = [RedisJobs(REDIS_URL, queue=queue, timeout=10) for _ in range(2)]
    web = RedisJobs(REDIS_URL, queue=queue)

    def handler(worker: str) -> Any:
        async def work(payload: dict[str, Any]) -> None:
            log.append((payload["key"], payload["n"], worker, time.monotonic()))
            await asyncio.sleep(0.02 * (payload["n"] % 3))  # uneven lengths: a later job would overtake
            log.append((payload["key"], -payload["n"] - 1, worker, time.monotonic()))
        return work

    for i, w in enumerate(workers):
        w.register("w", handler(f"w{i}"))
    web.register("w", handler("web"))
    try:
        for w in workers:
            await w.work()
        keys = ["alice", "bob", "carol"]
        for n in range(8):
            for k in keys:
                await web.submit("w", {"key": k, "n": n}, key=k)
        await until(lambda: len(log) == 2 * 8 * len(keys), 30, "all jobs")
    finally:
        for w in workers:
            await w.drain(timeout=5)
        await web.drain()
    for k in keys:
        events = [n for key, n, _, _ in log if key == k]
        # start n, end n, start n+1, ...: in order and never two of one key at once
        assert events == [x for n in range(8) for x in (n, -n - 1)], events
    assert {w for _, _, w, _ in log} <= {"w0", "w1"}


async def test_a_job_that_asks_to_be_retried_runs_again_and_keeps_its_place(queue: str) -> None:
    """RetryLater (a platform refused the answer): the job runs again after `after` seconds, as its
    second run, and the next job of its conversation waits for it."""
    worker = RedisJobs(REDIS_URL, queue=queue, timeout=10)
    web = RedisJobs(REDIS_URL, queue=queue)
    runs: list[tuple[int, int]] = []  # (n, run)

    async def work(payload: dict[str, Any]) -> None:
        runs.append((payload["n"], job_attempt()))
        if payload["n"] == 0 and job_attempt() == 1:
            raise RetryLater("the platform answered 503", after=0.2)

    worker.register("w", work)
    web.register("w", work)
    try:
        await worker.work()
        await web.submit("w", {"n": 0}, key="alice")
        await web.submit("w", {"n": 1}, key="alice")
        await until(lambda: len(runs) == 3, 20, "three runs")
    finally:
        await worker.drain(timeout=5)
        await web.drain()
    assert runs == [(0, 1), (0, 2), (1, 1)]


async def test_unkeyed_jobs_run_and_depth_counts_the_queue(queue: str) -> None:
    web = RedisJobs(REDIS_URL, queue=queue)
    web.register("w", lambda payload: asyncio.sleep(0))
    for n in range(3):
        await web.submit("w", {"n": n})
    assert await web.queued() == 3
    worker = RedisJobs(REDIS_URL, queue=queue)
    seen: list[int] = []

    async def work(payload: dict[str, Any]) -> None:
        seen.append(payload["n"])

    worker.register("w", work)
    await worker.work()
    try:
        await until(lambda: len(seen) == 3, 20, "three jobs")
        assert sorted(seen) == [0, 1, 2]
        for _ in range(100):
            if await web.queued() == 0:
                break
            await asyncio.sleep(0.05)
        assert await web.queued() == 0
    finally:
        await worker.drain(timeout=5)
        await web.drain()


async def test_a_failing_or_overlong_job_does_not_stop_the_next_of_its_key(queue: str) -> None:
    worker = RedisJobs(REDIS_URL, queue=queue, timeout=0.5)
    seen: list[str] = []

    async def work(payload: dict[str, Any]) -> None:
        if payload["x"] == "bad":
            raise RuntimeError("boom")
        if payload["x"] == "slow":
            await asyncio.sleep(30)
        seen.append(payload["x"])

    worker.register("w", work)
    for x in ("bad", "slow", "good"):
        await worker.submit("w", {"x": x}, key="k")
    await worker.work()
    try:
        await until(lambda: seen == ["good"], 20, "the job after a failure and a time-out")
    finally:
        await worker.drain(timeout=5)


async def test_drain_finishes_running_jobs_and_hands_back_what_cannot_finish(queue: str) -> None:
    first = RedisJobs(REDIS_URL, queue=queue, timeout=30)
    runs: list[tuple[str, str, int]] = []
    release = asyncio.Event()

    async def slow(payload: dict[str, Any]) -> None:
        runs.append(("first", payload["x"], job_attempt()))
        if payload["x"] == "stuck":
            await asyncio.sleep(3600)
        await release.wait()

    first.register("w", slow)
    await first.submit("w", {"x": "quick"}, key="a")
    await first.submit("w", {"x": "stuck"}, key="b")
    await first.work()
    await until(lambda: len(runs) == 2, 20, "both jobs started")
    asyncio.get_running_loop().call_later(0.2, release.set)
    assert await first.drain(timeout=1.5) is False  # "quick" finished in time, "stuck" did not
    with pytest.raises(RuntimeError):
        await first.submit("w", {"x": "late"}, key="a")

    second = RedisJobs(REDIS_URL, queue=queue, timeout=30)

    async def record(payload: dict[str, Any]) -> None:
        runs.append(("second", payload["x"], job_attempt()))

    second.register("w", record)
    await second.work()
    try:
        await until(lambda: len(runs) == 3, 20, "the handed-back job")
    finally:
        assert await second.drain(timeout=5)
    assert runs[2] == ("second", "stuck", 2)  # at once (no time-out to wait out), as its second run
    assert ("second", "quick", 2) not in runs


WORKER_SCRIPT = """
import asyncio, sys
import redis.asyncio as redis
from core.jobs_redis import RedisJobs

async def main():
    url, queue = sys.argv[1], sys.argv[2]
    jobs = RedisJobs(url, queue=queue, timeout=3)
    r = redis.from_url(url)
    async def work(payload):
        await r.rpush(queue + ":started", payload["n"])
        await asyncio.sleep(3600)   # until killed
    jobs.register("w", work)
    await jobs.work()
    await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_a_killed_worker_s_job_runs_again_elsewhere_and_its_key_keeps_order(queue: str) -> None:
    import redis.asyncio as redis

    web = RedisJobs(REDIS_URL, queue=queue)
    web.register("w", lambda payload: asyncio.sleep(0))
    await web.submit("w", {"n": 1}, key="u")
    await web.submit("w", {"n": 2}, key="u")
    proc = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, REDIS_URL, queue], cwd=ROOT)
    r = redis.from_url(REDIS_URL)
    survivor = RedisJobs(REDIS_URL, queue=queue, timeout=3)
    runs: list[tuple[int, int, float]] = []

    async def work(payload: dict[str, Any]) -> None:
        runs.append((payload["n"], job_attempt(), time.monotonic()))

    survivor.register("w", work)
    try:
        deadline = time.monotonic() + 30
        while not await r.llen(queue + ":started"):
            assert time.monotonic() < deadline and proc.poll() is None, "the worker did not start the job"
            await asyncio.sleep(0.05)
        assert await r.lrange(queue + ":started", 0, -1) == [b"1"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        killed_at = time.monotonic()
        await survivor.work()
        await until(lambda: len(runs) == 2, 30, "both jobs after the kill")
        assert await r.llen(f"{queue}:order:u") == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        await survivor.drain(timeout=5)
        await web.drain()
        await r.aclose()
    assert [(n, attempt) for n, attempt, _ in runs] == [(1, 2), (2, 1)]  # job 1 again (second run), then 2
    assert runs[0][2] - killed_at < 10  # about `timeout` + 2 s after it started, not arq's default 5 minutes


async def test_an_outage_does_not_use_up_the_runs_and_a_worker_wakes_the_answer_when_the_platform_is_back(queue: str) -> None:
    """RetryLater(outage=True): runs not counted against max_attempts, backoff, the payload as the
    handler left it, and the pause cut short once `back` returns; the next job of its key waits."""
    worker = RedisJobs(REDIS_URL, queue=queue, timeout=10, max_attempts=2, outage_backoff=60)
    web = RedisJobs(REDIS_URL, queue=queue)
    up = asyncio.Event()
    runs: list[tuple[int, int, bool]] = []  # (n, run, seen before)

    async def send(payload: dict[str, Any]) -> None:
        runs.append((payload["n"], job_attempt(), payload.get("seen", False)))
        payload["seen"] = True  # e.g. the placeholder it posted: the next run must know
        if payload["n"] == 0 and not up.is_set():
            raise RetryLater("the platform is unreachable", after=0.05, outage=True, back=up.wait)

    worker.register("w", send)
    web.register("w", send)
    try:
        await worker.work()
        await web.submit("w", {"n": 0}, key="alice")
        await web.submit("w", {"n": 1}, key="alice")
        await until(lambda: len(runs) >= 4, 20, "four runs during the outage")  # 0.05, 0.1, 0.2 s pauses
        assert [n for n, _, _ in runs] == [0, 0, 0, 0]  # more than max_attempts=2, and n=1 waits its turn
        assert [seen for _, _, seen in runs] == [False, True, True, True]
        await asyncio.sleep(1.0)  # the pauses have grown past 1.5 s...
        stalled = len(runs)
        up.set()  # ...but the answer goes out at once when the platform is back
        started = time.monotonic()
        await until(lambda: [n for n, _, _ in runs[-2:]] == [0, 1], 5, "the answer, then the next job")
        assert time.monotonic() - started < 0.8 and len(runs) == stalled + 2
        assert runs[-1][1] == 1  # the next job's own first run
    finally:
        await worker.drain(timeout=5)
        await web.drain()
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        assert [k async for k in client.scan_iter(f"{queue}:outages:*")] == []  # cleaned up when done
    finally:
        await client.aclose()


async def test_an_answer_is_given_up_when_its_platform_stays_down_past_the_limit(queue: str) -> None:
    from datetime import timedelta

    worker = RedisJobs(REDIS_URL, queue=queue, timeout=10, max_attempts=1, outage_limit=timedelta(seconds=0.6),
                       outage_backoff=0.1)
    runs: list[int] = []

    async def send(payload: dict[str, Any]) -> None:
        runs.append(payload["n"])
        if payload["n"] == 0:
            raise RetryLater("the platform is unreachable", after=0.05, outage=True)

    worker.register("w", send)
    try:
        await worker.work()
        await worker.submit("w", {"n": 0}, key="bob")
        await worker.submit("w", {"n": 1}, key="bob")
        await until(lambda: 1 in runs, 20, "the next job, once the first is given up")
    finally:
        await worker.drain(timeout=5)
    assert runs.count(0) > 3 and runs[-1] == 1
