"""A day-old Discord flight: `serve`'s sweep posts its reveal as a channel message over Discord's REST
API (discord.py logged in without its gateway) against the fake Discord, once; a 429 past the
limiter is retried on the next sweep, a channel the bot cannot see is given up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.config import Settings
from bot.posters import REVEAL_SWEEP
from bot.server import make_app
from bot.wiring import Core, build_core
from core.flights.sweep import RevealSweep, SweepRun
from core.jobs import InProcessJobs
from core.messages import StateKey
from tests.adapters.day_old_flight import day_old_flight, reveal_row
from tests.fakes.discord import CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord

KEY = StateKey("discord", GUILD_ID, CHANNEL_ID, USER_ID)


@pytest.fixture
async def served(fake: FakeDiscord, db_url: str) -> AsyncIterator[tuple[Core, RevealSweep]]:
    settings = Settings.from_env({"DATABASE_URL": db_url, "DISCORD_BOT_TOKEN": "bot-token", "DISCORD_API_URL": fake.api_url})
    core = await build_core(settings, jobs=InProcessJobs())
    app: web.Application = make_app(core)
    sweep = app[REVEAL_SWEEP]
    yield core, sweep
    await sweep.posters["discord"].close()  # type: ignore[attr-defined]
    await core.close()


async def test_the_reveal_is_posted_in_the_channel_once(fake: FakeDiscord, served: tuple[Core, RevealSweep]) -> None:
    core, sweep = served
    flight = await day_old_flight(core, KEY)
    assert await sweep.run() == SweepRun(closed=1, posted=1)
    [message] = fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert "left open for a day" in message.payload["content"]
    assert len(message.payload["embeds"]) == 3 and message.files  # a card per sake, and the reveal's picture
    assert fake.calls_to("GET", "/users/@me")  # logged in over REST: no gateway
    assert await sweep.run() == SweepRun()
    assert len(fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")) == 1
    row = await reveal_row(core, flight)
    assert row is not None and row.outcome == "posted"


async def test_a_channel_the_bot_cannot_see_is_given_up(fake: FakeDiscord, served: tuple[Core, RevealSweep]) -> None:
    core, sweep = served
    flight = await day_old_flight(core, KEY)
    fake.refuse_messages = 403
    assert await sweep.run() == SweepRun(closed=1, given_up=1)
    row = await reveal_row(core, flight)
    assert row is not None and row.last_error == "http_403"


async def test_discords_5xx_is_retried_on_the_next_sweep(fake: FakeDiscord, served: tuple[Core, RevealSweep]) -> None:
    core, sweep = served
    await day_old_flight(core, KEY)
    fake.refuse_messages = 503
    assert await sweep.run() == SweepRun(closed=1, retrying=1)
    fake.refuse_messages = None
    assert await sweep.run() == SweepRun(posted=1)
    assert len(fake.sent) == 1
