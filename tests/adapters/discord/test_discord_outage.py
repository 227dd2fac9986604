"""Discord unreachable: a follow-up waits in the job queue while its interaction token (15 minutes)
can still send it, and is given up after that (issue #21, item 4).

The job queue's clock and sleep and the endpoint's clock are one fake clock, so minutes pass in a
moment; the queue's max_attempts (5) would have given the answer up after about a minute.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
import discord
import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.discord.interactions import ENDPOINT
from bot.config import Settings
from bot.server import make_app
from bot.wiring import Core, build_core
from tests.adapters.discord.test_discord_interactions import PUBLIC_KEY, signed
from tests.fakes.clock import FakeClock
from tests.fakes.discord import APP_ID, FakeDiscord


class Down:
    """discord.py's Webhook while Discord cannot be reached."""

    async def send(self, *args: Any, **kwargs: Any) -> None:
        raise aiohttp.ClientConnectionError("Cannot connect to host discord.com:443")


@pytest.fixture
async def core(db_url: str, fake: FakeDiscord) -> AsyncIterator[Core]:
    settings = Settings.from_env({"DATABASE_URL": db_url, "DISCORD_PUBLIC_KEY": PUBLIC_KEY, "DISCORD_APPLICATION_ID": APP_ID,
                                  "DISCORD_API_URL": fake.api_url})
    core = await build_core(settings)
    yield core
    await core.close()


async def outage(
    core: Core, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch, down_for: timedelta
) -> tuple[FakeClock, datetime, dict[str, Any]]:
    """A /sake rec command while Discord is down for `down_for`; returns when its job is done."""
    clock = FakeClock(datetime.now(timezone.utc))
    started = clock.now

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        await asyncio.sleep(0.005)

    core.jobs.clock, core.jobs.sleep = clock, sleep
    core.sensei.resend_after = timedelta(0)  # the inbox's own clock is real: a pause of `after` (10 s) passes it
    data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [
        {"name": "rec", "type": 1, "options": [{"name": "request", "type": 3, "value": "dassai"}]}]})
    data["id"] = str(discord.utils.time_snowflake(datetime.fromtimestamp(time.time(), timezone.utc)))  # created now
    data["token"] = f"token-{data['id']}"
    async with TestClient(TestServer(make_app(core))) as http:
        endpoint = http.app[ENDPOINT]
        webhook = endpoint._webhook
        monkeypatch.setattr(endpoint, "_webhook", lambda p: Down() if clock.now < started + down_for else webhook(p))
        body = json.dumps(data).encode()
        r = await http.post("/discord/interactions", data=body, headers=signed(body))
        assert r.status == 200
        endpoint.verifier.clock = lambda: clock.now.timestamp()  # after the request: its signature was checked in real time
        for _ in range(2000):
            await asyncio.sleep(0.005)
            if core.jobs.depth == 0:
                break
        assert core.jobs.depth == 0
    return clock, started, data


async def test_a_follow_up_waits_out_a_ten_minute_outage_and_goes_out(core: Core, fake: FakeDiscord,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    clock, started, data = await outage(core, fake, monkeypatch, timedelta(minutes=10))
    assert clock.now - started >= timedelta(minutes=10)
    [follow] = fake.calls_to("POST", rf"/webhooks/{APP_ID}/{data['token']}")
    assert follow.payload["embeds"][0]["title"] == "獺祭 (dassai)"


async def test_a_follow_up_is_given_up_once_its_token_has_expired(core: Core, fake: FakeDiscord,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    clock, started, data = await outage(core, fake, monkeypatch, timedelta(hours=1))
    assert timedelta(minutes=15) <= clock.now - started < timedelta(minutes=15, seconds=300 + 60)
    assert fake.calls_to("POST", rf"/webhooks/{APP_ID}/{data['token']}") == []
