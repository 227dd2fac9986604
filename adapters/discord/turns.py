"""One Discord turn: a core Message through the core's turn pipeline into a rendered Discord reply.

Shared by the gateway bot and the HTTP interactions route; each gives the pipeline a
`DiscordTransport` with its own way to send (a channel message, a reply, an interaction's
follow-up). Flavor charts are drawn off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache

import aiohttp
import discord

from adapters.discord.render import Rendered, chart_values, render_messages
from core.charts import flavor_chart_png
from core.messages import Message, Reply
from core.sensei import Sensei
from core.texts import t
from core.transport import Undelivered
from core.turn_pipeline import TurnPipeline, is_apology

log = logging.getLogger(__name__)

# (chart values f1..f6, lang, title) -> PNG bytes, or None when there is nothing real to draw.
ChartFn = Callable[[tuple[float, ...], str, str], "bytes | None"]
# Sends one rendered reply; `private`: show it only to the user who asked (the pipeline's apology).
Send = Callable[[Rendered, bool], Awaitable[None]]


@lru_cache(maxsize=256)
def draw_flavor_chart(values: tuple[float, ...], lang: str, title: str) -> bytes | None:
    """A brand's chart changes only with the catalog, and drawing one costs ~60 ms of CPU: keep the
    last few hundred (about 30 KB each)."""
    return flavor_chart_png(values, lang=lang, title=title)


def apology(lang: str | None) -> Rendered:
    return Rendered(content=t("turn.apology", lang or "en"))


class DiscordTransport:
    """core.transport.Transport for one Discord conversation. The gateway shows typing itself (a
    context manager that keeps it up while the turn runs), so `working` has nothing to add.

    `retry`: the send runs in a job, so Discord unreachable or rate limiting past discord.py's own
    retries is worth another try later; outside a job every failure is final.

    A reply may take two messages (components past five rows); a retry sends only the ones that did
    not go out, so the first is never posted twice."""

    def __init__(self, turns: "DiscordTurns", send: Send, *, retry: bool = False) -> None:
        self.turns = turns
        self._send = send
        self.retry = retry
        self._delivered: tuple[Reply, int] | None = None  # the last reply and how many of its messages went out

    async def working(self, lang: str) -> None:
        return None

    async def send(self, reply: Reply) -> None:
        try:
            messages = await self.turns.messages(reply)
        except Exception:  # a rendering bug: the user still hears from us
            log.exception("discord turn failed: the reply could not be rendered")
            messages = [apology(reply.lang)]
        try:
            done = self._delivered[1] if self._delivered is not None and self._delivered[0] is reply else 0
            for n in range(done, len(messages)):
                await self._send(messages[n], is_apology(reply))
                self._delivered = (reply, n + 1)
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            raise Undelivered(type(e).__name__, transient=self.retry) from None
        except discord.HTTPException as e:
            raise Undelivered(f"HTTP {e.status}", transient=self.retry and (e.status == 429 or e.status >= 500)) from None


class DiscordTurns:
    def __init__(self, sensei: Sensei, *, chart: ChartFn | None = draw_flavor_chart) -> None:
        self.pipeline = TurnPipeline(sensei)
        self.chart = chart

    async def run(self, message: Message, send: Send, *, retry: bool = False, adopt_unfinished: bool = False,
                  delivery_retry: float | None = None) -> Reply | None:
        """Answer `message` through `send`; None when the core already handled this event (a duplicate delivery)."""
        return await self.pipeline.run(message, DiscordTransport(self, send, retry=retry), adopt_unfinished=adopt_unfinished,
                                       delivery_retry=delivery_retry)

    async def rendered(self, reply: Reply) -> Rendered:
        """The reply's first message."""
        return (await self.messages(reply))[0]

    async def messages(self, reply: Reply) -> list[Rendered]:
        """Every message the reply takes (two when its components need more than five rows)."""
        return render_messages(reply, charts=await self.charts(reply))

    async def charts(self, reply: Reply) -> dict[int, bytes]:
        """Flavor charts of the cards that have one (a card without a chart gets none)."""
        chart = self.chart
        if chart is None:
            return {}
        wanted = [(c.brand_id, chart_values(c.flavor), c.name) for c in reply.cards if c.flavor is not None]
        if not wanted:
            return {}

        def draw() -> dict[int, bytes]:
            out: dict[int, bytes] = {}
            for brand_id, values, name in wanted:
                try:
                    png = chart(values, reply.lang, name)
                except Exception:  # a card without its picture beats no answer
                    log.exception("flavor chart failed", extra={"brand_id": brand_id})
                    continue
                if png:
                    out[brand_id] = png
            return out

        return await asyncio.to_thread(draw)
