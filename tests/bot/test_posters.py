"""`serve` runs the flight sweep: shortly after start, then every few minutes (an injected sleep,
so nothing here waits), and stops it with the server; each configured platform gets its poster."""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import posters
from bot.config import Settings
from bot.server import make_app
from bot.wiring import build_core
from core.flights.sweep import SweepRun


async def test_the_sweep_runs_after_start_then_periodically_and_stops_with_the_server(db_url: str) -> None:
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        waits: list[float] = []
        runs: list[SweepRun] = []
        forever = asyncio.Event()

        async def sleep(seconds: float) -> None:
            waits.append(seconds)
            if len(waits) > 3:
                await forever.wait()  # until the server stops

        app = web.Application()
        sweep = posters.mount(app, core, first_after=30, every=300, sleep=sleep)
        assert sweep is not None and app[posters.REVEAL_SWEEP] is sweep and sweep.posters == {}
        real_run = sweep.run

        async def counted() -> SweepRun:
            runs.append(await real_run())
            return runs[-1]

        sweep.run = counted  # type: ignore[method-assign]
        async with TestClient(TestServer(app)):
            for _ in range(500):
                if len(waits) > 3:
                    break
                await asyncio.sleep(0.01)
            assert waits == [30, 300, 300, 300] and runs == [SweepRun()] * 3
        await asyncio.sleep(0)
        assert len(runs) == 3  # stopped with the server
    finally:
        await core.close()


async def test_serve_posts_to_the_platforms_it_runs(db_url: str) -> None:
    settings = Settings.from_env({"DATABASE_URL": db_url, "SLACK_SIGNING_SECRET": "s" * 32, "SLACK_BOT_TOKEN": "xoxb-1",
                                  "LINE_CHANNEL_SECRET": "line-secret", "LINE_CHANNEL_ACCESS_TOKEN": "line-token"})
    core = await build_core(settings)
    try:
        app = make_app(core)
        assert sorted(app[posters.REVEAL_SWEEP].posters) == ["line", "slack"]
    finally:
        await core.close()


async def test_slack_over_socket_mode_gets_a_poster_of_its_own(db_url: str) -> None:
    """No Events API in `serve` (the bot runs as `sake-sensei slack-socket`): the sweep still posts to Slack."""
    settings = Settings.from_env({"DATABASE_URL": db_url, "SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"})
    core = await build_core(settings)
    try:
        app = make_app(core)
        assert sorted(app[posters.REVEAL_SWEEP].posters) == ["slack"]
    finally:
        await core.close()


async def test_a_single_platform_process_sweeps_its_own_platform(db_url: str) -> None:
    """`sake-sensei discord` / `slack-socket` without `serve`: their day-old flights were never revealed by
    themselves (the sweep ran in `serve` only). Each runs a sweep of its own platform's reveals."""
    settings = Settings.from_env({"DATABASE_URL": db_url, "DISCORD_BOT_TOKEN": "discord-token",
                                  "SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"})
    core = await build_core(settings)
    try:
        waits: list[float] = []
        forever = asyncio.Event()

        async def sleep(seconds: float) -> None:
            waits.append(seconds)
            await forever.wait()

        async with posters.sweeping(core, "discord", sleep=sleep) as discord:
            assert discord is not None and sorted(discord.posters) == ["discord"] and discord.only == frozenset({"discord"})
            await asyncio.sleep(0)
            assert waits == [posters.FIRST_AFTER]
        async with posters.sweeping(core, "slack", sleep=sleep) as slack:
            assert slack is not None and sorted(slack.posters) == ["slack"] and slack.only == frozenset({"slack"})
    finally:
        await core.close()
    bare = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        async with posters.sweeping(bare, "discord") as none:
            assert none is None  # no token: nothing to post with, no sweep
    finally:
        await bare.close()
