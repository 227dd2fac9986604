"""LINE's API unreachable for an hour: the answer waits in the job queue and is pushed after it.

The job queue's clock and sleep are fake, so the hour passes in a moment, far past the queue's
max_attempts; the turn runs once and its kept answer is what goes out (issue #21, item 4).
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
import pytest

from tests.adapters.line.conftest import SECRET, USER, Line, event
from tests.fakes.clock import FakeClock
from tests.fakes.line import sign

PUSH = "/v2/bot/message/push"


async def test_an_answer_waits_out_an_hour_long_outage_and_is_pushed_when_line_is_back(line: Line,
                                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock(datetime.now(timezone.utc))
    back_at = clock.now + timedelta(hours=1)
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        clock.advance(seconds=seconds)
        await asyncio.sleep(0.005)

    line.core.jobs.clock, line.core.jobs.sleep = clock, sleep
    line.core.sensei.resend_after = timedelta(0)  # the inbox's own clock is real: a pause of `after` (10 s) passes it
    push = line.bot._push

    async def push_unless_down(*args: Any, **kwargs: Any) -> None:
        if clock.now < back_at:
            raise aiohttp.ClientConnectionError("Cannot connect to host api.line.me:443")
        await push(*args, **kwargs)

    monkeypatch.setattr(line.bot, "_push", push_unless_down)
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    line.fake.expire_token(ev["replyToken"])  # an hour later only a push can answer
    raw = json.dumps({"destination": "Ubot", "events": [ev]}).encode()
    r = await line.client.post(
        "/line/webhook", data=raw, headers={"Content-Type": "application/json", "X-Line-Signature": sign(SECRET, raw)}
    )
    assert r.status == 200
    for _ in range(2000):
        if line.core.jobs.depth == 0:
            break
        await asyncio.sleep(0.005)
    assert line.core.jobs.depth == 0
    assert clock.now >= back_at and len(pauses) > 2 * 5  # the queue's max_attempts is 5
    [pushed] = line.pushes()
    assert pushed.body["to"] == USER
    assert len(line.brain.turns) == 1  # the turn ran once: the kept answer went out
