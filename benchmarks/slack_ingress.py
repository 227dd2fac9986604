"""Slack ingress: signed message events at concurrency 64 against `sake-sensei serve` (SQLite),
with two baselines measured in the same run:

- bare aiohttp: an endpoint that only answers 200 (the ceiling of the web framework);
- plain bolt: slack-bolt's `AsyncApp` on aiohttp with a no-op message listener (what a
  developer writes first; it verifies signatures but deduplicates nothing).

Load comes from wrk (Debian package `wrk`) with pre-signed, distinct events, of one kind:

- `--kind chatter` (the default): channel messages not addressed to the bot, most of what a
  bot in busy channels receives. They need no turn: the target is at least plain bolt's
  throughput with an ack p99 under 50 ms, and the check is that none of them was recorded or answered.
- `--kind dm`: direct messages, each needing a turn. The check is that every event was handled
  exactly once: one inbox row per event id, one answer (chat.postMessage) per event, no event
  answered twice, and as many answered as acknowledged.

Prints throughput, the ratios and ack latency p50/p99. A Web API fake on 127.0.0.1 takes the answers.

    python benchmarks/slack_ingress.py [--kind chatter|dm] [--duration 10] [--connections 64] [--threads 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"

LUA = r"""
local ts, sig, body = {}, {}, {}
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  for line in io.lines(args[1]) do
    local a, b, c = line:match("^(%d+)\t([^\t]+)\t(.*)$")
    ts[#ts + 1] = a; sig[#sig + 1] = b; body[#body + 1] = c
  end
  local per = math.floor(#body / tonumber(args[2]))
  idx = tid * per
  last = idx + per
  first = idx
end
function request()
  idx = idx + 1
  if idx > last then idx = first + 1 end
  return wrk.format("POST", "/slack/events", {["Content-Type"] = "application/json",
    ["X-Slack-Request-Timestamp"] = ts[idx], ["X-Slack-Signature"] = sig[idx]}, body[idx])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def event(i: int, kind: str = "dm") -> str:
    if kind == "chatter":  # people talking in a channel the bot is in, not to the bot
        message = {"type": "message", "channel_type": "channel", "channel": f"C{i % 50:08d}", "user": f"U{i % 997:08d}",
                   "text": f"lunch at {i % 12 + 1}? the ramen place again", "ts": f"1700000000.{i:06d}"}
    else:  # each event in its own DM channel, so the answer (chat.postMessage) names the event it answers
        message = {"type": "message", "channel_type": "im", "channel": f"D{i:08d}", "user": "UBENCHUSER", "text": "獺祭",
                   "ts": f"1700000000.{i:06d}"}
    return json.dumps({
        "token": "x", "team_id": "TBENCH", "api_app_id": "A1", "type": "event_callback", "event_id": f"EvB{i:08d}",
        "event_time": 1700000000, "event": message,
        "authorizations": [{"enterprise_id": None, "team_id": "TBENCH", "user_id": "UBOT", "is_bot": True}],
    }, separators=(",", ":"))


def write_requests(path: Path, count: int, offset: int = 0, kind: str = "dm") -> None:
    ts = str(int(time.time()))
    with path.open("w") as fh:
        for i in range(offset, offset + count):
            body = event(i, kind)
            sig = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
            fh.write(f"{ts}\t{sig}\t{body}\n")


class FakeWebApi:
    """The Web API the server answers through: counts chat.postMessage per channel (= per event)."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()
        self.other: Counter[str] = Counter()

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "auth.test":
            self.other[method] += 1
            return web.json_response(
                {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TBENCH", "user": "bot", "team": "B", "url": "x"}
            )
        if method == "users.info":  # a GET (slack_sdk's verb for it): is the user a workspace admin?
            self.other[method] += 1
            return web.json_response({"ok": True, "user": {"id": request.query.get("user"), "is_admin": False, "is_owner": False}})
        if method == "chat.postMessage":
            data = await request.json() if request.content_type == "application/json" else dict(await request.post())
            self.posts[str(data.get("channel"))] += 1
            return web.json_response({"ok": True, "channel": data.get("channel"), "ts": "1.1"})
        self.other[method] += 1
        if method == "files.getUploadURLExternal":  # the answer's flavor chart: where to upload it
            return web.json_response({"ok": True, "file_id": "FBENCH", "upload_url": f"{request.url.origin()}/upload/FBENCH"})
        return web.json_response({"ok": True})

    async def upload(self, request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="OK")

    async def start(self, port: int) -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/api/{method}", self.handle)
        app.router.add_get("/api/{method}", self.handle)  # users.info and other read methods are GETs
        app.router.add_post("/upload/{file_id}", self.upload)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner


# ---- the two baselines, each run in its own process -------------------------------------------


def serve_bare(port: int) -> None:
    async def ok(_request: web.Request) -> web.Response:
        return web.Response(text="")

    app = web.Application()
    app.router.add_post("/slack/events", ok)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def serve_bolt(port: int, api_url: str) -> None:
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(client=AsyncWebClient(token=TOKEN, base_url=api_url), signing_secret=SECRET)

    @app.event("message")
    async def noop() -> None:
        pass

    web.run_app(app.web_app(path="/slack/events"), host="127.0.0.1", port=port, access_log=None, print=None)


# ---- measuring -----------------------------------------------------------------------------------


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def parse_wrk(out: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps, "requests": total, "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "p50": ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "socket_errors": errors.group(1) if errors else "",
    }


async def run_wrk(port: int, args: argparse.Namespace, work: Path, offset: int) -> dict[str, float]:
    requests_file = work / "requests.tsv"
    write_requests(requests_file, args.events, offset, args.kind)
    script = work / "signed.lua"
    script.write_text(LUA)
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "-s", str(script),
           f"http://127.0.0.1:{port}", "--", str(requests_file), str(args.threads)]
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    text = out.decode()
    try:
        return parse_wrk(text)
    except AttributeError:
        raise SystemExit("could not read wrk's output:\n" + text) from None


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


async def drain(fake: FakeWebApi, timeout: float = 180) -> None:
    """Wait until the answers stop coming: the queue drains after the acks."""
    deadline = time.monotonic() + timeout
    previous = -1
    while time.monotonic() < deadline:
        await asyncio.sleep(1.5)
        done = sum(fake.posts.values())
        if done == previous:
            return
        previous = done


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kind", choices=("chatter", "dm"), default="chatter",
                   help="channel messages not addressed to the bot (no turn), or DMs (a turn each)")
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=1, help="alternate the targets this many times; the median round is reported")
    p.add_argument("--events", type=int, default=100_000, help="distinct pre-signed events per run (more than one run sends)")
    p.add_argument("--only", choices=("bare", "bolt", "sensei"), action="append")
    args = p.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    load_before = os.getloadavg()[0]
    fake = FakeWebApi()
    api_port = free_port()
    runner = await fake.start(api_port)
    api_url = f"http://127.0.0.1:{api_port}/api/"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | {"NO_PROXY": "127.0.0.1", "PYTHONPATH": str(ROOT)}
    targets = args.only or ["bare", "bolt", "sensei"]
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    with tempfile.TemporaryDirectory(prefix="ss-bench-") as tmp:
        work = Path(tmp)
        db_path = work / "bench.db"
        procs: dict[str, tuple[subprocess.Popen, int]] = {}
        try:
            for name in targets:
                port = free_port()
                if name == "bare":
                    cmd, proc_env = [sys.executable, __file__, "--serve-bare", str(port)], env
                elif name == "bolt":
                    cmd, proc_env = [sys.executable, __file__, "--serve-bolt", str(port), api_url], env
                else:
                    cmd = [sys.executable, "-m", "bot", "serve", "--port", str(port)]
                    proc_env = env | {"DATABASE_URL": f"sqlite+aiosqlite:///{db_path}", "SLACK_SIGNING_SECRET": SECRET,
                                      "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": api_url, "LOG_LEVEL": "WARNING"}
                procs[name] = (subprocess.Popen(cmd, env=proc_env, cwd=ROOT, stdout=subprocess.DEVNULL), port)
            for name, (proc, port) in procs.items():
                wait_listening(port, proc)
            offset = 0
            for r in range(args.rounds):
                for name in targets:
                    print(f"round {r + 1}: {name} for {args.duration}s ...", flush=True)
                    rounds[name].append(await run_wrk(procs[name][1], args, work, offset))
                    offset += args.events
                    if name == "sensei":
                        await drain(fake)  # answers finish before the next target runs
        finally:
            for proc, _ in procs.values():
                stop(proc)
        results = {name: median_round(rs) for name, rs in rounds.items()}
        if "sensei" in results:
            total = {k: sum(r[k] for r in rounds["sensei"]) for k in ("requests", "non2xx")}
            results["sensei"]["check"] = check(db_path, fake, total, args.kind)  # type: ignore[assignment]
    await runner.cleanup()
    report(results, args.rounds, args.kind)
    print(f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after "
          "(other processes share these cores; compare the ratios, measured in the same run)")


def median_round(rs: list[dict[str, float]]) -> dict[str, float]:
    return sorted(rs, key=lambda r: r["rps"])[len(rs) // 2]


def check(db_path: Path, fake: FakeWebApi, result: dict[str, int], kind: str = "dm") -> dict[str, object]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT status, count(*) FROM inbox WHERE platform='slack' GROUP BY status").fetchall()
        ids = conn.execute("SELECT count(DISTINCT event_id), count(*) FROM inbox WHERE platform='slack'").fetchone()
    statuses = dict(rows)
    inbox_rows = ids[1]
    answered = len(fake.posts)
    twice = sum(1 for n in fake.posts.values() if n > 1)
    acked_ok = result["requests"] - result["non2xx"]
    if kind == "chatter":  # nothing to answer: nothing recorded, nothing sent
        ok = inbox_rows == 0 and answered == 0 and result["non2xx"] == 0
    else:
        ok = twice == 0 and answered == inbox_rows == statuses.get("done", 0) and answered >= acked_ok
    return {
        "inbox_rows": inbox_rows, "statuses": statuses, "answered_events": answered, "answered_twice": twice,
        "acked_2xx": int(acked_ok), "exactly_once": ok,
    }


def report(results: dict[str, dict[str, object]], rounds: int, kind: str = "dm") -> None:
    print()
    if rounds > 1:
        print(f"median of {rounds} alternating rounds")
    print(f"{'target':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8}")
    for name, r in results.items():
        print(f"{name:<10} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['requests']:>9.0f} {r['non2xx']:>8.0f}"
              + (f"  socket errors: {r['socket_errors']}" if r.get("socket_errors") else ""))
    if "bare" in results and "bolt" in results:
        print(f"plain bolt / bare aiohttp: {results['bolt']['rps'] / results['bare']['rps']:.2f}")  # type: ignore[operator]
    if "sensei" in results:
        s = results["sensei"]
        # Chatter needs no turn and must cost no more than bolt's no-op listener; a DM's ack also records it.
        min_ratio, max_p99 = (1.0, 50.0) if kind == "chatter" else (0.7, 100.0)
        print(f"events: {kind}")
        if "bolt" in results:
            ratio = s["rps"] / results["bolt"]["rps"]  # type: ignore[operator]
            print(f"sake-sensei / plain bolt: {ratio:.2f}  (target >= {min_ratio:.2f}: {'met' if ratio >= min_ratio else 'NOT met'})")
        if "bare" in results:
            print(f"sake-sensei / bare aiohttp: {s['rps'] / results['bare']['rps']:.2f}")  # type: ignore[operator]
        print(f"sake-sensei ack p99: {s['p99']:.1f} ms (target < {max_p99:.0f} ms: {'met' if s['p99'] < max_p99 else 'NOT met'})")  # type: ignore[operator]
        c = s["check"]
        what = "none recorded or answered" if kind == "chatter" else "exactly once"
        print(f"{what}: {c['exactly_once']}  (inbox rows {c['inbox_rows']} {c['statuses']}, events answered {c['answered_events']}, "  # type: ignore[index]
              f"answered twice {c['answered_twice']}, acknowledged 2xx {c['acked_2xx']})")  # type: ignore[index]


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--serve-bare":
        serve_bare(int(sys.argv[2]))
    elif len(sys.argv) >= 4 and sys.argv[1] == "--serve-bolt":
        serve_bolt(int(sys.argv[2]), sys.argv[3])
    else:
        asyncio.run(main())
