"""The LINE SDK's clients, and which of LINE's failures are worth another try.

Two clients: `Configuration(host=...)` replaces the host of every operation, so the blob API
(message content, rich menu images; api-data.line.me) needs its own client.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from dataclasses import dataclass

import aiohttp
from linebot.v3.messaging import ApiException, AsyncApiClient, AsyncMessagingApi, AsyncMessagingApiBlob, Configuration


@dataclass
class LineClients:
    """The two SDK clients (messaging on LINE_API_URL, blob on LINE_DATA_API_URL)."""

    messaging: AsyncMessagingApi
    blob: AsyncMessagingApiBlob
    _api: AsyncApiClient
    _data: AsyncApiClient

    @classmethod
    def create(cls, access_token: str, api_url: str, data_api_url: str) -> "LineClients":
        """Must run inside the event loop: the SDK opens its aiohttp session at construction."""
        api = AsyncApiClient(Configuration(host=api_url.rstrip("/"), access_token=access_token))
        data = AsyncApiClient(Configuration(host=data_api_url.rstrip("/"), access_token=access_token))
        return cls(AsyncMessagingApi(api), AsyncMessagingApiBlob(data), api, data)

    async def close(self) -> None:
        await self._api.close()
        await self._data.close()


def signature(secret: str, body: bytes) -> str:
    """What LINE puts in X-Line-Signature: base64(HMAC-SHA256(channel secret, body))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def retryable(e: BaseException) -> bool:
    if isinstance(e, ApiException):
        return e.status == 429 or (e.status or 0) >= 500
    return isinstance(e, (aiohttp.ClientConnectionError, asyncio.TimeoutError))


def retry_after(e: BaseException) -> float | None:
    headers = getattr(e, "headers", None)
    try:
        value = headers.get("Retry-After") if headers is not None else None
        return min(float(value), 60.0) if value is not None else None
    except (TypeError, ValueError):
        return None
