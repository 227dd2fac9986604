"""What `serve` posts on its own: each configured platform's `ChannelPoster`, and the flight sweep
that uses them (core.flights.sweep), started with the server and stopped with it.

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
    its own: the sweep runs in `serve` only."""
    from adapters.line.webhook import LINE_BOT
    from adapters.slack.app import SLACK_BOT, SlackOptions

    settings = core.settings

    out: dict[str, ChannelPoster] = {}
    closers: list[Callable[[], Awaitable[None]]] = []
    if SLACK_BOT in app:
        from adapters.slack.poster import SlackPoster

        out["slack"] = SlackPoster(app[SLACK_BOT].api)
    elif (options := SlackOptions.from_settings(settings, socket_mode=True)) is not None:
        from adapters.slack.poster import SlackPoster
        from adapters.slack.web_api import SlackWebApi
        from core.slack_workspaces import SlackWorkspaces

        api = SlackWebApi(options, SlackWorkspaces(core.db))
        out["slack"] = SlackPoster(api)
        closers.append(api.close)
    if LINE_BOT in app:
        from adapters.line.poster import LinePoster

        out["line"] = LinePoster(app[LINE_BOT])
    if settings.discord_bot_token:
        from adapters.discord.endpoints import point_at
        from adapters.discord.poster import DiscordPoster

        point_at(settings.discord_api_url)
        discord = DiscordPoster(settings.discord_bot_token)
        out["discord"] = discord
        closers.append(discord.close)
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
        task = asyncio.create_task(sweep.run_forever(first_after=first_after, every=every, sleep=sleep))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        for close in closers:
            await close()

    app.cleanup_ctx.append(running)
    log.info("flight sweep: every %.0f s, posting to %s", every, ", ".join(sorted(found)) or "no platform")
    return sweep
