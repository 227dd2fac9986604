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

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[Any]]

# Which run of the current job this is, for queues that know (core.jobs_redis): 2 and more means an
# earlier run died mid-job, so an inbox claim it left unfinished is ours to take over at once.
ATTEMPT: ContextVar[int] = ContextVar("job_attempt", default=0)


def job_attempt() -> int:
    """0 outside a job or when the queue does not count runs; 1 for a first run, 2+ for a retry."""
    return ATTEMPT.get()


class RetryLater(Exception):
    """Raised by a handler whose work could not be completed now (a platform refused the answer):
    the job runs again after `after` seconds, up to the queue's `max_attempts`, still holding its
    place (a durable job stays leased to this process, so a kill meanwhile hands it over)."""

    def __init__(self, reason: str, *, after: float) -> None:
        super().__init__(reason)
        self.after = after


class JobQueue(Protocol):
    def register(self, name: str, handler: Handler) -> None: ...

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None: ...

    async def start(self) -> None:
        """Begin background duties (taking over orphaned jobs); for long-running processes."""

    async def drain(self, timeout: float | None = None) -> bool: ...

    @property
    def depth(self) -> int: ...


class InProcessJobs:
    def __init__(self, *, concurrency: int = 32, max_attempts: int = 5) -> None:
        self.max_attempts = max_attempts
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

    def _start(self, name: str, payload: dict[str, Any], key: str | None, job_id: int | None = None, attempt: int = 0) -> asyncio.Task[Any]:
        handler = self._handlers[name]  # KeyError for an unregistered job: a programming error
        previous = self._tails.get(key) if key else None
        task = asyncio.create_task(self._run(name, handler, payload, previous, job_id, attempt))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if key:
            self._tails[key] = task
            task.add_done_callback(lambda t, k=key: self._tails.pop(k, None) if self._tails.get(k) is t else None)
        return task

    async def _run(
        self, name: str, handler: Handler, payload: dict[str, Any], previous: asyncio.Future[Any] | None, job_id: int | None,
        attempt: int = 0,
    ) -> Any:
        ATTEMPT.set(attempt)  # this task's own context: what `job_attempt()` tells the handler
        if previous is not None:
            try:
                await asyncio.shield(previous)
            except BaseException:  # the previous job's failure is its own; order is what matters here
                pass
        result: Any = None
        for attempt in range(1, self.max_attempts + 1):
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
            if attempt == self.max_attempts:
                log.error("job %s given up after %s attempts: %s", name, attempt, retry)
                break
            if self.closed:  # shutting down: a durable job's lease runs out and another process retries it
                log.warning("job %s left for another process to retry: %s", name, retry)
                return None
            log.warning("job %s will be retried in %.0f s (attempt %s): %s", name, retry.after, attempt, retry)
            await asyncio.sleep(retry.after)
        # Not reached when cancelled (shutdown, kill): the job stays queued for another process.
        await self._finished(job_id)
        return result

    async def _finished(self, job_id: int | None) -> None:
        """Hook for durable subclasses: the job will not run again."""

    async def drain(self, timeout: float | None = None) -> bool:
        """Stop taking jobs and wait for those in flight; False when the timeout cut them short."""
        self.closed = True
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
        concurrency: int = 32, max_attempts: int = 5, resident: int | None = None,
    ) -> None:
        super().__init__(concurrency=concurrency, max_attempts=max_attempts)
        self.db = db
        self.clock = clock
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
        run_now = not self._waiting and len(self._tasks) < self.resident
        if not run_now:
            self._waiting += 1
        try:
            async with self.db.transaction() as s:
                job = Job(name=name, key=key, payload=payload, attempts=1 if run_now else 0, owner=self.owner,
                          locked_until=self.clock() + self.lease, created_at=self.clock())
                s.add(job)
                await s.flush()
                job_id = job.id
        except BaseException:
            if not run_now:
                self._waiting -= 1
            raise
        if run_now:
            self._mine.add(job_id)
            self._start(name, payload, key, job_id, attempt=1)
        else:
            self._fill_soon()

    def _start(self, name: str, payload: dict[str, Any], key: str | None, job_id: int | None = None, attempt: int = 0) -> asyncio.Task[Any]:
        task = super()._start(name, payload, key, job_id, attempt)
        task.add_done_callback(lambda _t: self._fill_soon())
        return task

    def _fill_soon(self) -> None:
        """Start waiting jobs if there is room (once a running job ends, or a job was queued)."""
        # Taken in batches of a quarter of `resident` (one transaction each), not one per finished job.
        if self.closed or not self._waiting or len(self._tasks) > self.resident - max(1, self.resident // 4):
            return
        if self._filler is not None and not self._filler.done():
            self._poked = True  # the running fill looks again: a job may have been committed after its query
            return
        self._filler = asyncio.create_task(self._fill())

    async def _fill(self) -> None:
        while not self.closed and self._waiting and len(self._tasks) < self.resident:
            self._poked = False
            room = self.resident - len(self._tasks)
            try:
                async with self.db.transaction() as s:
                    rows = (
                        await s.execute(
                            select(Job.id, Job.name, Job.payload, Job.key)
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
                self._start(row.name, row.payload, row.key, row.id, attempt=1)
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
            self._start(job.name, job.payload, job.key, job_id, attempt=job.attempts)
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
        if (not finished and self._mine) or self._waiting:
            async with self.db.transaction() as s:
                await s.execute(update(Job).where(Job.owner == self.owner).values(locked_until=self.clock()))
            log.warning("handed back %s jobs for another process", len(self._mine) + self._waiting)
            return False
        return finished
