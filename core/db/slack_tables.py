"""Slack workspaces that installed the app (bolt's installation store, bot tokens only), the
OAuth `state` values of install flows in progress, and the threads the bot takes part in.

Enterprise and team ids are "" rather than NULL when absent, so the unique constraints hold
on every backend (NULLs never collide in a UNIQUE index).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class SlackInstallation(Base):
    __tablename__ = "slack_installations"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id", name="uq_slack_installations_enterprise_team"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    team_id: Mapped[str] = mapped_column(String(32), default="")
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    app_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(256))
    bot_token: Mapped[str] = mapped_column(Text)
    bot_id: Mapped[str] = mapped_column(String(32))
    bot_user_id: Mapped[str] = mapped_column(String(32))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    bot_refresh_token: Mapped[str | None] = mapped_column(Text)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # the rest of bolt's Installation, for completeness
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SlackOAuthState(Base):
    __tablename__ = "slack_oauth_states"
    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class SlackThread(Base):
    """A channel thread where someone mentioned the bot: later replies there continue the conversation."""

    __tablename__ = "slack_threads"
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
