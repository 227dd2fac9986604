"""Scale-out: one `serve` process against two web processes plus two workers, on PostgreSQL.

The same mixed signed load as benchmarks/load.py (its `Load`: LINE text events, Discord
`/sake rec` interactions and web chat messages in turn, closed-loop clients) runs against:
1. one `sake-sensei serve` (no REDIS_URL: it acknowledges and answers in the same process),
2. two `sake-sensei serve` behind a round-robin balancer (this script) and two `sake-sensei
   worker`, with REDIS_URL (a queue name of its own, deleted afterwards).
and then again with webhooks only (the web chat's share sent as LINE events), where the web
processes of setup 2 do nothing but acknowledge. Each gets a fresh PostgreSQL database.
Printed per setup:
- requests answered per second during the load, and the work throughput: events answered (at
  the fake platforms and by the web chat) per second from the start of the load until the
  last answer, the backlog included;
- the webhook acknowledgement latency p50/p99, overall and by the queue depth at the moment the
  request was sent (sampled every 0.2 s: Redis for 2, /readyz's queue_depth for 1), to show
  whether the ack waits on the backlog;
- lost and doubled events, and the RSS of each process after warm-up and at the end.

    python benchmarks/scale_out.py [--seconds 20] [--concurrency 50] [--postgres URL] [--redis URL]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from benchmarks.load import (  # noqa: E402
    Load, drop_database, free_port, fresh_database, outcomes, pct, process_env, rss_mb, start_serve, start_worker, until_ready,
    until_worker_ready, wait_for_answers,
)
from tests.fakes.discord import FakeDiscord  # noqa: E402
from tests.fakes.line import FakeLine  # noqa: E402

DEPTH_BUCKETS = (0, 10, 100, 1000, 10000)


class BalancedLoad(Load):
    """`Load` spread round-robin over several web processes (what a load balancer does), with the
    send time of each webhook kept so that its ack can be matched with the queue depth then."""

    def __init__(self, bases: list[str], line: FakeLine, discord: FakeDiscord, *, webhooks_only: bool = False) -> None:
        self._bases = itertools.cycle(bases)
        super().__init__(bases[0], line, discord)
        self.webhooks_only = webhooks_only
        self.acks: list[tuple[float, float]] = []  # (sent at, latency) of LINE and Discord webhooks

    async def web_chat(self, http: aiohttp.ClientSession, n: int) -> None:
        """Webhooks only: the web chat's turn goes to LINE instead, so web processes only acknowledge."""
        if self.webhooks_only:
            return await self.line_event(http, n)
        return await super().web_chat(http, n)

    @property  # type: ignore[override]
    def base(self) -> str:
        return next(self._bases)

    @base.setter
    def base(self, value: str) -> None:
        pass

    async def _post(self, http: aiohttp.ClientSession, platform: str, path: str, raw: bytes, headers: dict[str, str]) -> int:
        sent = time.monotonic()
        status = await super()._post(http, platform, path, raw, headers)
        self.acks.append((sent, self.latency[platform][-1]))
        return status


class DepthProbe:
    """The queue depth over time, sampled by `read` every `every` seconds."""

    def __init__(self, read: Callable[[], Awaitable[int]], every: float = 0.2) -> None:
        self.read, self.every = read, every
        self.times: list[float] = []
        self.depths: list[int] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            try:
                depth = await self.read()
                self.times.append(time.monotonic())
                self.depths.append(depth)
            except Exception:
                pass
            await asyncio.sleep(self.every)

    def stop(self) -> None:
        if self._task:
            self._task.cancel()

    def at(self, t: float) -> int:
        i = bisect.bisect_right(self.times, t) - 1
        return self.depths[i] if i >= 0 else 0


def by_depth(load: BalancedLoad, probe: DepthProbe) -> list[str]:
    rows = []
    buckets: dict[int, list[float]] = {b: [] for b in DEPTH_BUCKETS}
    for sent, latency in load.acks:
        depth = probe.at(sent)
        buckets[max(b for b in DEPTH_BUCKETS if b <= depth)].append(latency)
    edges = list(DEPTH_BUCKETS) + [None]
    for lo, hi in zip(edges, edges[1:]):
        lat = buckets[lo]  # type: ignore[index]
        if lat:
            span = f"{lo}-{hi - 1}" if hi else f"{lo}+"
            rows.append(f"    queue depth {span:>11}: {len(lat):>6} acks  p50 {pct(lat, .5) * 1000:7.1f} ms  "
                        f"p99 {pct(lat, .99) * 1000:7.1f} ms")
    return rows


async def readyz_depth(base: str) -> Callable[[], Awaitable[int]]:
    http = aiohttp.ClientSession()

    async def read() -> int:
        async with http.get(f"{base}/readyz") as r:
            return int((await r.json())["queue_depth"])

    read.http = http  # type: ignore[attr-defined]
    return read


