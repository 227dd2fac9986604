"""What the bot keeps per Slack workspace: the installation (bot token) from the OAuth flow,
the one-time `state` values of install flows in progress, and the threads it was called into.

Platform data without the platform SDK: the Slack adapter turns these rows into bolt's
`Bot`/`Installation` objects. Everything lives in the database, so several server processes
and restarts see the same installations, states and threads.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.db import Database, utcnow
from core.db.slack_tables import SlackInstallation, SlackOAuthState, SlackThread


@dataclass(frozen=True, slots=True)
class InstalledBot:
    team_id: str | None
    enterprise_id: str | None
    bot_token: str
    bot_id: str
    bot_user_id: str
    is_enterprise_install: bool = False
    app_id: str | None = None
    team_name: str | None = None
    bot_scopes: str = ""
    bot_refresh_token: str | None = None
    bot_token_expires_at: datetime | None = None
    installer_user_id: str | None = None
    installed_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # the token never reaches a log line through a repr
        return f"InstalledBot(team_id={self.team_id!r}, enterprise_id={self.enterprise_id!r}, bot_user_id={self.bot_user_id!r})"


def _row_to_bot(row: SlackInstallation) -> InstalledBot:
    return InstalledBot(
        team_id=row.team_id or None, enterprise_id=row.enterprise_id or None, bot_token=row.bot_token, bot_id=row.bot_id,
        bot_user_id=row.bot_user_id, is_enterprise_install=row.is_enterprise_install, app_id=row.app_id, team_name=row.team_name,
        bot_scopes=row.bot_scopes, bot_refresh_token=row.bot_refresh_token, bot_token_expires_at=row.bot_token_expires_at,
        installer_user_id=row.installer_user_id, installed_at=row.installed_at, extra=dict(row.extra or {}),
    )


class SlackWorkspaces:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # ---- installations ----

    async def save(self, bot: InstalledBot) -> None:
        """Insert or replace the installation of this workspace (or org, for an org-wide install)."""
        enterprise, team = bot.enterprise_id or "", "" if bot.is_enterprise_install else bot.team_id or ""
        values = dict(
            is_enterprise_install=bot.is_enterprise_install, app_id=bot.app_id, team_name=bot.team_name, bot_token=bot.bot_token,
            bot_id=bot.bot_id, bot_user_id=bot.bot_user_id, bot_scopes=bot.bot_scopes, bot_refresh_token=bot.bot_refresh_token,
            bot_token_expires_at=bot.bot_token_expires_at, installer_user_id=bot.installer_user_id, extra=bot.extra,
            installed_at=bot.installed_at or self.clock(),
        )
        for _ in range(2):  # two processes finishing an install at once: the loser updates
            try:
                async with self.db.transaction() as s:
                    row = await s.scalar(select(SlackInstallation).where(
                        SlackInstallation.enterprise_id == enterprise, SlackInstallation.team_id == team))
                    if row is None:
                        s.add(SlackInstallation(enterprise_id=enterprise, team_id=team, **values))
                    else:
                        for k, v in values.items():
                            setattr(row, k, v)
                return
            except IntegrityError:
                continue

    async def find(self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool = False) -> InstalledBot | None:
        enterprise = enterprise_id or ""
        async with self.db.session() as s:
            row = None
            if not is_enterprise_install and team_id:
                # team ids are unique across Slack; the org id only breaks a tie
                rows = (await s.scalars(select(SlackInstallation).where(SlackInstallation.team_id == team_id))).all()
                row = next((r for r in rows if r.enterprise_id == enterprise), rows[0] if rows else None)
            if row is None and enterprise:  # an org-wide install covers every workspace of the org
                row = await s.scalar(select(SlackInstallation).where(
                    SlackInstallation.enterprise_id == enterprise, SlackInstallation.team_id == "",
                    SlackInstallation.is_enterprise_install.is_(True)))
            return _row_to_bot(row) if row is not None else None

    async def delete(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget a workspace's installation (app uninstalled, tokens revoked); an org-wide one without a team."""
        async with self.db.transaction() as s:
            if team_id:
                await s.execute(delete(SlackInstallation).where(SlackInstallation.team_id == team_id))
            elif enterprise_id:
                await s.execute(delete(SlackInstallation).where(
                    SlackInstallation.enterprise_id == enterprise_id, SlackInstallation.team_id == ""))

    # ---- OAuth state ----

    async def issue_state(self, ttl: timedelta = timedelta(minutes=10)) -> str:
        state = secrets.token_urlsafe(24)
        async with self.db.transaction() as s:
            await s.execute(delete(SlackOAuthState).where(SlackOAuthState.expires_at < self.clock()))
            s.add(SlackOAuthState(state=state, expires_at=self.clock() + ttl))
        return state

    async def consume_state(self, state: str) -> bool:
        """True once for a state issued here and not expired; a replayed state is refused."""
        if not state or len(state) > 64:
            return False
        async with self.db.transaction() as s:
            row = await s.get(SlackOAuthState, state)
            if row is None:
                return False
            await s.delete(row)
            expires = row.expires_at
            return expires >= self.clock()

    # ---- threads ----

    async def join_thread(self, team_id: str, channel: str, thread_ts: str) -> None:
        try:
            async with self.db.transaction() as s:
                s.add(SlackThread(team_id=team_id, channel=channel, thread_ts=thread_ts, joined_at=self.clock()))
        except IntegrityError:
            pass  # already in it

    async def in_thread(self, team_id: str, channel: str, thread_ts: str) -> bool:
        async with self.db.session() as s:
            return await s.get(SlackThread, (team_id, channel, thread_ts)) is not None
