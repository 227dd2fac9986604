"""Load: mixed signed traffic from Slack, LINE, Discord and the web chat against one `sake-sensei serve`.

Starts the fake Slack, LINE and Discord APIs on 127.0.0.1, a fresh database (SQLite by default,
PostgreSQL with --postgres URL) and `python -m bot serve` as a subprocess (with --redis URL: the
job queue and rate limits in Redis, and one `python -m bot worker` beside it); then `--concurrency`
clients (default 100) send for `--seconds` (default 60): signed Slack DM events, signed LINE text
events, signed Discord /sake rec interactions, and web chat messages, in turn. Prints:
- baseline: GET /healthz at the same concurrency on the same process, measured first,
- per platform and overall: requests, throughput, latency p50 / p99 of the HTTP answer (the ack
  for the webhooks, the whole turn for the web chat), and for the webhooks the turn: from the
  request to the answer arriving at the fake platform,
- after the queue drains: lost events (sent, never answered at the fake platform or by the web
  chat) and doubled ones (answered more than once), counted from the fakes' recorded calls,
- the serve process's RSS at start (after a warm-up at full concurrency, answered to the end:
  the high-water mark of a full queue is reached, and Python keeps it), every sixth of the run
  while it runs and drains, and at the end, and the load average.

    python benchmarks/load.py [--seconds 60] [--concurrency 100] [--postgres postgresql+asyncpg://...] [--redis redis://...]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from nacl.signing import SigningKey  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from adapters.line.webhook import RETRY_KEY_NAMESPACE  # noqa: E402
from adapters.slack.render import thinking  # noqa: E402
from core.catalog.loader import load_catalog  # noqa: E402
from core.db import Database  # noqa: E402
from tests.fakes.discord import APP_ID, FakeDiscord  # noqa: E402
from tests.fakes.line import FakeLine, sign  # noqa: E402
from tests.fakes.slack import FakeSlack, sign as slack_sign  # noqa: E402

LINE_SECRET = "load-line-secret"
SLACK_SECRET = "load-slack-signing-secret"
SLACK_TOKEN = "xoxb-load-TLOAD"
SLACK_PLACEHOLDERS = {thinking("en"), thinking("ja")}
DISCORD_KEY = SigningKey.generate()
ORIGIN = "http://127.0.0.1"
NAMES = ["獺祭", "久保田", "八海山", "十四代", "新政", "而今", "田酒", "飛露喜", "dry sake", "something fruity"]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


async def sample_rss(pid: int, samples: list[tuple[float, float]], every: float) -> None:
    t0 = time.monotonic()
    while True:
        await asyncio.sleep(every)
        samples.append((time.monotonic() - t0, rss_mb(pid)))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def fresh_database(pg: str | None, tmp: str) -> str:
    if pg:
        import asyncpg

        name = f"ss_load_{uuid.uuid4().hex[:8]}"
        admin = make_url(pg).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        url = make_url(pg).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite+aiosqlite:///{tmp}/load.db"
    db = Database(url)
    await db.upgrade()
    await load_catalog(db)
    await db.dispose()
    return url


async def drop_database(url: str) -> None:
    import asyncpg

    admin = make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    await conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    await conn.close()


class Load:
    def __init__(self, base: str, line: FakeLine, discord: FakeDiscord, slack: FakeSlack | None = None) -> None:
        self.base, self.line, self.discord, self.slack = base, line, discord, slack
        self.seq = itertools.count(1)
        self.latency: dict[str, list[float]] = collections.defaultdict(list)
        self.status: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
        # accepted webhook events: reply token / interaction token / DM channel → when it was sent
        self.line_tokens: dict[str, float] = {}
        self.line_push_keys: dict[str, str] = {}  # X-Line-Retry-Key of the event's push → its reply token
        self.discord_tokens: dict[str, float] = {}
        self.slack_channels: dict[str, float] = {}
        self.web_answers: collections.Counter[str] = collections.Counter()
        self.web_codes: collections.Counter[str] = collections.Counter()

    async def line_event(self, http: aiohttp.ClientSession, n: int) -> None:
        token = f"load-{n}-{uuid.uuid4().hex[:6]}"
        ev = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
              "source": {"type": "user", "userId": f"U{n % 5000:032x}"}, "webhookEventId": f"01LOAD{n:020d}",
              "deliveryContext": {"isRedelivery": False}, "replyToken": token,
              "message": {"id": str(n), "type": "text", "text": f"{NAMES[n % len(NAMES)]}ってどんなお酒?"}}
        raw = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
        sent = time.perf_counter()
        status = await self._post(http, "line", "/line/webhook", raw,
                                  {"Content-Type": "application/json", "X-Line-Signature": sign(LINE_SECRET, raw)})
        if status == 200:
            self.line_tokens[token] = sent
            self.line_push_keys[str(uuid.uuid5(RETRY_KEY_NAMESPACE, ev["webhookEventId"]))] = token

    async def slack_event(self, http: aiohttp.ClientSession, n: int) -> None:
        """A DM to the bot, in its own channel (so its answer is told apart from the others')."""
        channel, ts = f"D{n:010d}", f"{time.time():.6f}"
        body = json.dumps({
            "token": "unused", "team_id": "TLOAD", "api_app_id": "ALOAD", "type": "event_callback",
            "event_id": f"EvLOAD{n:012d}", "event_time": int(time.time()),
            "event": {"type": "message", "channel_type": "im", "channel": channel, "user": f"W{n % 5000:08d}",
                      "text": NAMES[n % len(NAMES)], "ts": ts, "event_ts": ts},
            "authorizations": [{"team_id": "TLOAD", "user_id": "UBOTLOAD", "is_bot": True, "is_enterprise_install": False}],
        })
        sent = time.perf_counter()
        status = await self._post(http, "slack", "/slack/events", body.encode(),
                                  {"Content-Type": "application/json", **slack_sign(SLACK_SECRET, body)})
        if status == 200:
            self.slack_channels[channel] = sent

    async def discord_interaction(self, http: aiohttp.ClientSession, n: int) -> None:
        data = self.discord.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [
            {"name": "rec", "type": 1, "options": [{"name": "request", "type": 3, "value": NAMES[n % len(NAMES)]}]}]})
        data["member"]["user"] = dict(data["member"]["user"], id=str(10**17 + n % 5000))
        raw = json.dumps(data).encode()
        ts = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Signature-Timestamp": ts,
                   "X-Signature-Ed25519": DISCORD_KEY.sign(ts.encode() + raw).signature.hex()}
        sent = time.perf_counter()
        status = await self._post(http, "discord", "/discord/interactions", raw, headers)
        if status == 200:
            self.discord_tokens[data["token"]] = sent

    async def web_chat(self, http: aiohttp.ClientSession, n: int) -> None:
        msg_id = f"load-{n:010d}"
        raw = json.dumps({"text": NAMES[n % len(NAMES)], "id": msg_id}).encode()
        t0 = time.perf_counter()
        async with http.post(f"{self.base}/api/chat", data=raw, headers={"Content-Type": "application/json", "Origin": ORIGIN}) as r:
            body = await r.json(content_type=None)
            self.latency["web"].append(time.perf_counter() - t0)
            self.status["web"][r.status] += 1
            if r.status == 200 and body.get("text"):
                self.web_answers[msg_id] += 1
                if body.get("error"):
                    self.web_codes[body["error"]["code"]] += 1

    async def _post(self, http: aiohttp.ClientSession, platform: str, path: str, raw: bytes, headers: dict[str, str]) -> int:
        t0 = time.perf_counter()
        async with http.post(f"{self.base}{path}", data=raw, headers=headers) as r:
            await r.read()
            self.latency[platform].append(time.perf_counter() - t0)
            self.status[platform][r.status] += 1
            return r.status

    async def drained(self, timeout: float) -> float:
        """Wait until every accepted webhook event was answered at its fake platform; seconds waited."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            line_done = {t for t, _ in line_answers(self.line, self.line_push_keys)} >= set(self.line_tokens)
            disc = {c.path.split("/")[3] for c in self.discord.calls_to("POST", rf"/webhooks/{APP_ID}/[^/]+")}
            slack_done = self.slack is None or {c.args.get("channel") for c in slack_answers(self.slack)} >= set(self.slack_channels)
            if line_done and disc >= set(self.discord_tokens) and slack_done:
                break
            await asyncio.sleep(0.5)
        return time.monotonic() - t0

    async def run(self, seconds: float, concurrency: int) -> float:
        kinds = [self.line_event, self.discord_interaction, self.web_chat]
        if self.slack is not None:
            kinds.insert(0, self.slack_event)
        deadline = time.monotonic() + seconds
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
            async def client() -> None:
                while time.monotonic() < deadline:
                    n = next(self.seq)
                    try:
                        await kinds[n % len(kinds)](http, n)
                    except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                        self.status[kinds[n % len(kinds)].__name__][type(e).__name__] += 1  # type: ignore[index]

            t0 = time.perf_counter()
            await asyncio.gather(*(client() for _ in range(concurrency)))
            return time.perf_counter() - t0


async def baseline(base: str, seconds: float, concurrency: int) -> tuple[int, list[float]]:
    lat: list[float] = []
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        async def client() -> None:
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                async with http.get(f"{base}/healthz") as r:
                    await r.read()
                lat.append(time.perf_counter() - t0)

        await asyncio.gather(*(client() for _ in range(concurrency)))
    return len(lat), lat


def answered_tokens(calls: list[Any], key: str) -> collections.Counter[str]:
    return collections.Counter(str(c.body.get(key)) for c in calls if isinstance(c.body, dict))


def line_answers(line: FakeLine, push_keys: dict[str, str]) -> list[tuple[str, float]]:
    """(reply token of the event, when) for every LINE answer: replies by their token, pushes (the
    token had expired) by their retry key."""
    replies = [(str(c.body.get("replyToken")), c.at) for c in line.sent("/v2/bot/message/reply") if isinstance(c.body, dict)]
    pushes = [(push_keys.get(c.headers.get("X-Line-Retry-Key", ""), "?"), c.at) for c in line.sent("/v2/bot/message/push")]
    return replies + pushes


def slack_answers(slack: FakeSlack) -> list[Any]:
    """The answers (a new message, or the placeholder replaced), not the "Thinking…" placeholders."""
    posts = [c for c in slack.calls_to("chat.postMessage") if c.args.get("text") not in SLACK_PLACEHOLDERS]
    return posts + slack.calls_to("chat.update")


def turn_times(sent: dict[str, float], answers: list[tuple[str, float]]) -> list[float]:
    """Seconds from each accepted event's request to the first answer the fake platform received."""
    first: dict[str, float] = {}
    for key, at in answers:
        if key in sent and key not in first:
            first[key] = at - sent[key]
    return list(first.values())


