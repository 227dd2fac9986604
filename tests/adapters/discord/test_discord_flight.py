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


async def test_a_flight_of_five_shows_every_control_once_within_discord_s_limits(fake: FakeDiscord, core: Core) -> None:  # noqa: F811
    """Five sakes need five rows of stars, and Join/End a sixth: the rows past five go in a second
    message, in the core's order (every sake's stars, then Join, then End), each exactly once."""
    from tests.adapters.discord.conftest import running_bot
    from tests.fakes.discord import BOT_ID, BOT_USER, CHANNEL_ID

    async with running_bot(fake, core):
        await fake.dispatch("MESSAGE_CREATE", fake.message(f"<@{BOT_ID}> start a flight of 5", guild=True, mentions=[BOT_USER]))
        sent = await fake.wait_call("POST", rf"/channels/{CHANNEL_ID}/messages", n=2)
    rows = [row for c in sent for row in c.payload.get("components") or []]
    assert all(len(c.payload.get("components") or []) <= 5 for c in sent)
    assert all(len(row["components"]) <= 5 for row in rows)
    ids = [item["custom_id"] for row in rows for item in row["components"]]
    assert all(len(i) <= 100 for i in ids)
    flight = int(re.findall(r"sel:frate:(\d+):", ids[0])[0])
    brands = [int(i.rsplit(":", 1)[1]) for i in ids if i.startswith("sel:frate:")]
    assert len(brands) == 5 and len(set(brands)) == 5
    assert ids == [*(f"sel:frate:{flight}:{b}" for b in brands), f"fjoin:{flight}", f"fend:{flight}"]
    assert [e["title"] for e in sent[0].payload["embeds"]] and "flight of 5" in sent[0].payload["content"]


async def test_a_retried_two_message_reply_never_posts_the_first_twice() -> None:
    """Discord failing on the second message: the retry sends only that one."""
    import aiohttp

    from adapters.discord.turns import DiscordTransport, DiscordTurns
    from core.messages import Button, Reply
    from core.transport import Undelivered

    picks = [Button(actions.Pick(i), f"Candidate {i}") for i in range(1, 31)]  # six rows: two messages
    reply = Reply(text="Which one?", actions=picks)
    sent: list[str] = []
    fail = [True]

    async def send(rendered, private: bool) -> None:  # type: ignore[no-untyped-def]
        if rendered.content == "" and fail[0]:
            fail[0] = False
            raise aiohttp.ClientError("down")
        sent.append(rendered.content or "(more buttons)")

    transport = DiscordTransport(DiscordTurns.__new__(DiscordTurns), send, retry=True)
    transport.turns.chart = None
    try:
        await transport.send(reply)
    except Undelivered as e:
        assert e.transient
    await transport.send(reply)
    assert sent == ["Which one?", "(more buttons)"]


async def test_flight_options_choose_the_size_and_the_theme(fake: FakeDiscord, server_core: Core) -> None:  # noqa: F811
    """`/sake flight size:4 theme:niigata` reaches the core as the typed command with its values (failed before:
    the command had no options, so a group could not ask for a themed flight or its size from Discord)."""
    opts = [{"name": "size", "type": 4, "value": 4}, {"name": "theme", "type": 3, "value": "niigata"}]
    async with TestClient(TestServer(make_app(server_core))) as http:
        data = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [{"name": "flight", "type": 1, "options": opts}]})
        started = await run(http, fake, as_user(data, "400000000000000001"))
    sakes = list(dict.fromkeys(int(b) for b in re.findall(r'"custom_id": "sel:frate:\d+:(\d+)"', started)))
    assert len(sakes) == 4, started[:1500]
    assert all(server_core.catalog.get(b).prefecture == "新潟県" for b in sakes)  # type: ignore[union-attr]
    assert "Niigata" in started

