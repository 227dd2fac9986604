"""Conversation history: the agent's messages per user and channel, so follow-ups survive a restart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class ConversationRow(Base):
    """One row per (platform, workspace, channel, user): the user row fixes platform and workspace."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("user_id", "channel", name="uq_conversations_user_channel"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(128))
    messages: Mapped[list[Any]] = mapped_column(JSON)  # pydantic-ai ModelMessagesTypeAdapter JSON, trimmed
    tokens: Mapped[int] = mapped_column(Integer, default=0)  # estimated size of `messages`
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
