from datetime import UTC, datetime

from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Message, Reply, StateKey
from core.sensei import Sensei, Turn


class Recorder:
    def __init__(self) -> None:
        self.turns: list[Turn] = []

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        if turn.message.text == "boom":
            raise RuntimeError("brain exploded")
        return Reply(text="ok", lang=turn.lang)


async def test_duplicates_handled_once_across_instances(db: Database) -> None:
    brain = Recorder()
    a = Sensei(Identity(db), Inbox(db), brain)
    b = Sensei(Identity(Database(db.url)), Inbox(Database(db.url)), brain)  # another process
    key = StateKey("slack", "T1", "C1", "U1")
    assert await a.handle(Message(key=key, text="hi", event_id="Ev1")) is not None
    assert await b.handle(Message(key=key, text="hi", event_id="Ev1")) is None
    assert await a.handle(Message(key=key, text="hi", event_id="Ev1")) is None
    assert len(brain.turns) == 1
    assert await a.inbox.status("slack", "Ev1") == "done"


async def test_claim_before_queueing(db: Database) -> None:
    brain = Recorder()
    sensei = Sensei(Identity(db), Inbox(db), brain)
    msg = Message(key=StateKey("line", "g", "c", "u"), text="hi", event_id="W1")
    assert not await sensei.is_duplicate(msg)
    assert await sensei.is_duplicate(Message(key=msg.key, text="hi", event_id="W1"))
    assert await sensei.handle(msg) is not None  # the claimed message itself is still handled
    assert len(brain.turns) == 1


async def test_language_and_cleaning(db: Database) -> None:
    brain = Recorder()
    sensei = Sensei(Identity(db), Inbox(db), brain)
    key = StateKey("local", "local", "cli", "u")
    r = await sensei.handle(Message(key=key, text="辛口でおすすめは?"))
    assert r is not None and r.lang == "ja"
    r = await sensei.handle(Message(key=key, text="something dry\x00\x07 please"))
    assert r is not None and r.lang == "en" and brain.turns[-1].message.text == "something dry please"
    await sensei.handle(Message(key=key, text="x" * 10_000))
    assert len(brain.turns[-1].message.text) <= 4000


async def test_a_button_answers_in_the_language_the_user_last_wrote_in(db: Database) -> None:
    """A button, a slash command or a rich-menu tap has no words: its answer follows the user's own
    messages (stored, so another process knows it too), never a guess from a button's label."""
    from core.actions import Command

    brain = Recorder()
    sensei = Sensei(Identity(db), Inbox(db), brain)
    other = Sensei(Identity(Database(db.url)), Inbox(Database(db.url)), brain)  # another process
    key = StateKey("slack", "T1", "C1", "U1")
    await sensei.handle(Message(key=key, text="辛口でおすすめは?"))
    for s in (sensei, other):
        r = await s.handle(Message(key=key, action=Command("profile")))
        assert r is not None and r.lang == "ja"
    await sensei.handle(Message(key=key, text="887"))  # no words: the language stays
    assert (await sensei.handle(Message(key=key, action=Command("history")))).lang == "ja"  # type: ignore[union-attr]
    await sensei.handle(Message(key=key, text="something dry please"))
    for s in (sensei, other):  # the other process, which answered in Japanese before, knows it too
        assert (await s.handle(Message(key=key, action=Command("history")))).lang == "en"  # type: ignore[union-attr]
    await other.handle(Message(key=key, text="獺祭について"))  # and the other way round
    assert (await sensei.handle(Message(key=key, action=Command("history")))).lang == "ja"  # type: ignore[union-attr]
    stranger = StateKey("slack", "T1", "C1", "U2")
    assert (await sensei.handle(Message(key=stranger, action=Command("help")))).lang == "en"  # type: ignore[union-attr]
    assert (await sensei.handle(Message(key=stranger, action=Command("help"), lang="ja"))).lang == "ja"  # type: ignore[union-attr]


async def test_a_failing_brain_still_answers(db: Database) -> None:
    sensei = Sensei(Identity(db), Inbox(db), Recorder())
    r = await sensei.handle(Message(key=StateKey("web", "w", "c", "u"), text="boom", event_id="E9"))
    assert r is not None and r.error is not None and r.error["code"] == "SS-003"
    assert await sensei.inbox.status("web", "E9") == "failed"


async def test_an_event_whose_handler_died_is_taken_over_once_stale(db: Database) -> None:
    """kill -9 mid-turn leaves the inbox row 'received': a retry answers it once it is stale, not before."""
    from datetime import timedelta

    from core.db.base import utcnow

    now = [utcnow()]
    brain = Recorder()
    inbox = Inbox(db, clock=lambda: now[0])
    sensei = Sensei(Identity(db), inbox, brain, stale_after=timedelta(seconds=60))
    key = StateKey("line", "g", "c", "u")
    assert await inbox.claim("line", "K1")  # the dead process claimed it and never finished
    now[0] += timedelta(seconds=30)
    assert await sensei.handle(Message(key=key, text="hi", event_id="K1")) is None  # maybe still being worked on
    now[0] += timedelta(seconds=31)
    assert await sensei.handle(Message(key=key, text="hi", event_id="K1")) is not None  # its handler died: answered
    assert await sensei.handle(Message(key=key, text="hi", event_id="K1")) is None  # and only once
    assert len(brain.turns) == 1 and await inbox.status("line", "K1") == "done"
    assert brain.turns[0].message.taken_over  # the brain knows its writes may already be saved


