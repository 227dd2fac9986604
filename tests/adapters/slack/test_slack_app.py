"""End to end: signed requests into `sake-sensei serve`'s app, answers through the fake Web API."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from core.messages import Action, Card, Reply, ReplyImage
from tests.adapters.slack.conftest import SECRET, TOKEN, Harness, ScriptedBrain, event_body, payload
from tests.fakes.slack import FakeSlack


async def test_url_verification(make_harness) -> None:
    h: Harness = await make_harness()
    r = await h.post(payload("event_url_verification.json"))
    assert r.status == 200
    assert "challenge" in await r.text()


async def test_dm_answered_with_a_sake_card(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness()
    r = await h.post(event_body("event_message_im.json", text="tell me about 獺祭"))
    assert r.status == 200
    calls = await fake.wait_for("chat.postMessage")
    call = calls[0]
    assert call.token == TOKEN and call.args["channel"] == "D111" and not call.args.get("thread_ts")
    blocks = call.args["blocks"]
    text = str(blocks)
    assert "獺祭" in text and "旭酒造" in text and "▰" in text
    values = [el.get("value") for b in blocks if b["type"] == "actions" for el in b["elements"]]
    assert any(v and v.startswith("log:") for v in values) and any(v and v.startswith("wish:") for v in values)


async def test_retry_and_duplicate_are_handled_once(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    body = event_body("event_message_im.json", text="hello there")
    first = await h.post(body)
    retry = await h.post(body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    dup = await h.post(body)
    assert (first.status, retry.status, dup.status) == (200, 200, 200)
    await h.settle()
    await asyncio.sleep(0.1)
    assert len(brain.turns) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_duplicate_across_two_server_processes(make_harness, fake: FakeSlack) -> None:
    """Two servers on one database (two processes behind a load balancer): one answer."""
    brain_a, brain_b = ScriptedBrain(), ScriptedBrain()
    a: Harness = await make_harness(brain_a)
    b: Harness = await make_harness(brain_b)
    body = event_body("event_message_im.json", text="hello there")
    ra, rb = await asyncio.gather(a.post(body), b.post(body, headers={"X-Slack-Retry-Num": "1"}))
    assert ra.status == rb.status == 200
    await a.settle()
    await b.settle()
    assert len(brain_a.turns) + len(brain_b.turns) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_forged_and_stale_signatures_get_401_and_ss007_without_the_body(make_harness, caplog: pytest.LogCaptureFixture) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    secret_text = "my-private-words-in-the-body"
    body = event_body("event_message_im.json", text=secret_text)
    caplog.set_level(logging.DEBUG)
    forged = await h.post(body, secret="not-the-secret")
    stale = await h.post(body, timestamp=int(time.time()) - 600)
    unsigned = await h.client.post("/slack/events", data=b"{}", headers={"Content-Type": "application/json"})
    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    await asyncio.sleep(0.05)
    assert brain.turns == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged.count("SS-007") >= 3
    assert secret_text not in logged


async def test_bots_and_own_messages_are_ignored(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    own = event_body("event_message_im.json", user="UBOT111", text="my own answer")
    for body in (payload("event_message_im_from_bot.json"), payload("event_message_bot_message_classic.json"),
                 payload("event_message_from_other_app_bot.json"), own):
        r = await h.post(body)
        assert r.status == 200
    await h.settle()
    assert brain.turns == []
    assert fake.calls_to("chat.postMessage") == []


async def test_rate_limited_post_is_retried_after_retry_after(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness(ScriptedBrain())
    fake.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    await h.post(event_body("event_message_im.json", text="hello"))
    calls = await fake.wait_for("chat.postMessage", 2)
    assert time.monotonic() - started >= 0.9
    assert calls[1].args["text"] == "you said: hello"


async def test_other_api_failure_is_logged_and_user_gets_an_apology(make_harness, fake: FakeSlack, caplog) -> None:
    h: Harness = await make_harness(ScriptedBrain())
    fake.fail("chat.postMessage", status=200, error="invalid_blocks", retry_after=None)
    caplog.set_level(logging.ERROR)
    await h.post(event_body("event_message_im.json", text="hello"))
    calls = await fake.wait_for("chat.postMessage", 2)
    assert "Sorry" in calls[1].args["text"]
    assert any("invalid_blocks" in r.getMessage() for r in caplog.records)


async def test_slow_answer_shows_a_placeholder_then_updates_it(make_harness, fake: FakeSlack) -> None:
    async def slow(turn):
        await asyncio.sleep(0.6)
        return Reply(text="here you are", lang="en")

    h: Harness = await make_harness(ScriptedBrain(slow), placeholder_after=0.1)
    r = await h.post(event_body("event_message_im.json", text="hello"))
    assert r.status == 200
    placeholder = (await fake.wait_for("chat.postMessage"))[0]
    assert "Thinking" in placeholder.args["text"]
    update = (await fake.wait_for("chat.update"))[0]
    assert update.args["text"] == "here you are" and update.args["channel"] == "D111"
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_fast_answer_has_no_placeholder(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness(ScriptedBrain(), placeholder_after=1.0)
    await h.post(event_body("event_message_im.json", text="hello"))
    await fake.wait_for("chat.postMessage")
    await h.settle()
    assert len(fake.calls_to("chat.postMessage")) == 1 and fake.calls_to("chat.update") == []


async def test_ack_is_fast_even_when_the_answer_is_slow(make_harness) -> None:
    async def slow(turn):
        await asyncio.sleep(2)
        return Reply(text="late", lang="en")

    h: Harness = await make_harness(ScriptedBrain(slow))
    started = time.monotonic()
    r = await h.post(event_body("event_message_im.json", text="hello"))
    assert r.status == 200 and time.monotonic() - started < 0.5
