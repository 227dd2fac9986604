"""A flight (飲み比べ) in a LINE group with three friends: the rich menu's 飲み比べ starts it, Join and the
stars are postbacks each friend taps for themselves, a rating in words counts too, the last one brings
the reveal (a picture and a summary); a stranger's tap is refused (SS-010)."""

from __future__ import annotations

import json
import re

from core import actions
from tests.adapters.line.conftest import Line, event

GROUP = "Cf0000000000000000000000000000fff"
AKI, BEN, CHIE, STRANGER = (f"U{str(n) * 32}" for n in (1, 2, 3, 9))


async def tap(line: Line, user: str, action: actions.UserAction) -> str:
    before = len(line.replies())
    await line.post(event("event_postback.json", source={"type": "group", "groupId": GROUP, "userId": user},
                          postback={"data": actions.pack(action)}))
    replies = line.replies()[before:]
    assert len(replies) == 1, replies
    return json.dumps(replies[0], ensure_ascii=False)


async def say(line: Line, user: str, text: str) -> str:
    before = len(line.replies())
    await line.post(event("event_message_text_group.json", source={"type": "group", "groupId": GROUP, "userId": user}, message__text=text))
    replies = line.replies()[before:]
    assert len(replies) == 1, replies
    return json.dumps(replies[0], ensure_ascii=False)


async def test_a_whole_flight_in_a_line_group(line: Line) -> None:
    started = await tap(line, AKI, actions.Command("flight"))  # the rich menu's 飲み比べ
    rates = re.findall(r"frate:(\d+):(\d+):1", started)
    sakes = list(dict.fromkeys(int(b) for _, b in rates))
    assert len(sakes) == 3, started[:1500]
    flight = int(rates[0][0])
    assert f"fjoin:{flight}" in started

    assert "先に飲み比べに参加してください" in await tap(line, STRANGER, actions.FlightRate(flight, sakes[0], 2))  # SS-010
    for who in (BEN, CHIE):
        assert "飲み比べに参加しました" in await tap(line, who, actions.FlightJoin(flight))
    brand = line.core.search.catalog.get(sakes[0])
    assert brand is not None
    worded = await say(line, BEN, f"先生、{brand.name} ★4")  # words count for the open flight
    assert "★4" in worded and "3人中1人" in worded
    out = ""
    for who, stars in ((AKI, (3, 4, 5)), (BEN, (4, 2, 5)), (CHIE, (2, 3, 4))):
        for sake, n in zip(sakes, stars, strict=True):
            out = await tap(line, who, actions.FlightRate(flight, sake, n))
    assert "飲み比べの結果" in out and "みんなの一番" in out and "image" in out  # the results picture goes with it
