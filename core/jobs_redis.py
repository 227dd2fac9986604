"""The job queue on Redis (arq), for several web processes and `sake-sensei worker` processes.

Web processes only submit; workers run the jobs. arq gives the queue, the workers' polling,
and crash recovery: a job in progress holds an `arq:in-progress:` key that expires, so when its
worker dies (kill -9) another worker runs it again once `timeout` (plus a margin) has passed.

arq knows nothing of order, and two workers would happily run two messages of one conversation
at once. So jobs with a `key` also go, in submit order, on a Redis list per key, and a job runs
only while it is at the head of its list; otherwise it asks arq to try again a little later.
The head leaves the list when its run ends (done, failed, timed out, or given up) and, in the
same Lua script, wakes its successor so that it does not wait out its deferral. Why this is
sound:
- submit writes the arq job and pushes it on its list in one MULTI: no job on a list without
  its arq job (which would block the key forever) and no arq job missing from its list;
- only the head runs, and arq's in-progress key keeps the head on one worker at a time;
- a head whose worker dies stays the head, so its successors wait until arq runs it again;
- there is no lock to hand over, so no race between "the list is empty" and a new push: a job
  pushed onto an empty list is the head the moment it is pushed.

Runs are counted per job (the `attempt` of `core.jobs.ATTEMPT`): a second run means the first
died mid-job, and `Sensei` then takes over the inbox claim the first run left unfinished at once
instead of treating the event as a duplicate for the next minute. The inbox keeps effects to once.

While a platform is down (`RetryLater(outage=True)`), a job's runs are counted apart (its
`outages` key) and not against `max_attempts`; it is deferred with the shared backoff, its
record in Redis is kept (with the payload as the handler left it, so a placeholder it posted is
remembered) for as long as `outage_limit`, and a worker whose handler said how to know the
platform is back (`back`) moves the job's turn to now once it is.

Payloads are JSON (never pickle): the job record in Redis is readable and carries no code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from datetime import timedelta
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import job_key_prefix
from arq.jobs import serialize_job
from arq.worker import Retry, Worker, func

from core.job_retry import OUTAGE_BACKOFF, OUTAGE_LIMIT, RetryLater
from core.jobs import ATTEMPT, Handler

log = logging.getLogger(__name__)

RUN = "sake_sensei.run"  # the one arq function: runs a registered handler by name
EXPIRES_MS = 86_400_000  # a job nobody ran within a day is dropped by arq
ATTEMPTS_TTL = 86_400  # seconds the run counter of a job is kept

# KEYS: the key's list, the arq queue, the job's run counter. ARGV: job id.
# Returns the run number (1, 2, ...) when it is the job's turn, 0 while an earlier job of its key is queued.
_TURN = """
local pos = redis.call('LPOS', KEYS[1], ARGV[1])
if pos ~= false and pos > 0 then
  return 0
end
local n = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], %d)
return n
""" % ATTEMPTS_TTL

# KEYS: the key's list, the arq queue, the job's run counter, its outage run counter. ARGV: job id, now in ms.
# The head leaves its list and wakes the next job of the key (its score becomes now, if it is queued).
_DONE = """
redis.call('DEL', KEYS[3], KEYS[4])
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  local nxt = redis.call('LINDEX', KEYS[1], 0)
  if nxt then
    redis.call('ZADD', KEYS[2], 'XX', ARGV[2], nxt)
  end
else
  redis.call('LREM', KEYS[1], 1, ARGV[1])
