"""End to end: POST /discord/interactions on the real server, signed with a test Ed25519 key pair,
with follow-ups sent by discord.py's Webhook to the fake Discord REST API."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from nacl.signing import SigningKey

from adapters.discord.endpoints import point_at
from adapters.discord.interactions import ENDPOINT, InteractionsEndpoint, Verifier
from adapters.discord.turns import DiscordTurns
from bot.config import Settings
from bot.server import PLATFORMS, make_app
from bot.wiring import Core, build_core
from core.actions import Similar, unpack
from core.messages import Button, Reply, StateKey
from core.texts import t
from tests.adapters.discord.conftest import PAYLOADS, ScriptedBrain, payload, with_brain
from tests.fakes.discord import APP_ID, CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord

KEY = SigningKey.generate()
PUBLIC_KEY = KEY.verify_key.encode().hex()


def signed(body: bytes, *, key: SigningKey = KEY, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    return {"X-Signature-Ed25519": key.sign(ts.encode() + body).signature.hex(), "X-Signature-Timestamp": ts,
            "Content-Type": "application/json"}


@pytest.fixture
async def server_core(db_url: str, fake: FakeDiscord) -> AsyncIterator[Core]:
    settings = Settings.from_env({"DATABASE_URL": db_url, "DISCORD_PUBLIC_KEY": PUBLIC_KEY, "DISCORD_APPLICATION_ID": APP_ID,
                                  "DISCORD_API_URL": fake.api_url})
    core = await build_core(settings)
    yield core
    await core.close()


@pytest.fixture
async def http(server_core: Core) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(make_app(server_core))) as client:
        yield client


async def post(http: TestClient, data: dict[str, Any], **sign: Any) -> Any:
    body = json.dumps(data).encode()
    return await http.post("/discord/interactions", data=body, headers=signed(body, **sign))


def brand_id(core: Core, name: str) -> int:
    return core.search.search(name, limit=1)[0].brand.id


async def test_ping_is_answered_with_pong(http: TestClient) -> None:
    r = await post(http, payload("interaction_ping.json"))
    assert r.status == 200 and r.headers["Content-Type"] == "application/json"
    assert await r.json() == {"type": 1}
    assert http.app[PLATFORMS]["discord"] == "enabled"


@pytest.mark.parametrize("how", ["forged", "other key", "missing", "stale", "tampered"])
async def test_a_bad_signature_is_refused_with_401_and_logged_without_the_body(http: TestClient, how: str,
                                                                             caplog: pytest.LogCaptureFixture) -> None:
    data = {**payload("interaction_ping.json"), "secret_marker": "do-not-log-me"}
    body = json.dumps(data).encode()
    headers = signed(body)
    if how == "forged":
        headers["X-Signature-Ed25519"] = "00" * 64
    elif how == "other key":
        headers = signed(body, key=SigningKey.generate())
    elif how == "missing":
        del headers["X-Signature-Ed25519"]
    elif how == "stale":
        headers = signed(body, timestamp=str(int(time.time()) - 3600))
    elif how == "tampered":
        body = body.replace(b"do-not-log-me", b"do-not-log-it")
    r = await http.post("/discord/interactions", data=body, headers=headers)
    assert r.status == 401
    assert (await r.json())["error"]["code"] == "SS-007"
    assert "SS-007" in caplog.text and "do-not-log" not in caplog.text


async def test_a_command_is_deferred_then_answered_with_a_follow_up(http: TestClient, server_core: Core, fake: FakeDiscord) -> None:
    data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [
        {"name": "rec", "type": 1, "options": [{"name": "request", "type": 3, "value": "dassai"}]}]})
    started = time.perf_counter()
    r = await post(http, data)
    assert time.perf_counter() - started < 3
    assert r.status == 200 and await r.json() == {"type": 5, "data": {}}
    [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{data['token']}")
    assert follow.query.get("wait") in ("1", "true")  # the first follow-up replaces the "thinking" message
    assert follow.payload["embeds"][0]["title"] == "獺祭 (dassai)"
    assert list(follow.files) == [f"chart-{brand_id(server_core, '獺祭')}.png"]


async def test_a_button_click_saves_the_rating_through_the_core(db_url: str, fake: FakeDiscord, server_core: Core) -> None:
    dassai = brand_id(server_core, "獺祭")
    brain = ScriptedBrain(lambda turn: Reply(text="Saved: 獺祭 ★4", lang=turn.lang, actions=[Button(Similar(dassai), "Similar")]))
    server_core.sensei = with_brain(server_core, brain)
    async with TestClient(TestServer(make_app(server_core))) as http:
        click = fake.interaction(3, {"custom_id": f"sel:rate:{dassai}", "component_type": 3, "values": ["4"]})
        r = await post(http, click)
        assert await r.json() == {"type": 5, "data": {"flags": 64}}
        [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{click['token']}")
        again = await post(http, click)  # the same interaction delivered twice (or re-posted): it does nothing
        assert again.status == 200
        await asyncio.sleep(0.3)
        await http.app[ENDPOINT].jobs.drain(5)
    assert fake.calls_to("DELETE", rf"/webhooks/{APP_ID}/{click['token']}.*") == []  # the answer stays
    assert [t.message.action for t in brain.turns] == [unpack(f"rate:{dassai}:4")]
    assert len(fake.calls_to("POST", rf"/webhooks/{APP_ID}/{click['token']}")) == 1
    assert brain.turns[0].message.key.workspace == GUILD_ID
    assert follow.payload["content"] == "Saved: 獺祭 ★4"
    assert follow.payload["components"][0]["components"][0]["custom_id"] == f"similar:{dassai}"


async def test_a_job_whose_process_died_mid_turn_is_finished_by_the_next(fake: FakeDiscord, server_core: Core) -> None:
    dassai = brand_id(server_core, "獺祭")
    click = fake.interaction(3, {"custom_id": f"btn:similar:{dassai}", "component_type": 2})
    await server_core.inbox.claim("discord", click["id"])  # recorded by a process that was then killed
    async with TestClient(TestServer(make_app(server_core))) as http:
        endpoint = http.app[ENDPOINT]
        await endpoint.follow_up({"interaction": click, "ephemeral": False})  # the durable queue hands the job over
    [follow] = fake.calls_to("POST", rf"/webhooks/{APP_ID}/{click['token']}")
    assert follow.payload["content"] and await server_core.inbox.status("discord", click["id"]) == "done"


async def test_log_with_notes_opens_the_tasting_note_modal(http: TestClient, server_core: Core, fake: FakeDiscord) -> None:
    dassai = brand_id(server_core, "獺祭")
    r = await post(http, fake.interaction(3, {"custom_id": f"note:{dassai}", "component_type": 2}))
    body = await r.json()
    assert body["type"] == 9 and body["data"]["custom_id"] == f"note:{dassai}"
    assert [c["component"]["custom_id"] for c in body["data"]["components"]] == ["rating", "notes", "temperature", "food"]


async def test_autocomplete_offers_catalog_brands(http: TestClient, server_core: Core, fake: FakeDiscord) -> None:
    data = fake.interaction(4, {"id": "1", "name": "sake", "type": 1, "options": [
        {"name": "log", "type": 1, "options": [{"name": "sake", "type": 3, "value": "くぼた", "focused": True}]}]}, locale="ja")
    body = await (await post(http, data)).json()
    assert body["type"] == 8
    assert str(brand_id(server_core, "久保田")) in [c["value"] for c in body["data"]["choices"]]


async def test_log_with_an_unknown_sake_is_the_cores_answer(http: TestClient, fake: FakeDiscord) -> None:
    data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [
        {"name": "log", "type": 1, "options": [{"name": "sake", "type": 3, "value": "獺祭 おいしい"}]}]}, locale="en-US")
    body = await (await post(http, data)).json()
    assert body == {"type": 5, "data": {"flags": 64}}
    [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{data['token']}")
    content = follow.payload["content"]
    assert content.startswith("そのお酒はカタログに見つかりませんでした。 近い候補: ") and content.endswith("\n-# SS-002")
    assert "獺祭 (旭酒造, 山口県)" in content
    assert follow.payload["flags"] & 64


async def test_an_unknown_command_is_answered_in_the_language_the_user_last_wrote_in(http: TestClient, fake: FakeDiscord,
                                                                                       server_core: Core) -> None:
    """Discord's locale says nothing of a French client; the core knows this user writes Japanese."""
    await server_core.sensei.identity.resolve(StateKey("discord", GUILD_ID, CHANNEL_ID, USER_ID), language="ja")
    data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [{"name": "dance", "type": 1}]}, locale="fr")
    body = await (await post(http, data)).json()
    assert body == {"type": 5, "data": {"flags": 64}}
    [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{data['token']}")
    assert follow.payload["content"] == t("command.unknown", "ja")


SAMPLES = sorted(p.name for p in PAYLOADS.glob("*.json") if p.name.startswith(("interaction_", "webhook_event_")))


@pytest.mark.parametrize("name", SAMPLES)
async def test_every_published_sample_gets_a_2xx(http: TestClient, name: str) -> None:
    r = await post(http, payload(name))
    assert 200 <= r.status < 300, await r.text()
    if name.startswith("webhook_event_"):
        assert r.status == 204
        return
    body = await r.json()
    # A component can only be clicked on our own messages: a custom_id we never issued (tampered, or an
    # older release's) is a turn that the core answers "that button is no longer valid" (5: deferred);
    # so is a command that is not ours (the core says so, only to the user who asked).
    expected = {"interaction_ping.json": 1, "interaction_autocomplete_minimal.json": 8, "interaction_autocomplete_partial.json": 8,
                "interaction_message_component_button.json": 5, "interaction_message_component_minimal.json": 5,
                "interaction_message_component_string_select.json": 5, "interaction_modal_submit_text_input.json": 6}
    assert body["type"] == expected.get(name, 5), body


async def test_the_route_answers_404_when_discord_is_not_configured(db_url: str) -> None:
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        async with TestClient(TestServer(make_app(core))) as http:
            body = json.dumps(payload("interaction_ping.json")).encode()
            r = await http.post("/discord/interactions", data=body, headers=signed(body))
            assert r.status == 404
            assert http.app[PLATFORMS]["discord"] == "disabled"
    finally:
        await core.close()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"type": "2"}', b'{"type": 2, "data": []}'])
