"""Label photos a user has sent: their perceptual hash, so the same bottle photo is not logged twice by accident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class LabelPhoto(Base):
    __tablename__ = "label_photos"
    __table_args__ = (Index("ix_label_photos_user_seen", "user_id", "seen_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phash: Mapped[str] = mapped_column(String(16))  # 64-bit DCT pHash, hex
    brand_id: Mapped[int | None] = mapped_column(Integer)  # the brand it was identified as (Sakenowa id), if any
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
