"""Discord figures: how fast interactions are acknowledged (Discord allows 3 s) and answered.

Usage: python benchmarks/discord_interactions.py [--n 200] [--concurrency 20] [--pg postgresql+asyncpg://postgres@127.0.0.1/postgres]

Runs the real server (`POST /discord/interactions`) and the real discord.py gateway client
against the fake Discord of the tests, on 127.0.0.1, on a fresh database. Printed beside
baselines measured in the same run:
- interaction ack (signature check, inbox claim, job queued) beside a signed PING (the HTTP +
  Ed25519 floor), at the given concurrency;
- interaction answered (follow-up received by Discord) beside the core alone (Sensei.handle on
  the same question, no Discord);
- gateway DM answered (MESSAGE_CREATE sent → reply posted) beside the same core-alone figure.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from nacl.signing import SigningKey  # noqa: E402

from adapters.discord.client import make_client  # noqa: E402
from benchmarks import scratch_db  # noqa: E402
from benchmarks.scratch_db import pct  # noqa: E402
from adapters.discord.endpoints import point_at  # noqa: E402
from adapters.discord.turns import DiscordTurns  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.server import make_app  # noqa: E402
from bot.wiring import build_core  # noqa: E402
from core.messages import Message, StateKey  # noqa: E402
from tests.fakes.discord import APP_ID, DM_CHANNEL_ID, USER, FakeDiscord  # noqa: E402

QUESTIONS = ["dassai", "kubota", "juyondai", "新政", "八海山", "獺祭について教えて", "tell me about kokuryu", "而今"]


def line(name: str, values: list[float], baseline_name: str, baseline: list[float]) -> str:
    return (f"{name:<34} p50 {pct(values, 50):7.1f} ms  p95 {pct(values, 95):7.1f} ms  max {max(values):7.1f} ms   |  "
            f"baseline {baseline_name}: p50 {pct(baseline, 50):6.1f} ms  p95 {pct(baseline, 95):6.1f} ms")


async def main(n: int, concurrency: int, pg: str | None) -> None:
    key = SigningKey.generate()
    fake = await FakeDiscord().start()
    with tempfile.TemporaryDirectory() as tmp:
        url, pg_name = await scratch_db.create(pg, Path(tmp))
        settings = Settings.from_env({"DATABASE_URL": url, "DISCORD_PUBLIC_KEY": key.verify_key.encode().hex(),
                                      "DISCORD_APPLICATION_ID": APP_ID, "DISCORD_API_URL": fake.api_url})
        core = await build_core(settings)
        print(f"database: {'PostgreSQL' if pg else 'SQLite'}; {n} requests, {concurrency} at a time; "
              f"Discord is a fake on 127.0.0.1 (no network time)")
        try:
            # Baseline: the core alone.
            core_alone = []
            for i in range(n):
                started = time.perf_counter()
                await core.sensei.handle(Message(StateKey("bench", "w", "c", f"u{i % 20}"), text=QUESTIONS[i % len(QUESTIONS)]))
                core_alone.append((time.perf_counter() - started) * 1000)

            async with TestClient(TestServer(make_app(core))) as http:
                sem = asyncio.Semaphore(concurrency)

                sent_at: dict[str, float] = {}

                async def post(data: dict) -> float:
                    body = json.dumps(data).encode()
                    ts = str(int(time.time()))
                    headers = {"X-Signature-Ed25519": key.sign(ts.encode() + body).signature.hex(), "X-Signature-Timestamp": ts,
                               "Content-Type": "application/json"}
                    async with sem:
                        started = sent_at[data["token"]] = time.perf_counter()
                        r = await http.post("/discord/interactions", data=body, headers=headers)
                        await r.read()
                        assert r.status == 200, r.status
                        return (time.perf_counter() - started) * 1000

                pings = await asyncio.gather(*(post({"id": str(i), "token": f"ping-{i}", "type": 1, "version": 1}) for i in range(n)))
                commands = [fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [
                    {"name": "rec", "type": 1, "options": [{"name": "request", "type": 3, "value": QUESTIONS[i % len(QUESTIONS)]}]}]})
                    for i in range(n)]
                for i, c in enumerate(commands):  # many users, as in a real server (each has a rate limit of its own)
                    c["member"]["user"] = {**USER, "id": str(3000 + i)}
                acks = await asyncio.gather(*(post(c) for c in commands))
                await fake.wait_for(lambda: len(fake.calls_to("POST", rf"/webhooks/{APP_ID}/.*")) >= n, timeout=300, what="follow-ups")
                answered = []
                for call in fake.calls_to("POST", rf"/webhooks/{APP_ID}/.*"):
                    token = call.path.rsplit("/", 1)[1]
                    answered.append((call.at - sent_at[token]) * 1000)
                print(line("interaction ack (type 5)", acks, "signed PING", pings))
                print(line("interaction answered (follow-up)", answered, "core alone", core_alone))
                over = sum(1 for a in acks if a > 3000)
                print(f"{'acks over 3 s':<34} {over} of {n}")

            point_at(fake.api_url, fake.gateway_url)
            client = make_client(DiscordTurns(core.sensei), core.search, guild_ready_timeout=0.1)
            task = asyncio.create_task(client.start("bench-token"))
            await asyncio.wait_for(client.wait_until_ready(), 30)
            dms = []
            for i in range(min(n, 100)):
                before = len(fake.calls_to("POST", rf"/channels/{DM_CHANNEL_ID}/messages"))
                started = time.perf_counter()
                await fake.dispatch("MESSAGE_CREATE", fake.message(QUESTIONS[i % len(QUESTIONS)], author={**USER, "id": str(5000 + i)}))
                await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages", n=before + 1, timeout=60)
                dms.append((time.perf_counter() - started) * 1000)
            await client.close()
            await task
            print(line("gateway DM answered", dms, "core alone", core_alone))
        finally:
            await core.close()
            await fake.stop()
            if pg_name and pg:
                await scratch_db.drop(pg, pg_name)
    print(f"(median of core alone: {statistics.median(core_alone):.1f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--pg", help="a PostgreSQL URL to run on instead of SQLite")
    args = parser.parse_args()
    asyncio.run(main(args.n, args.concurrency, args.pg))
