"""Property tests over each platform's signed webhook body: real payloads with parts replaced by
arbitrary JSON, correctly signed, into one real server (Slack, LINE and Discord on, the real SDKs,
the local fakes behind them).

Whatever the body: never a 5xx; a refusal (4xx) carries an SS code; once the queued work is done
nothing is left half-done (no inbox event still "received").
Cases found here are kept in `tests/bad_input/test_bad_input_corpus.py`'s PLATFORM_CASES.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.signing import SigningKey
from sqlalchemy import func, select

from bot.config import Settings
from bot.server import PLATFORMS, make_app
from bot.wiring import Core, build_core
from core.db.inbox_tables import InboxEvent
from core.db.job_tables import Job
from tests.fakes.discord import APP_ID, FakeDiscord
from tests.fakes.line import FakeLine
from tests.fakes.line import sign as line_sign
from tests.fakes.slack import FakeSlack
from tests.fakes.slack import sign as slack_sign

SLACK_SECRET = "fuzz-slack-secret"
SLACK_TOKEN = "xoxb-fuzz-token"
LINE_SECRET = "fuzz-line-secret"
DISCORD_KEY = SigningKey.generate()
TESTS = Path(__file__).resolve().parent.parent / "adapters"

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["", "message", "app_mention", "im", "channel", "U1", "C1", "<@UBOT>", "log 獺祭 4"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


def _load(folder: str, prefix: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((TESTS / folder / "payloads").glob(f"{prefix}*.json"))]


SLACK_EVENTS = _load("slack", "event_")
SLACK_INTERACTIVE = _load("slack", "interactive_")
LINE_EVENTS = [e for p in _load("line", "") for e in (p.get("events") or [p])] if (TESTS / "line" / "payloads").exists() else []
DISCORD = _load("discord", "interaction_")


def mutated(samples: list[dict[str, Any]], nested: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """A real payload with some of its keys (and some of `nested`'s) replaced by arbitrary JSON."""
    @st.composite
    def build(draw: Callable[..., Any]) -> dict[str, Any]:
        body = copy.deepcopy(draw(st.sampled_from(samples)))
        keys = sorted(body) + ["type", "event_id", "authorizations"]
        body.update(draw(st.dictionaries(st.sampled_from(keys), JSON, max_size=3)))
        inner = body.get(nested) if nested else None
        if isinstance(inner, dict):
            inner.update(draw(st.dictionaries(st.sampled_from(sorted(inner) + ["type", "subtype", "text", "files"]), JSON, max_size=3)))
        return body
    return build()


class Platforms:
    def __init__(self, loop: asyncio.AbstractEventLoop, core: Core, client: TestClient) -> None:
        self.loop, self.core, self.client = loop, core, client

    def post(self, path: str, raw: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        async def go() -> tuple[int, Any]:
            r = await self.client.post(path, data=raw, headers=headers)
            text = await r.text()
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = text
            return r.status, body
        return self.loop.run_until_complete(go())

    def settle(self) -> dict[str, int]:
        async def go() -> dict[str, int]:
            for _ in range(3000):
                if self.core.jobs.depth == 0:
                    break
                await asyncio.sleep(0.01)
            async with self.core.db.session() as s:
                pending = await s.scalar(select(func.count()).select_from(InboxEvent).where(InboxEvent.status == "received"))
                jobs = await s.scalar(select(func.count()).select_from(Job))
            return {"received": int(pending or 0), "jobs": int(jobs or 0)}
        return self.loop.run_until_complete(go())

    def check(self, status: int, body: Any) -> None:
        assert status < 500, (status, body)
        if status >= 400:
            assert isinstance(body, dict) and isinstance(body.get("error"), dict), body
            assert str(body["error"].get("code", "")).startswith("SS-"), body
        state = self.settle()
        assert state["received"] == 0, state  # every recorded event finished (or refused), none left half-done


@pytest.fixture
def platforms(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Platforms]:
    import discord.gateway
    import discord.http

    from adapters.discord.endpoints import point_at

    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    loop = asyncio.new_event_loop()

    async def up() -> tuple[Core, TestClient, FakeSlack, FakeLine, FakeDiscord]:
        slack = FakeSlack()
        slack.add_workspace(SLACK_TOKEN, "T111", bot_user_id="UBOT", bot_id="BBOT")
        await slack.start()
        line = await FakeLine().start()
        disc = await FakeDiscord().start()
        point_at(disc.api_url, disc.gateway_url)
        core = await build_core(Settings.from_env({
            "DATABASE_URL": db_url, "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_API_URL": slack.api_url,
            "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": line.access_token, "LINE_API_URL": line.api_url,
            "LINE_DATA_API_URL": line.data_url, "DISCORD_PUBLIC_KEY": DISCORD_KEY.verify_key.encode().hex(),
            "DISCORD_APPLICATION_ID": APP_ID, "DISCORD_API_URL": disc.api_url,
        }))
        app = make_app(core)
        assert set(app[PLATFORMS].values()) == {"enabled"}
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        return core, client, slack, line, disc

    core, client, slack, line, disc = loop.run_until_complete(up())
    try:
        yield Platforms(loop, core, client)
    finally:
        async def down() -> None:
            await client.close()
            await core.close()
            await slack.close()
            await line.close()
            await disc.stop()
        loop.run_until_complete(down())
        loop.close()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def slack_post(p: Platforms, raw: bytes, content_type: str) -> None:
    headers = {"Content-Type": content_type, **slack_sign(SLACK_SECRET, raw)}
    p.check(*p.post("/slack/events", raw, headers))


@FUZZ
@given(body=mutated(SLACK_EVENTS, nested="event"))
def test_slack_events_never_5xx(platforms: Platforms, body: dict[str, Any]) -> None:
    slack_post(platforms, json.dumps(body).encode(), "application/json")


@FUZZ
@given(body=mutated(SLACK_INTERACTIVE, nested="view"))
def test_slack_interactivity_never_5xx(platforms: Platforms, body: dict[str, Any]) -> None:
    slack_post(platforms, urlencode({"payload": json.dumps(body)}).encode(), "application/x-www-form-urlencoded")


@pytest.mark.parametrize("kind", ["view_closed", "view_submission"])
@pytest.mark.parametrize("view", [None, "x", [1]])
def test_slack_view_payload_without_a_view_object_is_400(platforms: Platforms, kind: str, view: Any) -> None:
    """Found by the fuzz test above: a view_closed with "view": null was a 500 from inside bolt."""
    body = {"type": kind, "team": {"id": "T0001"}, "user": {"id": "U0001"}, "api_app_id": "A1", "view": view}
    raw = urlencode({"payload": json.dumps(body)}).encode()
    status, answer = platforms.post(
        "/slack/events", raw, {"Content-Type": "application/x-www-form-urlencoded", **slack_sign(SLACK_SECRET, raw)}
    )
    assert status == 400, (status, answer)
    platforms.check(status, answer)


@pytest.mark.parametrize("field, value", [("action_id", []), ("action_id", {"a": 1}), ("block_id", 7), ("value", ["x"])])
def test_slack_block_suggestion_of_the_wrong_shape_is_400(platforms: Platforms, field: str, value: Any) -> None:
    """Found by the fuzz test above: a block_suggestion whose action_id was a list was a 500 from inside bolt
    (its options listener matches action_id with a regular expression before any of our code runs)."""
    body = {"type": "block_suggestion", "team": {"id": "T0001"}, "user": {"id": "U0001"}, "api_app_id": "A1",
            "action_id": "sake", "block_id": "b", "value": "dass", field: value}
    raw = urlencode({"payload": json.dumps(body)}).encode()
    status, answer = platforms.post(
        "/slack/events", raw, {"Content-Type": "application/x-www-form-urlencoded", **slack_sign(SLACK_SECRET, raw)}
    )
    assert status == 400, (status, answer)
    platforms.check(status, answer)


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["command", "text", "user_id", "channel_id", "team_id", "trigger_id", "response_url",
                                                "enterprise_id", "api_app_id", "payload"]),
                              st.text(max_size=30) | st.sampled_from(["/sake", "log 獺祭 4", "survey", "rec dry", "{", "[1]"]), max_size=6))