async def test_a_signed_body_that_is_not_an_interaction_is_a_400(http: TestClient, body: bytes) -> None:
    r = await http.post("/discord/interactions", data=body, headers=signed(body))
    assert r.status == 400 and "error" in await r.json()


class SlowQueue:
    """A job queue whose database write takes longer than Discord waits, or fails."""

    def __init__(self, delay: float, fail: bool = False) -> None:
        self.delay, self.fail = delay, fail
        self.handlers: dict[str, Any] = {}
        self.submitted: list[dict[str, Any]] = []

    def register(self, name: str, handler: Any) -> None:
        self.handlers[name] = handler

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None:
        await asyncio.sleep(self.delay)
        if self.fail:
            raise ConnectionError("database unreachable")
        self.submitted.append(payload)


async def test_a_slow_queue_does_not_hold_the_ack_past_the_budget(server_core: Core, fake: FakeDiscord) -> None:
    queue = SlowQueue(0.5)
    endpoint = InteractionsEndpoint(verifier=Verifier(PUBLIC_KEY), turns=DiscordTurns(server_core.sensei), search=server_core.search,
                                    jobs=queue, ack_budget=0.1)  # type: ignore[arg-type]
    data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [{"name": "history", "type": 1}]})
    started = time.perf_counter()
    assert (await endpoint.respond(data))["type"] == 5
    assert time.perf_counter() - started < 0.4 and queue.submitted == []
    await asyncio.sleep(0.6)
    assert [p["interaction"]["id"] for p in queue.submitted] == [data["id"]], "stored (and run) once the write finishes"


