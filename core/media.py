"""Pictures addressed by URL, for platforms that fetch images (LINE) and the web chat.

Two kinds of address:
- `flavor/<brand_id>-<lang>.png`: a catalog brand's flavor chart. Catalog data is public, so the
  address may be guessed; it is drawn on demand and cached in memory. One address per chart (no
  leading zeros), and anonymous requests cannot make the server draw without bound: at most
  `drawers` charts are drawn at once and `waiting` requests wait for a drawing; beyond that the
  request is refused (ChartsBusy: 503, come back later), and a chart asked for twice at once is
  drawn once.
- `<token>.png`: anything personal (a user's taste profile) or one-off (the rich menu image),
  stored in the database under a random 32-character token, so that one user's chart cannot
  be reached by guessing another's, and every server process can serve it.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from core.catalog.model import Catalog
from core.charts import flavor_chart_png
from core.db import Database, utcnow
from core.db.media_tables import MediaItem

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_FLAVOR = re.compile(r"^flavor/([1-9]\d{0,8})-(en|ja)$")  # canonical only: "0887" is not another chart


class ChartsBusy(Exception):
    """Too many charts are being drawn or waiting for it: ask again shortly."""


class MediaStore:
    def __init__(
        self, db: Database, catalog: Catalog, base_url: str, *, clock: Callable[[], datetime] = utcnow,
        keep: timedelta = timedelta(days=30), cache_size: int = 256, drawers: int = 1, waiting: int = 16,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.keep = keep
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = cache_size
        self._drawing = asyncio.Semaphore(drawers)
        self._waiting = waiting
        self._queued = 0  # requests holding or waiting for a drawer
        self._pending: dict[str, asyncio.Future[bytes | None]] = {}  # the drawings in progress, by address

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
            png = await self._draw(path, brand.chart, m.group(2), brand.name)
            return (png, "image/png") if png is not None else None
        if not _TOKEN.match(path):
            return None
        async with self.db.session() as s:
            item = await s.scalar(select(MediaItem).where(MediaItem.id == path))
        if item is None:
            return None
        return item.data, item.media_type

    async def _draw(self, path: str, chart: tuple[float, ...], lang: str, title: str) -> bytes | None:
        """Draw one chart within the bound; the same chart asked for meanwhile waits for this drawing."""
        if (pending := self._pending.get(path)) is not None:
            return await asyncio.shield(pending)
        if self._queued >= self._waiting:
            raise ChartsBusy(path)
        self._queued += 1
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._pending[path] = future
        try:
            async with self._drawing:
                # drawing takes ~0.1 s of CPU: off the event loop, so other requests are not held up
                png = await asyncio.to_thread(flavor_chart_png, chart, lang=lang, title=title)
            if png is not None:
                self._remember(path, png)
            future.set_result(png)
            return png
        except BaseException as e:
            future.set_exception(e)
            future.exception()  # retrieved: nobody else may be waiting
            raise
        finally:
            self._queued -= 1
            del self._pending[path]

    def _remember(self, path: str, data: bytes) -> None:
        self._cache[path] = data
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def prune(self) -> int:
        async with self.db.transaction() as s:
            result = await s.execute(delete(MediaItem).where(MediaItem.created_at < self.clock() - self.keep))
            return int(result.rowcount or 0)
