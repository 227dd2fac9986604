"""Process faults on a real `sake-sensei serve` (python -m bot serve) on the test database:
SIGTERM with a turn in flight, and kill -9 in the middle of a turn then a restart.

The turn is made slow, deterministically, by the language model: SAKE_SENSEI_MODEL points the
agent at a fake OpenAI-compatible server on 127.0.0.1 that holds its first answer until the test
lets it go. The LINE APIs are the LINE fake (tests/fakes/line.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, AsyncIterator, Sequence

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select, update

from core.db import Database
from core.db.base import utcnow
from core.db.inbox_tables import InboxEvent
from core.db.job_tables import Job
from tests.adapters.line.conftest import SECRET, event
from core.db.preference_tables import SurveyAnswerRow
from core.db.tasting_tables import TastingRow
from core.db.wishlist_tables import WishlistRow
from tests.core.agent.test_llm_http import completion, tool_call
from tests.adapters.slack.conftest import SECRET as SLACK_SECRET, TOKEN as SLACK_TOKEN, event_body
from tests.fakes.line import FakeLine, sign
from tests.fakes.slack import FakeSlack, sign as slack_sign

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class SlowModel:
    """A fake OpenAI chat-completions server: the first request waits until `release` is set.

    With `writes`, it first calls those tools one after another (writes: a tasting, a wishlist
    entry, a survey answer) and holds the answer that follows the last tool's result instead:
    a kill then lands after they were saved."""

    route = "/v1/chat/completions"

    def __init__(self, *, writes: Sequence[tuple[str, dict[str, Any]]] = ()) -> None:
        self.writes = list(writes)
        self.requests = 0
        self.first_arrived = asyncio.Event()
        self.release = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.base = self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests += 1
        if self.writes:
            done = sum(1 for m in body["messages"] if m.get("role") == "tool")
            if done < len(self.writes):
                name, args = self.writes[done]
                call = tool_call(name, args)
                call["choices"][0]["message"]["tool_calls"][0]["id"] = f"call_{done + 1}"
                return web.json_response(call)
            if not self.release.is_set():
                self.first_arrived.set()
                await self.release.wait()
        elif self.requests == 1:
            self.first_arrived.set()
            await self.release.wait()
        return web.json_response(completion({"content": "Dassai is a fruity junmai daiginjo from Yamaguchi."}, "stop"))

    async def start(self) -> "SlowModel":
        app = web.Application()
        app.router.add_post(self.route, self.handle)
        self.runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        self.url = f"{self.base}/v1"
        return self

    async def close(self) -> None:
        self.release.set()
        if self.runner:
            await self.runner.cleanup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Serve:
    """One `python -m bot serve` subprocess."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(self.port)], cwd=ROOT, env=self.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        async with aiohttp.ClientSession() as s:
            for _ in range(300):
                if self.proc.poll() is not None:
                    raise AssertionError(f"serve exited: {self.proc.stdout.read().decode()[-3000:]}")  # type: ignore[union-attr]
                try:
                    async with s.get(f"{self.url}/healthz") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("serve did not start")

    def output(self) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        return self.proc.stdout.read().decode(errors="replace")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def terminate(self) -> None:
        """SIGTERM, as a deploy stops it; killed if it has not exited within 20 s."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        finally:
            self.stop()


async def a_minute_passes(db_url: str) -> None:
    """The dead process's job leases and its inbox claims run out."""
    db = Database(db_url)
    try:
        async with db.transaction() as s:
            past = utcnow().replace(year=utcnow().year - 1)
            await s.execute(update(Job).values(locked_until=past))
            await s.execute(update(InboxEvent).values(received_at=past))
    finally:
        await db.dispose()


async def jobs_drained(db_url: str) -> None:
    for _ in range(100):
        if await count(db_url, Job) == 0:
            return
        await asyncio.sleep(0.1)


async def count(db_url: str, table: Any, *where: Any) -> int:
    db = Database(db_url)
    try:
        async with db.session() as s:
            return int(await s.scalar(select(func.count()).select_from(table).where(*where)) or 0)
    finally:
        await db.dispose()


