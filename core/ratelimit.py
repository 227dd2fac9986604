"""Rate limits per user and per workspace, shared by every process (database or Redis)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import delete

from core.db import Database, utcnow
from core.db.ratelimit_tables import RateBucket


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    window: timedelta


@dataclass(frozen=True, slots=True)
class Limits:
    """Generous for people, tight enough to stop a runaway script or a loop between two bots."""

    per_user: Limit = Limit(30, timedelta(minutes=1))
    per_workspace: Limit = Limit(600, timedelta(minutes=1))
    # New web chat identities (a browser without our cookie) per network address: one script must
    # not mint thousands of users; a household or an office behind one address still fits.
    new_sessions: Limit = Limit(30, timedelta(minutes=10))


# Workspaces whose members are strangers to each other: every LINE one-to-one chat is workspace
# "direct", every Discord DM "dm", and each web chat visitor is alone. A team's budget would let one
# of them lock all the others out, so they are limited one by one (per user) only.
SHARED_BY_STRANGERS: frozenset[tuple[str, str]] = frozenset({("line", "direct"), ("discord", "dm")})
STRANGER_PLATFORMS: frozenset[str] = frozenset({"web"})


class Counter(Protocol):
    async def incr(self, key: str, window: timedelta) -> int:
        """Count one more hit in the current window of `key`; returns the count so far."""


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


class DatabaseCounter:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def incr(self, key: str, window: timedelta) -> int:
        start = _window_start(self.clock(), window)
        if self.db.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(RateBucket).values(key=key[:191], window_start=start, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"count": RateBucket.count + 1}
        ).returning(RateBucket.count)
        async with self.db.transaction() as s:
            return int((await s.execute(stmt)).scalar_one())

    async def prune(self, older_than: timedelta = timedelta(hours=1)) -> int:
        async with self.db.transaction() as s:
            result = await s.execute(delete(RateBucket).where(RateBucket.window_start < self.clock() - older_than))
            return int(result.rowcount or 0)


class RedisCounter:
    def __init__(self, redis_url: str, clock: Callable[[], datetime] = utcnow) -> None:
        import redis.asyncio as redis

        self.redis = redis.from_url(redis_url)
        self.clock = clock

    async def incr(self, key: str, window: timedelta) -> int:
        start = _window_start(self.clock(), window)
        name = f"ss:rl:{key}:{int(start.timestamp())}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, int(window.total_seconds()) + 5)
            count, _ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self.redis.aclose()


class RateLimiter:
    def __init__(self, counter: Counter, limits: Limits = Limits()) -> None:
        self.counter = counter
        self.limits = limits

    async def allow(self, platform: str, workspace: str, user: str) -> bool:
        """False when this user or this workspace has used up the current window.

        The user's own budget is checked first, and only a message it admits counts toward the
        workspace's: a user sending too fast uses up nobody's budget but their own."""
        us = await self.counter.incr(f"u:{platform}:{workspace}:{user}", self.limits.per_user.window)
        if us > self.limits.per_user.count:
            return False
        if platform in STRANGER_PLATFORMS or (platform, workspace) in SHARED_BY_STRANGERS:
            return True
        ws = await self.counter.incr(f"w:{platform}:{workspace}", self.limits.per_workspace.window)
        return ws <= self.limits.per_workspace.count

    async def allow_new_session(self, address: str) -> bool:
        """False when this network address has started too many web chat identities this window."""
        count = await self.counter.incr(f"s:web:{address}", self.limits.new_sessions.window)
        return count <= self.limits.new_sessions.count