def test_slack_slash_commands_never_5xx(platforms: Platforms, fields: dict[str, str]) -> None:
    slack_post(platforms, urlencode({"command": "/sake", **fields}).encode(), "application/x-www-form-urlencoded")


@pytest.mark.skipif(not LINE_EVENTS, reason="no LINE payloads")
@FUZZ
@given(
    event=mutated(LINE_EVENTS or [{}], nested="message"),
    extra=st.dictionaries(st.sampled_from(["destination", "events"]), JSON, max_size=1),
)
def test_line_webhook_never_5xx(platforms: Platforms, event: dict[str, Any], extra: dict[str, Any]) -> None:
    raw = json.dumps({"destination": "Ubot", "events": [event], **extra}).encode()
    headers = {"Content-Type": "application/json", "X-Line-Signature": line_sign(LINE_SECRET, raw)}
    platforms.check(*platforms.post("/line/webhook", raw, headers))


@FUZZ
@given(body=mutated(DISCORD, nested="data"))
def test_discord_interactions_never_5xx(platforms: Platforms, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    ts = str(int(time.time()))
    headers = {"X-Signature-Ed25519": DISCORD_KEY.sign(ts.encode() + raw).signature.hex(), "X-Signature-Timestamp": ts,
               "Content-Type": "application/json"}
    platforms.check(*platforms.post("/discord/interactions", raw, headers))
