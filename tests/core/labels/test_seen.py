"""Seen photos: the same picture sent twice is recognised, per user, within a window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from core.db import Database
from core.identity import Identity
from core.labels.seen import SeenPhotos
from core.messages import StateKey

A = "c62828c638c6c628"
A_RESENT = "c62828c638c6c629"  # one bit off: recompressed copy
B = "39d7d739c73939d7"  # every bit different from A


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


async def _users(db: Database) -> tuple[int, int]:
    identity = Identity(db)
    alice = await identity.resolve(StateKey("slack", "T1", "C1", "alice"))
    bob = await identity.resolve(StateKey("slack", "T1", "C1", "bob"))
    return alice.user_id, bob.user_id


async def test_same_photo_twice_is_recognised(db: Database) -> None:
    alice, bob = await _users(db)
    clock = Clock()
    seen = SeenPhotos(db, clock=clock)
    assert await seen.find(alice, A) is None
    await seen.remember(alice, A, 887)
    clock.now += timedelta(minutes=5)
    hit = await seen.find(alice, A_RESENT)
    assert hit is not None and hit.brand_id == 887 and hit.distance == 1
    assert hit.seen_at == datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
    assert await seen.find(alice, B) is None  # another photo
    assert await seen.find(bob, A) is None  # another user


async def test_window_and_keep(db: Database) -> None:
    alice, _ = await _users(db)
    clock = Clock()
    seen = SeenPhotos(db, window=timedelta(days=1), keep=3, clock=clock)
    await seen.remember(alice, A, 1)
    clock.now += timedelta(days=2)
    assert await seen.find(alice, A) is None  # too long ago to be an accident
    for i in range(4):
        await seen.remember(alice, f"{i:016x}", i)
    from sqlalchemy import func, select

    from core.db.label_tables import LabelPhoto

    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(LabelPhoto).where(LabelPhoto.user_id == alice)) == 3