TASTING = [("log_tasting", {"brand_id": 887, "rating": 5})]
WISH_AND_TASTE = [("wishlist_add", {"brand_id": 887}), ("survey", {"question_id": "sweetness", "answer_id": "dry"})]


@pytest.fixture
def writes() -> list[tuple[str, dict[str, Any]]]:
    return []


@pytest.fixture
async def world(db_url: str, monkeypatch: pytest.MonkeyPatch, writes: list[tuple[str, dict[str, Any]]]
                ) -> AsyncIterator[tuple[FakeLine, SlowModel, dict[str, str]]]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    line = await FakeLine().start()
    model = await SlowModel(writes=writes).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "SLACK_", "SAKE_SENSEI_"))}
    env.update({
        "DATABASE_URL": db_url, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_API_URL": line.api_url, "LINE_DATA_API_URL": line.data_url,
        "SAKE_SENSEI_MODEL": "openai-chat:gpt-4o-mini", "OPENAI_BASE_URL": model.url, "OPENAI_API_KEY": "test-key-not-real",
        "PYTHONUNBUFFERED": "1",
    })
    try:
        yield line, model, env
    finally:
        await model.close()
        await line.close()


async def post_line(serve: Serve, ev: dict[str, Any]) -> int:
    raw = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{serve.url}/line/webhook", data=raw,
                          headers={"Content-Type": "application/json", "X-Line-Signature": sign(SECRET, raw)}) as r:
            return r.status


async def saved(db_url: str) -> dict[str, int]:
    """What the turns wrote: tastings, wishlist entries, survey answers."""
    return {"tastings": await count(db_url, TastingRow), "wishlist": await count(db_url, WishlistRow),
            "survey answers": await count(db_url, SurveyAnswerRow)}


