"""A flight on Slack with three people in one channel: `/sake flight` starts it (a typed command),
Join and the stars are buttons each person taps for themselves, the last rating brings the reveal;
a stranger's tap is refused with SS-010."""

from __future__ import annotations

import json
import re

from core import actions
from tests.adapters.slack.conftest import Harness
from tests.adapters.slack.test_slack_app import FORM, block_action, command
from tests.fakes.slack import FakeSlack, interactive

ALICE, BOB, CAROL, MALLORY = "W111", "W222", "W333", "W999"


def said(fake: FakeSlack, since: tuple[int, int] = (0, 0)) -> str:
    """Everything the bot has sent (since a `mark`), as one string."""
    return json.dumps([c.args for c in fake.calls[since[0]:]] + fake.responses[since[1]:], ensure_ascii=False)


def mark(fake: FakeSlack) -> tuple[int, int]:
    return len(fake.calls), len(fake.responses)


async def tap(h: Harness, fake: FakeSlack, user: str, action: actions.UserAction) -> str:
    before = mark(fake)
    body = block_action(actions.pack(action))
    body["user"] = {**body["user"], "id": user, "username": user.lower(), "name": user.lower()}
    r = await h.post(interactive(body), content_type=FORM)
    assert r.status == 200
    await h.settle()
    return said(fake, before)


async def test_a_whole_flight_on_slack(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness()
    r = await h.post(command(fake, "flight", "fl1"), content_type=FORM)
    assert r.status == 200
    await h.settle()
    started = said(fake)
    rates = re.findall(r'"(frate:(\d+):(\d+):1)"', started)
    assert len({b for _, _, b in rates}) == 3, started[:2000]  # three sakes, stars on each
    flight = int(rates[0][1])
    sakes = list(dict.fromkeys(int(b) for _, _, b in rates))
    assert f"fjoin:{flight}" in started and f"fend:{flight}" in started

    assert "SS-010" in await tap(h, fake, MALLORY, actions.FlightRate(flight, sakes[0], 1))  # not a member
    for who in (BOB, CAROL):
        assert "joined" in await tap(h, fake, who, actions.FlightJoin(flight))
    assert "SS-010" in await tap(h, fake, BOB, actions.FlightEnd(flight))  # only the starter ends it
    out = ""
    for who, stars in ((ALICE, (5, 3, 2)), (BOB, (4, 2, 3)), (CAROL, (5, 1, 4))):
        for brand, n in zip(sakes, stars, strict=True):
            out = await tap(h, fake, who, actions.FlightRate(flight, brand, n))
    assert "Flight results" in out and "Group favourite" in out and "best match" in out
    assert "1 of 3" not in out and "No ratings" not in out


async def test_flight_command_words_choose_the_size_and_the_theme(make_harness, fake: FakeSlack) -> None:
    """`/sake flight 4 niigata` is the typed command with its values, read by the core like "start a flight of
    4 niigata" (it used to be turned back into English text for the understanding to read again)."""
    h: Harness = await make_harness()
    r = await h.post(command(fake, "flight 4 niigata", "fl2"), content_type=FORM)
    assert r.status == 200
    await h.settle()
    started = said(fake)
    sakes = list(dict.fromkeys(int(b) for b in re.findall(r'"frate:\d+:(\d+):1"', started)))
    assert len(sakes) == 4, started[:2000]
    assert all(h.core.catalog.get(b).prefecture == "新潟県" for b in sakes)  # type: ignore[union-attr]
