"""What a flight is once read from SQL: its sakes in tasting order, its members and their ratings.

Everything a reply, a progress line or the reveal needs is on one immutable `Flight`, read in
one go, so that nothing about a flight lives in a process's memory: a restart or a second
process reads the same flight back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from core.db.flight_tables import FlightMemberRow, FlightRatingRow, FlightRow, FlightSakeRow
from core.db.identity_tables import User


@dataclass(frozen=True, slots=True)
class FlightSake:
    """One sake of a stored flight (what core.flights.group.choose_flight picked for it)."""

    brand_id: int
    position: int  # tasting order, 0 first: light and cold to rich and warm
    notice: str  # a core.texts key: what to notice in this one
    notice_args: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    external_id: str
    name: str  # the display name the platform gave, else the platform id


@dataclass(frozen=True, slots=True)
class Flight:
    id: int
    workspace_id: int
    channel: str
    starter_id: int | None
    status: str  # open | closed
    size: int
    theme: str | None
    lang: str
    created_at: datetime
    closed_how: str | None  # all_rated | ended | timeout
    sakes: tuple[FlightSake, ...]  # in tasting order
    members: tuple[Member, ...]  # in joining order
    ratings: dict[tuple[int, int], float]  # (user_id, brand_id) -> stars

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def member(self, user_id: int) -> Member | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def has(self, brand_id: int) -> bool:
        return any(s.brand_id == brand_id for s in self.sakes)

    def rated_count(self, brand_id: int) -> int:
        return sum(1 for (u, b) in self.ratings if b == brand_id and self.member(u) is not None)

    def complete(self) -> bool:
        """Every member has rated every sake."""
        return all((m.user_id, s.brand_id) in self.ratings for m in self.members for s in self.sakes)


async def load(s, flight_id: int) -> Flight | None:  # type: ignore[no-untyped-def]
    """The whole flight, read inside the caller's session (so a transaction sees its own writes)."""
    row = await s.get(FlightRow, flight_id, populate_existing=True)
    if row is None:
        return None
    sakes = (await s.scalars(select(FlightSakeRow).where(FlightSakeRow.flight_id == flight_id)
                             .order_by(FlightSakeRow.position, FlightSakeRow.brand_id))).all()
    members = (await s.execute(
        select(FlightMemberRow.user_id, User.external_id, User.display_name)
        .join(User, User.id == FlightMemberRow.user_id)
        .where(FlightMemberRow.flight_id == flight_id)
        .order_by(FlightMemberRow.joined_at, FlightMemberRow.user_id)
    )).all()
    ratings = (await s.execute(
        select(FlightRatingRow.user_id, FlightRatingRow.brand_id, FlightRatingRow.stars).where(FlightRatingRow.flight_id == flight_id)
    )).all()
    return Flight(
        id=row.id, workspace_id=row.workspace_id, channel=row.channel, starter_id=row.starter_id, status=row.status,
        size=row.size, theme=row.theme, lang=row.lang, created_at=row.created_at, closed_how=row.closed_how,
        sakes=tuple(FlightSake(r.brand_id, r.position, r.notice, dict(r.notice_args or {})) for r in sakes),
        members=tuple(Member(u, x, d or x) for u, x, d in members),
        ratings={(u, b): float(v) for u, b, v in ratings},
    )