def expected_rows(writes: list[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    tools = [name for name, _ in writes]
    return {"tastings": tools.count("log_tasting"), "wishlist": tools.count("wishlist_add"), "survey answers": tools.count("survey")}


def answers(line: FakeLine) -> list[Any]:
    return line.sent("/v2/bot/message/reply") + line.sent("/v2/bot/message/push")


async def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate() if asyncio.iscoroutinefunction(predicate) else predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("writes", [[], TASTING, WISH_AND_TASTE],
                         ids=["before any write", "after the tasting was saved", "after the wishlist and a survey answer were saved"])
async def test_kill_9_mid_turn_is_answered_once_after_restart(world: Any, db_url: str, writes: list[Any]) -> None:
    line, model, env = world
    first = Serve(env, free_port())
    await first.start()
    try:
        ev = event("event_message_text.json", message__text="tell me about dassai")
        assert await post_line(first, ev) == 200
        await asyncio.wait_for(model.first_arrived.wait(), 30)  # the turn is in flight, inside the model call
        assert await count(db_url, Job) == 1
        assert await count(db_url, InboxEvent, InboxEvent.status == "received") == 1
        assert await saved(db_url) == expected_rows(writes)
        first.proc.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
        first.proc.wait(10)  # type: ignore[union-attr]
    finally:
        first.stop()
    assert answers(line) == []
    await a_minute_passes(db_url)
    model.release.set()  # later model calls answer at once
    second = Serve(env, free_port())
    await second.start()
    try:
        await wait_for(lambda: len(answers(line)) >= 1, 30, "the answer after restart")
        await jobs_drained(db_url)
        await asyncio.sleep(1.0)  # a double would come now
        assert len(answers(line)) == 1, [c.body for c in answers(line)]
        assert await count(db_url, InboxEvent, InboxEvent.status == "done") == 1
        assert await count(db_url, Job) == 0
        assert await saved(db_url) == expected_rows(writes)  # saved once, not again by the retry
        # A redelivery of the same event by LINE is not answered again.
        assert await post_line(second, dict(ev, deliveryContext={"isRedelivery": True})) == 200
        await asyncio.sleep(1.0)
        assert len(answers(line)) == 1
    finally:
        second.terminate()


async def test_sigterm_finishes_the_turn_in_flight_and_exits_cleanly(world: Any, db_url: str) -> None:
    line, model, env = world
    serve = Serve(env, free_port())
    await serve.start()
    try:
        ev = event("event_message_text.json", message__text="tell me about dassai")
        assert await post_line(serve, ev) == 200
        await asyncio.wait_for(model.first_arrived.wait(), 30)
        serve.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
        await asyncio.sleep(0.5)
        # No new events are taken while it shuts down.
        with pytest.raises((aiohttp.ClientError, AssertionError)):
            status = await post_line(serve, event("event_message_text.json", message__text="hello"))
            assert status == 200, status
        model.release.set()  # the turn in flight can now finish
        started = time.monotonic()
        rc = await asyncio.get_running_loop().run_in_executor(None, serve.proc.wait, 30)  # type: ignore[union-attr]
        assert rc == 0, serve.output()[-3000:]
        assert time.monotonic() - started < 15
    finally:
        serve.stop()
    assert len(answers(line)) == 1  # the turn in flight was answered before exit
    assert await count(db_url, Job) == 0  # nothing left behind
    assert await count(db_url, InboxEvent, InboxEvent.status == "done") == 1


@pytest.mark.parametrize("writes", [TASTING], ids=["after the tasting was saved"])
async def test_kill_9_mid_slack_turn_is_answered_once_after_restart(world: Any, db_url: str, writes: list[Any]) -> None:
    """Slack turns go through the durable job queue too: the job is taken over after a restart,
    its turn finished without saving the tasting twice, and the answer sent once."""
    _, model, env = world
    slack = FakeSlack()
    slack.add_workspace(SLACK_TOKEN, "T111", bot_user_id="UBOT111", bot_id="BBOT111")
    await slack.start()
    env = dict(env, SLACK_SIGNING_SECRET=SLACK_SECRET, SLACK_BOT_TOKEN=SLACK_TOKEN, SLACK_API_URL=slack.api_url)
    body = event_body("event_message_im.json", text="tell me about dassai")

    async def post(serve: Serve, headers: dict[str, str] | None = None) -> int:
        raw = json.dumps(body)
        async with aiohttp.ClientSession() as s:
            async with s.post(f"{serve.url}/slack/events", data=raw.encode(),
                              headers={"Content-Type": "application/json", **slack_sign(SLACK_SECRET, raw), **(headers or {})}) as r:
                return r.status

    def slack_answers() -> list[Any]:
        sent = slack.calls_to("chat.postMessage") + slack.calls_to("chat.update")
        return [c for c in sent if "Dassai" in str(c.args.get("text"))]

    first = Serve(env, free_port())
    try:
        await first.start()
        assert await post(first) == 200
        await asyncio.wait_for(model.first_arrived.wait(), 30)  # the turn is in flight, after the tasting was saved
        assert await count(db_url, Job) == 1
        assert await saved(db_url) == expected_rows(writes)
        first.proc.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
        first.proc.wait(10)  # type: ignore[union-attr]
        first.stop()
        assert slack_answers() == []
        await a_minute_passes(db_url)
        model.release.set()
        second = Serve(env, free_port())
        await second.start()
        try:
            await wait_for(lambda: len(slack_answers()) >= 1, 30, "the Slack answer after restart")
            await jobs_drained(db_url)
            await asyncio.sleep(1.0)  # a double would come now
            assert len(slack_answers()) == 1, [c.args for c in slack_answers()]
            assert await count(db_url, Job) == 0
            assert await count(db_url, InboxEvent, InboxEvent.delivered_at.is_not(None)) == 1
            assert await saved(db_url) == expected_rows(writes)  # saved once, not again by the retry
            # Slack retrying the same event (it never saw an answer in time) is acknowledged and dropped.
            assert await post(second, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}) == 200
            await asyncio.sleep(1.0)
            assert len(slack_answers()) == 1
        finally:
            second.terminate()
    finally:
        first.stop()
        await slack.close()
