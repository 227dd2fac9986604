"""Scale-out, for real: two `sake-sensei serve` and two `sake-sensei worker` processes on PostgreSQL
and Redis, LINE faked on 127.0.0.1 (tests/fakes/line.py) and the language model faked by an
OpenAI-compatible server that echoes which question it answers.

One user sends questions one after another, each delivered twice at once (to both web
processes, as a retrying platform behind a load balancer would). The model holds the answer to
one question until the worker running it has been killed with SIGKILL. Then every question must
be answered exactly once, in the order asked, with nothing lost: the dead worker's job runs
again on the other worker (as its second run, so it takes over its inbox claim), and the
questions behind it wait their turn. Nothing is left queued, and the survivors stop cleanly on
SIGTERM.

Each worker reaches the model at its own path (/w0/v1, /w1/v1), so the test knows which worker
holds the question and kills that one.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy.engine import make_url

from tests.adapters.line.conftest import SECRET, event
from tests.conftest import BACKEND, PG_ENV, _prepare
from tests.core.agent.test_llm_http import completion
from core.db.inbox_tables import InboxEvent
from tests.faults.test_process_faults import SlowModel, answers, count, free_port
from tests.fakes.line import FakeLine, sign

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
PG_URL = PG_ENV or "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
JOB_TIMEOUT = 8  # seconds: the killed worker's job runs again about this long after it started
QUESTIONS = 5
HELD = 2  # the question whose answer waits until its worker is dead
MARK = re.compile(r"Q#(\d+)#")
READY = re.compile(r"Sake Sensei (is listening|worker is running)")  # the line each command prints once ready


class EchoModel(SlowModel):
    """OpenAI chat completions at /{worker}/v1: answers "A#n#" to the question marked "Q#n#";
    the first request for question HELD waits until `release` is set."""

    route = "/{who}/v1/chat/completions"

    def __init__(self) -> None:
        super().__init__()
        self.held_by: str | None = None
        self.held = asyncio.Event()
        self.asked: list[tuple[str, int]] = []  # (worker, question) of each request

    async def handle(self, request: web.Request) -> web.Response:
        who = request.match_info["who"]
        body = await request.json()
        asked = [m for m in body["messages"] if m.get("role") == "user"]
        found = MARK.findall(json.dumps(asked[-1] if asked else body["messages"]))
        n = int(found[-1]) if found else 0
        self.asked.append((who, n))
        if n == HELD and self.held_by is None:
            self.held_by = who
            self.held.set()
            await self.release.wait()
        return web.json_response(completion({"content": f"A#{n}# a dry junmai, to go with it."}, "stop"))


class Process:
    """One `python -m bot COMMAND` subprocess, its output in a file (a pipe nobody reads could fill up)."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot", *self.command], cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    async def ready(self, timeout: float) -> None:
        """Four processes loading the catalog at once on a busy 2-core machine: allow for it."""
        deadline = time.monotonic() + timeout
        while not READY.search(self.output()):
            assert self.alive(), f"{self.command[0]} exited: {self.output()[-3000:]}"
            assert time.monotonic() < deadline, f"{self.command[0]} did not start: {self.output()[-3000:]}"
            await asyncio.sleep(0.1)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


