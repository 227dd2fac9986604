from datetime import UTC, datetime, timedelta

import pytest

from core.db import Database
from core.identity import Identity
from core.inbox import Inbox
from core.messages import Message, Reply, StateKey
from core.ratelimit import DatabaseCounter, Limit, Limits, RateLimiter, RedisCounter
from core.sensei import Sensei, Turn
from tests.fakes.clock import FakeClock


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 12, 0, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Echo:
    async def reply(self, turn: Turn) -> Reply:
        return Reply(text=turn.message.text, lang=turn.lang)


async def test_database_limits_per_user_and_window(db: Database) -> None:
    clock = Clock()
    limiter = RateLimiter(
        DatabaseCounter(db, clock), Limits(per_user=Limit(3, timedelta(minutes=1)), per_workspace=Limit(5, timedelta(minutes=1)))
    )
    assert [await limiter.allow("slack", "T1", "U1") for _ in range(4)] == [True, True, True, False]
    assert await limiter.allow("slack", "T1", "U2")  # another user has their own budget
    assert await limiter.allow("slack", "T1", "U3")  # U1's refused fourth did not count: 3 + 1 + this = 5
    assert await limiter.allow("slack", "T1", "U4") is False  # the workspace's 5 are used up
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
    except (OSError, redis.RedisError):
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    clock = Clock()
    clock.now = datetime(2026, 11, 28, 12, 0, 5, tzinfo=UTC) + timedelta(days=__import__("random").randrange(1, 10_000))
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


# ---- nobody's refused messages use up anybody else's budget (issue #21) ----------------------------

def _limiter(db: Database, clock: FakeClock, per_user: int = 3, per_workspace: int = 5) -> RateLimiter:
    return RateLimiter(DatabaseCounter(db, clock), Limits(per_user=Limit(per_user, timedelta(minutes=1)),
                                                          per_workspace=Limit(per_workspace, timedelta(minutes=1))))


async def test_a_users_refused_messages_do_not_use_the_workspace_budget(db: Database) -> None:
    clock = FakeClock()
    limiter = _limiter(db, clock)
    assert [await limiter.allow("slack", "T1", "U1") for _ in range(50)].count(True) == 3
    # 47 refused messages from U1 counted nothing toward T1's 5: two more users get in
    assert await limiter.allow("slack", "T1", "U2")
    assert await limiter.allow("slack", "T1", "U3")
    assert not await limiter.allow("slack", "T1", "U4")  # now 5 admitted: the workspace is full
    clock.advance(minutes=1)
    assert await limiter.allow("slack", "T1", "U4")


@pytest.mark.parametrize(("platform", "workspace"), [("line", "direct"), ("discord", "dm"), ("web", "web"), ("web", "anything")])
async def test_strangers_sharing_a_workspace_name_have_no_shared_budget(db: Database, platform: str, workspace: str) -> None:
    """LINE one-to-one users (`direct`), Discord DMs (`dm`) and web visitors are limited one by one."""
    clock = FakeClock()
    limiter = _limiter(db, clock, per_user=3, per_workspace=5)
    for user in range(10):  # ten users, each at their own limit: twice the workspace figure
        assert [await limiter.allow(platform, workspace, f"u{user}") for _ in range(4)] == [True, True, True, False]
    assert await limiter.allow(platform, workspace, "newcomer")


async def test_new_web_sessions_are_limited_per_address(db: Database) -> None:
    clock = FakeClock()
    limiter = RateLimiter(DatabaseCounter(db, clock), Limits(new_sessions=Limit(3, timedelta(minutes=10))))
    assert [await limiter.allow_new_session("203.0.113.7") for _ in range(4)] == [True, True, True, False]
    assert await limiter.allow_new_session("198.51.100.1")  # another address is untouched
    clock.advance(minutes=10)
    assert await limiter.allow_new_session("203.0.113.7")


async def test_redis_counter_admits_per_user_first() -> None:
    import redis.asyncio as redis

    try:
        client = redis.from_url("redis://127.0.0.1:6379")
        await client.ping()
        await client.aclose()
    except (OSError, redis.RedisError):
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    clock = FakeClock(datetime(2026, 11, 28, 12, 0, 5, tzinfo=UTC) + timedelta(days=__import__("random").randrange(1, 10_000)))
    counter = RedisCounter("redis://127.0.0.1:6379", clock)
    limiter = RateLimiter(counter, Limits(per_user=Limit(2, timedelta(minutes=1)), per_workspace=Limit(3, timedelta(minutes=1))))
    assert [await limiter.allow("slack", "T", "u1") for _ in range(20)].count(True) == 2
    assert await limiter.allow("slack", "T", "u2")
    assert not await limiter.allow("slack", "T", "u3")
    assert [await limiter.allow("line", "direct", f"u{i}") for i in range(10)] == [True] * 10
    await counter.close()


async def test_sensei_one_noisy_web_visitor_does_not_lock_out_the_next(db: Database) -> None:
    clock = FakeClock()
    sensei = Sensei(Identity(db), Inbox(db, clock), Echo(), _limiter(db, clock, per_user=3, per_workspace=5))
    noisy = StateKey("web", "web", "browser", "noisy")
    answers = [await sensei.handle(Message(key=noisy, text="hi")) for _ in range(30)]
    assert sum(1 for a in answers if a is not None and a.error is None) == 3
    for i in range(5):
        fresh = await sensei.handle(Message(key=StateKey("web", "web", "browser", f"new{i}"), text="hello"))
        assert fresh is not None and fresh.error is None, fresh
