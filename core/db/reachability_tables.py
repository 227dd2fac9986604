"""Who must not be pushed to: people who blocked (unfollowed) the bot on a platform."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class PushBlock(Base):
    __tablename__ = "push_blocks"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(128), primary_key=True)  # the platform's user / chat id
    since: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
