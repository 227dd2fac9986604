"""SQLite under a burst of writers: deferred BEGIN against BEGIN IMMEDIATE for write transactions.

Two `Database`s on one file (two processes' connection pools) run `--tasks` transactions at
`--concurrency`: half insert a job and delete it (DurableJobs' submit and finish), half read and
then write (look a row up, then insert: what most services do in one transaction). Prints, for
the deferred BEGIN (the baseline, as before) and for BEGIN IMMEDIATE: wall time, transactions per
second, p50/p99 per transaction, and how many failed with "database is locked".

    python benchmarks/sqlite_burst.py [--tasks 4000] [--concurrency 200]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from benchmarks.scratch_db import create, pct  # noqa: E402
from core.db import Database, utcnow  # noqa: E402
from core.db.inbox_tables import InboxEvent  # noqa: E402
from core.db.job_tables import Job  # noqa: E402


async def burst(url: str, immediate: bool, tasks: int, concurrency: int) -> tuple[float, list[float], int]:
    dbs = [Database(url, immediate_writes=immediate) for _ in range(2)]
    seq = itertools.count()
    slots = asyncio.Semaphore(concurrency)
    times: list[float] = []
    locked = 0

    async def one(n: int) -> None:
        nonlocal locked
        db = dbs[n % 2]
        async with slots:
            t0 = time.perf_counter()
            try:
                if n % 2:
                    async with db.transaction() as s:
                        job = Job(
                            name="bench", key=None, payload={"n": n}, attempts=1, owner="b", locked_until=utcnow(), created_at=utcnow()
                        )
                        s.add(job)
                        await s.flush()
                        job_id = job.id
                    async with db.transaction() as s:
                        await s.execute(delete(Job).where(Job.id == job_id))
                else:
                    async with db.transaction() as s:
                        await s.scalar(select(func.count()).select_from(InboxEvent).where(InboxEvent.platform == "bench"))
                        s.add(InboxEvent(platform="bench", event_id=f"{immediate}-{next(seq)}", status="received", attempts=1,
                                         received_at=utcnow()))
            except OperationalError as e:
                if "locked" not in str(e):
                    raise
                locked += 1
            times.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(tasks)))
    elapsed = time.perf_counter() - t0
    for db in dbs:
        await db.dispose()
    return elapsed, times, locked


async def main(tasks: int, concurrency: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ss-burst-"))
    print(f"SQLite burst: {tasks} write transactions at concurrency {concurrency}, two pools on one file; "
          f"load average {os.getloadavg()[0]:.2f}")
    for immediate in (False, True):
        url, _ = await create(None, tmp)
        db = Database(url)
        await db.upgrade()
        await db.dispose()
        elapsed, times, locked = await burst(url, immediate, tasks, concurrency)
        name = "BEGIN IMMEDIATE" if immediate else "deferred BEGIN (baseline)"
        print(f"{name:<26} {elapsed:6.1f} s  {tasks / elapsed:7.1f} tx/s  p50 {pct(times, 50) * 1000:7.1f} ms  "
              f"p99 {pct(times, 99) * 1000:7.1f} ms  'database is locked': {locked}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.tasks, args.concurrency))
