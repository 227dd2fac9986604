"""Slow work (OCR, model turns, platform calls) behind one small interface.

Adapters and the core submit named jobs with JSON-able payloads; the in-process runner
executes them as asyncio tasks, and a Redis-backed queue can replace it without either side
changing. Jobs with the same `key` (one conversation) run one after another, in order.

`DurableJobs` also writes each job to the database before running it and deletes it when
done, so that work in flight when a process is killed (kill -9, a crash, a deploy) is taken
over by the next process once its lease runs out: handled at least once; the inbox and
idempotent services make its effects happen once. It holds at most `resident` jobs in memory;
in a backlog the rest wait in the table (attempts 0) and are taken in order as room frees, so
that the process's memory does not grow with the length of the queue.

While a platform is down, its answers wait in the queue (`RetryLater(outage=True)`): such runs do
not count against `max_attempts`, the job backs off (doubling up to `outage_backoff`) and, when
the handler says how to know the platform is back (`back`), runs again as soon as it is; it is
given up only after `outage_limit`, which is shorter than the inbox keeps the reply it sends.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Protocol

from sqlalchemy import delete, select, update

from core.db import Database, utcnow
from core.db.job_tables import Job
from core.job_retry import OUTAGE_BACKOFF, OUTAGE_LIMIT, RetryLater, first_of

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[Any]]

# Which run of the current job this is, for queues that know (core.jobs_redis): 2 and more means an
# earlier run died mid-job, so an inbox claim it left unfinished is ours to take over at once.
ATTEMPT: ContextVar[int] = ContextVar("job_attempt", default=0)


def job_attempt() -> int:
    """0 outside a job or when the queue does not count runs; 1 for a first run, 2+ for a retry."""
    return ATTEMPT.get()


class JobQueue(Protocol):
    def register(self, name: str, handler: Handler) -> None: ...

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None: ...

    async def start(self) -> None:
        """Begin background duties (taking over orphaned jobs); for long-running processes."""

    async def drain(self, timeout: float | None = None) -> bool: ...

    @property
    def depth(self) -> int: ...


class InProcessJobs:
    def __init__(
        self, *, concurrency: int = 32, max_attempts: int = 5, clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, outage_limit: timedelta = OUTAGE_LIMIT,
        outage_backoff: float = OUTAGE_BACKOFF,
    ) -> None:
        self.max_attempts = max_attempts
        self.clock = clock
        self.sleep = sleep  # injected, so that tests can let an outage last an hour
        self.outage_limit = outage_limit
        self.outage_backoff = outage_backoff
        self.parked = 0  # jobs pausing until their platform is back: not work in memory, see DurableJobs
        self._closing = asyncio.Event()
        self._handlers: dict[str, Handler] = {}
        self._tails: dict[str, asyncio.Future[Any]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self.closed = False

    def register(self, name: str, handler: Handler) -> None:
        self._handlers[name] = handler

    @property
    def depth(self) -> int:
        return len(self._tasks)

    async def start(self) -> None:
        return None

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None:
        if self.closed:
            raise RuntimeError("the job queue is shutting down")
        self._start(name, payload, key)

    def _start(self, name: str, payload: dict[str, Any], key: str | None, job_id: int | None = None, attempt: int = 0,
               since: datetime | None = None) -> asyncio.Task[Any]:
        handler = self._handlers[name]  # KeyError for an unregistered job: a programming error
        previous = self._tails.get(key) if key else None
        task = asyncio.create_task(self._run(name, handler, payload, previous, job_id, attempt, since or self.clock()))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if key:
            self._tails[key] = task
            task.add_done_callback(lambda t, k=key: self._tails.pop(k, None) if self._tails.get(k) is t else None)
        return task

    async def _run(
        self, name: str, handler: Handler, payload: dict[str, Any], previous: asyncio.Future[Any] | None, job_id: int | None,
        attempt: int, since: datetime,
    ) -> Any:
        ATTEMPT.set(attempt)  # this task's own context: what `job_attempt()` tells the handler
        if previous is not None:
            try:
                await asyncio.shield(previous)
            except BaseException:  # the previous job's failure is its own; order is what matters here
                pass
        result: Any = None
        counted = outages = 0
        while True:
            retry: RetryLater | None = None
            async with self._slots:  # not held while waiting to retry
                try:
                    result = await handler(payload)
                except RetryLater as e:
                    retry = e
                except Exception:
                    log.exception("job %s failed", name)
            if retry is None:
                break
            counted += not retry.outage
            if counted >= self.max_attempts:
                log.error("job %s given up after %s attempts: %s", name, counted, retry)
                break
            if retry.outage and self.clock() - since >= self.outage_limit:
                log.error("job %s given up: its platform stayed unreachable for %s: %s", name, self.clock() - since, retry)
                break
            if self.closed:  # shutting down: a durable job's lease runs out and another process retries it
                log.warning("job %s left for another process to retry: %s", name, retry)
                return None
            pause = retry.pause(outages, self.outage_backoff)
            outages += retry.outage
            log.warning("job %s will be retried in %.0f s (%s): %s", name, pause,
                        f"outage run {outages}" if retry.outage else f"attempt {counted}", retry)
            if not await self._pause(retry, pause):
                log.warning("job %s left for another process to retry: %s", name, retry)
                return None
        # Not reached when cancelled (shutdown, kill): the job stays queued for another process.
        await self._finished(job_id)
        return result

    async def _pause(self, retry: RetryLater, pause: float) -> bool:
        """Wait `pause` seconds before the next run; past `after`, an outage's pause ends as soon as
        the platform is back. False when the queue began closing meanwhile."""
        self.parked += retry.outage
        try:
            if await first_of(self.sleep(min(retry.after, pause)), self._closing.wait()) == 1:
                return False
            if pause <= retry.after:
                return True
            waits = [self.sleep(pause - retry.after), self._closing.wait()] + ([retry.back()] if retry.back else [])
            return await first_of(*waits) != 1
        finally:
            self.parked -= retry.outage

    async def _finished(self, job_id: int | None) -> None:
        """Hook for durable subclasses: the job will not run again."""

    async def drain(self, timeout: float | None = None) -> bool:
        """Stop taking jobs and wait for those in flight; False when the timeout cut them short."""
        self.closed = True
        self._closing.set()
        if not self._tasks:
            return True
        done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        return not pending


class DurableJobs(InProcessJobs):
    """Jobs in the database, run by this process under a lease that it renews.

    `attempts` counts runs: 0 while a job waits in the table, 1 when this process starts it, +1
    each time another process takes it over from an owner that stopped renewing its lease. The
    handler sees that count as `job_attempt()`, so that Sensei knows a first run from a takeover
    by counting rather than by how long the job waited.
    """

    def __init__(
        self, db: Database, *, clock: Callable[[], datetime] = utcnow, lease: timedelta = timedelta(seconds=60),
        concurrency: int = 32, max_attempts: int = 5, resident: int | None = None, **outages: Any,
    ) -> None:
        super().__init__(concurrency=concurrency, max_attempts=max_attempts, clock=clock, **outages)
        self.db = db
        self.lease = lease
        self.owner = uuid.uuid4().hex
        # Jobs held in memory (running or queued behind their conversation); more wait in the table.
        self.resident = resident if resident is not None else 4 * concurrency
        self._mine: set[int] = set()
        self._waiting = 0  # our jobs in the table, not yet started
        self._filler: asyncio.Task[None] | None = None
        self._poked = False
        self._keeper: asyncio.Task[None] | None = None

    @property
    def depth(self) -> int:
        return len(self._tasks) + self._waiting

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None:
        if self.closed:
            raise RuntimeError("the job queue is shutting down")
        if name not in self._handlers:
            raise KeyError(name)
        # Decided before the insert so that jobs submitted later never overtake those already waiting.
        run_now = not self._waiting and self._load < self.resident
        if not run_now:
            self._waiting += 1
        now = self.clock()
        try:
            async with self.db.transaction() as s:
                job = Job(name=name, key=key, payload=payload, attempts=1 if run_now else 0, owner=self.owner,
                          locked_until=now + self.lease, created_at=now)
                s.add(job)
                await s.flush()
                job_id = job.id
        except BaseException:
            if not run_now:
                self._waiting -= 1
            raise
        if run_now:
            self._mine.add(job_id)
            self._start(name, payload, key, job_id, attempt=1, since=now)
        else:
            self._fill_soon()

    @property
    def _load(self) -> int:
        """Jobs held in memory that count against `resident`: those pausing until their platform is
        back do not, so that an outage of one platform does not hold up every other's work."""
        return len(self._tasks) - self.parked

    def _start(self, name: str, payload: dict[str, Any], key: str | None, job_id: int | None = None, attempt: int = 0,
               since: datetime | None = None) -> asyncio.Task[Any]:
        task = super()._start(name, payload, key, job_id, attempt, since)
        task.add_done_callback(lambda _t: self._fill_soon())
        return task

    def _fill_soon(self) -> None:
        """Start waiting jobs if there is room (once a running job ends, or a job was queued)."""
        # Taken in batches of a quarter of `resident` (one transaction each), not one per finished job.
        if self.closed or not self._waiting or self._load > self.resident - max(1, self.resident // 4):
            return
        if self._filler is not None and not self._filler.done():
            self._poked = True  # the running fill looks again: a job may have been committed after its query
            return
        self._filler = asyncio.create_task(self._fill())

    async def _fill(self) -> None:
        while not self.closed and self._waiting and self._load < self.resident:
            self._poked = False
            room = self.resident - self._load
            try:
                async with self.db.transaction() as s:
                    rows = (
                        await s.execute(
                            select(Job.id, Job.name, Job.payload, Job.key, Job.created_at)
                            .where(Job.owner == self.owner, Job.attempts == 0).order_by(Job.id).limit(room)
                        )
                    ).all()
                    if rows:
                        await s.execute(update(Job).where(Job.id.in_([r.id for r in rows]), Job.owner == self.owner).values(attempts=1))
            except Exception:  # the database is busy or gone: the keeper tries again
                log.exception("could not take waiting jobs from the table; retrying later")
                return
            for row in rows:
                self._waiting -= 1
                self._mine.add(row.id)
                self._start(row.name, row.payload, row.key, row.id, attempt=1, since=row.created_at)
            if not rows and not self._poked:
                return  # the rest are still being inserted: their submit pokes again

    async def _finished(self, job_id: int | None) -> None:
        if job_id is None:
            return
        self._mine.discard(job_id)
        try:
            async with self.db.transaction() as s:
                await s.execute(delete(Job).where(Job.id == job_id, Job.owner == self.owner))
        except Exception:  # the lease will run out and another process will retry it: at least once
            log.exception("could not mark job %s done", job_id)

    async def recover(self) -> int:
        """Take over jobs whose owner stopped renewing their lease (it died). Returns how many.

        Jobs it had started run again now (their next attempt); those still waiting join our own
        waiting jobs, so that a big backlog left behind does not all land in memory at once."""
        now = self.clock()
        async with self.db.session() as s:
            # Only jobs this process can run: a Discord gateway process must not take (or drop) the web server's jobs.
            stale = (
                await s.execute(
                    select(Job.id, Job.attempts).where(Job.locked_until < now, Job.name.in_(list(self._handlers))).order_by(Job.id)
                )
            ).all()
        taken = 0
        waiting = [row.id for row in stale if row.attempts == 0]
        if waiting:
            async with self.db.transaction() as s:
                result = await s.execute(
                    update(Job).where(Job.id.in_(waiting), Job.locked_until < now, Job.attempts == 0)
                    .values(owner=self.owner, locked_until=now + self.lease)
                )
            self._waiting += result.rowcount or 0
            taken += result.rowcount or 0
            if result.rowcount:
                log.warning("%s waiting jobs taken over from a stopped process", result.rowcount)
        for job_id in (row.id for row in stale if row.attempts > 0):
            async with self.db.transaction() as s:
                result = await s.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.locked_until < now)
                    .values(owner=self.owner, locked_until=now + self.lease, attempts=Job.attempts + 1)
                )
                if not result.rowcount:
                    continue  # another process took it first
                job = await s.get(Job, job_id)
            if job is None:
                continue
            if job.attempts > self.max_attempts:
                log.error("job %s (%s) dropped after %s attempts", job_id, job.name, job.attempts - 1)
                async with self.db.transaction() as s:
                    await s.execute(delete(Job).where(Job.id == job_id))
                continue
            log.warning("job %s (%s) taken over from a stopped process (attempt %s)", job_id, job.name, job.attempts)
            self._mine.add(job_id)
            self._start(job.name, job.payload, job.key, job_id, attempt=job.attempts, since=job.created_at)
            taken += 1
        self._fill_soon()
        return taken

    async def renew(self) -> None:
        """Extend the lease of our jobs, running and waiting, so nobody takes them over."""
        if not self._mine and not self._waiting:
            return
        async with self.db.transaction() as s:
            await s.execute(update(Job).where(Job.owner == self.owner).values(locked_until=self.clock() + self.lease))

    async def start(self) -> None:
        """Recover orphaned jobs now and keep doing so, renewing our own leases, until drained."""
        await self.recover()
        self._keeper = asyncio.create_task(self._keep())

    async def _keep(self) -> None:
        interval = max(self.lease.total_seconds() / 3, 0.05)
        while not self.closed:
            await asyncio.sleep(interval)
            try:
                await self.renew()
                await self.recover()
            except Exception:
                log.exception("job keeper failed; retrying")

    async def drain(self, timeout: float | None = None) -> bool:
        """Finish what is running; hand back (release the lease of) what could not finish in time
        and what was still waiting. False when anything was handed back."""
        finished = await super().drain(timeout)
        if self._keeper is not None:
            self._keeper.cancel()
        if self._filler is not None:
            self._filler.cancel()
        if self._mine or self._waiting:  # cut short, left pausing for a platform, or not yet started
            async with self.db.transaction() as s:
                await s.execute(update(Job).where(Job.owner == self.owner).values(locked_until=self.clock()))
            log.warning("handed back %s jobs for another process", len(self._mine) + self._waiting)
            return False
        return finished
