"""Fixed-window request counters shared by every process (when Redis is not configured)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime


class RateBucket(Base):
    __tablename__ = "rate_buckets"
    key: Mapped[str] = mapped_column(String(191), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
