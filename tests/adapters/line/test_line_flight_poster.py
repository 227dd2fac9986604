"""A day-old LINE group flight: `serve`'s sweep pushes its reveal to the group through the real
line-bot-sdk against the fake LINE, once, with a retry key made from the flight, so that a push
tried again after a lost answer is delivered once; LINE's 5xx past the retries waits for the next sweep."""

from __future__ import annotations

from adapters.line.poster import LinePoster
from bot.posters import REVEAL_SWEEP
from core.flights.sweep import SweepRun
from core.messages import Reply, StateKey
from tests.adapters.day_old_flight import day_old_flight, reveal_row
from tests.adapters.line.conftest import Line

GROUP = "C0123456789abcdef0123456789abcdef"
KEY = StateKey("line", GROUP, GROUP, "U0123456789abcdef0123456789abcdef")


async def test_the_reveal_is_pushed_to_the_group_once(line: Line) -> None:
    flight = await day_old_flight(line.core, KEY)
    sweep = line.client.server.app[REVEAL_SWEEP]
    assert await sweep.run() == SweepRun(closed=1, posted=1)
    [push] = line.pushes()
    assert push.body["to"] == GROUP and push.headers.get("X-Line-Retry-Key")
    text = " ".join(m.get("text", "") for m in push.body["messages"] if m["type"] == "text")
    assert "left open for a day" in text
    assert any(m["type"] == "image" for m in push.body["messages"])  # the reveal's picture
    assert await sweep.run() == SweepRun()
    assert len(line.pushes()) == 1
    row = await reveal_row(line.core, flight)
    assert row is not None and row.outcome == "posted"


async def test_lines_5xx_past_the_retries_waits_for_the_next_sweep_with_the_same_key(line: Line) -> None:
    await day_old_flight(line.core, KEY)
    line.fake.fail("/v2/bot/message/push", 500, 500, 500, 500)  # the bot's four attempts
    sweep = line.client.server.app[REVEAL_SWEEP]
    assert await sweep.run() == SweepRun(closed=1, retrying=1)
    assert await sweep.run() == SweepRun(posted=1)
    keys = {c.headers.get("X-Line-Retry-Key") for c in line.fake.attempts("/v2/bot/message/push")}
    assert len(keys) == 1 and len(line.pushes()) == 1


async def test_a_post_tried_again_after_a_lost_answer_is_delivered_once(line: Line) -> None:
    poster = LinePoster(line.bot)
    reply = Reply(text="the flight's results", lang="en")
    await poster.post(reply, GROUP, GROUP, key="flight-reveal-7")
    await poster.post(reply, GROUP, GROUP, key="flight-reveal-7")  # LINE answers 409: already delivered
    assert len(line.pushes()) == 1 and len(line.fake.attempts("/v2/bot/message/push")) == 2
    await poster.post(reply, GROUP, GROUP, key="flight-reveal-8")
    assert len(line.pushes()) == 2
