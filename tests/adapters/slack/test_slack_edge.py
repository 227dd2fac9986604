"""The edge of `POST /slack/events`: malformed requests, an outage of Slack's Web API, and the ack
path for events that need no turn (channel chatter, bots, edits, reactions)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db.inbox_tables import InboxEvent
from tests.adapters.slack.conftest import SECRET, TOKEN, Harness, ScriptedBrain, event_body, payload
from tests.fakes.clock import FakeClock
from tests.fakes.slack import FakeSlack, interactive

FORM = "application/x-www-form-urlencoded"


def _signed_headers(raw: bytes, timestamp: str, content_type: str = "application/json") -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


async def inbox_rows(h: Harness) -> int:
    async with h.core.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(InboxEvent).where(InboxEvent.platform == "slack")) or 0)


# ---- malformed requests -----------------------------------------------------------------------------


@pytest.mark.parametrize("stamp", ["abc", "", "12.5", "-1", "1e9", "٣٣٣", "9" * 400, " 1700000000"])
async def test_a_malformed_timestamp_is_refused_with_401_and_ss007(make_harness, stamp: str) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    raw = json.dumps(event_body("event_message_im.json", text="hello")).encode()
    r = await h.client.post("/slack/events", data=raw, headers=_signed_headers(raw, stamp))
    assert r.status == 401, await r.text()
    assert (await r.json())["error"]["code"] == "SS-007"
    await h.settle()
    assert brain.turns == [] and await inbox_rows(h) == 0


@pytest.mark.parametrize("raw, content_type", [
    (b'{"type": "event_callback", "event": ', "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'"just a string"', "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b"payload=%7Bnot%20json", FORM),
    (b"payload=%5B1%2C2%5D", FORM),
    (b"payload=%ff%fe", FORM),
])
async def test_a_signed_body_that_is_not_a_slack_payload_is_400(make_harness, fake: FakeSlack, raw: bytes, content_type: str) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    r = await h.client.post("/slack/events", data=raw, headers=_signed_headers(raw, str(int(time.time())), content_type))
    assert r.status == 400, (r.status, await r.text())
    assert (await r.json())["error"]["code"] == "SS-010"
    await h.settle()
    assert brain.turns == [] and await inbox_rows(h) == 0 and fake.calls_to("chat.postMessage") == []


# ---- Slack's Web API down -------------------------------------------------------------------------


async def test_acks_never_wait_for_the_web_api_and_answers_follow_when_it_is_back(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    h.bot.auth.retry_every = 0.05  # how soon the background auth.test tries again while Slack is down
    await fake.go_down()
    statuses, took = [], []
    for i in range(3):
        started = time.perf_counter()
        r = await h.post(event_body("event_message_im.json", text=f"hello {i}", channel=f"D11{i}", ts=f"1700000000.00{i}"),
                         headers={"X-Slack-Retry-Num": "0"} if i else None)
        took.append(time.perf_counter() - started)
        statuses.append(r.status)
        r = await h.post({**event_body("event_message_im.json", text=f"hello {i}", channel=f"D11{i}"), "event_id": f"EvDown{i}"})
        statuses.append(r.status)
    assert set(statuses) == {200}, statuses
    assert max(took) < 0.5, took
    await asyncio.sleep(0.5)  # the outage goes on for a while: the answers wait
    await fake.come_back()
    posts = await fake.wait_for("chat.postMessage", 4, timeout=15)
    await h.settle()
    await asyncio.sleep(0.2)
    posts = fake.calls_to("chat.postMessage")
    assert len(posts) == 4 and {p.token for p in posts} == {TOKEN}
    assert len(brain.turns) == 4  # each turn ran once; the kept answers went out


async def test_answers_wait_out_an_hour_long_outage_in_the_job_queue_and_go_out_when_slack_is_back(
        make_harness, fake: FakeSlack) -> None:
    """The job queue's clock and sleep are fake: an hour of Slack being down passes in a moment,
    far past the queue's max_attempts (5), and the kept answers (not new turns) go out after it."""
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    h.bot.auth.retry_every = 0.05
    h.bot.options = replace(h.bot.options, outage_wait=0.01)
    clock = FakeClock(datetime.now(timezone.utc))
    back_at = clock.now + timedelta(hours=1)
    runs: list[float] = []

    async def sleep(seconds: float) -> None:  # the clock moves until the hour is over, then stays
        runs.append(seconds)
        if clock.now < back_at:
            clock.advance(seconds=seconds)
        await asyncio.sleep(0.01)

    jobs = h.core.jobs
    jobs.clock, jobs.sleep = clock, sleep
    await fake.go_down()
    for i in range(2):
        r = await h.post({**event_body("event_message_im.json", text=f"hello {i}", channel=f"D3{i}"), "event_id": f"EvHour{i}"})
        assert r.status == 200
    for _ in range(1000):
        if clock.now >= back_at:
            break
        await asyncio.sleep(0.01)
    assert clock.now >= back_at, "the outage did not last an hour"
    assert len(runs) > 2 * 5 and jobs.depth == 2 and fake.calls_to("chat.postMessage") == []
    await fake.come_back()
    await fake.wait_for("chat.postMessage", 2, timeout=10)
    await h.settle()
    posts = fake.calls_to("chat.postMessage")
    assert sorted(p.args["text"] for p in posts) == ["you said: hello 0", "you said: hello 1"]
    assert len(brain.turns) == 2  # each turn ran once, before the outage was over: the kept answers went out
    async with h.core.db.session() as s:
        delivered = (await s.scalars(select(InboxEvent.delivered_at).where(InboxEvent.event_id.like("EvHour%")))).all()
    assert len(delivered) == 2 and all(delivered)


