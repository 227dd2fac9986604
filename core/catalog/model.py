"""The catalog held in memory: read once from the database, shared read-only by every service."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from core.db import Database
from core.db.catalog_tables import Brand, BrandTag, Brewery, Prefecture, Product, Tag
from core.messages import Card
from core.texts import TEXTS

# Sakenowa flavor axes, in chart order: (axis id, Japanese name, English name), the names from the
# message catalog (core/describe_texts.py), so that charts, cards and descriptions name them alike.
FLAVOR_AXES: tuple[tuple[str, str, str], ...] = tuple(
    (axis, TEXTS[f"flavor.{axis}"][1], TEXTS[f"flavor.{axis}"][0]) for axis in ("f1", "f2", "f3", "f4", "f5", "f6")
)


@dataclass(frozen=True, slots=True)
class ProductInfo:
    name: str
    grade: str | None
    polishing: float | None
    abv: float | None
    smv: float | None
    acidity: float | None
    amino: float | None
    sweetness: float | None
    rice: tuple[str, ...]
    yeast: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BrandInfo:
    id: int
    name: str
    reading: str
    romaji: str
    aliases: tuple[str, ...]
    brewery_id: int
    brewery: str  # "" for Sakenowa's placeholder breweries: the prefecture is known, the brewery not
    brewery_kana: str | None
    prefecture_id: int
    prefecture: str
    chart: tuple[float, float, float, float, float, float] | None
    tags: tuple[str, ...]
    rank: int | None
    score: float | None
    area_rank: int | None
    area_score: float | None
    products: tuple[ProductInfo, ...] = field(default=())

    @property
    def flavor(self) -> dict[str, float] | None:
        if self.chart is None:
            return None
        return {axis: round(v, 2) for (axis, _, _), v in zip(FLAVOR_AXES, self.chart)}

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way the catalog writes this brand's name: 獺祭, だっさい, dassai and its aliases."""
        return (self.name, self.reading, self.romaji, *self.aliases)

    @property
    def grades(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.grade for p in self.products if p.grade))

    def label(self) -> str:
        """Name with what tells same-named brands apart: 高砂 (富士高砂酒造, 静岡県)."""
        where = ", ".join(x for x in (self.brewery, self.prefecture) if x)
        return f"{self.name} ({where})" if where else self.name

    def card(self, score: float | None = None, reason: str | None = None, certain: bool | None = None) -> Card:
        from core.knowledge.specs import card_specs  # the specs' words live with the knowledge base

        return Card(
            brand_id=self.id,
            name=self.name,
            name_romaji=self.romaji,
            brewery=self.brewery,
            prefecture=self.prefecture,
            flavor=self.flavor,
            tags=list(self.tags[:6]),
            score=round(score, 3) if score is not None else None,
            reason=reason,
            certain=self.chart is not None if certain is None else certain,
            specs=card_specs(self),
        )


class Catalog:
    def __init__(self, brands: list[BrandInfo], prefectures: dict[int, str], tags: dict[int, str], version: str) -> None:
        self.brands: dict[int, BrandInfo] = {b.id: b for b in brands}
        self.prefectures = prefectures
        self.tags = tags
        self.version = version

    def __len__(self) -> int:
        return len(self.brands)

    def get(self, brand_id: int) -> BrandInfo | None:
        return self.brands.get(brand_id)

    @classmethod
    async def from_db(cls, db: Database) -> "Catalog":
        from core.catalog.loader import stored_version

        # Plain rows, not ORM objects: this runs at every start and builds ~3,000 brands.
        async with db.session() as s:
            prefectures = {r.id: r.name for r in (await s.execute(select(Prefecture.id, Prefecture.name))).all()}
            breweries = {r.id: r for r in (await s.execute(select(Brewery.id, Brewery.name, Brewery.kana, Brewery.prefecture_id))).all()}
            tags = {r.id: r.tag for r in (await s.execute(select(Tag.id, Tag.tag))).all()}
            brand_tags: dict[int, list[str]] = {}
            for brand_id, tag_id in (
                await s.execute(select(BrandTag.brand_id, BrandTag.tag_id).order_by(BrandTag.brand_id, BrandTag.position))
            ).all():
                brand_tags.setdefault(brand_id, []).append(tags[tag_id])
            products: dict[int, list[ProductInfo]] = {}
            p = Product.__table__.c
            product_columns = (p.brand_id, p.name, p.grade, p.polishing, p.abv, p.smv, p.acidity, p.amino, p.sweetness, p.rice, p.yeast)
            for brand_id, name, grade, polishing, abv, smv, acidity, amino, sweetness, rice, yeast in (
                await s.execute(select(*product_columns).order_by(p.id))
            ).all():
                products.setdefault(brand_id, []).append(
                    ProductInfo(name, grade, polishing, abv, smv, acidity, amino, sweetness, tuple(rice or ()), tuple(yeast or ()))
                )
            brands = []
            for b in (await s.execute(select(Brand.__table__).order_by(Brand.id))).all():
                brewery = breweries[b.brewery_id]
                chart = (b.f1, b.f2, b.f3, b.f4, b.f5, b.f6) if b.f1 is not None else None
                brands.append(
                    BrandInfo(
                        id=b.id, name=b.name, reading=b.reading, romaji=b.romaji, aliases=tuple(b.aliases or ()),
                        brewery_id=b.brewery_id, brewery=brewery.name, brewery_kana=brewery.kana,
                        prefecture_id=brewery.prefecture_id, prefecture=prefectures.get(brewery.prefecture_id, ""),
                        chart=chart, tags=tuple(brand_tags.get(b.id, ())), rank=b.rank, score=b.score,
                        area_rank=b.area_rank, area_score=b.area_score, products=tuple(products.get(b.id, ())),
                    )
                )
            version = await stored_version(s) or ""
        return cls(brands, prefectures, tags, version)
