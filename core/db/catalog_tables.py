"""The sake catalog: Sakenowa prefectures, breweries, brands, tags, flavor charts, rankings; product specs."""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base


class Prefecture(Base):
    __tablename__ = "prefectures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # Sakenowa area id
    name: Mapped[str] = mapped_column(String(32))


class Brewery(Base):
    __tablename__ = "breweries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # Sakenowa brewery id
    name: Mapped[str] = mapped_column(String(128))
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("prefectures.id"), index=True)
    kana: Mapped[str | None] = mapped_column(String(128))


class Brand(Base):
    __tablename__ = "brands"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # Sakenowa brand id
    name: Mapped[str] = mapped_column(String(128), index=True)
    brewery_id: Mapped[int] = mapped_column(ForeignKey("breweries.id"), index=True)
    reading: Mapped[str] = mapped_column(String(256), default="")
    romaji: Mapped[str] = mapped_column(String(256), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Sakenowa flavor chart, all six or none: f1 華やか f2 芳醇 f3 重厚 f4 穏やか f5 ドライ f6 軽快.
    f1: Mapped[float | None] = mapped_column(Float)
    f2: Mapped[float | None] = mapped_column(Float)
    f3: Mapped[float | None] = mapped_column(Float)
    f4: Mapped[float | None] = mapped_column(Float)
    f5: Mapped[float | None] = mapped_column(Float)
    f6: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    area_rank: Mapped[int | None] = mapped_column(Integer)
    area_score: Mapped[float | None] = mapped_column(Float)


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # Sakenowa tag id
    tag: Mapped[str] = mapped_column(String(64))


class BrandTag(Base):
    __tablename__ = "brand_tags"
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # Sakenowa's published order (by relevance)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(256), default="")
    grade: Mapped[str | None] = mapped_column(String(32))  # 特定名称: 純米吟醸 …
    polishing: Mapped[float | None] = mapped_column(Float)  # 精米歩合 %
    abv: Mapped[float | None] = mapped_column(Float)
    smv: Mapped[float | None] = mapped_column(Float)  # 日本酒度
    acidity: Mapped[float | None] = mapped_column(Float)
    amino: Mapped[float | None] = mapped_column(Float)
    sweetness: Mapped[float | None] = mapped_column(Float)  # 甘辛度
    rice: Mapped[list[str]] = mapped_column(JSON, default=list)
    yeast: Mapped[list[str]] = mapped_column(JSON, default=list)


class CatalogMeta(Base):
    __tablename__ = "catalog_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
