"""A fake Discord on 127.0.0.1: the REST API and the gateway websocket, enough for the real discord.py.

REST (under /api/v10): users/@me, oauth2/applications/@me, gateway/bot, channel messages (JSON
or multipart with files), typing, interaction callbacks, webhook follow-ups, command sync, and
attachment downloads. Gateway: HELLO, heartbeat ACK, IDENTIFY → READY (+ GUILD_CREATE), then
whatever the test dispatches. Every REST call is recorded; `fail_next` makes a route answer 429
the way Discord does (a `Via` header and `{retry_after, global}`) to exercise discord.py's limiter.
JSON is sent with the exact `application/json` content type discord.py requires.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from itertools import count
from typing import Any, Callable

from aiohttp import web

BOT_ID = "1100000000000000001"
APP_ID = "1100000000000000002"
GUILD_ID = "1100000000000000003"
CHANNEL_ID = "1100000000000000004"
DM_CHANNEL_ID = "1100000000000000005"
USER_ID = "1100000000000000006"
TIMESTAMP = "2026-11-28T12:00:00.000000+00:00"

BOT_USER = {"id": BOT_ID, "username": "Sake Sensei", "discriminator": "0", "global_name": "Sake Sensei", "avatar": None, "bot": True}
USER = {"id": USER_ID, "username": "hanako", "discriminator": "0", "global_name": "Hanako", "avatar": None}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=json.dumps(data).encode(), status=status, content_type="application/json", headers=headers)


@dataclass
class Call:
    method: str
    path: str  # below /api/v10
    query: dict[str, str]
    json: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)  # when the request arrived

    @property
    def payload(self) -> dict[str, Any]:
        return self.json if isinstance(self.json, dict) else {}


class FakeDiscord:
    def __init__(self, *, shards: int = 1) -> None:
        self.shards = shards
        self.calls: list[Call] = []
        self.identifies: list[dict[str, Any]] = []
        self.attachments: dict[str, bytes] = {}
        self.sent: list[dict[str, Any]] = []  # messages the bot posted (channel messages and follow-ups), as Discord returns them
        self._sockets: list[tuple[web.WebSocketResponse, list[int], dict[str, Any]]] = []
        self._failures: list[tuple[re.Pattern[str], int, float]] = []
        self._changed = asyncio.Condition()
        self._ids = count(1200000000000000000)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.refuse_commands = False  # answer 403 to command registration (the bot lacks applications.commands)
        self.reject_token = False  # answer 401 to every REST call, as Discord does for a bad token
        self.close_code: int | None = None  # close the gateway with this code after IDENTIFY (4014: intents)
        self.refuse_messages: int | None = None  # answer channel messages with this status (403: no access to the channel)

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> "FakeDiscord":
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{id}/{filename}", self._attachment)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws, _, _ in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def attachment_url(self, attachment_id: str, filename: str) -> str:
        return f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{filename}"

    def snowflake(self) -> str:
        return str(next(self._ids))

    # -- test controls ----------------------------------------------------------------------

    def fail_next(self, method_path: str, *, times: int = 1, retry_after: float = 0.05) -> None:
        """The next `times` calls matching "POST /channels/.*/messages" answer 429."""
        self._failures.append((re.compile(method_path), times, retry_after))

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        """Send a gateway dispatch to every connected shard (or the one given)."""
        await self.wait_for(lambda: self._ready_count() >= 1, what="a ready gateway connection")
        if shard is None:  # Discord's routing: a guild's shard by its id, DMs on shard 0
            shard = self.shard_of(data["guild_id"]) if data.get("guild_id") else 0
        for ws, seq, info in list(self._sockets):
            if info.get("shard", [0, 1])[0] != shard:
                continue
            seq[0] += 1
            await ws.send_str(json.dumps({"op": 0, "t": event, "s": seq[0], "d": data}))

    def shard_of(self, guild_id: str) -> int:
        return (int(guild_id) >> 22) % self.shards

    def _ready_count(self) -> int:
        return sum(1 for _, _, info in self._sockets if info.get("ready"))

    async def wait_for(self, predicate: Callable[[], Any], *, timeout: float = 10.0, what: str = "condition") -> Any:
        async def until() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        try:
            return await asyncio.wait_for(until(), timeout)
        except asyncio.TimeoutError:
            recent = [(c.method, c.path) for c in self.calls[-15:]]
            raise AssertionError(f"timed out waiting for {what}; {len(self.calls)} calls, the last: {recent}") from None

    async def wait_call(self, method: str, pattern: str, *, n: int = 1, timeout: float = 10.0) -> list[Call]:
        rx = re.compile(pattern)
        found = lambda: [c for c in self.calls if c.method == method and rx.fullmatch(c.path)]  # noqa: E731
        await self.wait_for(lambda: len(found()) >= n, timeout=timeout, what=f"{n}x {method} {pattern}")
        return found()

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        rx = re.compile(pattern)
        return [c for c in self.calls if c.method == method and rx.fullmatch(c.path)]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- payload builders -------------------------------------------------------------------

    def message(self, content: str, *, guild: bool = False, attachments: list[dict[str, Any]] | None = None,
                mentions: list[dict[str, Any]] | None = None, author: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        """A MESSAGE_CREATE payload with the fields discord.py reads."""
        data: dict[str, Any] = {
            "id": self.snowflake(), "channel_id": CHANNEL_ID if guild else DM_CHANNEL_ID, "author": author or USER,
            "content": content, "timestamp": TIMESTAMP, "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": mentions or [], "mention_roles": [], "attachments": attachments or [], "embeds": [], "pinned": False,
            "type": 0, "flags": 0, "components": [],
        }
        if guild:
            data["guild_id"] = GUILD_ID
            data["member"] = {"roles": [], "joined_at": TIMESTAMP, "deaf": False, "mute": False, "flags": 0}
        data.update(extra)
        return data

    def interaction(self, itype: int, data: dict[str, Any], *, guild: bool = True, message: dict[str, Any] | None = None,
                    locale: str = "en-US") -> dict[str, Any]:
        """An INTERACTION_CREATE payload (the same JSON an HTTP interaction carries)."""
        iid = self.snowflake()
        d: dict[str, Any] = {
            "id": iid, "application_id": APP_ID, "type": itype, "data": data, "token": f"token-{iid}", "version": 1,
            "locale": locale, "app_permissions": "2248473465835073", "entitlements": [], "attachment_size_limit": 10485760,
            "authorizing_integration_owners": {"0": GUILD_ID} if guild else {"1": USER_ID}, "context": 0 if guild else 1,
        }
        if guild:
            d.update(guild_id=GUILD_ID, guild_locale="en-US", channel_id=CHANNEL_ID,
                     channel={"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "sake", "position": 0, "flags": 0,
                              "permissions": "2248473465835073", "nsfw": False, "parent_id": None, "topic": None,
                              "last_message_id": None, "rate_limit_per_user": 0},
                     member={"user": USER, "roles": [], "joined_at": TIMESTAMP, "deaf": False, "mute": False, "flags": 0,
                             "permissions": "2248473465835073", "nick": None, "avatar": None, "pending": False})
        else:
            d.update(channel_id=DM_CHANNEL_ID, user=USER,
                     channel={"id": DM_CHANNEL_ID, "type": 1, "flags": 0, "last_message_id": None, "recipients": [USER]})
        if message is not None:
            d["message"] = message
        return d

    def attachment(self, filename: str, data: bytes, content_type: str = "image/png") -> dict[str, Any]:
        aid = self.snowflake()
        self.attachments[aid] = data
        url = self.attachment_url(aid, filename)
        return {"id": aid, "filename": filename, "size": len(data), "url": url, "proxy_url": url, "content_type": content_type}

    def guild(self) -> dict[str, Any]:
        return {
            "id": GUILD_ID, "name": "Sake lovers", "icon": None, "owner_id": USER_ID, "unavailable": False, "member_count": 2,
            "large": False, "features": [], "emojis": [], "stickers": [], "threads": [], "stage_instances": [],
            "guild_scheduled_events": [], "presences": [], "voice_states": [], "soundboard_sounds": [], "mfa_level": 0,
            "verification_level": 0, "explicit_content_filter": 0, "default_message_notifications": 0, "afk_timeout": 300,
            "preferred_locale": "en-US", "premium_tier": 0, "nsfw_level": 0, "system_channel_flags": 0,
            "roles": [{"id": GUILD_ID, "name": "@everyone", "permissions": "2248473465835073", "position": 0, "color": 0,
                       "hoist": False, "managed": False, "mentionable": False, "flags": 0}],
            "channels": [{"id": CHANNEL_ID, "type": 0, "name": "sake", "position": 0, "permission_overwrites": [], "nsfw": False,
                          "parent_id": None, "topic": None, "last_message_id": None, "rate_limit_per_user": 0}],
            "members": [{"user": BOT_USER, "roles": [], "joined_at": TIMESTAMP, "deaf": False, "mute": False, "flags": 0}],
        }

    # -- REST ---------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        call = Call(request.method, path, dict(request.query))
        if request.content_type == "application/json":
            call.json = await request.json()
        elif request.content_type == "multipart/form-data":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if part.name == "payload_json":
                    call.json = json.loads(await part.text())
                elif part.filename:
                    call.files[part.filename] = await part.read()
        self.calls.append(call)
        await self._notify()
        for i, (rx, times, retry_after) in enumerate(self._failures):
            if times > 0 and rx.fullmatch(f"{request.method} {path}"):
                self._failures[i] = (rx, times - 1, retry_after)
                return _json({"message": "You are being rate limited.", "retry_after": retry_after, "global": False}, 429,
                             {"Via": "1.1 google", "X-RateLimit-Scope": "user", "Retry-After": str(retry_after)})
        return await self._answer(request.method, path, call)

    async def _answer(self, method: str, path: str, call: Call) -> web.Response:
        if self.reject_token:
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        if method == "GET" and path == "/users/@me":
            return _json(BOT_USER)
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json({"id": APP_ID, "name": "Sake Sensei", "description": "", "icon": None, "bot_public": True,
                          "bot_require_code_grant": False, "owner": USER, "verify_key": "0" * 64, "flags": 0, "team": None})
        if method == "GET" and path in ("/gateway/bot", "/gateway"):
            return _json({"url": self.gateway_url, "shards": self.shards,
                          "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/typing", path)):
            return web.Response(status=204)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            if self.refuse_messages is not None:
                return _json({"message": "Missing Access", "code": 50001}, self.refuse_messages)
            return _json(self._sent(m.group(1), call.payload, call.files))
        if method == "POST" and (m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)):
            rtype = call.payload.get("type")
            data = call.payload.get("data") or {}
            return _json({"interaction": {"id": m.group(1), "type": 2, "response_message_loading": rtype == 5,
                                          "response_message_ephemeral": bool((data.get("flags") or 0) & 64)},
                          "resource": {"type": rtype}})
        if method == "POST" and (m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)", path)):
            return _json(self._sent(CHANNEL_ID, call.payload, call.files, webhook_id=m.group(1)))
        if method in ("PATCH", "GET") and (m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", path)):
            return _json(self._sent(CHANNEL_ID, call.payload, call.files, webhook_id=m.group(1)))
        if method == "DELETE" and re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", path):
            return web.Response(status=204)
        if method == "PUT" and (m := re.fullmatch(r"/applications/(\d+)(?:/guilds/\d+)?/commands", path)):
            if self.refuse_commands:
                return _json({"message": "Missing Access", "code": 50001}, 403)
            commands = call.json if isinstance(call.json, list) else []
            return _json([{**c, "id": self.snowflake(), "application_id": m.group(1), "version": "1", "default_member_permissions": None,
                           "type": c.get("type", 1)} for c in commands])
        return _json({"message": f"Unknown route {method} {path}", "code": 0}, 404)

    def _sent(self, channel_id: str, payload: dict[str, Any], files: dict[str, bytes], webhook_id: str | None = None) -> dict[str, Any]:
        message = {
            "id": self.snowflake(), "channel_id": channel_id, "author": BOT_USER, "content": payload.get("content") or "",
            "timestamp": TIMESTAMP, "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "embeds": payload.get("embeds") or [], "pinned": False, "type": 0, "flags": payload.get("flags") or 0,
            "components": payload.get("components") or [],
            "attachments": [{"id": str(i), "filename": name, "size": len(files.get(name, b"")), "url": f"https://cdn.invalid/{name}",
                             "proxy_url": f"https://cdn.invalid/{name}"} for i, name in enumerate(files)],
        }
        if webhook_id:
            message["webhook_id"] = webhook_id
        self.sent.append(message)
        return message

    async def _attachment(self, request: web.Request) -> web.Response:
        data = self.attachments.get(request.match_info["id"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="image/png")

    # -- gateway --------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        seq = [0]
        info: dict[str, Any] = {"query": dict(request.query)}
        entry = (ws, seq, info)
        self._sockets.append(entry)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type.name != "TEXT":
                    continue
                frame = json.loads(msg.data)
                op = frame.get("op")
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    await self._identify(ws, seq, info, frame.get("d") or {})
        finally:
            self._sockets.remove(entry)
            await self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, seq: list[int], info: dict[str, Any], identify: dict[str, Any]) -> None:
        self.identifies.append(identify)
        info["shard"] = identify.get("shard") or [0, 1]
        if self.close_code is not None:
            await ws.close(code=self.close_code)
            return
        has_guild = bool(int(identify.get("intents") or 0) & 1) and self.shard_of(GUILD_ID) == info["shard"][0]
        seq[0] += 1
        ready = {"v": 10, "user": BOT_USER, "guilds": [{"id": GUILD_ID, "unavailable": True}] if has_guild else [],
                 "session_id": f"session-{len(self.identifies)}", "resume_gateway_url": self.gateway_url,
                 "application": {"id": APP_ID, "flags": 0}, "private_channels": [], "relationships": [], "shard": info["shard"]}
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": seq[0], "d": ready}))
        if has_guild:
            seq[0] += 1
            await ws.send_str(json.dumps({"op": 0, "t": "GUILD_CREATE", "s": seq[0], "d": self.guild()}))
        info["ready"] = True
        await self._notify()
