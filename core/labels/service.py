"""One call for the agent's "label photo" tool: identify, check "sent before", build the reply, remember the photo."""

from __future__ import annotations

from core.labels.reader import LabelReader, LabelResult, VisionHook
from core.labels.reply import ChartRenderer, label_reply
from core.labels.seen import SeenPhotos
from core.messages import Reply


class LabelService:
    def __init__(self, reader: LabelReader, seen: SeenPhotos, *, chart: ChartRenderer | None = None) -> None:
        self.reader = reader
        self.seen = seen
        self.chart = chart  # e.g. lambda brand, lang: core.charts.flavor_chart_png(brand.chart, lang=lang, title=brand.name)

    async def identify_for(
        self, user_id: int, image: bytes, *, lang: str = "en", vision: VisionHook | None = None
    ) -> tuple[LabelResult, Reply]:
        """The result (for the agent's reasoning) and the reply to show. Never raises for a bad photo."""
        result = await self.reader.identify(image, vision=vision)
        earlier = await self.seen.find(user_id, result.phash) if result.phash else None
        earlier_brand = self.reader.catalog.get(earlier.brand_id) if earlier and earlier.brand_id else None
        reply = label_reply(result, lang=lang, seen=earlier, seen_brand=earlier_brand, chart=self.chart)
        if result.phash:
            await self.seen.remember(user_id, result.phash, result.candidates[0].brand.id if result.confident else None)
        return result, reply

    def close(self) -> None:
        self.reader.close()
