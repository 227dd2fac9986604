"""Restaurant workspaces: CSV import, picks from stock, menu edits and the cheat sheet, on SQLite.

Usage: python benchmarks/restaurant.py [--items 300] [--runs 200]

Each figure is printed beside a baseline measured in the same run:
- CSV import (N rows, Shift_JIS, with catalog matching, one transaction) vs. only decoding and
  splitting the same file (what matching and writing add);
- picks from stock (menu read + ranking among in-stock brands + reasons and pitches) vs. the
  recommender's own rank() over the whole catalog for the same taste (the in-memory floor);
- one menu edit through Menu.update (role check, item lookup, write) vs. a bare SELECT 1;
- the cheat sheet: card data for every item, the text rendering, and one PNG page.
Figures are p50 / p99 in milliseconds unless said otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from core.catalog import Catalog, CatalogSearch  # noqa: E402
from core.catalog.loader import load_catalog  # noqa: E402
from core.db import Database  # noqa: E402
from core.identity import Identity  # noqa: E402
from core.messages import StateKey  # noqa: E402
from core.preferences import Preferences  # noqa: E402
from core.profile import TasteProfiles  # noqa: E402
from core.recommender import RecRequest, Recommender  # noqa: E402
from core.restaurants.menu_csv import _reader, decode  # noqa: E402
from core.restaurants.services import RestaurantServices  # noqa: E402
from core.tasting import TastingLog  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def atimed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    for _ in range(min(5, runs)):
        await fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t) * 1000)
    return pct(out, 50), pct(out, 99)


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return pct(out, 50), pct(out, 99)


def menu_file(catalog: Catalog, n: int) -> bytes:
    """N rows of popular brands (unique names, so every row matches), Japanese headers, Shift_JIS as Excel writes."""
    seen: set[str] = set()
    brands = []
    for b in sorted(catalog.brands.values(), key=lambda b: (b.rank or 10_000, b.area_rank or 10_000, b.id)):
        if b.name in seen or not b.brewery:
            continue
        try:
            (b.name + b.brewery).encode("cp932")
        except UnicodeEncodeError:
            continue
        seen.add(b.name)
        brands.append(b)
        if len(brands) == n:
            break
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["銘柄", "蔵元", "特定名称", "グラス", "ボトル", "在庫"])
    for i, b in enumerate(brands):
        w.writerow([b.name, b.brewery, "", 600 + 10 * (i % 50), 4000 + 100 * (i % 30), i % 7])
    return out.getvalue().encode("cp932")


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{tmp}/bench.db")
        await db.upgrade()
        await load_catalog(db)
        catalog = await Catalog.from_db(db)
        search = CatalogSearch(catalog)
        tastings, prefs = TastingLog(db, catalog), Preferences(db)
        rec = Recommender(catalog, tastings, prefs, TasteProfiles(db, catalog, tastings, prefs))
        svc = RestaurantServices.build(db, search, rec)
        identity = Identity(db)
        owner = await identity.resolve(StateKey("bench", "W", "c", "owner"))
        await svc.restaurants.setup(owner, "Bench-ya")

        data = menu_file(catalog, args.items)
        print(f"catalog: {len(catalog)} brands; menu file: {args.items} rows, {len(data) / 1000:.1f} KB Shift_JIS")

        def parse_only() -> None:
            text_, _ = decode(data)
            rows = list(_reader(text_))
            assert len(rows) == args.items + 1

        base = timed(parse_only, 20)
        imports = []
        for _ in range(5):
            t = time.perf_counter()
            report = await svc.csv.import_csv(owner, data, replace=True)
            imports.append((time.perf_counter() - t) * 1000)
            assert report.applied and not report.problems, report.summary()[:500]
        print(f"CSV import, {args.items} rows:          p50 {pct(imports, 50):8.1f} ms   (baseline decode+split: {base[0]:.2f} ms)")
        print(f"  per row:                        {pct(imports, 50) / args.items:8.2f} ms")

        items = await svc.menu.items(owner)
        stocked = [i for i in items if i.available]
        print(f"menu: {len(items)} items, {len(stocked)} in stock")
        want = {"f1": 1.0, "f6": 1.0}
        floor = await atimed(
            lambda: asyncio.sleep(0, rec.rank(RecRequest(mode="flavor", want=want, limit=3), None, set(), "en")), args.runs
        )
        taste = await atimed(lambda: svc.picks.picks(owner, want=want, limit=3), args.runs)
        dish = await atimed(lambda: svc.picks.picks(owner, food="grilled mackerel", limit=3, lang="ja"), args.runs)
        print(f"picks, fruity and light:          p50 {taste[0]:8.2f}  p99 {taste[1]:8.2f}   (baseline rank() whole catalog: "
              f"{floor[0]:.2f} / {floor[1]:.2f})")
        print(f"picks, grilled mackerel (ja):     p50 {dish[0]:8.2f}  p99 {dish[1]:8.2f}")

        async def select1() -> None:
            async with db.session() as s:
                await s.execute(text("SELECT 1"))

        counter = {"n": 0}

        async def edit() -> None:
            counter["n"] += 1
            await svc.menu.update(owner, f"#{items[counter['n'] % len(items)].id}", stock=counter["n"] % 5)

        base_sql = await atimed(select1, args.runs)
        edits = await atimed(edit, args.runs)
        print(f"menu edit (stock of one item):    p50 {edits[0]:8.2f}  p99 {edits[1]:8.2f}   (baseline SELECT 1: {base_sql[0]:.2f} / "
              f"{base_sql[1]:.2f})")

        t = time.perf_counter()
        cards = await svc.sheet.cards(owner, lang="ja")
        cards_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        sheet_text = svc.sheet.render_text(cards, "ja")
        text_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        pages = svc.sheet.render_png(cards[:8], "ja")
        png_ms = (time.perf_counter() - t) * 1000
        charted = sum(c.has_chart for c in cards)
        print(f"cheat sheet: {len(cards)} cards ({charted} with a chart) in {cards_ms:.0f} ms; text {len(sheet_text) / 1000:.0f} KB in "
              f"{text_ms:.1f} ms; one PNG page of 8 in {png_ms:.0f} ms ({len(pages[0]) / 1000:.0f} KB)")
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
