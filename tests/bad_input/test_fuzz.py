"""Fuzzing (Hypothesis) the chat text through Sensei and the offline brain, and the web chat's JSON API.

Properties: no 5xx and no internal failure (SS-003), an SS code on every refusal, nothing half-saved
(a turn that answers with an error saved no tasting), and every answer can be sent as UTF-8.
Every bug these find goes into tests/bad_input/corpus.json, whose cases are also the first examples.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.config import Settings
from bot.server import make_app
from bot.wiring import Core, build_core
from core.db import Database
from core.db.tasting_tables import TastingRow
from core.messages import Message, StateKey

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Any code point, surrogates and noncharacters included
ANY_CHAR = st.characters(codec=None, categories=None)
BRANDS = st.sampled_from(["dassai", "kubota", "獺祭", "久保田", "十四代", "jikon", "sake", ""])
NUMBERS = st.one_of(st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True, allow_infinity=True).map(str),
                    st.sampled_from(["nan", "NaN", "-0", "½", "4.5", "5", "0", "１０", "-1", "1e9", "٣"]))
SHAPED = st.builds(lambda verb, brand, n, unit, junk: f"{verb} {brand} {n} {unit}{junk}",
                   st.sampled_from(["log", "rate", "I drank", "gave", "記録", "make that", "delete", "forget", ""]),
                   BRANDS, NUMBERS, st.sampled_from(["stars", "star", "★", "点", "/5", "/10", "out of 5", "星", ""]),
                   st.text(ANY_CHAR, max_size=5))
TEXTS = st.one_of(st.text(ANY_CHAR, max_size=80), SHAPED)


async def tastings(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(TastingRow)) or 0)


@pytest.fixture
async def core(db_url: str) -> AsyncIterator[Core]:
    built = await build_core(Settings.from_env({"DATABASE_URL": db_url, "PUBLIC_BASE_URL": "http://sake.example"}))
    built.sensei.limiter = None  # the fuzzer sends far more than a person; limits have their own tests
    yield built
    await built.close()


@pytest.fixture
async def client(core: Core) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(make_app(core))) as c:
        yield c


def _with_corpus(test: Any) -> Any:
    for case in CORPUS["chat_texts"]:
        test = example(text=case["text"])(test)
    return test


@FUZZ
@given(text=TEXTS)
@_with_corpus
async def test_chat_text_through_sensei(core: Core, text: str) -> None:
    before = await tastings(core.db)
    reply = await core.sensei.handle(Message(key=StateKey("local", "local", "cli", "fuzz"), text=text))
    assert reply is not None
    after = await tastings(core.db)
    if reply.error is not None:
        assert reply.error["code"].startswith("SS-")
        assert reply.error["code"] != "SS-003", (text, reply)  # an internal failure, not a refusal
        assert after == before, (text, reply)  # refused: nothing half-saved
    assert abs(after - before) <= 1  # one turn logs, edits or deletes one tasting at most
    json.dumps(reply.to_json(), ensure_ascii=False).encode("utf-8")  # sendable


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHAR, max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(ANY_CHAR, max_size=8), inner, max_size=4),
                    max_leaves=12)
BODIES = st.one_of(
    JSON,
    st.fixed_dictionaries({"text": TEXTS}, optional={"lang": st.sampled_from(["en", "ja", "fr", 1, None]), "id": st.text(max_size=70)}),
    st.fixed_dictionaries(
        {"action": st.text(ANY_CHAR, max_size=40) | st.sampled_from(["rate:887:4", "log:887", "rate:887:99", "note:887"])},
        optional={"values": st.dictionaries(st.text(ANY_CHAR, max_size=8), JSON, max_size=3)},
    ),
)


async def _post(client: TestClient, path: str, raw: bytes) -> tuple[int, Any]:
    r = await client.post(path, data=raw, headers={"Content-Type": "application/json"})
    return r.status, await r.json()


@FUZZ
@given(path=st.sampled_from(["/api/chat", "/api/action"]), body=BODIES)
async def test_web_chat_json(client: TestClient, core: Core, path: str, body: Any) -> None:
    raw = json.dumps(body, ensure_ascii=True, allow_nan=True).encode()  # \ud800 travels as an escape, as from a browser
    before = await tastings(core.db)
    status, answer = await _post(client, path, raw)
    assert status < 500, (status, answer)
    error = answer.get("error")
    if status != 200:
        assert error and error["code"].startswith("SS-"), answer
        assert await tastings(core.db) == before
    elif error is not None:
        assert error["code"] != "SS-003", (body, answer)
        assert await tastings(core.db) == before


@FUZZ
@given(raw=st.binary(max_size=200) | st.text(ANY_CHAR, max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))
async def test_web_chat_raw_bytes(client: TestClient, raw: bytes) -> None:
    status, answer = await _post(client, "/api/chat", raw)
    assert status < 500 and (status == 200 or answer["error"]["code"].startswith("SS-")), (raw, status, answer)
