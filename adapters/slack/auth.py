"""Who the bot is in its one workspace, without asking Slack on the ack path.

bolt's own single-workspace authorization calls `auth.test` on every request until one call
succeeds, so with Slack's Web API unreachable every event waited about a second and answered
500 (and Slack retried, then dropped them). Here `auth.test` runs in the background: once at
start, again every `refresh_every` seconds, and every `retry_every` seconds while it fails.
Requests are authorised from the last answer, or, before any answer, from the bot token and the
bot user id the event itself names (`authorizations[0]`), so acks never wait for the Web API
(only the very first requests after start wait for the first auth.test, at most `first_wait`).

`reachable` tells the turn jobs whether Slack's Web API answered lately: an answer that could
not be delivered waits in the job queue for as long as the outage lasts (`back`), without using
up its retries, and goes out once auth.test answers again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from adapters.slack.api_errors import api_error, api_status
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


def bot_user_of(body: dict[str, Any]) -> str | None:
    """The bot user an Events API payload was delivered to (`authorizations[0]`, a bot installation)."""
    auths = body.get("authorizations")
    if isinstance(auths, list) and auths and isinstance(auths[0], dict) and auths[0].get("is_bot"):
        user = auths[0].get("user_id")
        return user if isinstance(user, str) and user else None
    return None


class CachedAuthorize(AsyncAuthorize):
    def __init__(self, client: AsyncWebClient, *, refresh_every: float = 3600.0, retry_every: float = 5.0,
                 first_wait: float = 0.2) -> None:
        self.client = client
        self.token = client.token
        self.refresh_every = refresh_every  # a revoked token or a renamed bot shows up within this
        self.retry_every = retry_every  # while auth.test fails (Slack down, or the token refused)
        self.result: dict[str, Any] | None = None  # the last successful auth.test
        self.seen_bot_user: str | None = None  # from events' `authorizations`, until auth.test answers
        self.first_wait = first_wait  # the bot's own user id strips its mentions from the first messages too
        self.reachable = asyncio.Event()  # Slack's Web API answered the last time we asked
        self._tried = asyncio.Event()  # the first auth.test has answered or failed
        self._task: asyncio.Task[None] | None = None
        self._poke = asyncio.Event()

    @property
    def bot_user_id(self) -> str | None:
        return (self.result or {}).get("user_id") or self.seen_bot_user

    def learn(self, body: dict[str, Any]) -> None:
        """Remember the bot user id an event names: single workspace, so it is always the same one."""
        if self.result is None and self.seen_bot_user is None:
            self.seen_bot_user = bot_user_of(body)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._keep())

    def unreachable(self) -> None:
        """A Web API call just failed to connect: ask auth.test again soon, and let deliveries wait."""
        self.reachable.clear()
        self._poke.set()

    async def wait_reachable(self, timeout: float) -> bool:
        self.start()
        if self.reachable.is_set():
            return True
        try:
            await asyncio.wait_for(self.reachable.wait(), timeout)
            return True
        except TimeoutError:
            return False

    async def back(self) -> None:
        """Returns once Slack's Web API answers again: what a job waiting out an outage waits for."""
        self.start()
        await self.reachable.wait()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def refresh(self) -> bool:
        """One auth.test; True when it answered."""
        try:
            response = await self.client.auth_test()
        except SlackApiError as e:  # Slack answered, but not with ok: it is reachable, the token is the problem
            status = api_status(e) or 200
            if status == 429 or status >= 500:
                self.reachable.clear()
            else:
                self.reachable.set()
            log.error("Slack auth.test failed: %s", api_error(e))
            return False
        except (TimeoutError, aiohttp.ClientError, OSError) as e:
            self.reachable.clear()
            log.warning("Slack's Web API unreachable (auth.test): %s", type(e).__name__)
            return False
        self.result = dict(response.data) if isinstance(response.data, dict) else None
        self.reachable.set()
        return self.result is not None

    async def _refresh_once(self) -> bool:
        try:
            return await self.refresh()
        finally:
            self._tried.set()

    async def _keep(self) -> None:
        while True:
            if not await self._refresh_once():
                await asyncio.sleep(self.retry_every)
                continue
            self._poke.clear()
            try:  # until the next refresh, or until a failed call says Slack may be gone
                await asyncio.wait_for(self._poke.wait(), self.refresh_every)
            except TimeoutError:
                pass

    async def __call__(self, *, context: AsyncBoltContext, enterprise_id: str | None, team_id: str | None,
                       user_id: str | None, **_: Any) -> AuthorizeResult | None:
        self.start()
        if self.result is None and not self._tried.is_set():
            try:
                await asyncio.wait_for(self._tried.wait(), self.first_wait)
            except TimeoutError:
                pass
        r = self.result or {}
        return AuthorizeResult(
            enterprise_id=r.get("enterprise_id") or enterprise_id, team_id=r.get("team_id") or team_id, url=r.get("url"),
            bot_user_id=self.bot_user_id, bot_id=r.get("bot_id"), bot_token=self.token, user_id=user_id,
        )