@pytest.mark.parametrize("method, status, content_type", [
    ("users.info", 405, "text/plain"), ("chat.postMessage", 502, "text/plain"), ("auth.test", 502, "text/plain"),
    ("users.info", 502, "application/json"), ("chat.postMessage", 502, "application/json"),
])
async def test_a_web_api_answer_that_is_not_json_does_not_lose_the_answer(make_harness, fake: FakeSlack, method: str,
                                                                         status: int, content_type: str) -> None:
    """A 405 or a proxy's HTML 502 has no JSON `error`: reading it used to raise AttributeError in
    the error handling, so the turn job died and the user got nothing (benchmarks/slack_ingress.py
    --kind dm answered 0 events: its fake Web API had no GET route, and users.info is a GET)."""
    brain = ScriptedBrain()
    fake.fail(method, status=status, retry_after=None, text="<html><body>Bad Gateway</body></html>", content_type=content_type)
    h: Harness = await make_harness(brain)
    r = await h.post({**event_body("event_message_im.json", text="hello", channel="D401"), "event_id": "EvNotJson"})
    assert r.status == 200
    posts = await fake.wait_for("chat.postMessage", 1 + (method == "chat.postMessage"), timeout=10)  # a failed call counts too
    await h.settle()
    post = posts[-1]
    assert post.args["text"] == "you said: hello" and len(brain.turns) == 1


async def test_auth_test_is_called_once_and_refreshed_in_the_background(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness(ScriptedBrain())
    for i in range(5):
        r = await h.post({**event_body("event_message_im.json", text=f"hi {i}", channel=f"D2{i}"), "event_id": f"EvAuth{i}"})
        assert r.status == 200
    await h.settle()
    await fake.wait_for("chat.postMessage", 5)
    assert len(fake.calls_to("auth.test")) <= 1


async def test_own_messages_are_ignored_before_auth_test_ever_answered(make_harness, fake: FakeSlack) -> None:
    """With Slack down from the start, the bot still knows itself from the event's `authorizations`."""
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    await fake.go_down()
    own = event_body("event_message_im.json", user="UBOT111", text="my own answer")
    own["authorizations"] = [{"enterprise_id": None, "team_id": "T111", "user_id": "UBOT111", "is_bot": True}]
    assert (await h.post(own)).status == 200
    await h.settle()
    assert brain.turns == [] and await inbox_rows(h) == 0
    await fake.come_back()


# ---- the ack path: events that need no turn ---------------------------------------------------------


NO_TURN = {
    "channel chatter": lambda: event_body("event_message_channel.json", text="lunch anyone?"),
    "a bot's message": lambda: payload("event_message_from_other_app_bot.json"),
    "a classic bot message": lambda: payload("event_message_bot_message_classic.json"),
    "an edit": lambda: payload("event_message_changed.json"),
    "a delete": lambda: payload("event_message_deleted.json"),
    "a reaction": lambda: payload("event_reaction_added.json"),
    "someone joined": lambda: payload("event_member_joined_channel.json"),
}


@pytest.mark.parametrize("name", list(NO_TURN))
async def test_events_that_need_no_turn_are_acked_without_the_inbox_or_bolt(make_harness, fake: FakeSlack, name: str,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    dispatched: list[Any] = []
    original = h.bot.app.async_dispatch

    async def spy(req: Any) -> Any:
        dispatched.append(req)
        return await original(req)

    monkeypatch.setattr(h.bot.app, "async_dispatch", spy)
    for retry in (None, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}):
        r = await h.post(NO_TURN[name](), headers=retry)
        assert r.status == 200
        assert await r.text() == ""
    await h.settle()
    assert dispatched == []
    assert await inbox_rows(h) == 0 and brain.turns == [] and fake.calls_to("chat.postMessage") == []


async def test_events_that_need_a_turn_still_go_through_once(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    mention = {**payload("event_app_mention.json"), "event_id": "EvMention1"}
    for body in (event_body("event_message_im.json", text="hello"), mention):
        for headers in (None, {"X-Slack-Retry-Num": "1"}):
            assert (await h.post(body, headers=headers)).status == 200
    await h.settle()
    await fake.wait_for("chat.postMessage", 2)
    await asyncio.sleep(0.1)
    assert len(brain.turns) == 2 and len(fake.calls_to("chat.postMessage")) == 2
    assert await inbox_rows(h) == 2


async def test_url_verification_and_interactivity_still_reach_bolt(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    r = await h.post(payload("event_url_verification.json"))
    assert r.status == 200 and "challenge" in await r.text()
    r = await h.post(interactive(payload("interactive_block_actions.json")), content_type=FORM)
    assert r.status == 200