async def test_a_reply_not_yet_delivered_is_handed_once_to_a_retried_job_then_never_again(db: Database) -> None:
    from datetime import timedelta

    from core.inbox_batching import BatchingInbox

    brain = Recorder()
    now = [datetime(2026, 11, 28, 12, tzinfo=UTC)]
    inbox = BatchingInbox(db, lambda: now[0])
    sensei = Sensei(Identity(db), inbox, brain, resend_after=timedelta(seconds=5))
    key = StateKey("slack", "T1", "C1", "U1")
    first = await sensei.handle(Message(key=key, text="hi", event_id="Ev1"))
    assert first is not None and first.text == "ok"
    # A retry while the first sender may still be sending: nothing to send.
    assert await sensei.handle(Message(key=key, text="hi", event_id="Ev1")) is None
    now[0] += timedelta(seconds=6)  # its process died before the platform took the answer
    again = await sensei.handle(Message(key=key, text="hi", event_id="Ev1"))
    assert again == first  # the kept reply, not a second turn
    assert await sensei.handle(Message(key=key, text="hi", event_id="Ev1")) is None  # taken by that retry
    now[0] += timedelta(seconds=6)
    msg = Message(key=key, text="hi", event_id="Ev1")
    assert await sensei.handle(msg) == first  # that retry died too
    await sensei.delivered(msg)
    now[0] += timedelta(minutes=5)
    assert await sensei.handle(Message(key=key, text="hi", event_id="Ev1")) is None
    assert len(brain.turns) == 1
    assert await inbox.status("slack", "Ev1") == "done"


async def test_an_admitted_event_runs_its_turn_once_even_when_its_job_runs_again(db: Database) -> None:
    from datetime import timedelta

    brain = Recorder()
    sensei = Sensei(Identity(db), Inbox(db), brain, resend_after=timedelta(0))
    key = StateKey("slack", "T1", "C1", "U1")
    assert await sensei.admit(Message(key=key, text="hi", event_id="Ev2"))  # the ack path
    first = await sensei.handle(Message(key=key, text="hi", event_id="Ev2"), admitted=True)  # the job
    second = await sensei.handle(Message(key=key, text="hi", event_id="Ev2"), admitted=True)  # the job, run again
    assert first is not None and second == first and len(brain.turns) == 1


def test_a_reply_survives_its_json_form() -> None:
    from core.actions import Rate
    from core.messages import Button, Card, ReplyFile, ReplyImage

    reply = Reply(
        text="獺祭", lang="ja", tools=["sake_details"], error=None, actions=[Button(Rate(887, 4), "★4", "primary")],
        cards=[Card(887, "獺祭", "dassai", "旭酒造", "山口県", {"f1": 0.5}, ["華やか"], score=0.9, reason="r", certain=False,
                    extra={"price": 3000})],
        images=[ReplyImage(b"\x89PNG\x00\xff", "chart", media_id="m1", brand_id=887)],
        files=[ReplyFile(b"a,b\n", "menu.csv")],
    )
    assert Reply.from_json(reply.to_json()) == reply


async def test_a_first_run_that_waited_in_a_backlog_is_not_taken_for_a_takeover(db: Database) -> None:
    """A queue that counts runs decides: run 1 is the admitted event's own job however late it
    starts; run 2 is a takeover at once, without waiting for the claim to go stale."""
    from datetime import timedelta

    from core.db.base import utcnow
    from core.jobs import ATTEMPT

    now = [utcnow()]
    brain = Recorder()
    inbox = Inbox(db, clock=lambda: now[0])
    sensei = Sensei(Identity(db), inbox, brain, stale_after=timedelta(seconds=60))
    key = StateKey("line", "g", "c", "u")
    assert await sensei.admit(Message(key=key, text="hi", event_id="Q1"))
    assert await sensei.admit(Message(key=key, text="hi", event_id="Q2"))
    now[0] += timedelta(seconds=90)  # a long backlog: both claims are older than stale_after
    token = ATTEMPT.set(1)
    try:
        assert await sensei.handle(Message(key=key, text="hi", event_id="Q1"), admitted=True) is not None
    finally:
        ATTEMPT.reset(token)
    assert not brain.turns[-1].message.taken_over
    token = ATTEMPT.set(2)  # Q2's first run died seconds ago; this is its second run
    try:
        now[0] -= timedelta(seconds=85)
        assert await sensei.handle(Message(key=key, text="hi", event_id="Q2"), admitted=True) is not None
    finally:
        ATTEMPT.reset(token)
    assert brain.turns[-1].message.taken_over
    assert len(brain.turns) == 2
