"""A day-old Slack flight: `serve`'s sweep posts its reveal in the flight's thread with chat.postMessage
and uploads its picture, through the real slack_sdk against the fake Slack, once; a rate limit is
retried on the next sweep, a channel the bot was removed from is given up."""

from __future__ import annotations

import pytest

from adapters.slack.poster import target_of
from bot.posters import REVEAL_SWEEP
from core.flights.sweep import SweepRun
from core.messages import StateKey
from core.transport import Undelivered
from tests.adapters.day_old_flight import day_old_flight, reveal_row

KEY = StateKey("slack", "T111", "C42/1700000001.000100", "U1")


async def test_the_reveal_is_posted_in_the_flights_thread_once(make_harness) -> None:  # type: ignore[no-untyped-def]
    h = await make_harness()
    flight = await day_old_flight(h.core, KEY)
    sweep = h.client.server.app[REVEAL_SWEEP]
    assert await sweep.run() == SweepRun(closed=1, posted=1)
    [posted] = h.fake.calls_to("chat.postMessage")
    assert posted.args["channel"] == "C42" and posted.args["thread_ts"] == "1700000001.000100"
    assert "left open for a day" in posted.args["text"] and posted.token == "xoxb-test-token-T111"
    assert h.fake.calls_to("files.completeUploadExternal")  # the reveal's picture
    assert await sweep.run() == SweepRun()
    assert len(h.fake.calls_to("chat.postMessage")) == 1
    row = await reveal_row(h.core, flight)
    assert row is not None and row.outcome == "posted"


async def test_a_rate_limit_is_retried_on_the_next_sweep(make_harness) -> None:  # type: ignore[no-untyped-def]
    h = await make_harness()
    await day_old_flight(h.core, KEY)
    h.fake.fail("chat.postMessage", status=429, error="ratelimited", retry_after=0, times=4)  # past the SDK's 3 retries
    sweep = h.client.server.app[REVEAL_SWEEP]
    assert await sweep.run() == SweepRun(closed=1, retrying=1)
    assert await sweep.run() == SweepRun(posted=1)
    assert len(h.fake.calls_to("chat.postMessage")) == 5


async def test_a_channel_the_bot_left_is_given_up(make_harness) -> None:  # type: ignore[no-untyped-def]
    h = await make_harness()
    flight = await day_old_flight(h.core, KEY)
    h.fake.fail("chat.postMessage", status=200, error="not_in_channel", retry_after=None)
    sweep = h.client.server.app[REVEAL_SWEEP]
    assert await sweep.run() == SweepRun(closed=1, given_up=1)
    row = await reveal_row(h.core, flight)
    assert row is not None and row.outcome == "given_up" and row.last_error == "not_in_channel"


def test_app_home_is_no_channel() -> None:
    assert target_of("C1").channel == "C1" and target_of("C1").thread_ts is None
    with pytest.raises(Undelivered) as e:
        target_of("home:U1")
    assert not e.value.transient
