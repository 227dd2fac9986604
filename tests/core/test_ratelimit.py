from datetime import datetime, timedelta, timezone

import pytest

from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Message, Reply, StateKey
from core.ratelimit import DatabaseCounter, Limit, Limits, RateLimiter, RedisCounter
from core.sensei import Sensei, Turn


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 12, 0, 5, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


class Echo:
    async def reply(self, turn: Turn) -> Reply:
        return Reply(text=turn.message.text, lang=turn.lang)


async def test_database_limits_per_user_and_window(db: Database) -> None:
    clock = Clock()
    limiter = RateLimiter(DatabaseCounter(db, clock), Limits(per_user=Limit(3, timedelta(minutes=1)), per_workspace=Limit(5, timedelta(minutes=1))))
    assert [await limiter.allow("slack", "T1", "U1") for _ in range(4)] == [True, True, True, False]
    assert await limiter.allow("slack", "T1", "U2")  # another user has their own budget
    assert await limiter.allow("slack", "T1", "U3") is False  # the workspace's 5 are used up (4 + 1 + this)
    assert await limiter.allow("slack", "T2", "U1")  # another workspace is untouched
    clock.now += timedelta(minutes=1)
    assert await limiter.allow("slack", "T1", "U1")  # a new window


async def test_limits_shared_between_processes(db: Database) -> None:
    clock = Clock()
    limits = Limits(per_user=Limit(2, timedelta(minutes=1)))
    a, b = RateLimiter(DatabaseCounter(db, clock), limits), RateLimiter(DatabaseCounter(Database(db.url), clock), limits)
    assert await a.allow("line", "g", "u") and await b.allow("line", "g", "u")
    assert not await a.allow("line", "g", "u")
    await b.counter.db.dispose()  # type: ignore[attr-defined]


async def test_redis_counter() -> None:
    import redis.asyncio as redis

    try:
        client = redis.from_url("redis://127.0.0.1:6379")
        await client.ping()
        await client.aclose()
    except Exception:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    clock = Clock()
    clock.now = datetime(2026, 11, 28, 12, 0, 5, tzinfo=timezone.utc) + timedelta(days=__import__("random").randrange(1, 10_000))
    counter = RedisCounter("redis://127.0.0.1:6379", clock)
    limiter = RateLimiter(counter, Limits(per_user=Limit(2, timedelta(minutes=1))))
    assert [await limiter.allow("web", "w", "u") for _ in range(3)] == [True, True, False]
    await counter.close()


async def test_sensei_answers_ss009_and_loses_nothing(db: Database) -> None:
    clock = Clock()
    limiter = RateLimiter(DatabaseCounter(db, clock), Limits(per_user=Limit(1, timedelta(minutes=1))))
    sensei = Sensei(Identity(db), Inbox(db, clock), Echo(), limiter)
    key = StateKey("web", "w", "c", "u")
    first = await sensei.handle(Message(key=key, text="hello"))
    assert first is not None and first.text == "hello"
    second = await sensei.handle(Message(key=key, text="again", event_id="e2"))
    assert second is not None and second.error is not None and second.error["code"] == "SS-009"
    # The limited event is recorded as handled: a redelivery is not answered twice.
    assert await sensei.handle(Message(key=key, text="again", event_id="e2")) is None
