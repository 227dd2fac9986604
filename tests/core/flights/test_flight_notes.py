"""A member's note on their flight rating: "Note on <sake>" after the rating, the next plain message is
the note, and it lands in the record the rating put in their log (no second record). The history
and the JSON export mark the records that came from a flight."""

from __future__ import annotations

from sqlalchemy import func, select

from core import actions
from core.db.flight_tables import FlightRatingRow
from core.db.tasting_tables import TastingRow
from tests.core.flights.conftest import Room


async def _flight(room: Room) -> tuple[int, list[int]]:
    started = await room.person("alice").say("start a flight of 3")
    return int(started.cards[0].extra["flight"]), [c.brand_id for c in started.cards]


async def _notes(room: Room, flight: int, user_brand: int) -> list[tuple[str | None, float | None]]:
    async with room.db.session() as s:
        return [tuple(r) for r in (await s.execute(select(TastingRow.notes, TastingRow.rating).join(
            FlightRatingRow, FlightRatingRow.tasting_id == TastingRow.id).where(
            FlightRatingRow.flight_id == flight, FlightRatingRow.brand_id == user_brand))).all()]


async def test_a_note_after_the_rating_goes_on_the_flight_s_record(room: Room) -> None:
    alice = room.person("alice")
    flight, sakes = await _flight(room)
    rated = await alice.press(actions.FlightRate(flight, sakes[0], 4))
    assert rated is not None and rated.actions[0].action == actions.FlightNote(flight, sakes[0])
    assert rated.actions[0].label.startswith("Note on ")
    asked = await alice.press(rated.actions[0].action)
    assert asked is not None and asked.tools == ["flight_note_form"] and "4★" in asked.text
    saved = await alice.say("Pear and melon, a long clean finish")
    assert saved.tools == ["flight_note"], saved.text
    assert await _notes(room, flight, sakes[0]) == [("Pear and melon, a long clean finish", 4.0)]
    async with room.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(TastingRow)) == 1  # the note did not add a record
    after = await alice.say("what is ginjo?")  # the note is no longer pending
    assert after.tools != ["flight_note"]


async def test_a_submitted_note_and_a_cancelled_one(room: Room) -> None:
    alice = room.person("alice")
    flight, sakes = await _flight(room)
    await alice.press(actions.FlightRate(flight, sakes[1], 3))
    await alice.press(actions.FlightNote(flight, sakes[1]))
    assert (await alice.say("cancel")).tools == ["note_cancel"]
    assert await _notes(room, flight, sakes[1]) == [(None, 3.0)]
    from core.messages import Message

    assert room.sensei is not None
    form = await room.sensei.handle(Message(key=alice.key, action=actions.FlightNote(flight, sakes[1]), action_values={"notes": "Rice"}))
    assert form is not None and form.tools == ["flight_note"]
    assert await _notes(room, flight, sakes[1]) == [("Rice", 3.0)]


async def test_no_note_without_a_rating_and_never_on_someone_else_s(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    flight, sakes = await _flight(room)
    await bob.press(actions.FlightJoin(flight))
    await alice.press(actions.FlightRate(flight, sakes[0], 5))
    refused = await bob.press(actions.FlightNote(flight, sakes[0]))  # bob has not rated it: alice's record is not his
    assert refused is not None and "Rate that sake first" in refused.text
    assert (await bob.say("lovely")).tools != ["flight_note"]
    assert await _notes(room, flight, sakes[0]) == [(None, 5.0)]


async def test_history_and_export_mark_flight_ratings(room: Room) -> None:
    alice = room.person("alice")
    flight, sakes = await _flight(room)
    await alice.press(actions.FlightRate(flight, sakes[0], 4))
    await alice.say("I had kubota senju, 3 stars")  # an ordinary tasting: no mark
    history = await alice.press(actions.Command("history"))
    assert history is not None
    day = room.clock().date().isoformat()
    marked = [line for line in history.text.splitlines() if f"in the flight of {day}" in line]
    assert len(marked) == 1 and "★4" in marked[0], history.text
    assert room.flights is not None
    from core.identity import Identity

    me = await Identity(room.db).find(alice.key)
    assert me is not None
    data = await room.flights.tastings.export(me)
    assert [d["flight"] for d in data if d["brand_id"] == sakes[0]] == [{"id": flight, "date": day}]
    assert all(d["flight"] is None for d in data if d["brand_id"] != sakes[0])


async def test_a_note_typed_with_the_stars_counts_for_the_flight_and_is_kept(room: Room) -> None:
    """Failed on the old code: "<sake> 4 stars, <note>" did not read as a flight rating at all (the flight's
    rating words had to end at the stars), so it became an ordinary tasting outside the flight."""
    alice = room.person("alice")
    flight, sakes = await _flight(room)
    name = room.catalog.get(sakes[1])
    assert name is not None
    rated = await alice.say(f"{name.name} 4 stars, Pear and melon")
    assert rated.tools == ["flight_rate"], rated.text
    assert await _notes(room, flight, sakes[1]) == [("Pear and melon", 4.0)]
    plain = await alice.say(f"{name.name} 3 stars")  # a re-rating without words keeps the note
    assert plain.tools == ["flight_rate"]
    assert await _notes(room, flight, sakes[1]) == [("Pear and melon", 3.0)]
