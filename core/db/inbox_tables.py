"""The inbox: every platform delivery id seen, so that retries and duplicates take effect once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class InboxEvent(Base):
    __tablename__ = "inbox"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(191), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="received")  # received | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The turn's reply (core.messages.Reply as JSON) from when the turn is done until the platform
    # accepted it: a job retried in between sends this instead of running the turn again.
    reply: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the platform accepted the reply
