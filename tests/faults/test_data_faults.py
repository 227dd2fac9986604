"""Faults under a turn: a model answering nonsense, SQLite busy, PostgreSQL connections cut mid-run.

Each asserts the user got an answer and that nothing was lost or doubled (inbox rows counted).
Elsewhere already: the model raising and timing out (tests/core/agent/test_bad_llm.py:
test_raising_model_falls_back_to_offline, test_timeout_falls_back_to_offline), 429/5xx from a
model over HTTP (tests/core/agent/test_llm_http.py), LINE answering 429 and 500
(tests/adapters/line/test_line_webhook.py: test_429_and_5xx_are_retried_with_backoff), Discord
answering 429 (tests/adapters/discord/test_discord_gateway.py).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.server import make_app
from bot.wiring import Core, build_core
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.db.inbox_tables import InboxEvent
from tests.conftest import BACKEND
from tests.core.agent.test_bad_llm import chat_with, llm

ORIGIN = "http://sake.example"  # http: the test client speaks http, and a Secure cookie would not come back


# ---- the model answering nonsense --------------------------------------------------------------------

NONSENSE = {
    "empty": lambda: ModelResponse(parts=[TextPart("")]),
    "whitespace": lambda: ModelResponse(parts=[TextPart(" \n\t ")]),
    "control bytes": lambda: ModelResponse(parts=[TextPart("\x00\x1b[2J\x07")]),
    "a wall of junk": lambda: ModelResponse(parts=[TextPart("銘柄" * 40_000)]),
    "tool args not json": lambda: ModelResponse(parts=[ToolCallPart("sake_details", "{name: dassai")]),
}


@pytest.mark.parametrize("kind", list(NONSENSE))
async def test_a_model_answering_nonsense_still_gets_the_user_an_answer(db: Database, catalog: Catalog, search: CatalogSearch,
                                                                        kind: str) -> None:
    calls = []

    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        calls.append(1)
        return NONSENSE[kind]()

    chat = chat_with(db, catalog, search, llm(fn))
    r = await chat.say("tell me about dassai")
    assert r.text and r.text.strip() and "\x00" not in r.text
    assert len(r.text) < 20_000  # the wall of junk is not passed on
    assert r.error is None or r.error["code"] in ("SS-003", "SS-008")


# ---- a real app on the database under test --------------------------------------------------------------

@pytest.fixture
async def app(db_url: str) -> AsyncIterator[tuple[Core, TestClient]]:
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url, "PUBLIC_BASE_URL": ORIGIN}))
    async with TestClient(TestServer(make_app(core))) as client:
        yield core, client
    await core.close()


async def inbox_rows(core: Core) -> int:
    async with core.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(InboxEvent)) or 0)


async def chat(client: TestClient, text_: str, msg_id: str) -> tuple[int, dict[str, Any]]:
    r = await client.post("/api/chat", json={"text": text_, "id": msg_id}, headers={"Origin": ORIGIN})
    return r.status, await r.json()


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's write lock")
async def test_sqlite_busy_for_a_moment_the_turn_waits_and_succeeds(app: tuple[Core, TestClient], db_url: str) -> None:
    core, client = app
    assert (await chat(client, "hello", "warm-up-000001"))[0] == 200
    before = await inbox_rows(core)
    locked, release = threading.Event(), threading.Event()

    def hold_write_lock() -> None:  # another process writing: holds the lock for 1.5 s (the busy timeout is 5 s)
        conn = sqlite3.connect(make_url(db_url).database, timeout=10, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(1.5)
        conn.execute("COMMIT")
        conn.close()

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    assert locked.wait(5)
    started = time.monotonic()
    status, body = await chat(client, "recommend a dry sake", "busy-msg-0001")
    waited = time.monotonic() - started
    holder.join()
    assert status == 200 and body["text"], body
    assert waited >= 1.0  # it really waited for the lock
    assert body.get("error") is None
    assert await inbox_rows(core) == before + 1
    # the browser retries the same message: not taken twice
    status, _ = await chat(client, "recommend a dry sake", "busy-msg-0001")
    assert status == 200 and await inbox_rows(core) == before + 1


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL backends")
async def test_postgres_connections_cut_mid_run_reconnect_and_answer(app: tuple[Core, TestClient], db_url: str) -> None:
    """Stands in for a PostgreSQL restart without restarting the shared server: every backend
    connection of this test's database is terminated between turns; the pool's pre-ping reconnects."""
    core, client = app
    assert (await chat(client, "hello", "pg-warm-00001"))[0] == 200
    before = await inbox_rows(core)
    name = make_url(db_url).database
    admin = Database(make_url(db_url).set(database="postgres").render_as_string(hide_password=False))
    try:
        async with admin.engine.connect() as conn:
            killed = (await conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"
            ), {"d": name})).scalar()
    finally:
        await admin.dispose()
    assert killed and killed >= 1
    for i in range(3):
        status, body = await chat(client, "recommend a dry sake", f"pg-after-cut-{i:03d}")
        assert status == 200 and body["text"] and body.get("error") is None, body
    assert await inbox_rows(core) == before + 3
    assert (await client.get("/readyz")).status == 200


async def test_a_burst_of_read_then_write_transactions_on_sqlite_is_never_locked_out(db_url: str) -> None:
    """Two processes' pools writing at once (read a row, then insert, in one transaction): with a
    deferred BEGIN SQLite refuses the late writer at once ("database is locked"), whatever the
    busy timeout (Database(immediate_writes=False) here: about half of these fail); write
    transactions that begin IMMEDIATE wait for the lock instead. benchmarks/sqlite_burst.py."""
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's locking")
    from sqlalchemy.exc import OperationalError

    from core.db.base import utcnow
    from core.db.inbox_tables import InboxEvent

    dbs = [Database(db_url) for _ in range(2)]
    locked = 0

    async def one(n: int) -> None:
        nonlocal locked
        try:
            async with dbs[n % 2].transaction() as s:
                await s.scalar(select(func.count()).select_from(InboxEvent))
                s.add(InboxEvent(platform="burst", event_id=str(n), status="received", attempts=1, received_at=utcnow()))
        except OperationalError as e:
            assert "locked" in str(e)
            locked += 1

    try:
        await asyncio.gather(*(one(n) for n in range(120)))
        async with dbs[0].session() as s:
            saved = await s.scalar(select(func.count()).select_from(InboxEvent).where(InboxEvent.platform == "burst"))
    finally:
        for db in dbs:
            await db.dispose()
    assert locked == 0 and saved == 120
