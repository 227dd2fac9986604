"""One offline agent turn end to end, in process, with 1,000,000 tasting records in the database.

Parse, tools, database and reply: each turn goes through Sensei.handle (inbox, identity, rate
limit, the AgentBrain with the offline model, conversation memory) exactly as an adapter calls
it. The database holds 1,000,000 tastings of 10,000 users; the user asking has 100 of them.
Baseline, measured in the same run on the same database: the same Sensei with a brain that
answers at once (what every turn costs before the agent does anything).

Then the cold start of `sake-sensei chat`: process start to its first answer, against the same
database (baseline: `sake-sensei --help`, the interpreter and imports alone).

The machine is shared: beside wall-clock figures it prints CPU time (the process's, all threads),
which does not grow when other processes take the cores; on an idle machine wall ≈ CPU here.

    python benchmarks/agent_turn.py [--tastings 1000000] [--turns 400] [--db PATH]
Targets: p99 < 100 ms per turn; first chat answer < 1.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TURNS = [
    "recommend a dry sake", "another one", "something lighter", "log that one, 4 stars", "tell me about 獺祭",
    "寿司に合う日本酒", "それをもう少し辛口で", "what would I like?", "show my tasting history", "my stats",
    "新潟の辛口", "like dassai but drier", "kubota ★★★★", "フルーティなお酒が飲みたい", "what can you do?",
    "my taste profile", "add 十四代 to my wishlist", "show my wishlist", "junmai daiginjo from Yamaguchi", "thanks!",
]


def populate(path: Path, tastings: int, seed: int = 7) -> int:
    """Migrate, load the catalog, then bulk-insert users and tastings with sqlite3 (fast, one transaction)."""
    from core.catalog.loader import load_catalog
    from core.db import Database

    async def prepare() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.upgrade()
        await load_catalog(db)
        await db.dispose()

    asyncio.run(prepare())
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    brand_ids = [r[0] for r in con.execute("SELECT id FROM brands")]
    users = max(1, tastings // 100)
    now = datetime(2026, 11, 1, tzinfo=timezone.utc).isoformat(sep=" ")
    con.execute("INSERT INTO workspaces (platform, external_id, created_at) VALUES ('local', 'bench', ?)", (now,))
    ws = con.execute("SELECT id FROM workspaces WHERE external_id = 'bench'").fetchone()[0]
    con.executemany(
        "INSERT INTO users (platform, workspace_id, external_id, created_at) VALUES ('local', ?, ?, ?)",
        ((ws, f"u{i}", now) for i in range(users)),
    )
    first_user = con.execute("SELECT min(id) FROM users WHERE workspace_id = ?", (ws,)).fetchone()[0]
    start = date(2024, 1, 1)

    def rows():  # type: ignore[no-untyped-def]
        for i in range(tastings):
            uid = first_user + i % users
            day = start + timedelta(days=rng.randrange(1000))
            yield (uid, rng.choice(brand_ids), rng.randrange(0, 11) / 2, "[]", day.isoformat(), now, now)

    con.executemany(
        "INSERT INTO tastings (user_id, brand_id, rating, tags, tasted_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows()
    )
    con.commit()
    con.execute("ANALYZE")
    count = con.execute("SELECT count(*) FROM tastings").fetchone()[0]
    con.close()
    return count


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def measure_turns(url: str, turns: int) -> tuple[list[float], list[float], dict[str, list[float]], list[float]]:
    from bot.config import Settings
    from bot.wiring import build_core
    from core.messages import Message, Reply, StateKey
    from core.sensei import Sensei

    os.environ["DATABASE_URL"] = url
    core = await build_core(Settings.from_env())
    # One user asking 400 times in a row would be rate limited (SS-009, answered without a turn):
    # the same Sensei without the limiter, so that every turn is a real one.
    sensei = Sensei(core.identity, core.inbox, core.sensei.brain)
    key = StateKey("local", "bench", "bench-channel", "u0")  # the first user: 100 tastings already
    try:
        for text in TURNS[:3]:  # warm caches (identity, first queries) as a running server would be
            await sensei.handle(Message(key=key, text=text))
        run = uuid.uuid4().hex[:8]  # event ids new to the inbox, also when the database is reused
        times: list[float] = []
        by_text: dict[str, list[float]] = {}
        cpu: list[float] = []
        for i in range(turns):
            text = TURNS[i % len(TURNS)]
            t0, c0 = time.perf_counter(), time.process_time()
            reply = await sensei.handle(Message(key=key, text=text, event_id=f"{run}-e{i}"))
            dt = (time.perf_counter() - t0) * 1000
            cpu.append((time.process_time() - c0) * 1000)
            assert reply is not None and reply.text and not (reply.error and reply.error["code"] == "SS-009")
            times.append(dt)
            by_text.setdefault(text, []).append(dt)

        class Instant:
            async def reply(self, turn):  # type: ignore[no-untyped-def]
                return Reply(text="ok", lang=turn.lang)

        bare = Sensei(core.identity, core.inbox, Instant())
        base: list[float] = []
        for i in range(turns):
            t0 = time.perf_counter()
            await bare.handle(Message(key=key, text=TURNS[i % len(TURNS)], event_id=f"{run}-b{i}"))
            base.append((time.perf_counter() - t0) * 1000)
    finally:
        await core.close()
    return times, base, by_text, cpu


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cold_start(url: str) -> tuple[float, float, float]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "--help"], env=env, capture_output=True, check=True, cwd=ROOT)
    help_s = time.perf_counter() - t0
    c0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "chat", "--user", "u0"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT, bufsize=1)
    assert proc.stdin and proc.stdout
    proc.stdin.write("tell me about 獺祭\n")
    proc.stdin.flush()
    first = None
    for line in proc.stdout:
        if "sensei>" in line:
            first = time.perf_counter() - t0
            break
    proc.stdin.close()
    proc.wait(timeout=30)
    assert first is not None, "chat never answered"
    return first, help_s, _children_cpu() - c0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tastings", type=int, default=1_000_000)
    p.add_argument("--turns", type=int, default=400)
    p.add_argument("--db", type=Path, help="reuse (or create) this SQLite file")
    a = p.parse_args()
    path = a.db or Path(tempfile.mkdtemp()) / "agent_turn.db"
    if not path.exists():
        t0 = time.perf_counter()
        n = populate(path, a.tastings)
        print(f"database: {n:,} tastings, built in {time.perf_counter() - t0:.1f} s ({path})")
    else:
        n = sqlite3.connect(path).execute("SELECT count(*) FROM tastings").fetchone()[0]
        print(f"database: {n:,} tastings (reused {path})")
    url = f"sqlite+aiosqlite:///{path}"
    times, base, by_text, cpu = asyncio.run(measure_turns(url, a.turns))
    print(f"offline agent turn ({len(times)} turns): p50 {pct(times, 50):.1f} ms  p99 {pct(times, 99):.1f} ms  max {max(times):.1f} ms  "
          f"(target p99 < 100 ms)")
    print(f"  CPU time per turn: p50 {pct(cpu, 50):.1f} ms  p99 {pct(cpu, 99):.1f} ms  (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs)")
    print(f"baseline, Sensei with an instant brain: p50 {pct(base, 50):.1f} ms  p99 {pct(base, 99):.1f} ms")
    slow = sorted(by_text.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
    print("slowest kinds of turn (median): " + ", ".join(f"{t!r} {statistics.median(v):.0f} ms" for t, v in slow))
    worst = sorted(((v, t) for t, vs in by_text.items() for v in vs), reverse=True)[:6]
    print("slowest single turns: " + ", ".join(f"{t!r} {v:.0f} ms" for v, t in worst))
    first, help_s, chat_cpu = cold_start(url)
    print(f"`sake-sensei chat` first answer {first:.2f} s after start (target < 1.5 s); baseline `sake-sensei --help` {help_s:.2f} s")
    print(f"  CPU time of that chat process, start to exit after its answer: {chat_cpu:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
