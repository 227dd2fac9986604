"""Images the bot sends by URL (LINE, web chat): stored under unguessable ids, shared by all processes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class MediaItem(Base):
    __tablename__ = "media"
    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # secrets.token_urlsafe(24)
    kind: Mapped[str] = mapped_column(String(32))  # "profile", "flavor", "richmenu", "label" …
    media_type: Mapped[str] = mapped_column(String(32), default="image/png")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
