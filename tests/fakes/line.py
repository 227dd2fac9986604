"""A fake LINE Messaging API and a fake data (blob) API on 127.0.0.1, for the real line-bot-sdk.

They behave like LINE where the bot depends on it: bearer tokens are checked; a reply token
works once and not after `expire_token`; a push `X-Line-Retry-Key` that was accepted before
answers 409; requests over LINE's limits (more than 5 messages, texts over 5,000 characters,
quick replies over 13, bad flex) answer 400; `fail` queues status codes (429, 500) to answer
before the next real one. Every call is recorded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from PIL import Image


BODY = web.RequestKey("body", object)


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def jpeg(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: Any
    status: int
    at: float = field(default_factory=time.perf_counter)  # when it was answered (benchmarks time turns with it)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"message": message}, status=status)


def _check_messages(messages: Any, refused: set[str] = frozenset()) -> str | None:  # type: ignore[assignment]
    """LINE's server-side checks that the bot must never trip."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return "Size must be between 1 and 5"
    for i, m in enumerate(messages):
        if m.get("type") in refused:
            return f"messages[{i}]: A message (messages[{i}]) in the request body is invalid"
        if m.get("type") == "text" and (not m.get("text") or len(m["text"].encode("utf-16-le")) // 2 > 5000):
            return f"messages[{i}].text: Length must be between 1 and 5000"
        if m.get("type") == "flex":
            if not m.get("altText") or len(m["altText"]) > 400:
                return f"messages[{i}].altText: invalid"
            c = m.get("contents") or {}
            if c.get("type") == "carousel" and not 1 <= len(c.get("contents") or []) <= 12:
                return f"messages[{i}].contents: carousel of 1 to 12 bubbles"
        if m.get("type") == "image" and not str(m.get("originalContentUrl", "")).startswith(("https://", "http://127.0.0.1")):
            return f"messages[{i}].originalContentUrl: must be https"
        qr = m.get("quickReply")
        if qr is not None:
            items = qr.get("items") or []
            if not 1 <= len(items) <= 13 or any(len(x["action"].get("label", "")) > 20 for x in items):
                return f"messages[{i}].quickReply: invalid"
    return None


@dataclass
class FakeLine:
    """Both fake APIs; `api_url` / `data_url` go into LINE_API_URL / LINE_DATA_API_URL."""

    access_token: str = "test-access-token"
    image: bytes = field(default_factory=jpeg)
    calls: list[Call] = field(default_factory=list)
    used_tokens: set[str] = field(default_factory=set)
    expired_tokens: set[str] = field(default_factory=set)
    retry_keys: set[str] = field(default_factory=set)
    failures: dict[str, list[int]] = field(default_factory=dict)
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    rich_menu_images: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    refused_types: set[str] = field(default_factory=set)  # message types answered with 400 (a bad flex, say)
    # GET /v2/bot/profile/{userId}: the user's `language` (absent until they consent to LINE's privacy policy)
    languages: dict[str, str] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _servers: list[TestServer] = field(default_factory=list)
    api_url: str = ""
    data_url: str = ""

    # ---- controls ----
    def fail(self, path: str, *statuses: int) -> None:
        """Answer the next requests to `path` with these statuses, in order."""
        self.failures.setdefault(path, []).extend(statuses)

    def expire_token(self, token: str) -> None:
        self.expired_tokens.add(token)

    def sent(self, path: str) -> list[Call]:
        """Successful calls to `path`."""
        return [c for c in self.calls if c.path == path and c.status < 300]

    def attempts(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    # ---- servers ----
    async def start(self) -> "FakeLine":
        api = web.Application()
        api.router.add_post("/v2/bot/message/reply", self._reply)
        api.router.add_post("/v2/bot/message/push", self._push)
        api.router.add_post("/v2/bot/chat/loading/start", self._loading)
        api.router.add_get("/v2/bot/profile/{user}", self._profile)
        api.router.add_post("/v2/bot/richmenu", self._create_rich_menu)
        api.router.add_post("/v2/bot/user/all/richmenu/{id}", self._set_default)
        data = web.Application(client_max_size=2 * 1024 * 1024)
        data.router.add_get("/v2/bot/message/{id}/content", self._content)
        data.router.add_post("/v2/bot/richmenu/{id}/content", self._rich_menu_image)
        for app in (api, data):
            app.middlewares.append(self._middleware)
            server = TestServer(app, host="127.0.0.1")
            await server.start_server()
            self._servers.append(server)
        self.api_url = str(self._servers[0].make_url("")).rstrip("/")
        self.data_url = str(self._servers[1].make_url("")).rstrip("/")
        return self

    async def close(self) -> None:
        for server in self._servers:
            await server.close()

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        raw = await request.read()
        try:
            body: Any = json.loads(raw) if request.content_type == "application/json" and raw else raw
        except ValueError:
            body = raw
        path = request.path
        headers = {k: v for k, v in request.headers.items()}
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            response: web.StreamResponse = _error(401, "Authentication failed")
        elif self.failures.get(path):
            status = self.failures[path].pop(0)
            response = web.json_response({"message": "injected failure"}, status=status,
                                         headers={"Retry-After": "1"} if status == 429 else None)
        else:
            request[BODY] = body
            response = await handler(request)
        self.calls.append(Call(path, headers, body, response.status))
        return response

    async def _reply(self, request: web.Request) -> web.Response:
        body = request[BODY]
        token = body.get("replyToken")
        if not token or token in self.used_tokens or token in self.expired_tokens:
            return _error(400, "Invalid reply token")
        if problem := _check_messages(body.get("messages"), self.refused_types):
            return _error(400, problem)
        self.used_tokens.add(token)
        return web.json_response({"sentMessages": [{"id": str(next(self._ids))} for _ in body["messages"]]})

    async def _push(self, request: web.Request) -> web.Response:
        body = request[BODY]
        key = request.headers.get("X-Line-Retry-Key")
        if key is not None and key in self.retry_keys:
            return web.json_response({"message": "The retry key is already accepted"}, status=409,
                                     headers={"x-line-accepted-request-id": "fake"})
        if not body.get("to"):
            return _error(400, "The property, 'to', in the request body is invalid")
        if problem := _check_messages(body.get("messages"), self.refused_types):
            return _error(400, problem)
        if key is not None:
            self.retry_keys.add(key)
        return web.json_response({"sentMessages": [{"id": str(next(self._ids))} for _ in body["messages"]]})

    async def _loading(self, request: web.Request) -> web.Response:
        body = request[BODY]
        if not str(body.get("chatId", "")).startswith("U"):
            return _error(400, "chatId must be a user id")
        return web.json_response({}, status=202)

    async def _profile(self, request: web.Request) -> web.Response:
        user = request.match_info["user"]
        profile = {"userId": user, "displayName": "Tester"}
        if user in self.languages:
            profile["language"] = self.languages[user]
        return web.json_response(profile)

    async def _content(self, request: web.Request) -> web.Response:
        if request.match_info["id"].startswith("gone"):
            return _error(404, "Not found")
        return web.Response(body=self.image, content_type="image/jpeg")

    async def _create_rich_menu(self, request: web.Request) -> web.Response:
        body = request[BODY]
        size = body.get("size") or {}
        if size.get("width") != 2500 or size.get("height") not in (843, 1686) or not 1 <= len(body.get("areas") or []) <= 20:
            return _error(400, "invalid rich menu")
        menu_id = f"richmenu-{next(self._ids):032d}"
        self.rich_menus[menu_id] = body
        return web.json_response({"richMenuId": menu_id})

    async def _rich_menu_image(self, request: web.Request) -> web.Response:
        menu_id = request.match_info["id"]
        if menu_id not in self.rich_menus:
            return _error(404, "Not found")
        if request.content_type not in ("image/png", "image/jpeg") or len(request[BODY]) > 1024 * 1024:
            return _error(400, "image must be a PNG or JPEG up to 1 MB")
        self.rich_menu_images[menu_id] = (request.content_type, request[BODY])
        return web.json_response({})

    async def _set_default(self, request: web.Request) -> web.Response:
        menu_id = request.match_info["id"]
        if menu_id not in self.rich_menus or menu_id not in self.rich_menu_images:
            return _error(400, "the rich menu has no image")
        self.default_rich_menu = menu_id
        return web.json_response({})
