"""The sweep: a day-old flight closes by itself and its reveal is posted to the channel once, across
restarts, several processes and a platform that fails for a while."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from core import actions
from core.flights.announcements import CLAIM, Announcements
from core.flights.sweep import RevealSweep, SweepRun
from core.messages import Reply
from core.texts import t
from core.transport import Undelivered
from tests.core.flights.conftest import Room


@dataclass
class Poster:
    """A platform that records what was posted; `failures` are raised first, one per post."""

    posts: list[tuple[Reply, str, str, str]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    attempts: int = 0

    async def post(self, reply: Reply, workspace: str, channel: str, *, key: str) -> None:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        self.posts.append((reply, workspace, channel, key))


def sweep_of(room: Room, poster: Poster, **kwargs) -> RevealSweep:  # type: ignore[no-untyped-def]
    assert room.flights is not None and room.turns is not None
    return RevealSweep(room.flights, room.turns, Announcements(room.db, clock=room.clock), {"slack": poster}, **kwargs)


async def a_flight(room: Room, *, lang_text: str = "start a flight of 3") -> tuple[int, list[int]]:
    alice, bob = room.person("alice"), room.person("bob")
    started = await alice.say(lang_text)
    flight = int(started.cards[0].extra["flight"])
    await bob.press(actions.FlightJoin(flight))
    await bob.press(actions.FlightRate(flight, started.cards[0].brand_id, 5))
    await alice.press(actions.FlightRate(flight, started.cards[0].brand_id, 3))
    return flight, [c.brand_id for c in started.cards]


async def test_a_day_old_flight_closes_and_its_reveal_is_posted_once(room: Room) -> None:
    flight, _ = await a_flight(room)
    poster = Poster()
    sweep = sweep_of(room, poster)
    room.clock.advance(hours=23)
    assert await sweep.run() == SweepRun()  # not a day yet: nothing closes
    assert poster.posts == []
    room.clock.advance(hours=2)
    posted_at = room.clock()
    assert await sweep.run() == SweepRun(closed=1, posted=1)
    [(reply, workspace, channel, key)] = poster.posts
    assert (workspace, channel, key) == (room.workspace, room.channel, f"flight-reveal-{flight}")
    assert "left open for a day" in reply.text and reply.images and reply.lang == "en"
    assert len(reply.cards) == 3 and reply.cards[0].extra["flight"] == flight
    assert (await room.flights.get(flight)).closed_how == "timeout"  # type: ignore[union-attr]
    room.clock.advance(minutes=5)
    assert await sweep.run() == SweepRun()  # posted: a second sweep posts nothing
    assert len(poster.posts) == 1
    row = await room.announcements.get(flight)  # type: ignore[union-attr]
    assert row is not None and row.outcome == "posted" and row.attempts == 1 and row.announced_at == posted_at


async def test_the_reveal_is_in_the_groups_language(room: Room) -> None:
    await a_flight(room, lang_text="飲み比べを始めて")
    poster = Poster()
    room.clock.advance(hours=25)
    assert (await sweep_of(room, poster).run()).posted == 1
    assert poster.posts[0][0].lang == "ja" and "飲み比べ" in poster.posts[0][0].text


async def test_a_failing_post_is_retried_on_the_next_sweep_also_after_a_restart(room: Room) -> None:
    flight, _ = await a_flight(room)
    poster = Poster(failures=[Undelivered("ratelimited", transient=True), RuntimeError("sdk surprise")])
    room.clock.advance(hours=25)
    assert await sweep_of(room, poster).run() == SweepRun(closed=1, retrying=1)
    room.clock.advance(minutes=5)
    room.start_process()  # a restart: nothing in memory, the database remembers
    assert await sweep_of(room, poster).run() == SweepRun(retrying=1)
    room.clock.advance(minutes=5)
    assert await sweep_of(room, poster).run() == SweepRun(posted=1)
    assert len(poster.posts) == 1 and poster.attempts == 3
    room.start_process()
    assert await sweep_of(room, poster).run() == SweepRun()
    row = await room.announcements.get(flight)  # type: ignore[union-attr]
    assert row is not None and row.outcome == "posted" and row.attempts == 3 and row.last_error == "RuntimeError"


async def test_a_post_that_keeps_failing_is_given_up_after_the_limit(room: Room, caplog: pytest.LogCaptureFixture) -> None:
    flight, _ = await a_flight(room)
    poster = Poster(failures=[Undelivered("http_503", transient=True) for _ in range(10)])
    sweep = sweep_of(room, poster, max_attempts=3)
    room.clock.advance(hours=25)
    runs = []
    for _ in range(5):
        runs.append(await sweep.run())
        room.clock.advance(minutes=5)
    assert [r.retrying for r in runs] == [1, 1, 0, 0, 0] and [r.given_up for r in runs] == [0, 0, 1, 0, 0]
    assert poster.attempts == 3 and poster.posts == []
    row = await room.announcements.get(flight)  # type: ignore[union-attr]
    assert row is not None and row.outcome == "given_up" and row.announced_at is None and row.last_error == "http_503"
    assert "given up" in caplog.text


async def test_a_post_failing_past_the_time_window_is_given_up(room: Room) -> None:
    await a_flight(room)
    poster = Poster(failures=[Undelivered("http_503", transient=True) for _ in range(3)])
    sweep = sweep_of(room, poster)
    room.clock.advance(hours=25)
    assert (await sweep.run()).retrying == 1
    room.clock.advance(hours=7)  # the sweep was not running for a while: the news is old
    assert (await sweep.run()).given_up == 1
    assert poster.attempts == 2


async def test_a_refused_post_is_given_up_at_once(room: Room) -> None:
    await a_flight(room)
    poster = Poster(failures=[Undelivered("not_in_channel", transient=False)])
    room.clock.advance(hours=25)
    assert await sweep_of(room, poster).run() == SweepRun(closed=1, given_up=1)
    assert await sweep_of(room, poster).run() == SweepRun()


async def test_a_platform_without_a_poster_is_given_up(room: Room) -> None:
    await a_flight(room)
    assert room.flights is not None and room.turns is not None
    sweep = RevealSweep(room.flights, room.turns, Announcements(room.db, clock=room.clock), {})
    room.clock.advance(hours=25)
    assert await sweep.run() == SweepRun(closed=1, given_up=1)


async def test_two_processes_sweeping_at_once_post_it_once(room: Room) -> None:
    await a_flight(room)
    poster = Poster()
    first = sweep_of(room, poster)
    room.start_process()
    second = sweep_of(room, poster)
    room.clock.advance(hours=25)
    runs = await asyncio.gather(first.run(), second.run(), first.run(), second.run())
    assert sum(r.closed for r in runs) == 1 and sum(r.posted for r in runs) == 1
    assert len(poster.posts) == 1


async def test_a_process_that_died_mid_post_leaves_it_to_another_after_the_claim(room: Room) -> None:
    flight, _ = await a_flight(room)
    poster = Poster()
    room.clock.advance(hours=25)
    assert room.flights is not None
    await room.flights.close_stale()
    assert await Announcements(room.db, clock=room.clock).claim(flight)  # a process took it, then died
    sweep = sweep_of(room, poster)
    assert await sweep.run() == SweepRun()  # held: another process leaves it alone
    room.clock.advance(seconds=CLAIM.total_seconds())
    assert await sweep.run() == SweepRun(posted=1)
    assert len(poster.posts) == 1


async def test_start_in_a_channel_with_a_day_old_flight_shows_its_reveal_first(room: Room) -> None:
    flight, _ = await a_flight(room)
    room.clock.advance(hours=25)
    again = await room.person("alice").say("start a flight of 3")
    assert again.error is None and again.tools == ["flight_start"]
    assert "left open for a day" in again.text and again.images  # the old flight's results first
    assert again.text.endswith(t("flight.started", "en", n=3))  # the new flight's words after the old one's results
    assert int(again.cards[0].extra["flight"]) != flight
    poster = Poster()
    room.clock.advance(minutes=10)
    assert await sweep_of(room, poster).run() == SweepRun()  # shown in the channel: not posted again
    row = await room.announcements.get(flight)  # type: ignore[union-attr]
    assert row is not None and row.outcome == "shown"


async def test_a_flight_closed_by_a_turn_that_did_not_show_it_is_posted_after_the_claim(room: Room) -> None:
    flight, _ = await a_flight(room)
    room.clock.advance(hours=25)
    # a slash command may answer the asker alone: its reveal does not count as shown in the channel
    started = await room.person("alice").press(actions.Command("flight"))
    assert started is not None and "left open for a day" in started.text
    poster = Poster()
    sweep = sweep_of(room, poster)
    assert await sweep.run() == SweepRun()  # held for the turn that closed it
    room.clock.advance(seconds=CLAIM.total_seconds())
    assert await sweep.run() == SweepRun(posted=1)
    assert poster.posts[0][0].cards[0].extra["flight"] == flight


async def test_run_forever_runs_soon_after_start_and_then_periodically(room: Room) -> None:
    poster = Poster()
    sweep = sweep_of(room, poster)
    waits: list[float] = []
    runs: list[SweepRun] = []
    real_run = sweep.run

    async def counted() -> SweepRun:
        runs.append(await real_run())
        return runs[-1]

    sweep.run = counted  # type: ignore[method-assign]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 4:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await sweep.run_forever(first_after=30, every=300, sleep=sleep)
    assert waits == [30, 300, 300, 300] and len(runs) == 3


async def test_a_failed_run_does_not_stop_the_loop(room: Room) -> None:
    sweep = sweep_of(room, Poster())
    calls = 0

    async def broken() -> SweepRun:
        nonlocal calls
        calls += 1
        raise ConnectionError("database away")

    sweep.run = broken  # type: ignore[method-assign]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await sweep.run_forever(first_after=1, every=2, sleep=sleep)
    assert calls == 2


async def test_a_sweep_for_one_platform_leaves_the_others_due(room: Room) -> None:
    """A `sake-sensei discord` process sweeps Discord's reveals only: a Slack flight's reveal stays due for the
    process that can post it, rather than being given up for want of a poster."""
    flight, _ = await a_flight(room)
    room.clock.advance(hours=25)
    discord = Poster()
    only_discord = RevealSweep(room.flights, room.turns, Announcements(room.db, clock=room.clock), {"discord": discord},  # type: ignore[arg-type]
                               only=frozenset({"discord"}))
    assert await only_discord.run() == SweepRun(closed=1)
    row = await room.announcements.get(flight)  # type: ignore[union-attr]
    assert row is not None and row.outcome is None and row.attempts == 0 and discord.posts == []
    slack = Poster()
    assert await sweep_of(room, slack).run() == SweepRun(posted=1)
    assert len(slack.posts) == 1

