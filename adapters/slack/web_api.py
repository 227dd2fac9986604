"""Slack's Web API as the bot uses it: one client per bot token on SLACK_API_URL, calls whose
failure is logged rather than raised, who is a workspace admin, and shared files' bytes."""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable
from urllib.parse import urlparse

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.events import SlackFile
from adapters.slack.options import SlackOptions
from core.errors import Code, SenseiError
from adapters.slack.api_errors import api_error
from core.messages import Image
from core.slack_workspaces import SlackWorkspaces

log = logging.getLogger(__name__)

# Hosts that may receive the bot token when a shared file is downloaded.
FILE_HOSTS = ("slack.com", "slack-edge.com", "slack-files.com")


async def call(request: Awaitable[Any]) -> Any:
    """A Web API call whose failure is logged, not raised (the user is told separately)."""
    try:
        return await request
    except SlackApiError as e:
        log.error("Slack API call failed: %s", api_error(e))
    except aiohttp.ClientError as e:
        log.error("Slack API unreachable: %s", type(e).__name__)
    return None


class SlackWebApi:
    def __init__(self, options: SlackOptions, workspaces: SlackWorkspaces, clock: Callable[[], float] = time.time) -> None:
        self.options = options
        self.workspaces = workspaces
        self.clock = clock
        self.http: aiohttp.ClientSession | None = None
        self._clients: dict[str, AsyncWebClient] = {}
        self._admins: dict[tuple[str, str], tuple[float, bool]] = {}  # (team, user) → (checked at, admin)

    def new_client(self, token: str | None, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
        """A Web API client on SLACK_API_URL that waits out a 429's Retry-After and tries again."""
        client = AsyncWebClient(token=token, base_url=self.options.api_url, session=session)
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=self.options.rate_limit_retries))
        return client

    def webhook(self, url: str) -> AsyncWebhookClient:
        """A slash command's response_url, retried on 429 like the Web API."""
        return AsyncWebhookClient(url, session=self.http, retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=self.options.rate_limit_retries)])

    async def session(self) -> aiohttp.ClientSession:
        if self.http is None or self.http.closed:
            self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
            self._clients.clear()
        return self.http

    async def client_for(self, team_id: str, enterprise_id: str | None) -> AsyncWebClient | None:
        """A Web API client with this workspace's bot token (from the installation in OAuth mode)."""
        if self.options.oauth:
            bot = await self.workspaces.find(enterprise_id=enterprise_id, team_id=team_id)
            token = bot.bot_token if bot else None
        else:
            token = self.options.bot_token
        if not token:
            log.warning("no Slack token for this workspace", extra={"team_id": team_id})
            return None
        session = await self.session()
        client = self._clients.get(token)
        if client is None:
            if len(self._clients) > 1000:
                self._clients.clear()
            client = self._clients[token] = self.new_client(token, session)
        return client

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()

    async def is_admin(self, client: AsyncWebClient, team_id: str, user: str) -> bool:
        """users.info says the user is a workspace admin or owner: restaurant workspaces count them as
        staff. Cached per team and user for `admin_cache_seconds`; a failed lookup counts as not admin."""
        if not user:
            return False
        now = self.clock()
        cached = self._admins.get((team_id, user))
        if cached is not None and now - cached[0] < self.options.admin_cache_seconds:
            return cached[1]
        response = await call(client.users_info(user=user))
        if response is None:
            return False  # not cached: the next turn asks again
        info = response.get("user") or {}
        admin = bool(info.get("is_admin") or info.get("is_owner"))
        if len(self._admins) > 10_000:
            self._admins.clear()
        self._admins[(team_id, user)] = (now, admin)
        return admin

    def image(self, client: AsyncWebClient, file: SlackFile, *, cap: int | None = None) -> Image:
        token = client.token or ""

        async def fetch() -> bytes:
            return await self.download(file, token, cap=cap, cut=cap is not None)

        return Image(fetch=fetch, filename=file.name, media_type=file.mimetype)

    def _allowed_file_url(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        api_host = (urlparse(self.options.api_url).hostname or "").lower()
        return host == api_host or any(host == h or host.endswith("." + h) for h in FILE_HOSTS)

    async def download(self, file: SlackFile, token: str, *, cap: int | None = None, cut: bool = False) -> bytes:
        """A shared file's bytes (url_private_download, with the bot token), refusing what is too big.
        With `cut`, a file over the cap is read only to cap + 1 bytes and passed on cut, so the menu
        import can say it is too big instead of the file silently going missing."""
        cap = cap or self.options.max_image_bytes
        lang_detail = f"The file is larger than {max(1, cap // (1024 * 1024))} MB."
        if file.size > cap and not cut:
            raise SenseiError(Code.IMAGE_UNREADABLE, lang_detail)
        if not self._allowed_file_url(file.url):
            log.warning("refused to send the bot token to a non-Slack file URL", extra={"host": urlparse(file.url).hostname})
            raise SenseiError(Code.IMAGE_UNREADABLE)
        session = await self.session()
        try:
            async with session.get(file.url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=True) as response:
                if response.status != 200 or response.content_type == "text/html":  # HTML: Slack's login page
                    log.warning("Slack file download failed", extra={"status": response.status, "content_type": response.content_type})
                    raise SenseiError(Code.IMAGE_UNREADABLE)
                data = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > cap:
                        if cut:
                            return bytes(data[: cap + 1])
                        raise SenseiError(Code.IMAGE_UNREADABLE, lang_detail)
                return bytes(data)
        except aiohttp.ClientError as e:
            log.warning("Slack file download failed: %s", type(e).__name__)
            raise SenseiError(Code.IMAGE_UNREADABLE) from None
