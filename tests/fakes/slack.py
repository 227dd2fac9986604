"""A fake Slack on 127.0.0.1: the Web API methods the bot calls, file downloads, the upload
URL of files.getUploadURLExternal, response_urls, the OAuth token exchange, and a Socket
Mode websocket. The real slack_sdk / slack-bolt talk to it through `SLACK_API_URL`.

It records every call for assertions and can be told to fail a method (a 429 with
Retry-After, or an error), to be slow, and which workspace each token belongs to.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.perf_counter)  # when it arrived (benchmarks time turns with it)


@dataclass
class Workspace:
    team_id: str
    bot_user_id: str
    bot_id: str
    enterprise_id: str | None = None


@dataclass
class Failure:
    status: int
    error: str
    retry_after: int | None
    times: int
    text: str | None = None  # a body that is not JSON (a proxy's error page, a 405), instead of {"ok": false}
    content_type: str = "text/plain"


@dataclass
class FakeSlack:
    tokens: dict[str, Workspace] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # path under /files/ → bytes
    responses: list[dict[str, Any]] = field(default_factory=list)  # what was POSTed to response_urls
    oauth_codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    admins: set[str] = field(default_factory=set)  # users that users.info calls workspace admins

    def __post_init__(self) -> None:
        self._failures: dict[str, Failure] = {}
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_ready = asyncio.Event()
        self.server: TestServer | None = None

    # ---- set-up ----

    def add_workspace(
        self, token: str, team_id: str, bot_user_id: str = "UBOT", bot_id: str = "BBOT", enterprise_id: str | None = None
    ) -> None:
        self.tokens[token] = Workspace(team_id, bot_user_id, bot_id, enterprise_id)

    def fail(self, method: str, *, status: int = 429, error: str = "ratelimited", retry_after: int | None = 1, times: int = 1,
             text: str | None = None, content_type: str = "text/plain") -> None:
        self._failures[method] = Failure(status, error, retry_after, times, text, content_type)

    async def start(self) -> "FakeSlack":
        self.server = TestServer(self._app(), host="127.0.0.1")
        await self.server.start_server()
        return self

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{path:.*}", self._file)
        app.router.add_post("/response/{rid}", self._response)
        app.router.add_get("/socket", self._socket)
        return app

    async def go_down(self) -> None:
        """Stop listening (Slack's Web API unreachable: connections refused) until `come_back`."""
        assert self.server is not None
        self._port = self.server.port
        await self.server.close()

    async def come_back(self) -> None:
        """Listen again on the same port: the outage is over."""
        self.server = TestServer(self._app(), host="127.0.0.1", port=self._port)
        await self.server.start_server()

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self.server is not None:
            await self.server.close()

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, rid: str = "r1") -> str:
        return f"{self.base}/response/{rid}"

    def file_url(self, name: str) -> str:
        return f"{self.base}/files/{name}"

    # ---- assertions ----

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"expected {count} call(s) to {method}, got {len(self.calls_to(method))}: "
                                     f"{[c.method for c in self.calls]}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.2))
            except asyncio.TimeoutError:
                pass
        return self.calls_to(method)

    async def wait_responses(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.responses) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} response_url post(s), got {len(self.responses)}")
            await asyncio.sleep(0.02)
        return self.responses

    # ---- handlers ----

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                try:
                    args[key] = json.loads(args[key])
                except ValueError:
                    pass
        return args

    def _token(self, request: web.Request, args: dict[str, Any]) -> str | None:
        auth = request.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else args.get("token")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = self._token(request, args)
        self._record(Call(method, args, token))
        if (delay := self.delays.get(method)) is not None:
            await asyncio.sleep(delay)
        failure = self._failures.get(method)
        if failure is not None and failure.times > 0:
            failure.times -= 1
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            if failure.text is not None:
                return web.Response(text=failure.text, status=failure.status, headers=headers, content_type=failure.content_type)
            return web.json_response({"ok": False, "error": failure.error}, status=failure.status, headers=headers)
        if method == "oauth.v2.access":
            return web.json_response(self.oauth_codes.get(args.get("code", ""), {"ok": False, "error": "invalid_code"}))
        if method == "apps.connections.open":
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.server.port}/socket"})  # type: ignore[union-attr]
        ws = self.tokens.get(token or "")
        if ws is None:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response(self._answer(method, args, ws))

    def _answer(self, method: str, args: dict[str, Any], ws: Workspace) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "sake-sensei", "team_id": ws.team_id,
                    "user_id": ws.bot_user_id, "bot_id": ws.bot_id, "enterprise_id": ws.enterprise_id, "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"{1700000000 + next(self._ts)}.000100"
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": {"text": args.get("text"), "ts": ts}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):06d}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            view_id = args.get("view_id") or f"V{next(self._ids):06d}"
            return {"ok": True, "view": {"id": view_id, "hash": f"h{next(self._ids)}", **(args.get("view") or {})}}
        if method == "users.info":
            user = str(args.get("user") or "")
            if not user:
                return {"ok": False, "error": "user_not_found"}
            admin = user in self.admins
            return {"ok": True, "user": {"id": user, "team_id": ws.team_id, "name": user.lower(), "is_admin": admin,
                                         "is_owner": False, "is_bot": False}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))}}
        return {"ok": True}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        body = await request.read()
        if request.content_type.startswith("multipart/"):
            reader_data = await self._multipart(request, body)
            body = reader_data
        self.uploads[file_id] = body
        self._record(Call("upload", {"file_id": file_id, "size": len(body)}, None))
        return web.Response(text=f"OK - {len(body)}")

    @staticmethod
    async def _multipart(request: web.Request, body: bytes) -> bytes:
        boundary = request.content_type and request.headers["Content-Type"].split("boundary=")[-1].strip('"')
        for part in body.split(b"--" + boundary.encode()):
            if b"\r\n\r\n" in part and b"filename" in part.split(b"\r\n\r\n", 1)[0]:
                return part.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n")
        return body

    async def _file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        auth = request.headers.get("Authorization", "")
        self._record(Call("file", {"path": path}, auth[7:] if auth.startswith("Bearer ") else None))
        if auth[7:] not in self.tokens:  # Slack answers an HTML login page to a request without a valid token
            return web.Response(text="<html>login</html>", content_type="text/html")
        data = self.files.get(path)
        if data is None:
            return web.Response(status=404)
        kind = "text/csv" if path.endswith(".csv") else "image/png"
        return web.Response(body=data, content_type=kind)

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.responses.append({"rid": request.match_info["rid"], **body})
        self._record(Call("response_url", body, None))
        return web.Response(text="ok")

    # ---- Socket Mode ----

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"},
                                      "connection_info": {"app_id": "A111"}}))
        self._socket_ready.set()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    data = json.loads(msg.data)
                    if "envelope_id" in data:
                        self.socket_acks.append(data)
                        self._changed.set()
        finally:
            self._sockets.remove(ws)
        return ws

    async def send_envelope(self, envelope: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        """Push one Socket Mode envelope and wait for the app's ack."""
        await asyncio.wait_for(self._socket_ready.wait(), timeout)
        before = len(self.socket_acks)
        await self._sockets[-1].send_str(json.dumps(envelope))
        deadline = time.monotonic() + timeout
        while True:
            for ack in self.socket_acks[before:]:
                if ack["envelope_id"] == envelope["envelope_id"]:
                    return ack
            if time.monotonic() > deadline:
                raise AssertionError("no ack for envelope " + envelope["envelope_id"])
            await asyncio.sleep(0.02)


def sign(secret: str, body: str | bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: v0 HMAC-SHA256 of `v0:{ts}:{body}` (slack_sdk.signature's algorithm)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def form(fields: dict[str, Any]) -> str:
    return urlencode(fields)


def interactive(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})
