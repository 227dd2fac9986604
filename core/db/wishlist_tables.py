"""Wishlist: catalog sakes a user wants to try; logging one takes it off the list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class WishlistRow(Base):
    __tablename__ = "wishlist"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    brand_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str | None] = mapped_column(String(256))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