async def _pg_admin(sql: str) -> None:
    import asyncpg

    url = make_url(PG_URL).set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(url.render_as_string(hide_password=False), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database of its own on PostgreSQL (a copy of the template when the suite runs on it).
    Synchronous, like conftest's db_url, which it may call: both run their own event loops."""
    if BACKEND == "postgresql":
        yield request.getfixturevalue("db_url")
        return
    try:
        asyncio.run(_pg_admin("SELECT 1"))
    except Exception as e:
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: {type(e).__name__}")
    name = f"ss_scale_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(_prepare(url))
        yield url
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def redis_queue() -> AsyncIterator[str]:
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        await client.ping()
    except Exception as e:
        await client.aclose()
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {type(e).__name__}")
    name = f"ss-scale-{uuid.uuid4().hex[:10]}"
    try:
        yield name
    finally:
        keys = [k async for k in client.scan_iter(f"{name}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def post_line(port: int, ev: dict[str, Any]) -> int:
    raw = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as s:
        async with s.post(f"http://127.0.0.1:{port}/line/webhook", data=raw,
                          headers={"Content-Type": "application/json", "X-Line-Signature": sign(SECRET, raw)}) as r:
            return r.status


async def until_queue_empty(queue: str, timeout: float = 20) -> None:
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        deadline = time.monotonic() + timeout
        while (left := await client.zcard(queue)) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert left == 0, f"{left} jobs still queued"
        assert not [k async for k in client.scan_iter(f"{queue}:order:*")], "a conversation's order list was left behind"
    finally:
        await client.aclose()


def answered(line: FakeLine) -> list[int]:
    """The questions answered, in the order the answers reached LINE (reply or push)."""
    calls = sorted(answers(line), key=line.calls.index)
    return [int(n) for c in calls for n in MARK.findall(json.dumps(c.body).replace("A#", "Q#"))]


async def test_two_web_processes_and_two_workers_answer_each_event_once_in_order_through_a_worker_kill(
    pg_database: str, redis_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    line = await FakeLine().start()
    model = await EchoModel().start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "SLACK_", "SAKE_SENSEI_", "OPENAI_"))}
    env.update({
        "DATABASE_URL": pg_database, "REDIS_URL": REDIS_URL, "JOB_QUEUE": redis_queue, "JOB_TIMEOUT": str(JOB_TIMEOUT),
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_API_URL": line.api_url, "LINE_DATA_API_URL": line.data_url,
        "SAKE_SENSEI_MODEL": "openai-chat:gpt-4o-mini", "OPENAI_API_KEY": "test-key-not-real", "PYTHONUNBUFFERED": "1",
    })
    ports = [free_port() for _ in range(2)]
    webs = [Process(["serve", "--port", str(port)], env, tmp_path / f"serve{i}.log") for i, port in enumerate(ports)]
    workers = [Process(["worker"], dict(env, OPENAI_BASE_URL=f"{model.base}/w{i}/v1"), tmp_path / f"worker{i}.log") for i in range(2)]
    try:
        for p in webs + workers:
            p.start()
        for p in webs + workers:
            await p.ready(180)
        user = f"U{uuid.uuid4().hex}"  # rate limits are counted per user in Redis: a new one each run
        events = [event("event_message_text.json", message__text=f"what goes with tempura? Q#{n}#", source__userId=user)
                  for n in range(1, QUESTIONS + 1)]
        for n, ev in enumerate(events, start=1):
            # Each event reaches both web processes at once (a duplicate); the next is sent once both are acknowledged.
            statuses = await asyncio.gather(post_line(ports[n % 2], ev), post_line(ports[(n + 1) % 2], ev))
            assert statuses == [200, 200]
            if n == HELD:
                await asyncio.wait_for(model.held.wait(), 60)
                victim = workers[int(model.held_by[1:])]  # type: ignore[index]
                assert victim.proc is not None
                victim.proc.send_signal(signal.SIGKILL)  # mid-job: its answer is being worked out by the model
                victim.proc.wait(10)
                model.release.set()  # the dead worker's request is gone; the next ones are answered at once

        deadline = time.monotonic() + JOB_TIMEOUT + 60
        while len(answered(line)) < QUESTIONS and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # a doubled answer would arrive now
        survivor = next(w for w in workers if w.alive())
        logs = "\n".join(w.output()[-2000:] for w in workers)
        assert answered(line) == list(range(1, QUESTIONS + 1)), (answered(line), model.asked, logs)
        # The held question was asked twice: by the worker that died, then again by the survivor.
        assert [who for who, n in model.asked if n == HELD] == [model.held_by, f"w{workers.index(survivor)}"]
        assert "runs again (run 2)" in survivor.output()
        assert await count(pg_database, InboxEvent, InboxEvent.status == "done") == QUESTIONS
        assert await count(pg_database, InboxEvent) == QUESTIONS
        await until_queue_empty(redis_queue)  # nothing left behind: duplicates dropped, the retried job done
        for p in webs + [survivor]:  # SIGTERM: a clean stop, status 0
            assert p.proc is not None
            p.proc.send_signal(signal.SIGTERM)
        for p in webs + [survivor]:
            rc = await asyncio.get_running_loop().run_in_executor(None, p.proc.wait, 60)  # type: ignore[union-attr]
            assert rc == 0, p.output()[-3000:]
    finally:
        for s in webs:
            s.stop()
        for w in workers:
            w.stop()
        await model.close()
        await line.close()
