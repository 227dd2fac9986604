"""The one turn pipeline every surface uses, with a fake transport: what reaches the user, and what
the inbox says afterwards, for duplicates, refusals, outages and a slow turn."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import Database
from core.db.inbox_tables import InboxEvent
from core.identity import Identity
from core.inbox import Inbox
from core.jobs import RetryLater
from core.messages import Message, Reply, StateKey
from core.sensei import Sensei, Turn
from core.texts import t
from core.transport import Undelivered
from core.turn_pipeline import TurnPipeline

KEY = StateKey("slack", "T1", "C1", "U1")


class Brain:
    def __init__(self, delay: float = 0.0) -> None:
        self.turns: list[Turn] = []
        self.delay = delay

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        await asyncio.sleep(self.delay)
        return Reply(text=f"answer to {turn.message.text}", lang=turn.lang)


class FakeTransport:
    """Records what the user would see; refuses the first `refuse` sends with `Undelivered`."""

    def __init__(self, *, refuse: int = 0, transient: bool = True) -> None:
        self.sent: list[Reply] = []
        self.working_shown: list[str] = []
        self.refuse = refuse
        self.transient = transient

    async def working(self, lang: str) -> None:
        self.working_shown.append(lang)

    async def send(self, reply: Reply) -> None:
        if self.refuse:
            self.refuse -= 1
            raise Undelivered("http_500" if self.transient else "channel_not_found", transient=self.transient)
        self.sent.append(reply)


def pipeline(db: Database, brain: Brain, **kwargs: object) -> TurnPipeline:
    return TurnPipeline(Sensei(Identity(db), Inbox(db), brain, resend_after=timedelta(0)), **kwargs)  # type: ignore[arg-type]


async def row(db: Database, event_id: str) -> InboxEvent:
    async with db.session() as s:
        found = await s.scalar(select(InboxEvent).where(InboxEvent.event_id == event_id))
    assert found is not None
    return found


async def test_a_duplicate_delivery_is_answered_once(db: Database) -> None:
    brain, to = Brain(), FakeTransport()
    turns = pipeline(db, brain)
    assert await turns.admit(Message(key=KEY, text="dry please", event_id="Ev1"))
    assert not await turns.admit(Message(key=KEY, text="dry please", event_id="Ev1"))  # Slack's retry at the ack
    first = await turns.run(Message(key=KEY, text="dry please", event_id="Ev1"), to, admitted=True)
    again = await turns.run(Message(key=KEY, text="dry please", event_id="Ev1"), to)  # a duplicate job
    assert first is not None and again is None
    assert [r.text for r in to.sent] == ["answer to dry please"] and len(brain.turns) == 1
    stored = await row(db, "Ev1")
    assert stored.status == "done" and stored.delivered_at is not None and stored.reply is None


async def test_a_permanent_refusal_gets_the_user_an_apology_in_their_language(db: Database) -> None:
    brain, to = Brain(), FakeTransport(refuse=1, transient=False)
    sent = await pipeline(db, brain).run(Message(key=KEY, text="辛口のおすすめは?", event_id="Ev2"), to)
    assert sent is not None and sent.text == t("turn.apology", "ja")
    assert [r.text for r in to.sent] == [t("turn.apology", "ja")]
    assert (await row(db, "Ev2")).delivered_at is not None  # nothing is left for a retry to send


async def test_a_transient_refusal_is_retried_later_with_the_kept_reply_and_no_second_turn(db: Database) -> None:
    brain, to = Brain(), FakeTransport(refuse=1, transient=True)
    turns = pipeline(db, brain, delivery_retry=7.0)
    with pytest.raises(RetryLater) as raised:
        await turns.run(Message(key=KEY, text="something dry", event_id="Ev3"), to)
    assert raised.value.after == 7.0 and to.sent == []
    stored = await row(db, "Ev3")
    assert stored.reply is not None and stored.delivered_at is None  # kept for the retry
    resent = await turns.run(Message(key=KEY, text="something dry", event_id="Ev3"), to)  # the job, run again
    assert resent is not None and [r.text for r in to.sent] == ["answer to something dry"]
    assert len(brain.turns) == 1
    assert (await row(db, "Ev3")).delivered_at is not None
    assert await turns.run(Message(key=KEY, text="something dry", event_id="Ev3"), to) is None  # and never again
    assert len(to.sent) == 1


async def test_a_surface_may_choose_its_own_retry_delay(db: Database) -> None:
    with pytest.raises(RetryLater) as raised:
        await pipeline(db, Brain()).run(Message(key=KEY, text="hi", event_id="Ev4"), FakeTransport(refuse=1), delivery_retry=0.5)
    assert raised.value.after == 0.5


async def test_a_slow_turn_shows_that_an_answer_is_coming_and_a_fast_one_does_not(db: Database) -> None:
    fast, slow = FakeTransport(), FakeTransport()
    await pipeline(db, Brain()).run(Message(key=KEY, text="hello"), fast, working_after=1.0)
    await pipeline(db, Brain(delay=0.2)).run(Message(key=KEY, text="hello"), slow, working_after=0.01)
    assert fast.working_shown == [] and slow.working_shown == ["en"]
    assert len(fast.sent) == len(slow.sent) == 1
    at_once = FakeTransport()
    await pipeline(db, Brain()).run(Message(key=KEY, text="こんにちは"), at_once, working_after=0)
    assert at_once.working_shown == ["ja"]


async def test_a_turn_that_fails_outside_the_brain_is_an_apology(db: Database) -> None:
    class Broken(Sensei):
        async def handle(self, message: Message, *, admitted: bool = False) -> Reply | None:
            raise RuntimeError("the database went away")

    to = FakeTransport()
    sent = await TurnPipeline(Broken(Identity(db), Inbox(db), Brain())).run(Message(key=KEY, text="hello", lang="en"), to)
    assert sent is not None and [r.text for r in to.sent] == [t("turn.apology", "en")]


async def test_an_unfinished_turn_handed_over_is_adopted_only_when_asked(db: Database) -> None:
    brain = Brain()
    turns = pipeline(db, brain)
    await turns.sensei.inbox.claim("slack", "Ev5")  # recorded by a process that then died mid-turn
    plain, adopting = FakeTransport(), FakeTransport()
    assert await turns.run(Message(key=KEY, text="hello", event_id="Ev5"), plain) is None
    assert await turns.run(Message(key=KEY, text="hello", event_id="Ev5"), adopting, adopt_unfinished=True) is not None
    assert plain.sent == [] and len(adopting.sent) == 1 and len(brain.turns) == 1
    assert await turns.run(Message(key=KEY, text="hello", event_id="Ev5"), adopting, adopt_unfinished=True) is None


async def test_seen_and_close_for_events_answered_without_a_turn(db: Database) -> None:
    turns = pipeline(db, Brain())
    sticker = Message(key=KEY, event_id="Ev6")
    assert not await turns.seen(sticker)
    assert await turns.admit(sticker) and await turns.seen(sticker)
    await turns.close(sticker)
    assert (await row(db, "Ev6")).status == "done"
