"""The Slack bot end to end: the real slack-bolt and slack_sdk, our aiohttp server, a fake Slack."""

from __future__ import annotations

import asyncio
import copy
import json
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.slack.app import SLACK_BOT, SlackBot
from bot.config import Settings
from bot.server import make_app
from bot.wiring import Core, build_core
from core.actions import pack
from core.messages import Reply
from core.sensei import Turn
from tests.fakes.slack import FakeSlack, sign

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "test-signing-secret-0123456789"
TOKEN = "xoxb-test-token-T111"


def payload(name: str) -> Any:
    path = PAYLOADS / name
    return json.loads(path.read_text()) if name.endswith(".json") else path.read_text().strip()


def event_body(name: str, **event_changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(payload(name))
    body["event"].update(event_changes)
    return body


@dataclass
class ScriptedBrain:
    """A test brain: records every turn and answers with what the test scripts (or a default)."""

    answer: Callable[[Turn], Awaitable[Reply] | Reply] | None = None
    turns: list[Turn] = field(default_factory=list)
    images: list[bytes] = field(default_factory=list)

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        for image in turn.message.images:
            self.images.append(await image.read())
        if self.answer is None:
            what = pack(turn.message.action) if turn.message.action else turn.message.text
            return Reply(text=f"you said: {what}", lang=turn.lang)
        result = self.answer(turn)
        return await result if asyncio.iscoroutine(result) else result  # type: ignore[return-value]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # AsyncApp reads these itself (SLACK_CLIENT_ID/SECRET would turn OAuth on behind our back).
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    slack.add_workspace(TOKEN, "T111", bot_user_id="UBOT111", bot_id="BBOT111")
    await slack.start()
    yield slack
    await slack.close()


@dataclass
class Harness:
    core: Core
    client: TestClient
    fake: FakeSlack
    brain: ScriptedBrain | None

    @property
    def bot(self) -> SlackBot:
        return self.client.server.app[SLACK_BOT]

    async def post(self, body: dict[str, Any] | str, *, content_type: str = "application/json", secret: str = SECRET,
                   timestamp: int | None = None, headers: dict[str, str] | None = None, path: str = "/slack/events") -> Any:
        raw = json.dumps(body) if isinstance(body, dict) else body
        h = {"Content-Type": content_type, **sign(secret, raw, timestamp), **(headers or {})}
        return await self.client.post(path, data=raw.encode(), headers=h)

    async def settle(self) -> None:
        """Wait for the jobs queued so far (the answers sent after the acks)."""
        for _ in range(200):
            if self.core.jobs.depth == 0:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("jobs did not finish")


def settings_for(db_url: str, fake: FakeSlack, **extra: str) -> Settings:
    env = {"DATABASE_URL": db_url, "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": fake.api_url, **extra}
    return Settings.from_env({k: v for k, v in env.items() if v})


@pytest.fixture
async def make_harness(db_url: str, fake: FakeSlack) -> AsyncIterator[Callable[..., Awaitable[Harness]]]:
    made: list[Harness] = []

    async def make(brain: ScriptedBrain | None = None, *, placeholder_after: float = 1.0, **env: str) -> Harness:
        core = await build_core(settings_for(db_url, fake, **env))
        if brain is not None:
            core.sensei.brain = brain
        app = make_app(core)
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        bot = app[SLACK_BOT]
        # An answer Slack refused is sent again at once by the retried job (in production: after 10 s).
        bot.options = replace(bot.options, placeholder_after=placeholder_after, delivery_retry=0.05)
        core.sensei.resend_after = timedelta(0)
        harness = Harness(core, client, fake, brain)
        made.append(harness)
        return harness

    yield make
    for h in made:
        await h.client.close()
        await h.core.close()
