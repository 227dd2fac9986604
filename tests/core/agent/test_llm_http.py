"""Language-model mode over real HTTP: a fake OpenAI-compatible server on 127.0.0.1 (no internet).

It answers 429 and 503 before it answers properly, so the retries with backoff are exercised
through the real OpenAI SDK and pydantic-ai's OpenAI model; then a server that always fails,
and one that asks for a tool that does not exist.
"""

from __future__ import annotations

import json
from typing import Any, AsyncIterator, Callable

import pytest
from aiohttp import web

from core.agent.models.llm import build_llm
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from tests.core.agent.conftest import make_chat

pytest.importorskip("openai")


def completion(message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def tool_call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return completion(
        {"content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}]},
        "tool_calls",
    )


class FakeOpenAI:
    def __init__(self, script: Callable[[int, dict[str, Any]], web.Response]) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        return self.script(len(self.requests), body)


@pytest.fixture
async def fake_openai(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Callable[[Callable[[int, dict[str, Any]], web.Response]], Any]]:
    runners: list[web.AppRunner] = []

    async def start(script: Callable[[int, dict[str, Any]], web.Response]) -> FakeOpenAI:
        fake = FakeOpenAI(script)
        app = web.Application()
        app.router.add_post("/v1/chat/completions", fake.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-real")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        return fake

    yield start
    for r in runners:
        await r.cleanup()


async def test_retries_429_and_5xx_then_uses_tools(fake_openai: Any, db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    def script(n: int, body: dict[str, Any]) -> web.Response:
        if n == 1:
            return web.json_response({"error": {"message": "slow down", "type": "rate_limit"}}, status=429)
        if n == 2:
            return web.json_response({"error": {"message": "overloaded"}}, status=503)
        if n == 3:
            assert {t["function"]["name"] for t in body["tools"]} >= {"sake_details", "recommend", "log_tasting"}
            assert "user_id" not in json.dumps(body["tools"])
            return web.json_response(tool_call("sake_details", {"name": "dassai"}))
        return web.json_response(completion({"content": "獺祭 is brewed by 旭酒造 in 山口県."}, "stop"))

    fake = await fake_openai(script)
    chat = make_chat(db, catalog, search, model=build_llm("openai-chat:gpt-4o-mini", base_delay=0.01))
    r = await chat.say("tell me about dassai")
    assert r.error is None and r.tools == ["sake_details"] and r.cards[0].brand_id == 887
    assert r.text == "獺祭 is brewed by 旭酒造 in 山口県."
    assert len(fake.requests) == 4  # 429, 503, tool call, answer: our retries, none by the SDK


async def test_a_server_that_keeps_failing_is_answered_offline(
    fake_openai: Any, db: Database, catalog: Catalog, search: CatalogSearch
) -> None:
    fake = await fake_openai(lambda n, body: web.json_response({"error": {"message": "down"}}, status=500))
    chat = make_chat(db, catalog, search, model=build_llm("openai-chat:gpt-4o-mini", base_delay=0.01, retries=2))
    r = await chat.say("獺祭について教えて")
    assert r.error is not None and r.error["code"] == "SS-003" and r.lang == "ja"
    assert r.tools == ["sake_details"] and r.cards[0].brand_id == 887 and "旭酒造" in r.text
    assert len(fake.requests) == 3


async def test_a_bad_request_is_not_retried(fake_openai: Any, db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    fake = await fake_openai(lambda n, body: web.json_response({"error": {"message": "bad key"}}, status=401))
    chat = make_chat(db, catalog, search, model=build_llm("openai-chat:gpt-4o-mini", base_delay=0.01))
    r = await chat.say("hi")
    assert r.error is not None and r.error["code"] == "SS-003" and len(fake.requests) == 1


async def test_an_unknown_tool_over_http_is_ss008(fake_openai: Any, db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    await fake_openai(lambda n, body: web.json_response(tool_call("delete_everything", {"confirm": True})))
    chat = make_chat(db, catalog, search, model=build_llm("openai-chat:gpt-4o-mini", base_delay=0.01))
    r = await chat.say("recommend a dry sake")
    assert r.error is not None and r.error["code"] == "SS-008" and r.tools == ["recommend"] and r.cards
