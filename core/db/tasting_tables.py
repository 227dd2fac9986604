"""Tastings: what a user drank, how they rated it, with what and where.

A tasting points at a catalog brand, or carries a free-text name (and usually a photo)
when the sake is not in the catalog. One index serves both the history page (newest
first) and the stats (one user's rows only), so neither grows with the table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class TastingRow(Base):
    __tablename__ = "tastings"
    __table_args__ = (
        CheckConstraint("brand_id IS NOT NULL OR free_text_name IS NOT NULL", name="named"),
        CheckConstraint("rating IS NULL OR (rating >= 0 AND rating <= 5)", name="rating_range"),
        # History page: WHERE user_id = ? ORDER BY tasted_on DESC, id DESC. The trailing columns
        # make it covering for the distinct sakes a user logged (stats, recommender exclusions).
        Index("ix_tastings_user_tasted", "user_id", "tasted_on", "id", "brand_id", "grade", "rating"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # No foreign key to brands: catalog refreshes keep old brands, and a tasting must survive anyway.
    brand_id: Mapped[int | None] = mapped_column(Integer)
    free_text_name: Mapped[str | None] = mapped_column(String(256))
    product_name: Mapped[str | None] = mapped_column(String(256))
    grade: Mapped[str | None] = mapped_column(String(32))
    rating: Mapped[float | None] = mapped_column(Float)  # 0..5 in half steps
    impression: Mapped[dict[str, float] | None] = mapped_column(JSON)  # the user's own f1..f6, 0..1
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    temperature: Mapped[str | None] = mapped_column(String(16))  # canonical: see core.tasting_input.TEMPERATURES
    food: Mapped[str | None] = mapped_column(String(256))
    place: Mapped[str | None] = mapped_column(String(256))
    tasted_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    photo_ref: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TastingRollupRow(Base):
    """Running totals per user and dimension, kept in the same transaction as every tasting write.

    Stats read these few rows instead of the user's whole history, so they cost about the same
    for a user with 10 tastings and one with 10,000. dim: all | pref | grade | month;
    key: "" | prefecture id | grade | "YYYY-MM".
    `TastingLog.rebuild_rollups` recomputes them from the tastings (after a catalog change).
    """

    __tablename__ = "tasting_rollups"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    dim: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(256), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    rated: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)
