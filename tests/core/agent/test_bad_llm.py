"""A language model that misbehaves: every turn still ends with an answer, coded SS-003 or SS-008.

The "LLM" is a pydantic-ai FunctionModel standing in for a provider; no network is used.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel

from core.agent.models.llm import ResilientModel, build_llm
from core.catalog import Catalog, CatalogSearch
from core.db import Database
from tests.core.agent.conftest import Chat, make_chat


def last_returns(messages: list[ModelMessage]) -> list[ToolReturnPart]:
    last = messages[-1]
    return [p for p in last.parts if isinstance(p, ToolReturnPart)] if isinstance(last, ModelRequest) else []


def llm(fn: Any) -> ResilientModel:
    async def no_sleep(_: float) -> None:
        return None

    return ResilientModel(FunctionModel(fn, model_name="fake-llm"), timeout=0.5, retries=2, sleep=no_sleep)


def chat_with(db: Database, catalog: Catalog, search: CatalogSearch, model: Any, **options: Any) -> Chat:
    return make_chat(db, catalog, search, model=model, **options)


async def test_a_good_llm_uses_the_tools_and_its_own_words(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if returns := last_returns(messages):
            return ModelResponse(parts=[TextPart(f"Sure: {returns[0].content['summary'].splitlines()[0]}")])
        return ModelResponse(parts=[ToolCallPart("sake_details", {"name": "dassai"})])

    chat = chat_with(db, catalog, search, llm(fn))
    r = await chat.say("tell me about dassai")
    assert r.error is None and r.tools == ["sake_details"] and r.text.startswith("Sure: 獺祭") and r.cards[0].brand_id == 887


async def test_wrong_argument_types_get_an_answer(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        last = messages[-1]
        if isinstance(last, ModelRequest) and any(getattr(p, "tool_name", None) for p in last.parts):
            return ModelResponse(parts=[TextPart("I could not look that up.")])
        return ModelResponse(parts=[ToolCallPart("recommend", {"mode": "nonsense", "limit": "many", "want": "dry"})])

    chat = chat_with(db, catalog, search, llm(fn))
    r = await chat.say("recommend something")
    assert r.text and r.error is None or r.error["code"] in ("SS-003", "SS-004")


async def test_unknown_tool_is_ss008_and_still_answers(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[ToolCallPart("drop_all_tables", {"really": True})])

    chat = chat_with(db, catalog, search, llm(fn))
    r = await chat.say("tell me about kubota")
    assert r.error is not None and r.error["code"] == "SS-008"
    assert r.tools == ["sake_details"] and r.cards[0].brand_id == 431  # the offline model answered the question
    assert "SS-008" in r.text


async def test_unknown_tool_then_recovery_keeps_llm_answer(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    calls = {"n": 0}

    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        calls["n"] += 1
        if calls["n"] == 1:
            return ModelResponse(parts=[ToolCallPart("get_weather", {})])
        return ModelResponse(parts=[TextPart("Only sake here, sorry.")])

    chat = chat_with(db, catalog, search, llm(fn))
    r = await chat.say("weather?")
    assert r.error is not None and r.error["code"] == "SS-008" and r.text.startswith("Only sake here")


async def test_endless_tool_loop_is_capped(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    calls = {"n": 0}

    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        calls["n"] += 1
        return ModelResponse(parts=[ToolCallPart("search_catalog", {"query": "dassai"})])

    chat = chat_with(db, catalog, search, llm(fn))
    r = await chat.say("find dassai")
    assert calls["n"] <= 12  # the usage limit stopped it
    assert r.error is not None and r.error["code"] == "SS-003" and r.text
    assert r.cards and r.cards[0].brand_id == 887  # what the tools found is still shown
    assert r.tools == ["search_catalog"]  # each tool listed once


async def test_raising_model_falls_back_to_offline(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise ModelHTTPError(503, "fake-llm", {"error": "overloaded"})

    model = llm(fn)
    chat = chat_with(db, catalog, search, model)
    r = await chat.say("log kubota 4 stars")
    assert r.error is not None and r.error["code"] == "SS-003" and "SS-003" in r.text
    assert r.tools == ["log_tasting"] and "★4" in r.text
    assert model.attempts == 3  # one try and two retries with backoff
    principal = await chat.sensei.identity.resolve(chat.key)
    assert len(await chat.brain.services.tastings.page(principal)) == 1


async def test_timeout_falls_back_to_offline(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    async def slow(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        await asyncio.sleep(5)
        return ModelResponse(parts=[TextPart("too late")])

    model = llm(slow)
    chat = chat_with(db, catalog, search, model)
    r = await chat.say("こんにちは")
    assert r.error is not None and r.error["code"] == "SS-003" and r.lang == "ja" and "Sake Sensei" in r.text
    assert model.attempts == 3


async def test_failure_after_a_write_is_not_redone(db: Database, catalog: Catalog, search: CatalogSearch) -> None:
    def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if last_returns(messages):
            raise RuntimeError("the model crashed while writing its answer")
        return ModelResponse(parts=[ToolCallPart("log_tasting", {"brand_id": 887, "rating": 5})])

    chat = chat_with(db, catalog, search, llm(fn))
    r = await chat.say("dassai was amazing, 5 stars")
    assert r.error is not None and r.error["code"] == "SS-003" and "獺祭" in r.text
    principal = await chat.sensei.identity.resolve(chat.key)
    assert len(await chat.brain.services.tastings.page(principal)) == 1  # logged once, not again by the fallback


async def test_backoff_retries_only_429_and_5xx() -> None:
    waits: list[float] = []

    async def sleep(s: float) -> None:
        waits.append(s)

    statuses = iter([429, 500, 200])

    def flaky(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        status = next(statuses)
        if status != 200:
            raise ModelHTTPError(status, "fake-llm")
        return ModelResponse(parts=[TextPart("ok")])

    from pydantic_ai import Agent

    model = ResilientModel(FunctionModel(flaky), retries=3, base_delay=1.0, sleep=sleep, jitter=lambda: 1.0)
    assert (await Agent(model).run("hi")).output == "ok"
    assert waits == [1.0, 2.0]  # exponential

    def bad_request(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise ModelHTTPError(400, "fake-llm")

    model = ResilientModel(FunctionModel(bad_request), retries=3, sleep=sleep)
    with pytest.raises(ModelHTTPError):
        await Agent(model).run("hi")
    assert model.attempts == 1


def test_model_strings() -> None:
    model = build_llm("test")
    assert isinstance(model.wrapped, TestModel)
    with pytest.raises(Exception):
        build_llm("nosuchprovider:model-x")


async def test_label_photos_reach_only_vision_models_and_their_reading_is_checked(
    db: Database, catalog: Catalog, search: CatalogSearch
) -> None:
    """The real LabelReader and matcher (OCR replaced by boxes RapidOCR once read from a 獺祭 label)."""
    import io

    from PIL import Image
    from pydantic_ai.messages import BinaryContent, UserPromptPart
    from pydantic_ai.profiles import ModelProfile

    from core.labels import LabelReader, LabelService, OcrPool, SeenPhotos
    from tests.core.labels.test_reader import RecordedEngine

    buf = io.BytesIO()
    Image.new("RGB", (900, 1200), (240, 235, 220)).save(buf, "JPEG")
    photo = buf.getvalue()
    seen: list[bool] = []

    def make(hint: str):  # type: ignore[no-untyped-def]
        def fn(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
            if returns := last_returns(messages):
                return ModelResponse(parts=[TextPart(returns[0].content["summary"])])
            first = messages[-1]
            seen.append(
                any(
                    isinstance(p, UserPromptPart)
                    and not isinstance(p.content, str)
                    and any(isinstance(c, BinaryContent) for c in p.content)
                    for p in first.parts
                )
            )
            return ModelResponse(parts=[ToolCallPart("identify_label", {"hint": hint})])

        return fn

    async def no_sleep(_: float) -> None:
        return None

    readers: list[LabelReader] = []

    def chat_reading(case: str | None, model: ResilientModel) -> Chat:
        chat = chat_with(db, catalog, search, model)
        reader = LabelReader(catalog, pool=OcrPool(factory=lambda: RecordedEngine(case), kind="thread"))  # type: ignore[arg-type]
        readers.append(reader)
        chat.brain.services.labels = LabelService(reader, SeenPhotos(db))
        return chat

    # A text-only model gets no image; the OCR reads the label and the catalog confirms it.
    blind = ResilientModel(FunctionModel(make("獺祭"), profile=ModelProfile(supports_image_input=False)), sleep=no_sleep)
    r = await chat_reading("dassai_photo_v", blind).say("what is this?", images=[photo])
    assert seen == [False] and r.cards[0].brand_id == 887 and r.error is None

    # A vision model sees the photo, but a name the catalog does not have is never named as a match.
    vision = ResilientModel(
        FunctionModel(make("Château Imaginaire Grand Cru"), profile=ModelProfile(supports_image_input=True)), sleep=no_sleep
    )
    r = await chat_reading(None, vision).say("what is this?", images=[photo])
    assert seen == [False, True]
    assert "Imaginaire" not in r.text and not r.cards and r.error is not None and r.error["code"] == "SS-005"

    # With no label text at all, a catalog name the model read still finds the sake.
    r = await chat_reading(
        None, ResilientModel(FunctionModel(make("獺祭"), profile=ModelProfile(supports_image_input=True)), sleep=no_sleep)
    ).say("what is this?", images=[photo])
    assert r.cards and r.cards[0].brand_id == 887
    for reader in readers:
        reader.close()
