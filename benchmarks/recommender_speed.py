"""Recommender speed: top-10 for one user, in-process, on the real catalog and a 300,000-brand one.

Usage: python benchmarks/recommender_speed.py [--runs 2000] [--big 300000]

Printed beside baselines measured in the same run:
- plain numpy over the same matrix: sum((X - t)²) in float64 + argpartition (no masks, no
  diversity, no reasons): what a straightforward vectorised version costs;
- a naive per-brand Python loop doing the same scoring (what vectorising saves).
Figures: wall-clock p50 / p99 in milliseconds, and the p99 of the process CPU time per call
(on a shared machine the wall p99 mostly measures waiting for a core; CPU time does not, and
the plain-numpy line's wall p99 shows how much waiting there was). "recommend()" includes the database
reads (the user's ratings, survey and logged sakes from SQLite); "rank()" is the vectorised
part alone. process_time has the resolution of the OS clock (about 1 µs on Linux).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.catalog import BrandInfo, Catalog  # noqa: E402
from core.catalog.loader import load_catalog  # noqa: E402
from core.db import Database  # noqa: E402
from core.flavor_space import FlavorSpace  # noqa: E402
from core.identity import Identity  # noqa: E402
from core.messages import StateKey  # noqa: E402
from core.pairing import Pairing  # noqa: E402
from core.preferences import Preferences  # noqa: E402
from core.profile import TasteProfiles  # noqa: E402
from core.recommender import RecRequest, Recommender  # noqa: E402
from core.tasting import TastingLog  # noqa: E402
from core.tasting_input import TastingInput  # noqa: E402
from core.tasting_records import Rated  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, runs: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    for _ in range(min(20, runs)):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        c, t = time.process_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return pct(wall, 50), pct(wall, 99), pct(cpu, 99)


async def atimed(fn, runs: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    for _ in range(min(20, runs)):
        await fn()
    wall, cpu = [], []
    for _ in range(runs):
        c, t = time.process_time(), time.perf_counter()
        await fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return pct(wall, 50), pct(wall, 99), pct(cpu, 99)


def line(label: str, figures: tuple[float, float, float]) -> None:
    print(f"  {label:<50} p50 {figures[0]:7.2f} ms   p99 {figures[1]:7.2f} ms   cpu p99 {figures[2]:7.2f} ms")


def synthetic(catalog: Catalog, n: int, seed: int = 1) -> Catalog:
    """n brands shaped like the real ones: 43% charted (real charts plus noise), real tag mix, some ranked."""
    rng = np.random.default_rng(seed)
    real = list(catalog.brands.values())
    charts = np.array([b.chart for b in real if b.chart is not None])
    tag_lists = [b.tags for b in real if b.tags]
    brands = []
    for i in range(n):
        charted = rng.random() < 0.43
        chart = tuple(float(x) for x in np.clip(charts[rng.integers(len(charts))] + rng.normal(0, 0.04, 6), 0, 1)) if charted else None
        tags = tag_lists[rng.integers(len(tag_lists))] if (charted or rng.random() < 0.45) else ()
        rank = int(rng.integers(1, 101)) if rng.random() < 0.002 else None
        area_rank = int(rng.integers(1, 30)) if rng.random() < 0.3 else None
        brands.append(
            BrandInfo(
                id=i + 1, name=f"銘柄{i}", reading="", romaji=f"brand{i}", aliases=(), brewery_id=i // 2 + 1, brewery=f"蔵{i // 2}",
                brewery_kana=None, prefecture_id=int(rng.integers(1, 48)), prefecture="", chart=chart, tags=tuple(tags), rank=rank,
                score=None, area_rank=area_rank, area_score=None,
            )
        )
    return Catalog(brands, catalog.prefectures, catalog.tags, "synthetic")


def naive(space: FlavorSpace, z: np.ndarray, seen: set[int]) -> list[int]:
    scored = []
    for i, b in enumerate(space.brands):
        if b.id in seen or not space.placed[i]:
            continue
        d = sum((float(space.position[i, k]) - float(z[k])) ** 2 for k in range(6)) / 6
        scored.append((-d + float(space.popularity[i]), b.id))
    scored.sort(reverse=True)
    return [b for _, b in scored[:10]]


def floor(space: FlavorSpace, z: np.ndarray) -> np.ndarray:
    s = -((space.position - z) ** 2).sum(axis=1)
    return np.argpartition(-s, 10)[:10]


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--big", type=int, default=300_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{tmp}/speed.db")
        await db.upgrade()
        await load_catalog(db)
        catalog = await Catalog.from_db(db)
        t = time.perf_counter()
        space = FlavorSpace.of(catalog)
        build_ms = (time.perf_counter() - t) * 1000
        log = TastingLog(db, catalog)
        prefs = Preferences(db)
        profiles = TasteProfiles(db, catalog, log, prefs)
        rec = Recommender(catalog, log, prefs, profiles, Pairing(catalog), space)
        me = await Identity(db).resolve(StateKey("local", "bench", "c", "u"))
        rng = np.random.default_rng(3)
        charted_ids = [int(space.ids[i]) for i in np.flatnonzero(space.charted)]
        for bid in rng.choice(charted_ids, size=10, replace=False):
            await log.add(me, TastingInput(brand_id=int(bid), rating=float(rng.integers(2, 11)) / 2))
        await prefs.answer(me, "sweetness", "dry")
        vector = await profiles.vector(me)
        assert vector is not None
        seen = await log.logged_brand_ids(me)
        print(f"real catalog: {len(space.brands)} brands, FlavorSpace built once in {build_ms:.0f} ms")
        line("plain numpy: sum((X - t)²) + argpartition", timed(lambda: floor(space, vector.z), args.runs))
        line("naive per-brand Python loop (same scoring)", timed(lambda: naive(space, vector.z, seen), max(50, args.runs // 20)))
        line("rank(for_me, top 10)  [vectorised part]", timed(lambda: rec.rank(RecRequest(limit=10), vector, seen), args.runs))
        line("recommend(for_me, top 10)  [with SQLite reads]", await atimed(lambda: rec.recommend(me, RecRequest(limit=10)), args.runs))
        line(
            "recommend(similar to 獺祭, top 10)",
            await atimed(lambda: rec.recommend(me, RecRequest(mode="similar", brand_id=887, limit=10)), args.runs // 2),
        )
        line(
            "recommend(food: サバの塩焼き, top 10)",
            await atimed(lambda: rec.recommend(me, RecRequest(mode="food", food="サバの塩焼き", limit=10)), args.runs // 2),
        )
        await db.dispose()

    t = time.perf_counter()
    big = synthetic(catalog, args.big)
    gen_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    big_space = FlavorSpace(sorted(big.brands.values(), key=lambda b: b.id), sorted(set(catalog.tags.values())))
    big_build = (time.perf_counter() - t) * 1000
    big_profiles = TasteProfiles(None, big, None, None)  # type: ignore[arg-type]
    big_profiles.space = big_space
    big_rec = Recommender(big, None, None, big_profiles, Pairing(big), big_space)  # type: ignore[arg-type]
    charted_big = [int(big_space.ids[i]) for i in np.flatnonzero(big_space.charted)]
    picks = rng.choice(charted_big, size=10, replace=False)
    rated = [Rated(k, int(b), float(rng.integers(2, 11)) / 2, None, None) for k, b in enumerate(picks)]  # type: ignore[arg-type]
    big_vector = big_profiles.learn(rated, None)
    assert big_vector is not None
    big_seen = {int(b) for b in picks}
    runs = max(100, args.runs // 10)
    print(f"\nsynthetic catalog: {len(big_space.brands):,} brands ({int(big_space.charted.sum()):,} charted); "
          f"generated in {gen_ms:.0f} ms, FlavorSpace built once in {big_build:.0f} ms")
    line("plain numpy: sum((X - t)²) + argpartition", timed(lambda: floor(big_space, big_vector.z), runs))
    line("naive per-brand Python loop (same scoring)", timed(lambda: naive(big_space, big_vector.z, big_seen), 5))
    line("rank(for_me, top 10)", timed(lambda: big_rec.rank(RecRequest(limit=10), big_vector, big_seen), runs))
    line(
        "rank(similar, top 10)",
        timed(lambda: big_rec.rank(RecRequest(mode="similar", brand_id=charted_big[0], limit=10), big_vector, big_seen), runs),
    )
    line(
        "rank(food: tempura, top 10)",
        timed(lambda: big_rec.rank(RecRequest(mode="food", food="tempura", limit=10), big_vector, big_seen), runs),
    )
    line(
        "rank(flavor: dry + tag 辛口, top 10)",
        timed(lambda: big_rec.rank(RecRequest(mode="flavor", want={"f5": 1}, tags=["辛口"], limit=10), big_vector, big_seen), runs),
    )


if __name__ == "__main__":
    asyncio.run(main())