def process_env(url: str, line: FakeLine, disc: FakeDiscord, slack: FakeSlack | None = None, redis: str | None = None) -> dict[str, str]:
    """The environment of a bot process under load: the fakes' URLs and secrets; Redis only when given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "SLACK_", "SAKE_SENSEI_", "REDIS_", "JOB_"))}
    env.update({
        "DATABASE_URL": url, "PUBLIC_BASE_URL": ORIGIN, "LOG_LEVEL": "WARNING",
        "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_API_URL": line.api_url, "LINE_DATA_API_URL": line.data_url,
        "DISCORD_PUBLIC_KEY": DISCORD_KEY.verify_key.encode().hex(), "DISCORD_APPLICATION_ID": APP_ID,
        "DISCORD_API_URL": disc.api_url,
    })
    if slack is not None:
        env.update({"SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": slack.api_url})
    if redis:
        env.update({"REDIS_URL": redis, "JOB_QUEUE": f"ss-load-{uuid.uuid4().hex[:8]}"})
    return env


def start_serve(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(log, "wb"))


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot", "worker"], cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)


async def until_ready(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(f"{base}/readyz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"serve exited; see {log}")
            await asyncio.sleep(0.1)
    raise SystemExit(f"serve did not get ready; see {log}")


async def until_worker_ready(proc: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while "worker is running jobs" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"worker did not start; see {log}")
        await asyncio.sleep(0.1)


async def wait_for_answers(load: Load, line: FakeLine, disc: FakeDiscord, timeout: float = 120) -> float:
    """Until every accepted webhook is answered at the fake platforms (or the timeout); returns when."""
    await load.drained(timeout)
    done = time.monotonic()
    await asyncio.sleep(2.0)  # doubles, if any, would arrive now
    return done


def outcomes(load: Load, line: FakeLine, disc: FakeDiscord) -> tuple[
        collections.Counter[str], int, collections.Counter[str], dict[str, int], dict[str, int]]:
    """LINE replies, LINE pushes, Discord follow-ups; and the events lost and doubled per platform."""
    line_sent = collections.Counter(t for t, _ in line_answers(line, load.line_push_keys))
    replies = answered_tokens(line.sent("/v2/bot/message/reply"), "replyToken")
    pushes = len(line.sent("/v2/bot/message/push"))
    follow = collections.Counter(c.path.split("/")[3] for c in disc.calls_to("POST", rf"/webhooks/{APP_ID}/[^/]+"))
    lost = {
        "line": len(set(load.line_tokens) - set(line_sent)),
        "discord": len(set(load.discord_tokens) - set(follow)),
        "web": sum(load.status["web"][s] for s in load.status["web"] if s != 200),
    }
    doubled = {
        "line": sum(1 for t, n in line_sent.items() if n > 1 and t in load.line_tokens),
        "discord": sum(1 for t, n in follow.items() if n > 1 and t in load.discord_tokens),
        "web": sum(1 for n in load.web_answers.values() if n > 1),
    }
    if load.slack is not None:
        slack_sent = collections.Counter(str(c.args.get("channel")) for c in slack_answers(load.slack))
        lost["slack"] = len(set(load.slack_channels) - set(slack_sent))
        doubled["slack"] = sum(1 for c, n in slack_sent.items() if n > 1 and c in load.slack_channels)
    return replies, pushes, follow, lost, doubled


async def main(seconds: float, concurrency: int, pg: str | None, redis: str | None, warmup: float) -> int:
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    tmp = tempfile.mkdtemp(prefix="ss-load-")
    line = await FakeLine().start()
    disc = await FakeDiscord().start()
    slack = FakeSlack()
    slack.add_workspace(SLACK_TOKEN, "TLOAD", bot_user_id="UBOTLOAD", bot_id="BBOTLOAD")
    await slack.start()
    url = await fresh_database(pg, tmp)
    port = free_port()
    env = process_env(url, line, disc, slack, redis)
    proc = start_serve(port, env, Path(tmp) / "serve.log")
    # With REDIS_URL the web process only acknowledges and enqueues: a `worker` runs the turns.
    worker = start_worker(env, Path(tmp) / "worker.log") if redis else None
    base = f"http://127.0.0.1:{port}"
    try:
        await until_ready(base, proc, Path(tmp) / "serve.log", timeout=60)
        if worker is not None:
            await until_worker_ready(worker, Path(tmp) / "worker.log")
        load = Load(base, line, disc, slack)
        rss_cold = rss_mb(proc.pid)
        # Warm-up at full concurrency, answered to the end: imports, caches, connections, and the
        # memory a full queue takes (Python keeps it once used), so that the RSS compared is steady state.
        await load.run(min(warmup, seconds), concurrency)
        await load.drained(180)
        warm = {k: len(v) for k, v in load.latency.items()}
        rss_start = rss_mb(proc.pid)
        n_health, health = await baseline(base, min(5.0, seconds), concurrency)
        for v in load.latency.values():
            v.clear()
        load.status.clear()
        load_before = os.getloadavg()
        samples: list[tuple[float, float]] = []  # (seconds into the run, RSS MB): growth that levels off vs one that does not
        sampler = asyncio.create_task(sample_rss(proc.pid, samples, every=max(5.0, seconds / 6)))
        elapsed = await load.run(seconds, concurrency)
        load_after = os.getloadavg()
        # every accepted webhook must be answered at the fake platforms; the backlog takes about as long as the run
        drained = await load.drained(max(240.0, 4 * seconds))
        await asyncio.sleep(2.0)  # doubles, if any, would arrive now
        sampler.cancel()
        rss_end = rss_mb(proc.pid)

        line_calls = line_answers(line, load.line_push_keys)
        replies, pushes, follow, lost, doubled = outcomes(load, line, disc)
        follow_calls = disc.calls_to("POST", rf"/webhooks/{APP_ID}/[^/]+")
        slack_calls = slack_answers(slack)
        turns = {
            "slack": turn_times(load.slack_channels, [(str(c.args.get("channel")), c.at) for c in slack_calls]),
            "line": turn_times(load.line_tokens, line_calls),
            "discord": turn_times(load.discord_tokens, [(c.path.split("/")[3], c.at) for c in follow_calls]),
        }
        backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"Load: one `serve` process on {backend}{' + Redis (job queue, one worker; rate limits)' if redis else ''}, "
              f"concurrency {concurrency}, "
              f"{elapsed:.1f} s (warm-up first: {sum(warm.values())} requests in {min(warmup, seconds):.0f} s, answered); "
              f"queue drained {drained:.0f} s after the run")
        print(f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} at the end; {os.cpu_count()} cores")
        print(f"{'baseline GET /healthz':<24} {n_health:>6} req  {n_health / min(5.0, seconds):8.1f} req/s  "
              f"p50 {pct(health, .5) * 1000:7.1f} ms  p99 {pct(health, .99) * 1000:7.1f} ms")
        total = 0
        for platform in ("slack", "line", "discord", "web"):
            lat = load.latency[platform]
            total += len(lat)
            what = "turn" if platform == "web" else "ack"
            turn = turns.get(platform)
            turn_text = f"  turn p50 {pct(turn, .5) * 1000:7.1f} ms  p99 {pct(turn, .99) * 1000:7.1f} ms" if turn else ""
            print(f"{platform:<24} {len(lat):>6} req  {len(lat) / elapsed:8.1f} req/s  {what} p50 {pct(lat, .5) * 1000:7.1f} ms  "
                  f"p99 {pct(lat, .99) * 1000:7.1f} ms{turn_text}  statuses {dict(load.status[platform])}")
        every = [x for v in load.latency.values() for x in v]
        print(f"{'all':<24} {total:>6} req  {total / elapsed:8.1f} req/s  p50 {pct(every, .5) * 1000:7.1f} ms  "
              f"p99 {pct(every, .99) * 1000:7.1f} ms")
        print(f"answers: Slack {len(slack_calls)} for {len(load.slack_channels)} accepted events; "
              f"LINE {len(replies)} replies + {pushes} pushes for {len(load.line_tokens)} accepted events; "
              f"Discord {sum(follow.values())} follow-ups for {len(load.discord_tokens)} interactions; "
              f"web {sum(load.web_answers.values())} (coded errors among them: {dict(load.web_codes)})")
        print(f"lost {lost}  doubled {doubled}")
        growth = (rss_end - rss_start) / rss_start * 100
        print(f"serve RSS: {rss_cold:.1f} MB started, {rss_start:.1f} MB after warm-up, {rss_end:.1f} MB at the end ({growth:+.1f} %)")
        print("serve RSS during the run and the drain: " + ", ".join(f"{mb:.0f} MB at {t:.0f} s" for t, mb in samples))
        return 0 if not any(lost.values()) and not any(doubled.values()) else 1
    finally:
        for p in (proc, worker):
            if p is None:
                continue
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        await line.close()
        await disc.stop()
        await slack.close()
        if pg:
            await drop_database(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--postgres", help="a postgresql+asyncpg:// URL: run on a fresh database on that server")
    parser.add_argument("--redis", help="a redis:// URL (REDIS_URL): the job queue, run by one `worker` beside serve, and the rate limits")
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds of load at full concurrency before the RSS at start")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.seconds, args.concurrency, args.postgres, args.redis, args.warmup)))
