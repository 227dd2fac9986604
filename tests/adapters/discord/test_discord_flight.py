"""A flight on Discord with three people in one channel, over HTTP interactions: `/sake flight` starts
it (a typed command), Join and the stars are buttons each person clicks for themselves, the last
rating brings the reveal with its picture; a stranger's click is refused with SS-010."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from adapters.discord.interactions import ENDPOINT
from bot.server import make_app
from bot.wiring import Core
from core import actions
from tests.adapters.discord.test_discord_interactions import post, server_core  # noqa: F401 - the fixture
from tests.fakes.discord import APP_ID, FakeDiscord


def as_user(data: dict[str, Any], user_id: str) -> dict[str, Any]:
    user = {**data["member"]["user"], "id": user_id, "username": f"user{user_id[-2:]}", "global_name": f"User {user_id[-2:]}"}
    return {**data, "member": {**data["member"], "user": user}}


async def run(http: TestClient, fake: FakeDiscord, data: dict[str, Any]) -> str:
    r = await post(http, data)
    assert r.status == 200
    await http.app[ENDPOINT].jobs.drain(10)
    calls = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{data['token']}")
    return json.dumps([c.payload for c in calls] + [list(c.files) for c in calls], ensure_ascii=False)


async def click(http: TestClient, fake: FakeDiscord, user: str, action: actions.UserAction) -> str:
    return await run(http, fake, as_user(fake.interaction(3, {"custom_id": actions.pack(action), "component_type": 2}), user))


async def choose(http: TestClient, fake: FakeDiscord, user: str, flight: int, brand: int, stars: int) -> str:
    """A choice in a sake's star select (a message has no room for a row of star buttons per sake)."""
    data = {"custom_id": f"sel:frate:{flight}:{brand}", "component_type": 3, "values": [str(stars)]}
    return await run(http, fake, as_user(fake.interaction(3, data), user))


async def test_a_whole_flight_on_discord(fake: FakeDiscord, server_core: Core) -> None:  # noqa: F811
    aki, ben, chie, stranger = "400000000000000001", "400000000000000002", "400000000000000003", "400000000000000009"
    async with TestClient(TestServer(make_app(server_core))) as http:
        start = as_user(fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [{"name": "flight", "type": 1}]}), aki)
        started = await run(http, fake, start)
        rates = re.findall(r'"custom_id": "sel:frate:(\d+):(\d+)"', started)
        sakes = list(dict.fromkeys(int(b) for _, b in rates))
        assert len(sakes) == 3, started[:1500]
        flight = int(rates[0][0])
        assert f"fjoin:{flight}" in started and f"fend:{flight}" in started

        assert "SS-010" in await choose(http, fake, stranger, flight, sakes[0], 2)
        for who in (ben, chie):
            assert "joined the flight" in await click(http, fake, who, actions.FlightJoin(flight))
        out = ""
        for who, stars in ((aki, (3, 4, 5)), (ben, (4, 2, 5)), (chie, (2, 3, 4))):
            for sake, n in zip(sakes, stars, strict=True):
                out = await choose(http, fake, who, flight, sake, n)
        assert "Flight results" in out and "Group favourite" in out and ".png" in out
