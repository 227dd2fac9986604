"""Photos a user already sent: the same bottle photo twice is recognised, so it is not logged twice by accident.

Compared by perceptual hash (core.labels.phash): a re-sent, recompressed or rescaled copy
lands within a few bits; a new photo of another bottle does not. Only the user's recent
photos are compared (a window in time and in count), which keeps the check one small query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import delete, select

from core.db import Database
from core.db.label_tables import LabelPhoto
from core.labels.phash import distance

SAME_PHOTO_BITS = 6  # Hamming distance at or under which two photos are the same picture


@dataclass(frozen=True, slots=True)
class SeenPhoto:
    brand_id: int | None
    seen_at: datetime
    distance: int


class SeenPhotos:
    def __init__(
        self,
        db: Database,
        *,
        window: timedelta = timedelta(days=30),
        keep: int = 200,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.db = db
        self.window = window
        self.keep = keep
        self._clock = clock

    async def find(self, user_id: int, phash: str) -> SeenPhoto | None:
        """The closest earlier photo of this user that is the same picture, or None."""
        since = self._clock() - self.window
        async with self.db.session() as s:
            rows = (
                await s.execute(
                    select(LabelPhoto.phash, LabelPhoto.brand_id, LabelPhoto.seen_at)
                    .where(LabelPhoto.user_id == user_id, LabelPhoto.seen_at >= since)
                    .order_by(LabelPhoto.seen_at.desc(), LabelPhoto.id.desc())
                    .limit(self.keep)
                )
            ).all()
        best: SeenPhoto | None = None
        for row in rows:
            d = distance(row.phash, phash)
            if d <= SAME_PHOTO_BITS and (best is None or d < best.distance):
                seen_at = row.seen_at if row.seen_at.tzinfo else row.seen_at.replace(tzinfo=timezone.utc)  # SQLite drops the zone
                best = SeenPhoto(row.brand_id, seen_at, d)
        return best

    async def remember(self, user_id: int, phash: str, brand_id: int | None) -> None:
        """Record a photo; the user's photos beyond the newest `keep` are dropped."""
        async with self.db.transaction() as s:
            s.add(LabelPhoto(user_id=user_id, phash=phash, brand_id=brand_id, seen_at=self._clock()))
            await s.flush()
            old = (
                await s.scalars(
                    select(LabelPhoto.id)
                    .where(LabelPhoto.user_id == user_id)
                    .order_by(LabelPhoto.seen_at.desc(), LabelPhoto.id.desc())
                    .offset(self.keep)
                )
            ).all()
            if old:
                await s.execute(delete(LabelPhoto).where(LabelPhoto.id.in_(old)))
