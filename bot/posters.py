"""What the bot posts on its own: each configured platform's `ChannelPoster`, and the flight sweep
that uses them (core.flights.sweep), started with `serve` (every platform it runs) or with a
single-platform process (`discord`, `slack-socket`: that platform only) and stopped with it.

Every `serve` process runs the sweep: the claims in SQL let several of them run side by side,
each reveal posted by one. Slack and LINE post with the bot the server mounted (its token, its
retries); Discord needs DISCORD_BOT_TOKEN, since the interactions endpoint alone cannot post.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import web

from core.announce import ChannelPoster
from core.flights.announcements import Announcements
from core.flights.sweep import EVERY, FIRST_AFTER, RevealSweep

log = logging.getLogger(__name__)

REVEAL_SWEEP = web.AppKey("reveal_sweep", RevealSweep)


def posters(app: web.Application, core: Any) -> tuple[dict[str, ChannelPoster], list[Callable[[], Awaitable[None]]]]:
    """The posters of the platforms this server runs, by platform; and what to close on the way out.

    Slack over Socket Mode (`sake-sensei slack-socket`, no Events API here) gets a Web API client of
    its own, so that `serve` beside a Socket Mode process posts Slack's reveals too."""
    from adapters.line.webhook import LINE_BOT
    from adapters.slack.app import SLACK_BOT

    settings = core.settings

    out: dict[str, ChannelPoster] = {}
    closers: list[Callable[[], Awaitable[None]]] = []
    if SLACK_BOT in app:
        from adapters.slack.poster import SlackPoster

        out["slack"] = SlackPoster(app[SLACK_BOT].api)
    if LINE_BOT in app:
        from adapters.line.poster import LinePoster

        out["line"] = LinePoster(app[LINE_BOT])
    if settings.discord_bot_token:
        from adapters.discord.endpoints import point_at

        point_at(settings.discord_api_url)
    for platform in ("slack", "discord"):
        if platform not in out:
            found, closing = _one_poster(core, platform)
            out.update(found)
            closers += closing
    return out, closers


def mount(app: web.Application, core: Any, *, first_after: float = FIRST_AFTER, every: float = EVERY,
          sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> RevealSweep | None:
    """Run the flight sweep with the server: `first_after` seconds after start, then every `every`."""
    flights = getattr(core, "flights", None)
    if flights is None:
        return None
    found, closers = posters(app, core)
    sweep = RevealSweep(flights.flights, flights, flights.announcements or Announcements(core.db), found)
    app[REVEAL_SWEEP] = sweep

    async def running(_app: web.Application) -> AsyncIterator[None]:
        async with _running(sweep, closers, first_after=first_after, every=every, sleep=sleep):
            yield

    app.cleanup_ctx.append(running)
    log.info("flight sweep: every %.0f s, posting to %s", every, ", ".join(sorted(found)) or "no platform")
    return sweep


@contextlib.asynccontextmanager
async def sweeping(core: Any, platform: str, *, first_after: float = FIRST_AFTER, every: float = EVERY,
                   sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> AsyncIterator[RevealSweep | None]:
    """The sweep of a process that runs one platform's bot without `serve` (`sake-sensei discord`,
    `slack-socket`): that platform's day-old flights are revealed even where no web server runs."""
    flights = getattr(core, "flights", None)
    found, closers = _one_poster(core, platform) if flights is not None else ({}, [])
    if flights is None or not found:
        yield None
        return
    sweep = RevealSweep(flights.flights, flights, flights.announcements or Announcements(core.db), found,
                        only=frozenset(found))
    log.info("flight sweep: every %.0f s, posting to %s", every, platform)
    async with _running(sweep, closers, first_after=first_after, every=every, sleep=sleep):
        yield sweep


def _one_poster(core: Any, platform: str) -> tuple[dict[str, ChannelPoster], list[Callable[[], Awaitable[None]]]]:
    """A poster of its own for Discord (REST with the bot token) or Slack over Socket Mode (a Web API client),
    with what closes it; nothing when that platform is not configured."""
    settings = core.settings
    if platform == "discord" and settings.discord_bot_token:
        from adapters.discord.poster import DiscordPoster

        discord = DiscordPoster(settings.discord_bot_token)
        return {"discord": discord}, [discord.close]
    if platform == "slack":
        from adapters.slack.app import SlackOptions

        if (options := SlackOptions.from_settings(settings, socket_mode=True)) is not None:
            from adapters.slack.poster import SlackPoster
            from adapters.slack.web_api import SlackWebApi
            from core.slack_workspaces import SlackWorkspaces

            api = SlackWebApi(options, SlackWorkspaces(core.db))
            return {"slack": SlackPoster(api)}, [api.close]
    return {}, []


@contextlib.asynccontextmanager
async def _running(sweep: RevealSweep, closers: list[Callable[[], Awaitable[None]]], *, first_after: float, every: float,
                   sleep: Callable[[float], Awaitable[object]]) -> AsyncIterator[None]:
    task = asyncio.create_task(sweep.run_forever(first_after=first_after, every=every, sleep=sleep))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        for close in closers:
            await close()
