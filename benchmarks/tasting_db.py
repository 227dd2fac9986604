"""Tasting log at scale: 1,000,000 tastings, then one user's history page and stats, SQLite and PostgreSQL.

Usage: python benchmarks/tasting_db.py [--rows 1000000] [--users 10000] [--backends sqlite,postgresql]
                                       [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Schema from the real migrations. Bulk load: SQLite executemany in one transaction, PostgreSQL
COPY; the history index is dropped for the load and rebuilt after (the usual bulk-load order),
then ANALYZE, then the per-user running totals that stats read are built in the database
(TastingLog.rebuild_rollups; normal writes keep them up to date in their own transaction).
Users: one heavy user with 5,000 tastings, the rest share the remainder (about 100 each).
Queries go through the real service (TastingLog.page / .stats), so the figures include
SQLAlchemy and the async driver. Baselines in the same run:
- floor: `SELECT 1` through the same engine (what any query costs at least);
- without the index: the same page and stats with the index dropped (a few runs only).
Wall-clock p50 / p99, and the p99 of this process's CPU time per call: on a shared machine the
wall p99 mostly measures waiting for a core (the floor's p99 shows how much). With SQLite the
query runs in this process (aiosqlite's thread), so its CPU time is the whole cost; with
PostgreSQL it is the client side only.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks import scratch_db  # noqa: E402
from benchmarks.scratch_db import pct  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.catalog.loader import load_catalog  # noqa: E402
from core.db import Database  # noqa: E402
from core.identity import Principal  # noqa: E402
from core.messages import StateKey  # noqa: E402
from core.db.tasting_tables import TastingRow  # noqa: E402
from core.tasting import TastingLog  # noqa: E402

HEAVY = 5000
COLUMNS = ("user_id", "brand_id", "free_text_name", "product_name", "grade", "rating", "impression", "tags", "temperature",
           "food", "place", "tasted_on", "notes", "photo_ref", "created_at", "updated_at")
HISTORY_INDEX = next(i for i in TastingRow.__table__.indexes if i.name == "ix_tastings_user_tasted")
GRADES = ["純米吟醸", "純米", "純米大吟醸", "特別純米", "大吟醸", "本醸造", None, None, None]
TEMPS = ["chilled", "room", "warm", "hot", None, None]


def rows(n: int, users: int, brand_ids: list[int], seed: int = 1) -> list[tuple]:
    rng = np.random.default_rng(seed)
    owner = np.concatenate([np.ones(HEAVY, dtype=np.int64), rng.integers(2, users + 1, size=n - HEAVY)])
    brands = rng.choice(brand_ids, size=n)
    free = rng.random(n) < 0.05
    rating = np.where(rng.random(n) < 0.9, rng.integers(0, 11, size=n) / 2, np.nan)
    days = rng.integers(0, 3 * 365, size=n)
    start = date(2024, 1, 1)
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    out = []
    grades = [GRADES[i] for i in rng.integers(0, len(GRADES), size=n)]
    temps = [TEMPS[i] for i in rng.integers(0, len(TEMPS), size=n)]
    for i in range(n):
        d = start + timedelta(days=int(days[i]))
        ts = base + timedelta(days=int(days[i]), seconds=i % 86400)
        out.append((
            int(owner[i]), None if free[i] else int(brands[i]), f"mystery {i % 997}" if free[i] else None, None, grades[i],
            None if np.isnan(rating[i]) else float(rating[i]), None, "[]", temps[i], "刺身" if i % 7 == 0 else None, None, d,
            None, None, ts, ts,
        ))
    return out


async def bulk_load(db: Database, data: list[tuple], users: int) -> dict[str, float]:
    times: dict[str, float] = {}
    async with db.engine.begin() as conn:
        await conn.execute(text("INSERT INTO workspaces (id, platform, external_id, created_at) VALUES (1, 'local', 'bench', :t)"),
                           {"t": datetime.now(timezone.utc)})
        await conn.execute(
            text("INSERT INTO users (id, platform, workspace_id, external_id, created_at) VALUES (:id, 'local', 1, :ext, :t)"),
            [{"id": i, "ext": f"u{i}", "t": datetime.now(timezone.utc)} for i in range(1, users + 1)],
        )
        await conn.run_sync(HISTORY_INDEX.drop)
    t = time.perf_counter()
    if db.dialect == "sqlite":
        sql = f"INSERT INTO tastings ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        iso = [(*r[:11], r[11].isoformat(), *r[12:14], r[14].strftime("%Y-%m-%d %H:%M:%S.%f"), r[15].strftime("%Y-%m-%d %H:%M:%S.%f"))
               for r in data]
        async with db.engine.begin() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.executemany(sql, iso)  # aiosqlite: one executemany, one transaction
    else:
        async with db.engine.begin() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.copy_records_to_table("tastings", records=data, columns=list(COLUMNS))
    times["insert"] = time.perf_counter() - t
    t = time.perf_counter()
    async with db.engine.begin() as conn:
        await conn.run_sync(HISTORY_INDEX.create)  # the same definition as the migration
    times["index"] = time.perf_counter() - t
    t = time.perf_counter()
    if db.dialect == "sqlite":
        async with db.engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    else:
        async with db.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.execute("VACUUM ANALYZE tastings")
    times["analyze"] = time.perf_counter() - t
    return times


async def measure(fn, runs: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    wall, cpu = [], []
    for _ in range(runs):
        c, t = time.process_time(), time.perf_counter()
        await fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return pct(wall, 50), pct(wall, 99), pct(cpu, 99)


async def run(kind: str, args: argparse.Namespace, catalog: Catalog, data: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, pg_name = await scratch_db.create(args.pg if kind != "sqlite" else None, Path(tmp), "ss_bench_tasting")
        db = Database(url)
        try:
            await db.upgrade()
            await load_catalog(db)  # stats by prefecture go through the catalog tables
            times = await bulk_load(db, data, args.users)
            log = TastingLog(db, catalog)
            t = time.perf_counter()
            await log.rebuild_rollups()  # the running totals stats read, built in the database
            times["rollups"] = time.perf_counter() - t
            who = lambda uid: Principal(uid, 1, StateKey("local", "bench", "c", f"u{uid}"))  # noqa: E731
            rng = random.Random(5)
            typical = [who(rng.randint(2, args.users)) for _ in range(args.runs)]
            heavy = who(1)
            print(f"\n{kind}: {len(data):,} tastings, {args.users:,} users; load: insert {times['insert']:.1f} s "
                  f"({len(data) / times['insert']:,.0f} rows/s), index {times['index']:.1f} s, analyze {times['analyze']:.1f} s, "
                  f"stats rollups {times['rollups']:.1f} s")
            print(f"  (a typical user has about {args.rows // args.users} tastings; the heavy user {HEAVY:,}; page size 10)")

            async def select1() -> None:
                async with db.session() as s:
                    await s.execute(text("SELECT 1"))

            for _ in range(20):  # warm the pool and caches
                await select1()
                await log.page(typical[_ % len(typical)])
            it = iter(range(10**9))

            def cycle(fn):  # type: ignore[no-untyped-def]
                return lambda: fn(typical[next(it) % len(typical)])

            figures = [
                ("floor: SELECT 1 through the same engine", await measure(select1, args.runs)),
                ("page 1, typical user", await measure(cycle(lambda p: log.page(p, 1)), args.runs)),
                ("page 3, typical user", await measure(cycle(lambda p: log.page(p, 3)), args.runs)),
                ("stats, typical user", await measure(cycle(log.stats), args.runs)),
                ("page 1, heavy user", await measure(lambda: log.page(heavy, 1), args.runs)),
                ("page 50, heavy user", await measure(lambda: log.page(heavy, 50), args.runs)),
                (f"stats, heavy user ({HEAVY:,} tastings)", await measure(lambda: log.stats(heavy), args.runs)),
            ]
            async with db.engine.begin() as conn:
                await conn.run_sync(HISTORY_INDEX.drop)
            if kind == "sqlite":
                async with db.engine.begin() as conn:
                    await conn.execute(text("ANALYZE"))
            few = max(5, args.runs // 50)
            figures += [
                ("baseline without the index: page 1, typical user", await measure(cycle(lambda p: log.page(p, 1)), few)),
                ("baseline without the index: stats, typical user", await measure(cycle(log.stats), few)),
            ]
            for label, (p50, p99, cpu) in figures:
                print(f"  {label:<52} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   cpu p99 {cpu:7.2f} ms")
        finally:
            await db.dispose()
            if pg_name:
                await scratch_db.drop(args.pg, pg_name)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cat_db = Database(f"sqlite+aiosqlite:///{tmp}/catalog.db")
        await cat_db.upgrade()
        await load_catalog(cat_db)
        catalog = await Catalog.from_db(cat_db)
        await cat_db.dispose()
    t = time.perf_counter()
    data = rows(args.rows, args.users, sorted(catalog.brands))
    print(f"generated {len(data):,} tasting rows in {time.perf_counter() - t:.1f} s")
    for kind in args.backends.split(","):
        await run(kind.strip(), args, catalog, data)


if __name__ == "__main__":
    asyncio.run(main())