async def run_setup(name: str, scale_out: bool, seconds: float, concurrency: int, pg: str, redis_url: str,
                    webhooks_only: bool = False) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="ss-scale-"))
    line = await FakeLine().start()
    disc = await FakeDiscord().start()
    url = await fresh_database(pg, str(tmp))
    env = process_env(url, line, disc)
    queue = f"ss-bench-{uuid.uuid4().hex[:8]}"
    if scale_out:
        env.update({"REDIS_URL": redis_url, "JOB_QUEUE": queue})
    ports = [free_port() for _ in range(2 if scale_out else 1)]
    webs = [start_serve(port, env, tmp / f"serve{i}.log") for i, port in enumerate(ports)]
    workers = [start_worker(env, tmp / f"worker{i}.log") for i in range(2)] if scale_out else []
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    redis_client: Any = None
    try:
        for proc, base, i in zip(webs, bases, itertools.count()):
            await until_ready(base, proc, tmp / f"serve{i}.log", timeout=180)
        for i, proc in enumerate(workers):
            await until_worker_ready(proc, tmp / f"worker{i}.log")
        if scale_out:
            import redis.asyncio as redis

            redis_client = redis.from_url(redis_url)

            async def read() -> int:
                return int(await redis_client.zcard(queue))
        else:
            read = await readyz_depth(bases[0])
        load = BalancedLoad(bases, line, disc, webhooks_only=webhooks_only)
        await load.run(3.0, 10)  # warm-up: imports, caches, connections
        await wait_for_answers(load, line, disc)
        rss_start = {f"serve{i}": rss_mb(p.pid) for i, p in enumerate(webs)} | {f"worker{i}": rss_mb(p.pid) for i, p in enumerate(workers)}
        answered_before = _answered(load, line, disc)
        for v in load.latency.values():
            v.clear()
        load.status.clear()
        load.acks.clear()
        probe = DepthProbe(read)
        probe.start()
        started = time.monotonic()
        elapsed = await load.run(seconds, concurrency)
        done = await wait_for_answers(load, line, disc, timeout=600)
        probe.stop()
        rss_end = {f"serve{i}": rss_mb(p.pid) for i, p in enumerate(webs)} | {f"worker{i}": rss_mb(p.pid) for i, p in enumerate(workers)}
        replies, pushes, follow, lost, doubled = outcomes(load, line, disc)
        answered = _answered(load, line, disc) - answered_before
        requests = sum(len(v) for v in load.latency.values())
        acks = [lat for _, lat in load.acks]
        print(f"\n{name}: concurrency {concurrency}, load {elapsed:.1f} s, last answer {done - started:.1f} s after the start")
        print(f"  requests answered     {requests:>6}  {requests / elapsed:7.1f} req/s during the load")
        print(f"  work throughput       {answered:>6}  {answered / (done - started):7.1f} events answered/s (backlog included)")
        for platform in ("line", "discord", "web"):
            lat = load.latency[platform]
            print(f"  {platform:<8} {len(lat):>6} req  p50 {pct(lat, .5) * 1000:8.1f} ms  p99 {pct(lat, .99) * 1000:8.1f} ms  "
                  f"{dict(load.status[platform])}")
        print(f"  webhook acks   {len(acks):>6}  p50 {pct(acks, .5) * 1000:8.1f} ms  p99 {pct(acks, .99) * 1000:8.1f} ms; "
              f"by queue depth when sent (max {max(probe.depths, default=0)}):")
        print("\n".join(by_depth(load, probe)))
        print(f"  lost {lost}  doubled {doubled}")
        print("  RSS MB (after warm-up -> end): " + ", ".join(f"{k} {rss_start[k]:.0f} -> {rss_end[k]:.0f}" for k in rss_start))
        return {"lost": sum(lost.values()), "doubled": sum(doubled.values()), "throughput": answered / (done - started),
                "ack_p99": pct(acks, .99)}
    finally:
        for proc in webs + workers:
            proc.send_signal(signal.SIGTERM)
        for proc in webs + workers:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not scale_out and "read" in locals():
            await read.http.close()  # type: ignore[attr-defined]
        if redis_client is not None:
            keys = [k async for k in redis_client.scan_iter(f"{queue}*")]
            if keys:
                await redis_client.delete(*keys)
            await redis_client.aclose()
        await line.close()
        await disc.stop()
        await drop_database(url)


def _answered(load: Load, line: FakeLine, disc: FakeDiscord) -> int:
    replies, pushes, follow, _, _ = outcomes(load, line, disc)
    return len(replies) + pushes + sum(follow.values()) + sum(load.web_answers.values())


async def main(seconds: float, concurrency: int, pg: str, redis_url: str, mixes: tuple[bool, ...] = (False, True)) -> int:
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores")
    results = []
    for webhooks_only in mixes:
        mix = "webhooks only (LINE, Discord)" if webhooks_only else "mixed LINE, Discord, web chat"
        for scale_out in (False, True):
            name = ("2 web processes + 2 workers (PostgreSQL + Redis)" if scale_out else "1 serve process (PostgreSQL)") + f", {mix}"
            results.append(await run_setup(name, scale_out, seconds, concurrency, pg, redis_url, webhooks_only))
            print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for (one, two), webhooks_only in zip(zip(results[::2], results[1::2]), mixes):
        print(f"{'webhooks only' if webhooks_only else 'mixed load'}: work throughput {one['throughput']:.1f} -> {two['throughput']:.1f} "
              f"events/s; webhook ack p99 {one['ack_p99'] * 1000:.1f} -> {two['ack_p99'] * 1000:.1f} ms")
    return 0 if not any(r["lost"] or r["doubled"] for r in results) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--load", choices=("both", "mixed", "webhooks"), default="both", help="which of the two loads to run")
    args = parser.parse_args()
    mixes = {"both": (False, True), "mixed": (False,), "webhooks": (True,)}[args.load]
    sys.exit(asyncio.run(main(args.seconds, args.concurrency, args.postgres, args.redis, mixes)))
