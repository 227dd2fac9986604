"""Posting a reply into a LINE chat on the bot's own initiative (core.announce.ChannelPoster).

A push message to the group, room or user, rendered as any answer (adapters.line.render) and
sent by the bot's own push (`LineBot._send` without a reply token): its retries on 429/5xx, its
plain-text fallback when LINE refuses the Flex, and an `X-Line-Retry-Key` made from the post's
`key`, so that a post tried again after a lost answer (another sweep, another process) is
delivered once: LINE answers 409 to the second.
"""

from __future__ import annotations

from adapters.line.events import DIRECT, Source, Work
from adapters.line.render import render, text_messages
from adapters.line.transport import LineSending, sending
from core.messages import Reply


class LinePoster:
    def __init__(self, bot: LineSending) -> None:
        self.bot = bot

    async def post(self, reply: Reply, workspace: str, channel: str, *, key: str) -> None:
        source = Source(kind="user" if workspace == DIRECT else "group", user_id=None, chat_id=channel)
        work = Work(kind="message", source=source, event_id=key, reply_token=None)
        messages = render(reply, flavor_url=self.bot.flavor_url, image_urls=await self.bot.store_images(reply))
        await sending(self.bot._send(work, messages, {}, fallback=text_messages(reply.text)))
