"""bolt's OAuth plumbing backed by the core's `SlackWorkspaces` (our database).

- `DbInstallationStore`: where the install flow saves a workspace's bot token.
- `DbStateStore`: one-time `state` values, shared by every server process.
- `StoredAuthorize`: finds the token for an incoming event. bolt's default authorize calls
  `auth.test` on every event unless cached; the installation already holds the bot's ids,
  so this answers from one indexed row and makes no API call on the ack path.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Optional

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from core.slack_workspaces import InstalledBot, SlackWorkspaces

log = logging.getLogger(__name__)

_STANDARD = {
    "app_id", "enterprise_id", "team_id", "team_name", "bot_token", "bot_id", "bot_user_id", "bot_scopes", "bot_refresh_token",
    "bot_token_expires_at", "user_id", "is_enterprise_install", "installed_at", "user_token", "user_refresh_token",
}


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(float(value), tz=timezone.utc)


def bot_from_installation(installation: Installation | Bot) -> InstalledBot:
    data = installation.to_dict()
    # user tokens are never kept: the bot acts with its own token only
    extra = {k: v for k, v in data.items() if k not in _STANDARD and isinstance(v, (str, int, float, bool, type(None)))}
    return InstalledBot(
        team_id=installation.team_id, enterprise_id=installation.enterprise_id, bot_token=installation.bot_token or "",
        bot_id=installation.bot_id or "", bot_user_id=installation.bot_user_id or "",
        is_enterprise_install=bool(installation.is_enterprise_install), app_id=installation.app_id, team_name=installation.team_name,
        bot_scopes=",".join(installation.bot_scopes or []), bot_refresh_token=installation.bot_refresh_token,
        bot_token_expires_at=_when(installation.bot_token_expires_at),
        installer_user_id=getattr(installation, "user_id", None), installed_at=_when(installation.installed_at), extra=extra,
    )


def _bot(b: InstalledBot) -> Bot:
    return Bot(
        app_id=b.app_id, enterprise_id=b.enterprise_id, team_id=b.team_id, team_name=b.team_name, bot_token=b.bot_token,
        bot_id=b.bot_id, bot_user_id=b.bot_user_id, bot_scopes=b.bot_scopes, bot_refresh_token=b.bot_refresh_token,
        bot_token_expires_at=b.bot_token_expires_at, is_enterprise_install=b.is_enterprise_install,
        installed_at=(b.installed_at or datetime.now(timezone.utc)).timestamp(),
    )


class DbInstallationStore(AsyncInstallationStore):
    def __init__(self, workspaces: SlackWorkspaces) -> None:
        self.workspaces = workspaces

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await self.workspaces.save(bot_from_installation(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await self.workspaces.save(bot_from_installation(bot))

    async def async_find_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                             is_enterprise_install: Optional[bool] = False) -> Optional[Bot]:
        found = await self.workspaces.find(enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=bool(is_enterprise_install))
        return _bot(found) if found else None

    async def async_find_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str], user_id: Optional[str] = None,
                                      is_enterprise_install: Optional[bool] = False) -> Optional[Installation]:
        found = await self.workspaces.find(enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=bool(is_enterprise_install))
        if found is None:
            return None
        return Installation(
            app_id=found.app_id, enterprise_id=found.enterprise_id, team_id=found.team_id, team_name=found.team_name,
            bot_token=found.bot_token, bot_id=found.bot_id, bot_user_id=found.bot_user_id, bot_scopes=found.bot_scopes,
            bot_refresh_token=found.bot_refresh_token, bot_token_expires_at=found.bot_token_expires_at,
            user_id=found.installer_user_id or "", is_enterprise_install=found.is_enterprise_install,
            installed_at=(found.installed_at or datetime.now(timezone.utc)).timestamp(),
        )

    async def async_delete_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        await self.workspaces.delete(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: Optional[str], team_id: Optional[str], user_id: Optional[str] = None
    ) -> None:
        if user_id is None:  # only the workspace's (bot) installation is kept
            await self.workspaces.delete(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_all(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        await self.workspaces.delete(enterprise_id=enterprise_id, team_id=team_id)


class DbStateStore(AsyncOAuthStateStore):
    def __init__(self, workspaces: SlackWorkspaces) -> None:
        self.workspaces = workspaces

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await self.workspaces.issue_state()

    async def async_consume(self, state: str) -> bool:
        return await self.workspaces.consume_state(state)


class StoredAuthorize(AsyncAuthorize):
    def __init__(self, workspaces: SlackWorkspaces) -> None:
        self.workspaces = workspaces

    async def __call__(self, *, context: AsyncBoltContext, enterprise_id: Optional[str], team_id: Optional[str],
                       user_id: Optional[str], **_: Any) -> Optional[AuthorizeResult]:
        bot = await self.workspaces.find(enterprise_id=enterprise_id, team_id=team_id,
                                         is_enterprise_install=bool(context.get("is_enterprise_install")))
        if bot is None:
            log.warning("no Slack installation for this workspace", extra={"team_id": team_id, "enterprise_id": enterprise_id})
            return None
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=bot.bot_token, bot_id=bot.bot_id,
                               bot_user_id=bot.bot_user_id, bot_scopes=bot.bot_scopes, user_id=user_id)
