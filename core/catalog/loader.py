"""Load the bundled catalog file into the database, idempotently, in one transaction."""

from __future__ import annotations

import gzip
from functools import lru_cache
import json
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import Database
from core.db.catalog_tables import Brand, BrandTag, Brewery, CatalogMeta, Prefecture, Product, Tag

BUNDLED = Path(__file__).resolve().parent / "data" / "catalog.json.gz"
BATCH = 500


@lru_cache(maxsize=2)
def read_bundled(path: Path = BUNDLED) -> dict[str, Any]:
    return json.loads(gzip.decompress(path.read_bytes()))


async def stored_version(session: AsyncSession) -> str | None:
    return await session.scalar(select(CatalogMeta.value).where(CatalogMeta.key == "version"))


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


async def _upsert(session: AsyncSession, table: Any, rows: list[dict[str, Any]], keys: list[str]) -> None:
    insert = _insert(session)
    for i in range(0, len(rows), BATCH):
        chunk = rows[i : i + BATCH]
        stmt = insert(table).values(chunk)
        update = {c: stmt.excluded[c] for c in chunk[0] if c not in keys}
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=update) if update else stmt.on_conflict_do_nothing()
        await session.execute(stmt)


async def load_catalog(db: Database, path: Path = BUNDLED, *, force: bool = False) -> dict[str, int | str | bool]:
    """Insert or refresh every catalog row; a second load of the same file changes nothing.

    Brands that disappear from a newer file are kept: tastings may point at them.
    """
    data = read_bundled(path)
    async with db.transaction() as s:
        if not force and await stored_version(s) == data["version"]:
            return {"version": data["version"], "changed": False, **await catalog_counts(s)}
        await _upsert(s, Prefecture, data["prefectures"], ["id"])
        await _upsert(
            s, Brewery,
            [{"id": b["id"], "name": b["name"], "prefecture_id": b["area_id"], "kana": b["kana"]} for b in data["breweries"]],
            ["id"],
        )
        await _upsert(s, Tag, data["tags"], ["id"])
        brand_rows = []
        for b in data["brands"]:
            chart = b["chart"] or [None] * 6
            brand_rows.append(
                {
                    "id": b["id"], "name": b["name"], "brewery_id": b["brewery_id"], "reading": b["reading"],
                    "romaji": b["romaji"], "aliases": b["aliases"],
                    **{f"f{i + 1}": chart[i] for i in range(6)},
                    "rank": b["rank"], "score": b["score"], "area_rank": b["area_rank"], "area_score": b["area_score"],
                }
            )
        await _upsert(s, Brand, brand_rows, ["id"])
        await s.execute(delete(BrandTag))
        tag_rows = [{"brand_id": b["id"], "tag_id": t, "position": i} for b in data["brands"] for i, t in enumerate(b["tags"])]
        for i in range(0, len(tag_rows), BATCH):
            await s.execute(BrandTag.__table__.insert(), tag_rows[i : i + BATCH])
        product_rows = [{"id": i + 1, **p} for i, p in enumerate(data["products"])]
        await _upsert(s, Product, product_rows, ["id"])
        await s.execute(delete(Product).where(Product.id > len(product_rows)))
        await _upsert(
            s, CatalogMeta,
            [{"key": "version", "value": data["version"]}, {"key": "source", "value": json.dumps(data["source"], ensure_ascii=False)}],
            ["key"],
        )
        return {"version": data["version"], "changed": True, **await catalog_counts(s)}


async def catalog_counts(session: AsyncSession) -> dict[str, int]:
    async def count(model: Any) -> int:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    return {
        "brands": await count(Brand),
        "flavor_charts": int(await session.scalar(select(func.count()).select_from(Brand).where(Brand.f1.is_not(None))) or 0),
        "breweries": await count(Brewery),
        "tags": await count(Tag),
        "brand_tags": await count(BrandTag),
        "products": await count(Product),
        "ranked": int(
            await session.scalar(select(func.count()).select_from(Brand).where(Brand.rank.is_not(None) | Brand.area_rank.is_not(None))) or 0
        ),
    }


async def ensure_catalog(db: Database) -> bool:
    """Load the bundled catalog when the database lacks it or holds an older one. Returns True when loaded."""
    async with db.session() as s:
        current = await stored_version(s)
    if current == read_bundled()["version"]:
        return False
    await load_catalog(db)
    return True
