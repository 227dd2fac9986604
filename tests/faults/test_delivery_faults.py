"""Delivery faults: the turn is done, its answer has not reached the platform.

Two ways to lose an answer there, for each platform: the platform refuses it past the SDK's
retries (Slack 500, LINE 500 on reply and push, Discord 429 past discord.py's retries), and
the process dies between the end of the turn and the send (here: the send never returns, the
process's tasks are cancelled the way a kill stops them, its job leases run out, a second
process on the same database takes the job over). Each test asserts the user got exactly one
answer and the turn ran (and saved its tasting) once.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any, AsyncIterator, Callable

import discord
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, update

from adapters.discord.interactions import ENDPOINT
from adapters.line.webhook import LINE_BOT
from bot.config import Settings
from bot.server import make_app
from bot.wiring import Core, build_core
from core.db.base import utcnow
from core.db.inbox_tables import InboxEvent
from core.db.job_tables import Job
from core.db.tasting_tables import TastingRow
from core.messages import Reply
from core.sensei import Turn
from core.tasting import TastingLog
from core.tasting_input import TastingInput
from tests.adapters.discord.test_discord_interactions import PUBLIC_KEY, post as post_discord
from tests.adapters.line.conftest import SECRET as LINE_SECRET, Line, event as line_event
from tests.adapters.slack.conftest import Harness, event_body
from tests.fakes.discord import APP_ID, FakeDiscord
from tests.fakes.line import sign as line_sign
from tests.fakes.slack import FakeSlack

DASSAI = 887


class TastingBrain:
    """A turn that saves a tasting (a write that must not happen twice) and answers."""

    def __init__(self, core: Core) -> None:
        self.log = TastingLog(core.db, core.catalog)
        self.turns: list[Turn] = []

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        await self.log.add(turn.principal, TastingInput(brand_id=DASSAI, rating=4))
        return Reply(text="Logged 獺祭 ★4.", lang=turn.lang)


class NoTurns:
    """The brain of the process that takes over: the turn was done, it must not run again."""

    def __init__(self) -> None:
        self.turns: list[Turn] = []

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        return Reply(text="the turn ran twice", lang=turn.lang)


async def count(core: Core, table: Any, *where: Any) -> int:
    async with core.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(table).where(*where)) or 0)


async def until(predicate: Callable[[], Any], what: str, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.02)):
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def hang(*_args: Any, **_kwargs: Any) -> None:
    await asyncio.Event().wait()  # the send that never comes back: the process dies here


async def kill(core: Core) -> None:
    """Stop a process's jobs where they are (kill -9 does not let them finish), and let a minute pass:
    its job leases run out."""
    done = await count(core, InboxEvent, InboxEvent.status == "done")
    assert done == 1, "the turn should be finished before the kill"
    for task in list(core.jobs._tasks):  # type: ignore[attr-defined]
        task.cancel()
    await asyncio.sleep(0.05)
    async with core.db.transaction() as s:
        await s.execute(update(Job).values(locked_until=utcnow() - timedelta(minutes=1)))


async def delivered_once(core: Core) -> None:
    assert await count(core, Job) == 0
    assert await count(core, TastingRow) == 1  # saved by the one turn, not again by the retry
    assert await count(core, InboxEvent, InboxEvent.delivered_at.is_not(None), InboxEvent.reply.is_(None)) == 1


# ---- Slack ------------------------------------------------------------------------------------


async def test_slack_answer_refused_at_send_is_sent_again_once(make_harness: Any, fake: FakeSlack) -> None:
    h: Harness = await make_harness()
    brain = h.core.sensei.brain = TastingBrain(h.core)
    fake.fail("chat.postMessage", status=500, error="internal_error", retry_after=None, times=2)
    r = await h.post(event_body("event_message_im.json", text="獺祭 4/5"))
    assert r.status == 200
    await h.settle()
    posts = fake.calls_to("chat.postMessage")
    assert len(posts) == 3  # refused twice, accepted the third time: one answer reached the user
    assert {p.args["text"] for p in posts} == {"Logged 獺祭 ★4."}
    assert len(brain.turns) == 1
    await delivered_once(h.core)


async def test_slack_process_killed_between_turn_and_send_is_answered_once_by_the_next(
    make_harness: Any, fake: FakeSlack
) -> None:
    first: Harness = await make_harness()
    brain = first.core.sensei.brain = TastingBrain(first.core)
    first.bot.deliver = hang  # type: ignore[method-assign]
    r = await first.post(event_body("event_message_im.json", text="獺祭 4/5"))
    assert r.status == 200
    await until(lambda: count(first.core, InboxEvent, InboxEvent.status == "done"), "the turn to finish")
    await kill(first.core)
    assert fake.calls_to("chat.postMessage") == []

    later = NoTurns()
    second: Harness = await make_harness(later)
    assert await second.core.jobs.recover() == 1  # type: ignore[attr-defined]
    await second.settle()
    [answer] = fake.calls_to("chat.postMessage")
    assert answer.args["text"] == "Logged 獺祭 ★4."
    assert len(brain.turns) == 1 and later.turns == []
    await delivered_once(second.core)


# ---- LINE -------------------------------------------------------------------------------------


def answers(line: Line) -> list[Any]:
    return line.fake.sent("/v2/bot/message/reply") + line.fake.sent("/v2/bot/message/push")


async def test_line_answer_refused_at_send_is_sent_again_once(line: Line) -> None:
    brain = line.core.sensei.brain = TastingBrain(line.core)
    line.core.sensei.resend_after = timedelta(0)
    line.bot.delivery_retry = 0.01
    line.fake.fail("/v2/bot/message/reply", *[500] * line.bot.attempts)
    line.fake.fail("/v2/bot/message/push", *[500] * line.bot.attempts)
    r = await line.post(line_event("event_message_text.json", message__text="獺祭 4/5"))
    assert r.status == 200
    await line.settle()
    [answer] = answers(line)
    assert "獺祭" in json.dumps(answer.body, ensure_ascii=False)
    assert len(brain.turns) == 1
    await delivered_once(line.core)


async def test_line_process_killed_between_turn_and_send_is_answered_once_by_the_next(
    line: Line, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    brain = line.core.sensei.brain = TastingBrain(line.core)
    monkeypatch.setattr(line.bot, "_send", hang)
    ev = line_event("event_message_text.json", message__text="獺祭 4/5")
    raw = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
    r = await line.client.post("/line/webhook", data=raw, headers={"Content-Type": "application/json",
                                                                   "X-Line-Signature": line_sign(LINE_SECRET, raw)})
    assert r.status == 200
    await until(lambda: count(line.core, InboxEvent, InboxEvent.status == "done"), "the turn to finish")
    await kill(line.core)
    assert answers(line) == []

    settings = Settings.from_env({
        "DATABASE_URL": db_url, "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": line.fake.access_token,
        "LINE_API_URL": line.fake.api_url, "LINE_DATA_API_URL": line.fake.data_url, "PUBLIC_BASE_URL": "https://sensei.example",
    })
    core = await build_core(settings)
    later = core.sensei.brain = NoTurns()
    core.sensei.resend_after = timedelta(0)
    app = make_app(core)
    app[LINE_BOT].clock = line.clock
    async with TestClient(TestServer(app)):
        assert await core.jobs.recover() == 1  # type: ignore[attr-defined]
        await until(lambda: core.jobs.depth == 0, "the job taken over")
    try:
        [answer] = answers(line)
        assert "獺祭" in json.dumps(answer.body, ensure_ascii=False)
        assert len(brain.turns) == 1 and later.turns == []
        await delivered_once(core)
    finally:
        await core.close()


# ---- Discord interactions ---------------------------------------------------------------------


@pytest.fixture
def discord_settings(db_url: str, fake_discord: FakeDiscord) -> Settings:
    return Settings.from_env({"DATABASE_URL": db_url, "DISCORD_PUBLIC_KEY": PUBLIC_KEY, "DISCORD_APPLICATION_ID": APP_ID,
                              "DISCORD_API_URL": fake_discord.api_url})


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    saved = discord.http.Route.BASE
    server = await FakeDiscord().start()
    yield server
    await server.stop()
    discord.http.Route.BASE = saved


async def discord_server(settings: Settings, brain: Any) -> tuple[Core, TestClient]:
    core = await build_core(settings)
    core.sensei.brain = brain(core) if isinstance(brain, type) else brain
    core.sensei.resend_after = timedelta(0)
    app = make_app(core)
    app[ENDPOINT].delivery_retry = 0.01
    client = TestClient(TestServer(app))
    await client.start_server()
    return core, client


async def test_discord_answer_refused_at_send_is_sent_again_once(fake_discord: FakeDiscord, discord_settings: Settings) -> None:
    core, http = await discord_server(discord_settings, TastingBrain)
    try:
        click = fake_discord.interaction(3, {"custom_id": f"btn:similar:{DASSAI}", "component_type": 2})
        route = rf"/webhooks/{APP_ID}/{click['token']}"
        fake_discord.fail_next(f"POST {route}", times=5)  # discord.py tries 5 times, then gives up
        r = await post_discord(http, click)
        assert (await r.json())["type"] == 5
        await until(lambda: core.jobs.depth == 0 and len(fake_discord.calls_to("POST", route)) >= 6, "the answer", timeout=20)
        assert len(fake_discord.calls_to("POST", route)) == 6  # 5 refused, the sixth accepted
        assert fake_discord.calls_to("POST", route)[-1].payload["content"] == "Logged 獺祭 ★4."
        assert len(core.sensei.brain.turns) == 1  # type: ignore[attr-defined]
        await delivered_once(core)
    finally:
        await http.close()
        await core.close()


async def test_discord_process_killed_between_turn_and_send_is_answered_once_by_the_next(
    fake_discord: FakeDiscord, discord_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    core, http = await discord_server(discord_settings, TastingBrain)
    click = fake_discord.interaction(3, {"custom_id": f"btn:similar:{DASSAI}", "component_type": 2})
    route = rf"/webhooks/{APP_ID}/{click['token']}"
    try:
        with monkeypatch.context() as m:
            m.setattr(discord.Webhook, "send", hang)
            r = await post_discord(http, click)
            assert (await r.json())["type"] == 5
            await until(lambda: count(core, InboxEvent, InboxEvent.status == "done"), "the turn to finish")
            await kill(core)
        brain = core.sensei.brain
    finally:
        await http.close()
        await core.close()
    assert fake_discord.calls_to("POST", route) == []

    later = NoTurns()
    core, http = await discord_server(discord_settings, later)
    try:
        assert await core.jobs.recover() == 1  # type: ignore[attr-defined]
        await until(lambda: core.jobs.depth == 0, "the job taken over")
        [answer] = fake_discord.calls_to("POST", route)
        assert answer.payload["content"] == "Logged 獺祭 ★4."
        assert len(brain.turns) == 1 and later.turns == []  # type: ignore[attr-defined]
        await delivered_once(core)
    finally:
        await http.close()
        await core.close()