async def test_a_queue_that_fails_still_answers_without_it(server_core: Core, fake: FakeDiscord, caplog: pytest.LogCaptureFixture) -> None:
    endpoint = InteractionsEndpoint(verifier=Verifier(PUBLIC_KEY), turns=DiscordTurns(server_core.sensei), search=server_core.search,
                                    jobs=SlowQueue(0, fail=True), application_id=APP_ID)  # type: ignore[arg-type]
    point_at(fake.api_url)
    await endpoint.start()
    try:
        data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [
            {"name": "rec", "type": 1, "options": [{"name": "request", "type": 3, "value": "dassai"}]}]})
        assert (await endpoint.respond(data))["type"] == 5
        [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{data['token']}")
    finally:
        await endpoint.close()
    assert follow.payload["embeds"][0]["title"].startswith("獺祭")
    assert "could not be queued" in caplog.text


async def test_a_late_job_that_cannot_be_stored_is_answered_too(server_core: Core, fake: FakeDiscord) -> None:
    endpoint = InteractionsEndpoint(verifier=Verifier(PUBLIC_KEY), turns=DiscordTurns(server_core.sensei), search=server_core.search,
                                    jobs=SlowQueue(0.3, fail=True), application_id=APP_ID, ack_budget=0.05)  # type: ignore[arg-type]
    point_at(fake.api_url)
    await endpoint.start()
    try:
        data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [{"name": "history", "type": 1}]})
        assert (await endpoint.respond(data))["type"] == 5
        [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{data['token']}")
    finally:
        await endpoint.close()
    assert follow.payload["flags"] & 64
