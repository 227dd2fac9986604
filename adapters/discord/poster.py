"""Posting a reply into a Discord channel on the bot's own initiative (core.announce.ChannelPoster).

A channel message over Discord's REST API with the bot token: discord.py logged in without its
gateway (`Client.login` only), so `serve`, which answers interactions over HTTP, can post too,
through discord.py's rate limiter and wherever `adapters.discord.endpoints.point_at` points it.
Rendered as any answer (adapters.discord.render): the text, a card embed per sake, the reveal's
picture, the buttons. Discord's 429 past its limiter and its 5xx are transient; a channel the bot
cannot see or write in (403, 404) is final.
"""

from __future__ import annotations

import asyncio

import aiohttp
import discord

from adapters.discord.render import render
from core.messages import Reply
from core.transport import Undelivered


class DiscordPoster:
    def __init__(self, token: str) -> None:
        self.token = token
        self.client = discord.Client(intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none())
        self._login: asyncio.Lock | None = None

    async def post(self, reply: Reply, workspace: str, channel: str, *, key: str) -> None:
        if not channel.isdigit():
            raise Undelivered("not_a_channel", transient=False)
        try:
            await self._logged_in()
            await self.client.get_partial_messageable(int(channel)).send(**render(reply).send_kwargs())
        except discord.LoginFailure:
            raise Undelivered("login_failed", transient=False) from None
        except discord.HTTPException as e:
            raise Undelivered(f"http_{e.status}", transient=e.status == 429 or e.status >= 500) from None
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            raise Undelivered(type(e).__name__, transient=True) from None

    async def _logged_in(self) -> None:
        """Log in (REST only: GET users/@me) on the first post, once even when posts overlap."""
        if self._login is None:
            self._login = asyncio.Lock()
        async with self._login:
            if self.client.user is None:
                await self.client.login(self.token)

    async def close(self) -> None:
        await self.client.close()
