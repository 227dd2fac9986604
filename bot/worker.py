"""`sake-sensei worker`: runs the queued jobs (turns, photos, platform replies) that web processes
enqueue on Redis. No HTTP: the platforms' adapters are built for their job handlers only."""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.wiring import StartupError, build_core

log = logging.getLogger(__name__)

DRAIN_TIMEOUT = 10.0  # seconds to finish running jobs on SIGTERM; the rest go back to the queue


async def run_worker(settings: Settings) -> None:
    from bot.server import open_job_handlers, stop_signal, tune_gc
    from core.jobs_redis import RedisJobs

    if not settings.redis_url:
        raise StartupError("the worker needs REDIS_URL (without it, `sake-sensei serve` runs the jobs itself)")
    core = await build_core(settings)
    jobs = core.jobs
    assert isinstance(jobs, RedisJobs)
    closers = await open_job_handlers(core)
    try:
        tune_gc()
        await jobs.start()
        await jobs.work()
        print(f"Sake Sensei worker is running jobs from Redis ({settings.worker_concurrency} at a time; Ctrl-C to stop)", flush=True)
        await stop_signal()
        log.info("shutting down: finishing the jobs in flight, handing back the rest")
        if not await jobs.drain(timeout=DRAIN_TIMEOUT):
            log.warning("jobs still running after %.0f s went back to the queue", DRAIN_TIMEOUT)
    finally:
        for close in closers:
            await close()
        await core.close()
