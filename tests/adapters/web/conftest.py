"""A real core (test database, bundled catalog) behind the real aiohttp app, for the web chat tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.server import make_app
from bot.wiring import Core, build_core


@pytest.fixture
async def core(db_url: str) -> AsyncIterator[Core]:
    # http: the cookie is Secure exactly when PUBLIC_BASE_URL is https (test_webchat_modes.py),
    # and the test client speaks plain http
    built = await build_core(Settings.from_env({"DATABASE_URL": db_url, "PUBLIC_BASE_URL": "http://sake.example"}))
    yield built
    await built.close()


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(make_app(core))) as c:
        yield c
