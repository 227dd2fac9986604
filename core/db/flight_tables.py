"""Flights (飲み比べ): a group tasting in one channel, its sakes, its members and their ratings.

A flight hangs off its workspace and a channel id inside it. `open_key` is "workspace:channel"
while the flight is open and NULL once it is closed: a unique column that both SQLite and
PostgreSQL read as "at most one open flight per channel" (NULLs never collide), so two people
starting a flight at the same moment cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class FlightRow(Base):
    __tablename__ = "flights"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("size >= 1 AND size <= 5", name="size"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(128))
    open_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    # Named starter_id, not user_id: forgetting the starter must not erase the other members' flight.
    starter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(8), default="open")
    size: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str | None] = mapped_column(String(128))
    lang: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_how: Mapped[str | None] = mapped_column(String(16))  # all_rated | ended | timeout


class FlightSakeRow(Base):
    __tablename__ = "flight_sakes"
    flight_id: Mapped[int] = mapped_column(ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True)
    brand_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no FK to brands, as for tastings
    position: Mapped[int] = mapped_column(Integer)  # tasting order, 0 first (light and cold to rich and warm)
    notice: Mapped[str] = mapped_column(String(64))  # a core.texts key: what to notice in this one
    notice_args: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class FlightMemberRow(Base):
    __tablename__ = "flight_members"
    flight_id: Mapped[int] = mapped_column(ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FlightRatingRow(Base):
    """One member's stars for one sake of the flight; `tasting_id` is the record it put in their log."""

    __tablename__ = "flight_ratings"
    __table_args__ = (CheckConstraint("stars >= 0.5 AND stars <= 5", name="stars"),)
    flight_id: Mapped[int] = mapped_column(ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    brand_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stars: Mapped[float] = mapped_column(Float)
    tasting_id: Mapped[int | None] = mapped_column(ForeignKey("tastings.id", ondelete="SET NULL"))
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FlightRevealRow(Base):
    """The reveal of a flight that closed itself, to be posted to its channel once.

    A row is written in the same transaction as the close, so a crash cannot lose it. Whoever posts
    it (the sweep of any process) or shows it in a reply first takes `claimed_until`: a second
    process skips a claimed row, and a claim left by a process that died runs out and is taken
    again. `outcome` says how it ended: posted | shown (in the reply that closed the flight) | given_up.
    """

    __tablename__ = "flight_reveals"
    __table_args__ = (Index("ix_flight_reveals_pending", "outcome", "due_at"),)
    flight_id: Mapped[int] = mapped_column(ForeignKey("flights.id", ondelete="CASCADE"), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the flight closed and the reveal became due
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(String(128))
