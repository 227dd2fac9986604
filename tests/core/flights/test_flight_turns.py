"""A whole flight through Sensei.handle: start, join, rate (buttons and words), reveal; and the rules
around it: one open flight per channel, members rate only for themselves, only the starter (or
staff) ends it, a day-old flight closes itself, a redelivered event repeats nothing, a restart
in the middle loses nothing."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from core import actions
from core.db.flight_tables import FlightRatingRow, FlightRow
from core.db.tasting_tables import TastingRow
from core.messages import Reply
from tests.core.flights.conftest import Room


def flight_of(reply: Reply) -> int:
    return int(reply.cards[0].extra["flight"])


async def count(room: Room, stmt) -> int:  # type: ignore[no-untyped-def]
    async with room.db.session() as s:
        return int(await s.scalar(stmt) or 0)


async def test_three_friends_run_a_whole_flight(room: Room) -> None:
    alice, bob, carol = room.person("alice"), room.person("bob"), room.person("carol")
    started = await alice.say("start a flight of 3 for us")
    assert started.error is None and started.tools == ["flight_start"]
    assert len(started.cards) == 3
    flight = flight_of(started)
    for n, card in enumerate(started.cards, start=1):
        assert card.extra["position"] == n and card.reason  # the order to taste and what to notice
        assert card.rating is not None and [b.action for b in card.rating.options] == [
            actions.FlightRate(flight, card.brand_id, s) for s in (1, 2, 3, 4, 5)]
    assert [b.action for b in started.actions] == [actions.FlightJoin(flight), actions.FlightEnd(flight)]

    joined = await bob.press(actions.FlightJoin(flight))
    assert joined is not None and "Bob" in joined.text and "2" in joined.text
    assert "Carol" in (await carol.say("join the flight")).text

    sakes = [c.brand_id for c in started.cards]
    first = await alice.press(actions.FlightRate(flight, sakes[0], 4))
    assert first is not None and "1 of 3" in first.text and not first.images
    name = started.cards[1].name
    by_words = await bob.say(f"{started.cards[1].name_romaji} 2 stars")  # words count for the open flight too
    assert by_words.tools == ["flight_rate"] and "2★" in by_words.text
    stars = {"alice": (4, 5, 3), "bob": (3, 2, 4), "carol": (5, 1, 4)}
    people = {"alice": alice, "bob": bob, "carol": carol}
    last: Reply | None = None
    for who, values in stars.items():
        for brand, value in zip(sakes, values, strict=True):
            last = await people[who].press(actions.FlightRate(flight, brand, value))
    assert last is not None and last.tools == ["flight_rate"]
    assert last.images and last.images[0].png.startswith(b"\x89PNG")  # everyone rated: the reveal
    assert started.cards[0].name in last.text  # group favourite: averages 4, 2.7, 3.7
    assert "Split the group most" in last.text and name in last.text  # 5 vs 1
    assert "Carol's best match" in last.text
    async with room.db.session() as s:
        assert await s.scalar(select(FlightRow.status).where(FlightRow.id == flight)) == "closed"
    # every member's log has the three sakes, once each, with their last rating
    assert await count(room, select(func.count()).select_from(TastingRow)) == 9
    async with room.db.session() as s:
        bobs = (await s.execute(select(TastingRow.brand_id, TastingRow.rating).join(
            FlightRatingRow, FlightRatingRow.tasting_id == TastingRow.id).where(FlightRatingRow.user_id == TastingRow.user_id))).all()
    assert len(bobs) == 9
    # the flight is over: its buttons say so, and a new one may start
    after = await alice.press(actions.FlightRate(flight, sakes[0], 1))
    assert after is not None and "over" in after.text
    assert (await carol.say("飲み比べしたい")).tools == ["flight_start"]


async def test_one_open_flight_per_channel(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    first = await alice.say("start a flight of 3")
    again = await bob.press(actions.Command("flight"))  # /sake flight while one is open shows it
    assert again is not None and again.tools == ["flight_status"] and flight_of(again) == flight_of(first)
    refused = await bob.say("let's do a flight")
    assert "already open" in refused.text and flight_of(refused) == flight_of(first)
    elsewhere = await room.person("bob", channel="C-other").say("start a flight of 4")
    assert len(elsewhere.cards) == 4 and flight_of(elsewhere) != flight_of(first)


async def test_two_members_rating_at_the_same_moment(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say("start a flight of 3")
    flight, sakes = flight_of(started), [c.brand_id for c in started.cards]
    await bob.press(actions.FlightJoin(flight))
    for brand in sakes[:2]:
        await alice.press(actions.FlightRate(flight, brand, 3))
        await bob.press(actions.FlightRate(flight, brand, 4))
    both = await asyncio.gather(alice.press(actions.FlightRate(flight, sakes[2], 5)), bob.press(actions.FlightRate(flight, sakes[2], 2)))
    assert all(r is not None and r.error is None for r in both)
    assert sum(1 for r in both if r is not None and r.images) == 1  # exactly one of them reveals
    assert await count(room, select(func.count()).select_from(FlightRatingRow).where(FlightRatingRow.flight_id == flight)) == 6


async def test_a_restart_in_the_middle_loses_nothing(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say("a flight of 3 please")
    flight, sakes = flight_of(started), [c.brand_id for c in started.cards]
    await bob.press(actions.FlightJoin(flight))
    await alice.press(actions.FlightRate(flight, sakes[0], 4))
    room.start_process()  # the old buttons are all anyone has now
    alice, bob = room.person("alice"), room.person("bob")
    status = await bob.say("show the flight")
    assert status.cards and status.cards[0].rating is not None and "1 of 2" in status.cards[0].rating.label
    for brand in sakes:
        await bob.press(actions.FlightRate(flight, brand, 3))
    for brand in sakes[1:]:
        last = await alice.press(actions.FlightRate(flight, brand, 5))
    assert last is not None and last.images


async def test_a_member_who_never_rates_and_the_starter_ends_it(room: Room) -> None:
    alice, bob, carol = room.person("alice"), room.person("bob"), room.person("carol")
    started = await alice.say("start a flight of 3")
    flight, sakes = flight_of(started), [c.brand_id for c in started.cards]
    await bob.press(actions.FlightJoin(flight))
    await carol.press(actions.FlightJoin(flight))
    for brand in sakes:
        await alice.press(actions.FlightRate(flight, brand, 4))
        await bob.press(actions.FlightRate(flight, brand, 3))
    assert (await count(room, select(func.count()).select_from(FlightRow).where(FlightRow.status == "open"))) == 1  # waiting for carol
    ended = await alice.say("end the flight")
    assert ended.tools == ["flight_end"] and ended.images
    assert "No ratings from Carol" in ended.text


async def test_non_members_cannot_rate_and_only_the_starter_ends(room: Room) -> None:
    alice, bob, mallory = room.person("alice"), room.person("bob"), room.person("mallory")
    started = await alice.say("start a flight of 3")
    flight, brand = flight_of(started), started.cards[0].brand_id
    await bob.press(actions.FlightJoin(flight))
    refused = await mallory.press(actions.FlightRate(flight, brand, 1))
    assert refused is not None and refused.error is not None and refused.error["code"] == "SS-010"
    assert (await mallory.say(f"{started.cards[0].name} 1 star")).error["code"] == "SS-010"  # type: ignore[index]
    for who in (mallory, bob):  # a stranger, and a member who did not start it
        no = await who.press(actions.FlightEnd(flight))
        assert no is not None and no.error is not None and no.error["code"] == "SS-010"
        assert (await who.say("end the flight")).error["code"] == "SS-010"  # type: ignore[index]
    assert await count(room, select(func.count()).select_from(FlightRatingRow)) == 0
    assert await count(room, select(func.count()).select_from(FlightRow).where(FlightRow.status == "open")) == 1
    staff = room.person("owner", admin=True)  # a workspace admin counts as staff once the workspace is a restaurant
    no_restaurant = await staff.press(actions.FlightEnd(flight))
    assert no_restaurant is not None and no_restaurant.error is not None


async def test_a_flight_left_open_for_a_day_closes_with_what_was_rated(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say("start a flight of 3")
    flight, sakes = flight_of(started), [c.brand_id for c in started.cards]
    await bob.press(actions.FlightJoin(flight))
    await bob.press(actions.FlightRate(flight, sakes[0], 5))
    room.clock.advance(hours=25)
    late = await alice.press(actions.FlightRate(flight, sakes[1], 4))
    assert late is not None and "left open for a day" in late.text and late.images
    assert await count(room, select(func.count()).select_from(FlightRatingRow)) == 1
    assert await count(room, select(func.count()).select_from(FlightRow).where(FlightRow.closed_how == "timeout")) == 1


async def test_a_redelivered_event_repeats_nothing(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say("start a flight of 3", event_id="Ev1")
    assert await alice.press(actions.Command("flight"), event_id="Ev1") is None  # the same delivery again
    flight, brand = flight_of(started), started.cards[0].brand_id
    assert (await bob.press(actions.FlightJoin(flight), event_id="Ev2")) is not None
    assert (await bob.press(actions.FlightJoin(flight), event_id="Ev2")) is None
    again = await bob.press(actions.FlightJoin(flight), event_id="Ev3")  # a second tap: still one membership
    assert again is not None and "already" in again.text
    await bob.press(actions.FlightRate(flight, brand, 2), event_id="Ev4")
    await bob.press(actions.FlightRate(flight, brand, 4), event_id="Ev5")  # changed their mind
    async with room.db.session() as s:
        rows = (await s.execute(select(TastingRow.rating).where(TastingRow.brand_id == brand))).all()
    assert [r.rating for r in rows] == [4.0]  # one record in the log, with the last rating


async def test_words_in_japanese(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say("飲み比べしたい")
    assert started.lang == "ja" and len(started.cards) == 3 and "杯目" in (started.cards[0].reason or "")
    assert "参加" in (await bob.say("飲み比べに参加します")).text
    flight, sakes = flight_of(started), [c.brand_id for c in started.cards]
    for brand in sakes:
        await alice.press(actions.FlightRate(flight, brand, 4))
    ended = await alice.say("飲み比べを終了")
    assert "飲み比べの結果" in ended.text and "Bob" in ended.text


async def test_ordinary_questions_still_reach_the_agent(room: Room) -> None:
    alice = room.person("alice")
    await alice.say("start a flight of 3")
    reply = await alice.say("what is junmai?")
    assert not any(tool.startswith("flight") for tool in reply.tools)
    rated = await alice.say("Dassai 4 stars")  # not in this flight: the agent's own logging answers
    assert "flight_rate" not in rated.tools


async def test_a_theme_and_a_restaurant_s_stock(room: Room, catalog) -> None:  # type: ignore[no-untyped-def]
    niigata = await room.person("alice").say("a flight of 3 from Niigata")
    assert "Theme: Niigata" in niigata.text and {c.prefecture for c in niigata.cards} == {"新潟県"}
    assert room.restaurants is not None
    owner = room.person("owner", channel="C-bar")
    principal = await room.sensei.identity.resolve(owner.key)  # type: ignore[union-attr]
    await room.restaurants.restaurants.setup(principal, "Bar Kura")
    stock = [887, 431, 380, 1, 2]
    for brand in stock:
        await room.restaurants.menu.add(principal, brand)
    poured = await room.person("guest", channel="C-bar").say("start a flight of 3")
    assert poured.cards and {c.brand_id for c in poured.cards} <= set(stock)
    staff_end = await owner.press(actions.FlightEnd(flight_of(poured)))  # staff may end a guest's flight
    assert staff_end is not None and staff_end.tools == ["flight_end"]


async def test_the_starter_names_the_members(room: Room) -> None:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say("start a flight of 3 with <@bob|Bob> and <@carol>")
    assert started.cards and started.cards[0].rating is not None and "0 of 3" in started.cards[0].rating.label
    assert "Theme" not in started.text
    rated = await bob.press(actions.FlightRate(flight_of(started), started.cards[0].brand_id, 4))  # named: no need to join
    assert rated is not None and rated.error is None and "1 of 3" in rated.text


async def test_a_double_tap_on_the_same_sake_keeps_one_record(room: Room) -> None:
    alice = room.person("alice")
    started = await alice.say("start a flight of 3")
    flight, brand = flight_of(started), started.cards[0].brand_id
    await asyncio.gather(*(alice.press(actions.FlightRate(flight, brand, n)) for n in (2, 3, 5)))
    async with room.db.session() as s:
        rows = (await s.execute(select(TastingRow.id, TastingRow.rating).where(TastingRow.brand_id == brand))).all()
        kept = (await s.execute(select(FlightRatingRow.tasting_id, FlightRatingRow.stars).where(FlightRatingRow.brand_id == brand))).one()
    assert len(rows) == 1 and (rows[0].id, rows[0].rating) == (kept.tasting_id, kept.stars)
