"""A flight in the web chat. Every browser is a workspace of its own (nobody else reaches it), so
a web flight is one person's tasting: the flight's sakes come as cards with their stars and the
Join / End buttons, the stars come back as actions, and the last rating brings the reveal with
its picture as a private media URL."""

from __future__ import annotations

from aiohttp.test_utils import TestClient


async def test_a_flight_in_the_web_chat(client: TestClient) -> None:
    started = await (await client.post("/api/chat", json={"text": "start a flight of 3", "lang": "en"})).json()
    assert len(started["cards"]) == 3 and started["error"] is None
    ids = [[o["id"] for o in card["rating"]["options"]] for card in started["cards"]]
    assert all(len(options) == 5 and all(o.startswith("frate:") for o in options) for options in ids)
    assert [a["label"] for a in started["actions"]] == ["Join the flight", "End the flight"]
    assert "1 of 1" not in started["cards"][0]["rating"]["label"] and "0 of 1" in started["cards"][0]["rating"]["label"]
    body = {}
    for options in ids:
        r = await client.post("/api/action", json={"action": options[3]})
        assert r.status == 200
        body = await r.json()
    assert "Flight results" in body["text"] and "Group favourite" in body["text"]
    [image] = body["images"]
    assert image["url"].startswith("media/")
    picture = await client.get("/" + image["url"])
    assert picture.status == 200 and (await picture.read()).startswith(b"\x89PNG")
