import io

from PIL import Image

from core.catalog import Catalog
from core.charts import flavor_chart_png
from core.db import Database
from core.media import MediaStore


def test_flavor_chart_is_a_png_and_never_invented() -> None:
    png = flavor_chart_png((0.5, 0.4, 0.3, 0.4, 0.3, 0.5), overlay=(0.3,) * 6, lang="ja", title="獺祭", legend=("獺祭", "あなた"))
    assert png is not None
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size == (480, 480)
    assert flavor_chart_png(None) is None
    assert flavor_chart_png((0.1, 0.2)) is None


async def test_stored_media_are_unguessable_and_shared(db: Database, catalog: Catalog) -> None:
    store = MediaStore(db, catalog, "https://bot.example")
    url = await store.put(b"\x89PNG fake", kind="profile")
    token = url.rsplit("/", 1)[1].removesuffix(".png")
    assert url.startswith("https://bot.example/media/") and len(token) == 32
    other = MediaStore(db, catalog, "https://bot.example")  # another process
    assert await other.get(token) == (b"\x89PNG fake", "image/png")
    assert await other.get(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert await other.get("../etc/passwd") is None


async def test_flavor_urls_only_for_brands_with_charts(db: Database, catalog: Catalog) -> None:
    store = MediaStore(db, catalog, "http://localhost:8080")
    assert store.flavor_url(887) == "http://localhost:8080/media/flavor/887-en.png"
    no_chart = next(b for b in catalog.brands.values() if b.chart is None)
    assert store.flavor_url(no_chart.id) is None
    assert await store.get(f"flavor/{no_chart.id}-en") is None
    png, media_type = await store.get("flavor/887-ja")
    assert media_type == "image/png" and png.startswith(b"\x89PNG")
    assert await store.get("flavor/99999999-en") is None


# ---- one URL per chart, drawn within a bound (issue #21) ----------------------------------------------

import asyncio
import threading
import time

import pytest

from core.media import ChartsBusy


@pytest.mark.parametrize("path", ["flavor/0887-ja", "flavor/0000887-ja", "flavor/00887-en", "flavor/887-JA", "flavor/+887-en",
                                  "flavor/887-ja ", "flavor/887.0-en", "flavor/0-en"])
async def test_only_the_canonical_chart_url_is_served(db: Database, catalog: Catalog, path: str) -> None:
    """Old code: zero-padded ids were drawn again under new cache keys (2,710 drawable URLs)."""
    store = MediaStore(db, catalog, "http://localhost:8080")
    assert await store.get(path) is None
    assert await store.get("flavor/887-ja") is not None


async def test_charts_are_drawn_one_at_a_time_and_a_flood_is_refused(db: Database, catalog: Catalog,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """However many anonymous GETs arrive, the server draws at most `drawers` charts at once and keeps
    at most `waiting` requests queued for a drawing; the rest are told to come back (ChartsBusy)."""
    import core.media

    running, peak, lock = [0], [0], threading.Lock()

    def slow_chart(*args: object, **kwargs: object) -> bytes:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return b"\x89PNG drawn"

    monkeypatch.setattr(core.media, "flavor_chart_png", slow_chart)
    store = MediaStore(db, catalog, "http://localhost:8080", drawers=1, waiting=4)
    ids = [b.id for b in catalog.brands.values() if b.chart is not None][:40]
    results = await asyncio.gather(*(store.get(f"flavor/{i}-en") for i in ids), return_exceptions=True)
    drawn = [r for r in results if isinstance(r, tuple)]
    busy = [r for r in results if isinstance(r, ChartsBusy)]
    assert peak[0] == 1
    assert len(drawn) + len(busy) == len(ids) and 1 <= len(drawn) <= 5 and busy
    assert await store.get(f"flavor/{ids[0]}-en") == (b"\x89PNG drawn", "image/png")  # cached: no drawing, never busy


async def test_the_same_chart_asked_at_once_is_drawn_once(db: Database, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.media

    calls = []
    monkeypatch.setattr(core.media, "flavor_chart_png", lambda *a, **k: calls.append(1) or b"\x89PNG")
    store = MediaStore(db, catalog, "http://localhost:8080")
    await asyncio.gather(*(store.get("flavor/887-en") for _ in range(10)))
    assert len(calls) == 1
