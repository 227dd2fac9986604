"""How fast LINE gets its 200, and how long until the user has an answer.

Runs the real server (make_app) with the LINE adapter and the real line-bot-sdk against the fake
LINE APIs on 127.0.0.1, on a fresh SQLite database (or DATABASE_URL). Prints, for N signed
text events sent one after another:
- webhook ack latency (what LINE waits for; it must stay far below its few-second timeout),
- end-to-end latency until the fake LINE received the reply,
- baseline: GET /healthz on the same server in the same run.

    python benchmarks/line_webhook.py [--events 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.server import make_app  # noqa: E402
from bot.wiring import build_core  # noqa: E402
from tests.fakes.line import FakeLine, sign  # noqa: E402

SECRET = "bench-secret"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def show(name: str, values: list[float]) -> None:
    ms = [v * 1000 for v in values]
    print(f"{name:<28} n={len(ms):<4} p50={statistics.median(ms):7.2f} ms  p95={pct(ms, 0.95):7.2f} ms  max={max(ms):7.2f} ms")


async def main(n: int) -> None:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    tmp = tempfile.mkdtemp(prefix="line-bench-")
    fake = await FakeLine().start()
    settings = Settings.from_env({
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db",
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": fake.access_token,
        "LINE_API_URL": fake.api_url, "LINE_DATA_API_URL": fake.data_url, "PUBLIC_BASE_URL": "https://bench.example",
    })
    core = await build_core(settings)
    client = TestClient(TestServer(make_app(core)))
    await client.start_server()
    names = ["獺祭", "久保田", "八海山", "十四代", "新政", "而今", "田酒", "飛露喜"]
    try:
        health, acks, ends = [], [], []
        for i in range(n):
            t0 = time.perf_counter()
            r = await client.get("/healthz")
            await r.read()
            health.append(time.perf_counter() - t0)
        for i in range(n):
            ev = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
                  "source": {"type": "user", "userId": f"U{i % 20:032d}"}, "webhookEventId": f"01BENCH{i:019d}",
                  "deliveryContext": {"isRedelivery": False}, "replyToken": f"bench-{i}",
                  "message": {"id": str(10_000 + i), "type": "text", "text": f"{names[i % len(names)]}ってどんなお酒?"}}
            raw = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
            before = len(fake.sent("/v2/bot/message/reply"))
            t0 = time.perf_counter()
            r = await client.post("/line/webhook", data=raw, headers={"X-Line-Signature": sign(SECRET, raw)})
            assert r.status == 200, r.status
            acks.append(time.perf_counter() - t0)
            while len(fake.sent("/v2/bot/message/reply")) == before:
                await asyncio.sleep(0.001)
            ends.append(time.perf_counter() - t0)
        # A burst: everyone at once (a restaurant group at opening time); the acks must not wait for the turns.
        async def one(i: int) -> tuple[float, int]:
            ev = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
                  "source": {"type": "user", "userId": f"U{i % 50:032d}"}, "webhookEventId": f"01BURST{i:019d}",
                  "deliveryContext": {"isRedelivery": False}, "replyToken": f"burst-{i}",
                  "message": {"id": str(90_000 + i), "type": "text", "text": f"{names[i % len(names)]}"}}
            raw = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
            t0 = time.perf_counter()
            r = await client.post("/line/webhook", data=raw, headers={"X-Line-Signature": sign(SECRET, raw)})
            return time.perf_counter() - t0, r.status

        before = len(fake.sent("/v2/bot/message/reply"))
        t0 = time.perf_counter()
        burst = await asyncio.gather(*(one(i) for i in range(n)))
        acked = time.perf_counter() - t0
        while len(fake.sent("/v2/bot/message/reply")) < before + n:
            await asyncio.sleep(0.005)
        drained = time.perf_counter() - t0
        assert all(status == 200 for _, status in burst)
        print(f"LINE webhook benchmark ({'PostgreSQL' if settings.database_url.startswith('postgresql') else 'SQLite'}, {n} events)")
        show("baseline GET /healthz", health)
        show("webhook 200 (ack)", acks)
        show("event → reply at LINE", ends)
        show(f"burst of {n}: webhook 200", [d for d, _ in burst])
        print(f"burst of {n}: all acked in {acked * 1000:.0f} ms, all replied in {drained * 1000:.0f} ms")
        pushes = len(fake.sent("/v2/bot/message/push"))
        print(f"replies {len(fake.sent('/v2/bot/message/reply'))}, pushes {pushes}")
    finally:
        await client.close()
        await core.close()
        await fake.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200)
    asyncio.run(main(parser.parse_args().events))
