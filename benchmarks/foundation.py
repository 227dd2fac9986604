"""Foundation figures: catalog load time, name lookups, and cold start of `sake-sensei ask`.

Usage: python benchmarks/foundation.py [--pg postgresql+asyncpg://postgres@127.0.0.1/postgres]

Each figure is printed beside a baseline measured in the same run:
- catalog load: beside a bare executemany insert of the same brand rows (no upsert, no tags);
- lookups: beside a plain dict lookup of the exact name (the floor for any index);
- cold start: beside `python -c "import sqlalchemy, aiohttp"` (the interpreter + library floor).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks import scratch_db  # noqa: E402
from benchmarks.scratch_db import pct  # noqa: E402
from core.catalog import Catalog, CatalogSearch  # noqa: E402
from core.catalog.loader import load_catalog, read_bundled  # noqa: E402
from core.db import Database  # noqa: E402


async def bench_load(kind: str, pg: str | None, tmp: Path) -> None:
    url, name = await scratch_db.create(pg if kind != "sqlite" else None, tmp)
    db = Database(url)
    await db.upgrade()
    data = read_bundled()
    # Baseline: the brand rows alone, inserted with one executemany into a scratch table.
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, name VARCHAR(128), brewery_id INTEGER)"))
    t = time.perf_counter()
    async with db.engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO scratch (id, name, brewery_id) VALUES (:id, :name, :brewery_id)"),
            [{"id": b["id"], "name": b["name"], "brewery_id": b["brewery_id"]} for b in data["brands"]],
        )
    baseline = time.perf_counter() - t
    t = time.perf_counter()
    first = await load_catalog(db)
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    await load_catalog(db)
    second_s = time.perf_counter() - t
    t = time.perf_counter()
    await load_catalog(db, force=True)
    forced_s = time.perf_counter() - t
    t = time.perf_counter()
    await Catalog.from_db(db)
    read_s = time.perf_counter() - t
    await db.dispose()
    if name:
        await scratch_db.drop(pg, name)  # type: ignore[arg-type]
    print(
        f"catalog load [{kind}]: first {first_s * 1000:.0f} ms ({first['brands']} brands, {first['brand_tags']} tag links, "
        f"{first['products']} products); unchanged reload {second_s * 1000:.1f} ms; forced refresh {forced_s * 1000:.0f} ms; "
        f"read into memory {read_s * 1000:.0f} ms; baseline bare insert of brand rows {baseline * 1000:.0f} ms "
        f"(full load = {first_s / baseline:.1f}x baseline)"
    )


async def bench_lookups(tmp: Path) -> None:
    url, _ = await scratch_db.create(None, tmp)
    db = Database(url)
    await db.upgrade()
    await load_catalog(db)
    catalog = await Catalog.from_db(db)
    await db.dispose()
    t = time.perf_counter()
    search = CatalogSearch(catalog)
    index_s = time.perf_counter() - t
    rng = random.Random(7)
    brands = list(catalog.brands.values())
    queries: list[str] = []
    for i in range(1000):
        b = rng.choice(brands)
        kind = i % 5
        if kind == 0:
            q = b.name
        elif kind == 1:
            q = b.romaji or b.name
        elif kind == 2 and len(b.romaji) > 4:  # a typo: one letter dropped
            j = rng.randrange(1, len(b.romaji) - 1)
            q = b.romaji[:j] + b.romaji[j + 1 :]
        elif kind == 3:
            q = b.reading or b.name
        else:
            q = f"tell me about {b.name}"
        queries.append(q)
    exact = {b.name: b for b in brands}
    base = []
    for q in queries:
        t = time.perf_counter_ns()
        exact.get(q)
        base.append((time.perf_counter_ns() - t) / 1e6)
    times = []
    hits = 0
    for i, q in enumerate(queries):
        t = time.perf_counter_ns()
        found = search.find_in_text(q) if q.startswith("tell me") else search.search(q, limit=5)
        times.append((time.perf_counter_ns() - t) / 1e6)
        hits += bool(found)
    print(
        f"lookups: 1000 mixed (kanji, romaji, typo, kana, sentence): p50 {statistics.median(times):.3f} ms, "
        f"p99 {pct(times, 99):.3f} ms, max {max(times):.3f} ms (target p99 < 2 ms); answered {hits}/1000; "
        f"index build {index_s * 1000:.0f} ms; baseline dict lookup p99 {pct(base, 99) * 1000:.1f} µs"
    )


def bench_cold_start(tmp: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp / 'cold.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "bot", "ask", "hi"], env=env, capture_output=True, check=True)  # first start loads the catalog

    def timed(args: list[str]) -> float:
        t = time.perf_counter()
        subprocess.run(args, env=env, capture_output=True, check=True)
        return time.perf_counter() - t

    runs = [timed([sys.executable, "-m", "bot", "ask", "tell me about 獺祭"]) for _ in range(5)]
    base = [timed([sys.executable, "-c", "import sqlalchemy.ext.asyncio, aiohttp"]) for _ in range(5)]
    fresh_url_ = f"sqlite+aiosqlite:///{tmp / 'first.db'}"
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "tell me about 獺祭"], env={**env, "DATABASE_URL": fresh_url_}, capture_output=True, check=True
    )
    first = time.perf_counter() - t
    print(
        f"cold start `sake-sensei ask` to first reply: median {statistics.median(runs):.2f} s, max {max(runs):.2f} s "
        f"(target < 1.5 s); very first start incl. migrations + catalog load {first:.2f} s; "
        f"baseline interpreter + imports {statistics.median(base):.2f} s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        await bench_load("sqlite", None, tmp)
        if not args.no_pg:
            await bench_load("postgresql", args.pg, tmp)
        await bench_lookups(tmp)
        await asyncio.to_thread(bench_cold_start, tmp)


if __name__ == "__main__":
    asyncio.run(main())
