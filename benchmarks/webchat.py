"""How fast the web chat answers, over real HTTP on 127.0.0.1.

Starts the real server (make_app over a fresh SQLite database with the bundled catalog) and
measures, per request kind, p50 / p95 latency and throughput with a few browsers at once:

- baseline: `GET /healthz` (the server's floor), measured in the same run;
- `GET /` (the page) and `GET /static/app.js`;
- `POST /api/chat` "tell me about 獺祭" (a full turn: inbox, rate limit, brain, reply JSON);
- `POST /api/action` "wish:887" (a button: a database write);
- `GET /media/flavor/<id>-en.png` cold (drawn on demand) and warm (cached).

Each browser is its own cookie, so the per-user rate limit (30/min) is never what is measured.

    python benchmarks/webchat.py [--requests 200] [--browsers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.server import make_app  # noqa: E402
from bot.wiring import build_core  # noqa: E402

Request = Callable[[aiohttp.ClientSession, int], Awaitable[int]]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def measure(base: str, name: str, request: Request, total: int, browsers: int) -> None:
    """`total` requests spread over `browsers` sessions (one cookie jar each), all at once."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    per_browser = max(1, total // browsers)

    async def browser(b: int) -> None:
        async with aiohttp.ClientSession(base_url=base, trust_env=False) as http:
            for i in range(per_browser):
                start = time.perf_counter()
                status = await request(http, b * per_browser + i)
                latencies.append((time.perf_counter() - start) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

    start = time.perf_counter()
    await asyncio.gather(*(browser(b) for b in range(browsers)))
    wall = time.perf_counter() - start
    n = len(latencies)
    print(
        f"{name:<34} n={n:<4} p50={statistics.median(latencies):7.1f} ms  p95={pct(latencies, 95):7.1f} ms  "
        f"{n / wall:7.1f} req/s  status={dict(sorted(statuses.items()))}"
    )


async def main(total: int, browsers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db", "LOG_LEVEL": "WARNING"})
        core = await build_core(settings)
        runner = web.AppRunner(make_app(core), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        charted = [b.id for b in core.catalog.brands.values() if b.chart is not None]
        print(f"web chat over HTTP on 127.0.0.1, SQLite, offline brain; {browsers} browsers at once, {os.cpu_count()} CPUs")

        async def get(path: str) -> Request:
            async def run(http: aiohttp.ClientSession, _i: int) -> int:
                async with http.get(path) as r:
                    await r.read()
                    return r.status

            return run

        async def chat(http: aiohttp.ClientSession, _i: int) -> int:
            async with http.post("/api/chat", json={"text": "tell me about 獺祭", "lang": "en"}) as r:
                await r.read()
                return r.status

        async def wish(http: aiohttp.ClientSession, _i: int) -> int:
            async with http.post("/api/action", json={"action": "wish:887"}) as r:
                await r.read()
                return r.status

        async def chart_cold(http: aiohttp.ClientSession, i: int) -> int:
            async with http.get(f"/media/flavor/{charted[i % len(charted)]}-en.png") as r:
                await r.read()
                return r.status

        async def chart_warm(http: aiohttp.ClientSession, _i: int) -> int:
            async with http.get("/media/flavor/887-en.png") as r:
                await r.read()
                return r.status

        try:
            await measure(base, "baseline GET /healthz", await get("/healthz"), total, browsers)
            await measure(base, "GET / (the page)", await get("/"), total, browsers)
            await measure(base, "GET /static/app.js", await get("/static/app.js"), total, browsers)
            # 25 turns per browser: under the per-user limit of 30 a minute
            turns = min(total, 25 * browsers)
            await measure(base, "POST /api/chat (a full turn)", chat, turns, browsers)
            await measure(base, "POST /api/action wish:887", wish, turns, browsers)
            await measure(base, "GET flavor chart, cold (drawn)", chart_cold, min(total, 200), browsers)
            await measure(base, "GET flavor chart, warm (cached)", chart_warm, total, browsers)
            # is the server still responsive while charts are being drawn? (offset past the charts drawn above)
            offset = min(total, 200)

            async def chart_cold_more(http: aiohttp.ClientSession, i: int) -> int:
                return await chart_cold(http, offset + i)

            await asyncio.gather(
                measure(base, "  (charts drawn meanwhile)", chart_cold_more, min(total, 100), browsers),
                measure(base, "GET /healthz while charts are drawn", await get("/healthz"), total, 1),
            )
        finally:
            await runner.cleanup()
            await core.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--browsers", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.browsers))
