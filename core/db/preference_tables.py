"""Taste survey answers, one row per user and question, so each tap is a small upsert."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class SurveyAnswerRow(Base):
    __tablename__ = "survey_answers"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    answer_id: Mapped[str] = mapped_column(String(32))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
