"""How a LINE turn reaches its user (core.transport.Transport): the loading animation while a
photo is read, then the reply rendered as Flex and quick replies, sent by the bot (reply token
while fresh, else a push with a retry key), falling back to plain text when LINE refuses it."""

from __future__ import annotations

from typing import Any, Awaitable, Protocol

from linebot.v3.messaging import ApiException

from adapters.line.clients import retryable
from adapters.line.events import Work
from adapters.line.render import render, text_messages
from core.messages import Reply
from core.transport import Undelivered


class LineSending(Protocol):
    """What the transport needs from the bot (adapters.line.webhook.LineBot). `_send` keeps its
    name: the delivery fault tests stand in for it on the bot to kill a process mid-send."""

    async def _send(self, work: Work, messages: list[dict[str, Any]], job: dict[str, Any],
                    fallback: list[dict[str, Any]] | None = None) -> None: ...

    async def loading(self, user_id: str) -> None: ...

    def flavor_url(self, brand_id: int, lang: str) -> str | None: ...

    async def store_images(self, reply: Reply) -> list[str]: ...


class LineTransport:
    def __init__(self, bot: LineSending, work: Work, job: dict[str, Any]) -> None:
        self.bot = bot
        self.work = work
        self.job = job

    async def working(self, lang: str) -> None:
        if self.work.source is not None and self.work.source.kind == "user":  # only 1:1 chats have the animation
            await self.bot.loading(self.work.source.to)

    async def send(self, reply: Reply) -> None:
        messages = render(reply, flavor_url=self.bot.flavor_url, image_urls=await self.bot.store_images(reply))
        fallback = text_messages(reply.text)
        await sending(self.bot._send(self.work, messages, self.job, fallback=fallback))


async def sending(call: Awaitable[None]) -> None:
    """LINE kept failing past the retries (the push carries the same retry key next time, so one that
    did get through is not shown twice): worth another try later; anything else was refused."""
    try:
        await call
    except Exception as e:
        reason = str(getattr(e, "status", None) or type(e).__name__)
        # no answer at all from LINE (not an ApiException) is an outage, waited out in the queue
        raise Undelivered(reason, transient=retryable(e), outage=not isinstance(e, ApiException)) from None