end
return 1
"""


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=repr).encode()


def _loads(raw: bytes) -> Any:
    return json.loads(raw)


class RedisJobs:
    """`core.jobs.JobQueue` on Redis. Submit from any process; `work()` in a worker process runs them.

    `timeout`: how long one job may run before it is cut off (logged as failed); a dead worker's
    job runs again about `timeout` + 2 s after it started. `wait` is how long a job queued behind
    another of its key waits before it looks again (the one before it wakes it sooner).
    """

    def __init__(
        self, redis_url: str, *, queue: str = "sake-sensei:jobs", timeout: float = 60.0, concurrency: int = 32,
        max_attempts: int = 5, poll_delay: float = 0.05, wait: float = 0.5, outage_limit: timedelta = OUTAGE_LIMIT,
        outage_backoff: float = OUTAGE_BACKOFF,
    ) -> None:
        self.redis_url = redis_url
        self.queue = queue
        self.timeout = timeout
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.poll_delay = poll_delay
        self.wait = wait
        self.outage_limit = outage_limit
        self.outage_backoff = outage_backoff
        self.closed = False
        self._wakers: set[asyncio.Task[None]] = set()  # jobs to run again once their platform is back
        self._handlers: dict[str, Handler] = {}
        self._pool: ArqRedis | None = None
        self._worker: Worker | None = None
        self._work_task: asyncio.Task[None] | None = None
        self._depth_task: asyncio.Task[None] | None = None
        self._depth = 0
        self._running = 0

    # ---- both sides ----------------------------------------------------------------------------
    def register(self, name: str, handler: Handler) -> None:
        self._handlers[name] = handler

    def _order_key(self, key: str) -> str:
        return f"{self.queue}:order:{key}"

    def _attempts_key(self, job_id: str) -> str:
        return f"{self.queue}:attempts:{job_id}"

    def _outages_key(self, job_id: str) -> str:
        return f"{self.queue}:outages:{job_id}"

    async def pool(self) -> ArqRedis:
        if self._pool is None:
            self._pool = await create_pool(RedisSettings.from_dsn(self.redis_url), job_serializer=_dumps,
                                           job_deserializer=_loads, default_queue_name=self.queue)
        return self._pool

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None:
        if self.closed:
            raise RuntimeError("the job queue is shutting down")
        if name not in self._handlers:
            raise KeyError(name)
        pool = await self.pool()
        job_id = uuid.uuid4().hex
        now_ms = int(time.time() * 1000)
        record = serialize_job(RUN, (name, payload, key), {}, None, now_ms, serializer=_dumps)
        async with pool.pipeline(transaction=True) as tx:
            tx.psetex(job_key_prefix + job_id, EXPIRES_MS, record)
            tx.zadd(self.queue, {job_id: now_ms})
            if key:
                tx.rpush(self._order_key(key), job_id)
            await tx.execute()

    @property
    def depth(self) -> int:
        """Jobs queued or running across all workers (refreshed every second by `start`), plus this process's own."""
        return max(self._depth, self._running)

    async def queued(self) -> int:
        return int(await (await self.pool()).zcard(self.queue))

    async def start(self) -> None:
        """Keep `depth` current for /readyz and /metrics (a property cannot ask Redis itself)."""
        await self.pool()
        self._depth_task = asyncio.create_task(self._watch_depth())

    async def _watch_depth(self) -> None:
        while True:
            try:
                self._depth = await self.queued()
            except Exception:  # Redis briefly away: keep the last figure
                log.debug("job queue depth unavailable", exc_info=True)
            await asyncio.sleep(1.0)

    # ---- the worker side ----------------------------------------------------------------------
    async def work(self) -> None:
        """Start running jobs in this process (returns at once; `drain` stops it)."""
        # arq logs every job with its arguments at INFO: our payloads carry users' words and
        # platform tokens, so only its warnings get through.
        logging.getLogger("arq").setLevel(logging.WARNING)
        worker = Worker(
            [func(self._run, name=RUN, timeout=self.timeout + 1, max_tries=1_000_000)],
            queue_name=self.queue, redis_pool=await self.pool(), handle_signals=False, max_jobs=self.concurrency,
            poll_delay=self.poll_delay, keep_result=0, log_results=False, health_check_interval=10,
            job_serializer=_dumps, job_deserializer=_loads,
        )
        # arq reckons a job abandoned 10 s after its timeout; ours cuts jobs off itself at `timeout`.
        worker.in_progress_timeout_s = self.timeout + 2
        self._worker = worker
        self._work_task = asyncio.create_task(worker.async_run())

    async def _run(self, ctx: dict[str, Any], name: str, payload: dict[str, Any], key: str | None) -> None:
        handler = self._handlers.get(name)
        if handler is None:  # a worker without this platform configured: leave it for one that has it
            log.error("job %s has no handler in this worker (is the platform configured here?); retrying later", name)
            raise Retry(defer=10)
        job_id: str = ctx["job_id"]
        pool = await self.pool()
        keys = [self._order_key(key) if key else f"{self.queue}:order:-", self.queue, self._attempts_key(job_id),
                self._outages_key(job_id)]
        if key:
            attempt = int(await pool.eval(_TURN, 3, *keys[:3], job_id))
            if attempt == 0:
                raise Retry(defer=self.wait)  # an earlier job of this conversation is still queued or running
        else:
            attempt = int(await pool.incr(keys[2]))
            await pool.expire(keys[2], ATTEMPTS_TTL)
        retry: RetryLater | None = None
        outages = int(await pool.get(keys[3]) or 0)  # runs that met an outage: not counted
        if attempt - outages > self.max_attempts:
            log.error("job %s dropped after %d runs that did not finish", name, attempt - outages - 1)
        else:
            if attempt > 1:
                log.warning("job %s runs again (run %d): its worker stopped mid-job, or it asked to be retried", name, attempt)
            token = ATTEMPT.set(attempt)
            self._running += 1
            try:
                await asyncio.wait_for(handler(payload), self.timeout)
            except RetryLater as e:  # the platform refused the answer: run it again later, keeping its place
                retry = e
            except asyncio.TimeoutError:
                log.error("job %s cut off after %.0f s", name, self.timeout)
            except Exception:
                log.exception("job %s failed", name)
            finally:
                self._running -= 1
                ATTEMPT.reset(token)
            # Not reached when cancelled (drain, shutdown): arq queues the job again, still at the head.
        if retry is not None:
            await self._retry(ctx, retry, name, payload, key, keys, attempt, outages)
        await pool.eval(_DONE, 4, *keys, job_id, int(time.time() * 1000))

    async def _retry(self, ctx: dict[str, Any], retry: RetryLater, name: str, payload: dict[str, Any], key: str | None,
                     keys: list[str], attempt: int, outages: int) -> None:
        """Raise arq's Retry (the job stays the head of its conversation: the next job waits for it),
        or return when the job is given up."""
        waited = time.time() - ctx["enqueue_time"].timestamp()
        if not retry.outage and attempt - outages >= self.max_attempts:
            log.error("job %s given up after %d runs: %s", name, attempt - outages, retry)
            return
        if retry.outage and waited >= self.outage_limit.total_seconds():
            log.error("job %s given up: its platform stayed unreachable for %.0f s: %s", name, waited, retry)
            return
        pause = retry.pause(outages, self.outage_backoff)
        pool = await self.pool()
        keep = int((self.outage_limit.total_seconds() + 3600) * 1000)  # outlives every pause, within reason
        record = serialize_job(RUN, (name, payload, key), {}, None, int(ctx["enqueue_time"].timestamp() * 1000), serializer=_dumps)
        async with pool.pipeline(transaction=True) as tx:
            tx.psetex(job_key_prefix + ctx["job_id"], keep, record)  # the payload as the handler left it
            if retry.outage:
                tx.incr(keys[3])
                tx.pexpire(keys[3], keep)
            await tx.execute()
        if retry.outage and retry.back is not None:
            waker = asyncio.create_task(self._wake(ctx["job_id"], retry, time.time() + retry.after))
            self._wakers.add(waker)
            waker.add_done_callback(self._wakers.discard)
        log.warning("job %s will be retried in %.0f s (%s): %s", name, pause,
                    f"outage run {outages + 1}" if retry.outage else f"run {attempt - outages}", retry)
        raise Retry(defer=pause)

    async def _wake(self, job_id: str, retry: RetryLater, not_before: float) -> None:
        """Once the platform is back (and `after` has passed), move the deferred job's turn to now."""
        assert retry.back is not None
        try:
            await retry.back()
        except Exception:
            return  # it runs at the end of its pause instead
        await asyncio.sleep(max(0.0, not_before - time.time()))
        with contextlib.suppress(Exception):  # Redis away: the same
            await (await self.pool()).zadd(self.queue, {job_id: int(time.time() * 1000)}, xx=True, lt=True)

    async def drain(self, timeout: float | None = None) -> bool:
        """Stop taking jobs and finish those running; after `timeout` the rest go back to the queue."""
        self.closed = True
        if self._depth_task is not None:
            self._depth_task.cancel()
        for waker in list(self._wakers):
            waker.cancel()
        finished = True
        worker = self._worker
        if worker is not None:
            worker.allow_pick_jobs = False
            deadline = None if timeout is None else time.monotonic() + timeout
            while any(not t.done() for t in worker.tasks.values()):
                if deadline is not None and time.monotonic() >= deadline:
                    finished = False
                    break
                await asyncio.sleep(0.05)
            await worker.close()  # cancels what is left: arq puts it back on the queue for another worker
            self._worker = None
            self._pool = None
            if self._work_task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await self._work_task
        elif self._pool is not None:
            await self._pool.aclose()
            self._pool = None
        return finished
