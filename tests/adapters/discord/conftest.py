"""Fixtures for the Discord adapter: the fake Discord, a core on the test database, a running bot."""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import discord
import discord.gateway
import discord.http
import pytest

from adapters.discord.client import make_client
from adapters.discord.endpoints import point_at
from adapters.discord.turns import DiscordTurns
from bot.config import Settings
from bot.wiring import Core, build_core
from core.jobs import InProcessJobs
from core.messages import Reply
from core.sensei import Sensei, Turn
from tests.fakes.discord import FakeDiscord

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> Any:
    """No proxy for 127.0.0.1; discord.py's endpoints never Discord's own, and put back after each test."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    point_at("http://127.0.0.1:9/api/v10", "ws://127.0.0.1:9/")  # a test that forgets the fake fails here, never online
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.stop()


@pytest.fixture
async def core(db_url: str) -> AsyncIterator[Core]:
    built = await build_core(Settings.from_env({"DATABASE_URL": db_url}), jobs=InProcessJobs())
    yield built
    await built.close()


class ScriptedBrain:
    """A stand-in for the core's brain where a test needs a reply the current brain cannot give yet.

    It records every turn (so tests can check what the adapter handed the core) and answers
    with `answer(turn)`.
    """

    def __init__(self, answer: Callable[[Turn], Reply]) -> None:
        self.answer = answer
        self.turns: list[Turn] = []
        self.image_bytes: list[bytes] = []

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        for image in turn.message.images:
            self.image_bytes.append(await image.read())
        return self.answer(turn)


def with_brain(core: Core, brain: Any) -> Sensei:
    return Sensei(core.identity, core.inbox, brain, core.sensei.limiter)


@asynccontextmanager
async def running_bot(fake: FakeDiscord, core: Core, *, sensei: Sensei | None = None, shards: int | str | None = None,
                      message_content: bool = False) -> AsyncIterator[discord.Client]:
    point_at(fake.api_url, fake.gateway_url)
    client = make_client(DiscordTurns(sensei or core.sensei), core.search, shards=shards, message_content=message_content,
                         guild_ready_timeout=0.1)
    task = asyncio.create_task(client.start("fake-bot-token"))
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        await client.close()
        if task in done:
            task.result()  # raises what stopped the client
        raise AssertionError("the bot did not become ready")
    try:
        yield client
    finally:
        await client.close()
        try:
            await asyncio.wait_for(task, 5)
        except (asyncio.CancelledError, asyncio.TimeoutError):
            task.cancel()
