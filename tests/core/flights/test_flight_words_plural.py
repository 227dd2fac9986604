"""Member counts in a flight's lines read as English: "1 member", "2 members" (Japanese has one form)."""

from __future__ import annotations

from core import actions
from core.texts import t
from tests.core.flights.conftest import Room


async def test_a_flight_of_one_says_one_member_not_one_members(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say("start a flight of 3")
    status = await alice.press(actions.Command("flight"))
    assert status is not None and "(1 member)" in status.text and "members" not in status.text, status.text
    joined = await bob.press(actions.FlightJoin(int(started.cards[0].extra["flight"])))
    assert joined is not None and "(2 members)" in joined.text, joined.text


def test_japanese_counts_people_with_nin() -> None:
    assert t("flight.status", "ja", n=3, members=t("flight.members", "ja", count=1)).count("参加1人") == 1
