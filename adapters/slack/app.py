"""Slack in the process: the bot mounted on the server (`POST /slack/events`, the OAuth pages),
or run over Socket Mode. The bot itself is adapters.slack.bot; its options adapters.slack.options."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from adapters.slack.bot import SlackBot
from adapters.slack.options import SCOPES, SlackOptions
from core.slack_workspaces import SlackWorkspaces

__all__ = ["SCOPES", "SLACK_BOT", "SlackBot", "SlackOptions", "build", "mount", "run_socket_mode"]

log = logging.getLogger(__name__)


def build(core: Any, options: SlackOptions, *, socket_mode: bool = False) -> SlackBot:
    return SlackBot(sensei=core.sensei, jobs=core.jobs, workspaces=SlackWorkspaces(core.db), catalog=core.catalog,
                    options=options, socket_mode=socket_mode)


SLACK_BOT = web.AppKey("slack_bot", SlackBot)


def mount(app: web.Application, core: Any, options: SlackOptions | None = None) -> SlackBot | None:
    """Add POST /slack/events (and the OAuth install pages) when Slack is configured; None otherwise."""
    options = options or SlackOptions.from_settings(core.settings)
    if options is None:
        return None
    bot = build(core, options)
    app[SLACK_BOT] = bot
    app.router.add_post("/slack/events", bot.handle_http)
    if options.oauth:
        app.router.add_get(options.install_path, bot.handle_http)
        app.router.add_get(options.redirect_path, bot.handle_http)

    async def close(_app: web.Application) -> None:
        await bot.close()

    async def start(_app: web.Application) -> None:
        if bot.auth is not None:
            bot.auth.start()  # the first auth.test, before the first event

    app.on_startup.append(start)
    app.on_cleanup.append(close)
    return bot


async def run_socket_mode(core: Any, options: SlackOptions, *, stop: asyncio.Event | None = None) -> None:
    """`sake-sensei slack-socket`: the same bot over Socket Mode (apps.connections.open + a websocket)."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    bot = build(core, options, socket_mode=True)
    handler = AsyncSocketModeHandler(
        bot.app, options.app_token, web_client=bot.api.new_client(options.bot_token if not options.oauth else None)
    )
    await handler.connect_async()
    log.info("Slack Socket Mode connected")
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await handler.close_async()
        await bot.close()
