"""Pictures addressed by URL, for platforms that fetch images (LINE) and the web chat.

Two kinds of address:
- `flavor/<brand_id>-<lang>.png`: a catalog brand's flavor chart. Catalog data is public, so the
  address may be guessed; it is drawn on demand and cached in memory.
- `<token>.png`: anything personal (a user's taste profile) or one-off (the rich menu image),
  stored in the database under a random 32-character token, so that one user's chart cannot
  be reached by guessing another's, and every server process can serve it.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, select

from core.catalog.model import Catalog
from core.charts import flavor_chart_png
from core.db import Database, utcnow
from core.db.media_tables import MediaItem

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_FLAVOR = re.compile(r"^flavor/(\d{1,9})-(en|ja)$")


class MediaStore:
    def __init__(
        self, db: Database, catalog: Catalog, base_url: str, *, clock: Callable[[], datetime] = utcnow,
        keep: timedelta = timedelta(days=30), cache_size: int = 256,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.keep = keep
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = cache_size

    def url(self, path: str) -> str:
        return f"{self.base_url}/media/{path}.png"

    def flavor_url(self, brand_id: int, lang: str = "en") -> str | None:
        brand = self.catalog.get(brand_id)
        if brand is None or brand.chart is None:
            return None  # never a picture of a chart that does not exist
        return self.url(f"flavor/{brand_id}-{'ja' if lang == 'ja' else 'en'}")

    async def put(self, data: bytes, *, kind: str, user_id: int | None = None, media_type: str = "image/png") -> str:
        """Store an image; returns its public URL."""
        token = secrets.token_urlsafe(24)
        async with self.db.transaction() as s:
            s.add(MediaItem(id=token, kind=kind, media_type=media_type, data=data, user_id=user_id, created_at=self.clock()))
        return self.url(token)

    async def get(self, path: str) -> tuple[bytes, str] | None:
        """The image at /media/<path>.png, or None (also for anything malformed)."""
        if (hit := self._cache.get(path)) is not None:
            self._cache.move_to_end(path)
            return hit, "image/png"
        if m := _FLAVOR.match(path):
            brand = self.catalog.get(int(m.group(1)))
            if brand is None or brand.chart is None:
                return None
            # drawing takes ~0.1 s of CPU: off the event loop, so other requests are not held up
            png = await asyncio.to_thread(flavor_chart_png, brand.chart, lang=m.group(2), title=brand.name)
            if png is None:
                return None
            self._remember(path, png)
            return png, "image/png"
        if not _TOKEN.match(path):
            return None
        async with self.db.session() as s:
            item = await s.scalar(select(MediaItem).where(MediaItem.id == path))
        if item is None:
            return None
        return item.data, item.media_type

    def _remember(self, path: str, data: bytes) -> None:
        self._cache[path] = data
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def prune(self) -> int:
        async with self.db.transaction() as s:
            result = await s.execute(delete(MediaItem).where(MediaItem.created_at < self.clock() - self.keep))
            return int(result.rowcount or 0)
