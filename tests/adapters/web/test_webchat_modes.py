"""Web chat modes (issue #21): WEBCHAT=off, a private web chat (WEBCHAT_TOKEN), every visitor alone,
the cookie's Secure flag from PUBLIC_BASE_URL, the Origin's scheme, and new sessions per address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.server import make_app
from adapters.web.session import COOKIE
from bot.wiring import Core, build_core


async def _client(db_url: str, **env: str) -> AsyncIterator[tuple[Core, TestClient]]:
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url, **env}))
    try:
        async with TestClient(TestServer(make_app(core))) as c:
            yield core, c
    finally:
        await core.close()


@pytest.fixture
async def off(db_url: str) -> AsyncIterator[TestClient]:
    async for _, c in _client(db_url, WEBCHAT="off"):
        yield c


@pytest.fixture
async def private(db_url: str) -> AsyncIterator[TestClient]:
    async for _, c in _client(db_url, WEBCHAT_TOKEN="let-me-in-please"):
        yield c


async def test_webchat_off_serves_no_chat_but_health_and_media(off: TestClient) -> None:
    assert (await off.get("/")).status == 404
    assert (await off.get("/static/app.js")).status == 404
    for path in ("/api/chat", "/api/action", "/api/photo", "/api/file"):
        assert (await off.post(path, json={"text": "hi"})).status in (404, 405), path
    assert (await off.get("/healthz")).status == 200
    assert (await off.get("/media/flavor/887-en.png")).status == 200


def test_webchat_setting_is_on_or_off() -> None:
    from bot.config import ConfigError

    assert Settings.from_env({}).webchat is True
    assert Settings.from_env({"WEBCHAT": "off"}).webchat is False
    with pytest.raises(ConfigError):
        Settings.from_env({"WEBCHAT": "maybe"})


async def test_a_private_web_chat_needs_the_token_once(private: TestClient) -> None:
    r = await private.get("/")
    assert r.status == 401 and "token" in (await r.text()).lower()  # a page asking for it
    r = await private.post("/api/chat", json={"text": "hi"})
    assert r.status == 401 and (await r.json())["error"]["code"] == "SS-007"
    assert (await private.get("/?token=wrong")).status == 401
    r = await private.get("/?token=let-me-in-please")
    assert r.status in (200, 302, 303)
    assert "let-me-in-please" not in str(r.cookies)  # the cookie is not the token itself
    r = await private.post("/api/chat", json={"text": "hi"})  # the cookie is enough from now on
    assert r.status == 200 and (await r.json())["error"] is None
    private.session.cookie_jar.clear()
    r = await private.post("/login", data={"token": "let-me-in-please"})  # the page's form
    assert r.status in (200, 302, 303)
    assert (await private.post("/api/chat", json={"text": "hi"})).status == 200
    assert (await private.get("/healthz")).status == 200


async def test_every_visitor_is_their_own_workspace(db_url: str) -> None:
    """Old code: every visitor shared workspace `web`: the first to set up a restaurant owned it for all."""
    async for core, c in _client(db_url):
        r = await c.post("/api/chat", json={"text": "set up a restaurant called EvilBar"})
        evil = r.cookies[COOKIE].value
        assert "EvilBar" in (await r.json())["text"]
        c.session.cookie_jar.clear()
        r = await c.post("/api/chat", json={"text": "show the menu"})
        other = r.cookies[COOKIE].value
        assert "EvilBar" not in (await r.json())["text"]
        from adapters.web.session import state_key

        a, b = await core.identity.resolve(state_key(evil)), await core.identity.resolve(state_key(other))
        assert a.workspace_id != b.workspace_id


@pytest.mark.parametrize(("base", "secure"), [("https://sake.example", True), ("http://sake.example", False)])
async def test_the_secure_flag_follows_public_base_url(db_url: str, base: str, secure: bool) -> None:
    """Old code: Secure only when the Host header equalled PUBLIC_BASE_URL's (any other Host: not Secure)."""
    async for _, c in _client(db_url, PUBLIC_BASE_URL=base):
        r = await c.post("/api/chat", json={"text": "hi"})
        assert bool(r.cookies[COOKIE]["secure"]) is secure


async def _post(c: TestClient, origin: str) -> Any:
    c.session.cookie_jar.clear()
    return await c.post("/api/chat", json={"text": "hi"}, headers={"Origin": origin})


async def test_the_origin_check_compares_the_scheme(db_url: str) -> None:
    async for _, c in _client(db_url, PUBLIC_BASE_URL="https://sake.example"):
        assert (await _post(c, "https://sake.example")).status == 200
        assert (await _post(c, "http://sake.example")).status == 403  # old code: accepted (netloc only)
        own = f"http://{c.host}:{c.port}"
        assert (await _post(c, own)).status == 200
        assert (await _post(c, own.replace("http://", "https://"))).status == 403


async def test_new_sessions_are_limited_per_address(db_url: str) -> None:
    """Old code: every cookie-less post was a new user, answered, without limit."""
    async for core, c in _client(db_url):
        limit = core.sensei.limiter.limits.new_sessions.count  # type: ignore[union-attr]
        statuses = []
        for _ in range(limit + 3):
            c.session.cookie_jar.clear()
            statuses.append((await c.post("/api/chat", json={"text": "hi"})).status)
        assert statuses[:limit] == [200] * limit
        assert statuses[limit:] == [429] * 3
        r = await c.post("/api/chat", json={"text": "hi"})
        assert (await r.json())["error"]["code"] == "SS-009"
        c.session.cookie_jar.clear()
        r = await c.post("/api/chat", json={"text": "hi"}, headers={"Cookie": f"{COOKIE}={'a' * 32}"})
        assert r.status == 200  # a visitor who already has an identity is not held up
