"""One Discord turn: a core Message through Sensei into a rendered Discord reply.

Shared by the gateway bot and the HTTP interactions route. Failures become a short apology
(and a log line), never silence; flavor charts are drawn off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import lru_cache

from adapters.discord.render import Rendered, chart_values, render
from core.charts import flavor_chart_png
from core.i18n import detect_language
from core.messages import Message, Reply
from core.sensei import Sensei
from core.texts import t

log = logging.getLogger(__name__)

# (chart values f1..f6, lang, title) -> PNG bytes, or None when there is nothing real to draw.
ChartFn = Callable[[tuple[float, ...], str, str], "bytes | None"]


@lru_cache(maxsize=256)
def draw_flavor_chart(values: tuple[float, ...], lang: str, title: str) -> bytes | None:
    """A brand's chart changes only with the catalog, and drawing one costs ~60 ms of CPU: keep the
    last few hundred (about 30 KB each)."""
    return flavor_chart_png(values, lang=lang, title=title)


def apology(lang: str | None) -> Rendered:
    return Rendered(content=t("turn.apology", lang or "en"))


class DiscordTurns:
    def __init__(self, sensei: Sensei, *, chart: ChartFn | None = draw_flavor_chart) -> None:
        self.sensei = sensei
        self.chart = chart

    async def run(self, message: Message) -> Rendered | None:
        """The reply to send; None when the core already handled this event (a duplicate delivery)."""
        try:
            reply = await self.sensei.handle(message)
            if reply is None:
                return None
            return render(reply, charts=await self.charts(reply))
        except Exception:
            log.exception("discord turn failed", extra={"event_id": message.event_id})
            return apology(message.lang or detect_language(message.text))

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
