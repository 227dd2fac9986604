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
