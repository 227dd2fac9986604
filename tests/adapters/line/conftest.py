"""The LINE bot end to end: the real line-bot-sdk against the fake LINE APIs on 127.0.0.1."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.line.webhook import LINE_BOT, LineBot
from bot.config import Settings
from bot.server import make_app
from bot.wiring import Core, build_core
from core.actions import Log, Rate, SurveyAnswer, SurveyStart, Unknown
from core.catalog import CatalogSearch
from core.charts import flavor_chart_png
from core.controls import rating
from core.errors import Code, SenseiError
from core.messages import Button, Reply, ReplyImage
from core.sensei import Brain, Turn
from core.texts import t
from tests.fakes.line import FakeLine, sign

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "test-channel-secret"
USER = "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"
GROUP = "Ca56f94637caaaaaaaaaaaaaaaaaaaaaa"
_seq = itertools.count(1)


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


def event(name: str, **changes: Any) -> dict[str, Any]:
    """The first event of a fixture, made unique (fresh ids and reply token) and changed as asked."""
    ev = copy.deepcopy(payload(name)["events"][0])
    n = next(_seq)
    ev["webhookEventId"] = f"01TEST{n:020d}"
    ev["deliveryContext"] = {"isRedelivery": False}
    if "replyToken" in ev:
        ev["replyToken"] = f"token-{n}-{uuid.uuid4().hex[:8]}"
    for path, value in changes.items():
        target = ev
        *parents, leaf = path.split("__")
        for p in parents:
            target = target.setdefault(p, {})
        target[leaf] = value
    return ev


class ScriptedBrain:
    """Stands in for the agent (built on branch `agent`) where the catalog brain has nothing to say:
    it answers action ids and photos the way the agent's contract says, and records what it got.
    Text still goes to the real catalog brain."""

    def __init__(self, fallback: Brain, search: CatalogSearch) -> None:
        self.fallback = fallback
        self.search = search
        self.turns: list[Turn] = []
        self.ratings: dict[tuple[str, int], float] = {}
        self.images: list[bytes] = []

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        m, lang = turn.message, turn.lang
        match m.action:
            case SurveyStart():
                return Reply(text="辛口と甘口、どちらが好きですか?" if lang == "ja" else "Dry or sweet?", lang=lang,
                             actions=[Button(SurveyAnswer("sweetness", "dry"), "辛口"),
                                      Button(SurveyAnswer("sweetness", "sweet"), "甘口")])
            case Log(bid):
                card = self.search.catalog.get(bid).card()  # type: ignore[union-attr]
                card.rating = rating(bid, lang)
                return Reply(text="何点ですか?", lang=lang, cards=[card])
            case Rate(bid, stars):
                self.ratings[(m.key.user, bid)] = stars
                return Reply(text=f"★{stars:g} で記録しました。", lang=lang)
            case Unknown():
                return Reply(text=t("turn.invalid_button", lang), lang=lang, error={"code": "SS-002", "message": ""})
        if m.images:
            data = await m.images[0].read()
            self.images.append(data)
            if not data.startswith(b"\xff\xd8"):
                raise SenseiError(Code.IMAGE_UNREADABLE)
            brand = self.search.find_in_text("獺祭")[0].brand
            chart = flavor_chart_png(brand.chart, lang=lang, title=brand.name)
            images = [ReplyImage(chart, alt=brand.name)] if chart else []
            return Reply(text=f"{brand.name} のラベルですね。", lang=lang, cards=[brand.card(score=0.9)], images=images)
        return await self.fallback.reply(turn)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Line:
    fake: FakeLine
    core: Core
    client: TestClient
    bot: LineBot
    brain: ScriptedBrain
    clock: Clock
    sleeps: list[float] = field(default_factory=list)

    async def post(self, *events: dict[str, Any], body: bytes | None = None, signature: str | None = None) -> Any:
        raw = body if body is not None else json.dumps({"destination": "Ubot", "events": list(events)}).encode()
        headers = {"Content-Type": "application/json", "X-Line-Signature": signature if signature is not None else sign(SECRET, raw)}
        response = await self.client.post("/line/webhook", data=raw, headers=headers)
        await self.settle()
        return response

    async def settle(self) -> None:
        for _ in range(500):
            if self.core.jobs.depth == 0:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("LINE jobs did not finish")

    def replies(self) -> list[dict[str, Any]]:
        return [c.body for c in self.fake.sent("/v2/bot/message/reply")]

    def pushes(self) -> list[Any]:
        return self.fake.sent("/v2/bot/message/push")


@pytest.fixture
async def line(db_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Line]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    fake = await FakeLine().start()
    settings = Settings.from_env({
        "DATABASE_URL": db_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": fake.access_token,
        "LINE_API_URL": fake.api_url,
        "LINE_DATA_API_URL": fake.data_url,
        "PUBLIC_BASE_URL": "https://sensei.example",
    })
    core = await build_core(settings)
    brain = ScriptedBrain(core.sensei.brain, core.search)
    core.sensei.brain = brain
    app = make_app(core)
    bot = app[LINE_BOT]
    clock = Clock()
    harness = Line(fake, core, TestClient(TestServer(app)), bot, brain, clock)
    bot.clock = clock

    async def sleep(seconds: float) -> None:
        harness.sleeps.append(seconds)

    bot.sleep = sleep
    await harness.client.start_server()
    try:
        yield harness
    finally:
        await harness.client.close()
        await core.close()
        await fake.close()
