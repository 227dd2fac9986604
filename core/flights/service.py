"""Running a flight: start, join, rate, end, and the close that comes by itself after a day.

The rules live here, not in the adapters or the brain: one open flight per channel (the
`open_key` unique column decides a race), members rate only for themselves, only the starter or
restaurant staff ends a flight, and a flight left open for `OPEN_FOR` closes with what was
rated the next time anyone in the channel touches it, or when the sweep (core.flights.sweep) runs
`close_stale`; its reveal is then posted to the channel once (core.flights.announcements).

Every write first takes the flight's row (`UPDATE ... WHERE status = 'open'`): on PostgreSQL
that is a row lock, on SQLite the write lock, so two members rating at the same moment are
applied one after the other, and exactly one of them sees the flight complete and closes it.
A redelivered event repeats nothing: joining twice is one membership, rating twice is one
rating (the last), ending a closed flight says it is closed.

A member's rating also goes into their own tasting log (one record per sake, edited when they
change their mind), so their taste profile learns from the flight like from any tasting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.catalog.model import Catalog
from core.db import Database, utcnow
from core.db.identity_tables import User
from core.db.tasting_tables import TastingRow
from core.db.flight_tables import FlightMemberRow, FlightRatingRow, FlightRevealRow, FlightRow, FlightSakeRow
from core.errors import Code, SenseiError
from core.flavor_space import FlavorSpace
from core.flights.announcements import CLAIM
from core.flights.state import Flight, load
from core.identity import Principal
from core.request import RecRequest
from core.tasting import Clock, TastingLog
from core.tasting_input import TastingInput

log = logging.getLogger(__name__)

OPEN_FOR = timedelta(days=1)
MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 3, 5, 3
MAX_THEME = 128
MAX_NAMED = 20  # people a starter may name at once


class Chooser(Protocol):
    """core.flights.group.choose_flight."""

    def __call__(self, space: FlavorSpace, catalog: Catalog, members: Sequence[Any], n: int, *,
                 candidates: Sequence[int] | None = None, req: RecRequest | None = None, exclude: set[int] = ...) -> list[Any]: ...


class FlightProblem(Exception):
    """A flight request that cannot be done as asked; `key` names the sentence (core.texts), `flight` the flight concerned."""

    def __init__(self, key: str, flight: Flight | None = None, code: Code | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.flight = flight
        self.code = code  # SS-010 when the asker may not do it (a non-member rating, a member ending)


@dataclass(frozen=True, slots=True)
class Rated:
    flight: Flight
    brand_id: int
    closed_now: bool  # this rating completed the flight: show the reveal


class Flights:
    def __init__(self, db: Database, catalog: Catalog, space: FlavorSpace, tastings: TastingLog, choose: Chooser, *,
                 vector: Callable[[Principal], Any] | None = None, roles: Any | None = None, menu: Any | None = None,
                 clock: Clock = utcnow) -> None:
        self.db = db
        self.catalog = catalog
        self.space = space
        self.tastings = tastings
        self.choose = choose
        self.vector = vector  # async: a member's TasteVector or None (core.profile.TasteProfiles.vector)
        self.roles = roles  # core.restaurants.roles.Restaurants: staff may end any flight
        self.menu = menu  # core.restaurants.menu.Menu: a restaurant's flight comes from its stock
        self.clock = clock

    # -- reads ---------------------------------------------------------------------------------

    async def current(self, principal: Principal) -> tuple[Flight | None, Flight | None]:
        """(the channel's open flight, a flight that just closed itself because it was left open too long)."""
        async with self.db.session() as s:
            flight_id = await s.scalar(select(FlightRow.id).where(FlightRow.open_key == _open_key(principal)))
            flight = await load(s, flight_id) if flight_id is not None else None
        if flight is None:
            return None, None
        if self.clock() - flight.created_at >= OPEN_FOR:
            closed = await self._close(flight.id, "timeout", held=True)
            return None, closed
        return flight, None

    async def get(self, flight_id: int) -> Flight | None:
        async with self.db.session() as s:
            return await load(s, flight_id)

    async def close_stale(self) -> list[Flight]:
        """Close every flight left open for a day (a periodic sweep; `current` also does it lazily)."""
        async with self.db.session() as s:
            stale = select(FlightRow.id).where(FlightRow.status == "open", FlightRow.created_at <= self.clock() - OPEN_FOR)
            ids = (await s.scalars(stale)).all()
        out = []
        for flight_id in ids:
            closed = await self._close(flight_id, "timeout")
            if closed is not None:
                out.append(closed)
        return out

    # -- writes --------------------------------------------------------------------------------

    async def start(self, principal: Principal, *, size: int = DEFAULT_SIZE, theme: str | None = None, req: RecRequest | None = None,
                    lang: str = "en", platform_admin: bool = False, with_users: Sequence[str] = ()) -> Flight:
        """A new flight in the asker's channel, with the asker and the people they named (platform user
        ids from mentions, `with_users`) as members.

        FlightProblem("flight.already_open") when the channel has one; the picks balance the
        members' tastes (a member with neither survey nor ratings counts as neutral)."""
        current, _ = await self.current(principal)
        if current is not None:
            raise FlightProblem("flight.already_open", current)
        size = max(MIN_SIZE, min(MAX_SIZE, size))
        named = await self.named(principal, with_users) if with_users else []
        members = [principal, *(p for p in named if p.user_id != principal.user_id)]
        vectors = [await self.vector(p) if self.vector is not None else None for p in members]
        candidates = await self._stock(principal)
        if candidates is not None and not candidates:
            raise FlightProblem("flight.no_stock")
        picks = self.choose(self.space, self.catalog, vectors, size, candidates=candidates, req=req, exclude=set())
        if not picks:
            raise FlightProblem("flight.no_picks")
        now = self.clock()
        try:
            async with self.db.transaction() as s:
                row = FlightRow(workspace_id=principal.workspace_id, channel=principal.key.channel, open_key=_open_key(principal),
                                starter_id=principal.user_id, status="open", size=len(picks), theme=(theme or None) and theme[:MAX_THEME],
                                lang=lang, created_at=now)
                s.add(row)
                await s.flush()
                for p in picks:
                    s.add(FlightSakeRow(flight_id=row.id, brand_id=p.brand_id, position=p.position, notice=p.notice,
                                        notice_args=dict(p.notice_args)))
                for i, member in enumerate(members):
                    s.add(FlightMemberRow(flight_id=row.id, user_id=member.user_id, joined_at=now + timedelta(microseconds=i)))
                await s.flush()
                flight = await load(s, row.id)
        except IntegrityError:  # someone started one in this channel at the same moment
            current, _ = await self.current(principal)
            raise FlightProblem("flight.already_open", current) from None
        assert flight is not None
        log.info("flight %d started", flight.id, extra={"workspace_id": principal.workspace_id, "size": len(picks)})
        return flight

    async def join(self, principal: Principal, flight_id: int | None = None) -> tuple[Flight, bool]:
        """(the flight, True when the asker was not a member before). Joining twice is one membership."""
        flight = await self._open(principal, flight_id)
        async with self.db.transaction() as s:
            if not await self._lock(s, flight.id):
                raise FlightProblem("flight.closed", await load(s, flight.id))
            known = await s.get(FlightMemberRow, (flight.id, principal.user_id))
            if known is None:
                s.add(FlightMemberRow(flight_id=flight.id, user_id=principal.user_id, joined_at=self.clock()))
                await s.flush()
            out = await load(s, flight.id)
        assert out is not None
        return out, known is None

    async def rate(self, principal: Principal, brand_id: int, stars: float, flight_id: int | None = None) -> Rated:
        """The asker's own rating of one of the flight's sakes (never anyone else's): stored for the
        flight and in their tasting log. The rating that completes the flight closes it."""
        flight = await self._open(principal, flight_id)
        if not flight.has(brand_id):
            raise FlightProblem("flight.not_in_flight", flight)
        if flight.member(principal.user_id) is None:
            raise FlightProblem("flight.not_member", flight, Code.NOT_ALLOWED)
        now = self.clock()
        async with self.db.transaction() as s:
            if not await self._lock(s, flight.id):
                raise FlightProblem("flight.closed", await load(s, flight.id))
            row = await s.get(FlightRatingRow, (flight.id, principal.user_id, brand_id))
            if row is None:
                row = FlightRatingRow(flight_id=flight.id, user_id=principal.user_id, brand_id=brand_id, stars=stars, rated_at=now)
                s.add(row)
            else:
                row.stars, row.rated_at = stars, now
            await s.flush()
            tasting_id = row.tasting_id
            after = await load(s, flight.id)
            assert after is not None
            closed_now = after.complete()
            if closed_now:
                await s.execute(update(FlightRow).where(FlightRow.id == flight.id)
                                .values(status="closed", open_key=None, closed_at=now, closed_how="all_rated"))
                after = await load(s, flight.id)
                assert after is not None
        await self._log_tasting(principal, flight.id, brand_id, stars, tasting_id)
        return Rated(after, brand_id, closed_now)

    async def end(self, principal: Principal, *, platform_admin: bool = False, flight_id: int | None = None) -> Flight:
        """Close the flight with what was rated: only its starter, or restaurant staff, may."""
        flight = await self._open(principal, flight_id)
        if principal.user_id != flight.starter_id and not await self._staff(principal, platform_admin):
            raise FlightProblem("flight.not_starter", flight, Code.NOT_ALLOWED)
        closed = await self._close(flight.id, "ended")
        if closed is None:
            raise FlightProblem("flight.closed", await self.get(flight.id))
        return closed

    async def mine(self, principal: Principal, flight_id: int, brand_id: int) -> tuple[Flight, float]:
        """The flight and the asker's own stars for this sake of it, open or closed (a note may follow the
        reveal); FlightProblem("flight.note.rate_first") when they have not rated it: a note needs a rating."""
        flight = await self.get(flight_id)
        if flight is None or flight.workspace_id != principal.workspace_id:
            raise FlightProblem("flight.closed")
        stars = flight.ratings.get((principal.user_id, brand_id))
        if stars is None:
            raise FlightProblem("flight.note.rate_first", flight)
        return flight, stars

    async def note(self, principal: Principal, flight_id: int, brand_id: int, notes: str) -> tuple[Flight, float]:
        """The asker's note on their own rating, in the record the rating put in their log (never anyone
        else's: the record is found by the asker's own rating row)."""
        flight, stars = await self.mine(principal, flight_id, brand_id)
        async with self.db.session() as s:
            tasting_id = await s.scalar(select(FlightRatingRow.tasting_id).where(
                FlightRatingRow.flight_id == flight_id, FlightRatingRow.user_id == principal.user_id, FlightRatingRow.brand_id == brand_id))
        try:
            if tasting_id is None:
                raise SenseiError(Code.UNKNOWN_SAKE, f"#{brand_id}")
            await self.tastings.edit(principal, tasting_id, notes=notes)
        except SenseiError as e:  # the record was deleted from their log since
            if e.code != Code.UNKNOWN_SAKE:
                raise
            raise FlightProblem("flight.note.rate_first", flight) from None
        return flight, stars

    async def named(self, principal: Principal, external_ids: Sequence[str]) -> list[Principal]:
        """The people a starter named, as users of the same workspace (created when the bot has not met
        them yet: a mention is how a group names its members)."""
        out = []
        async with self.db.transaction() as s:
            for ext in list(dict.fromkeys(external_ids))[:MAX_NAMED]:
                user = await s.scalar(select(User).where(User.workspace_id == principal.workspace_id, User.external_id == ext))
                if user is None:
                    user = User(platform=principal.key.platform, workspace_id=principal.workspace_id, external_id=ext)
                    s.add(user)
                    await s.flush()
                out.append(Principal(user.id, principal.workspace_id, replace(principal.key, user=ext)))
        return out

    # -- inside --------------------------------------------------------------------------------

    async def _open(self, principal: Principal, flight_id: int | None) -> Flight:
        """The channel's open flight (the one a button names, when it does); FlightProblem otherwise."""
        current, timed_out = await self.current(principal)
        if current is None:
            raise FlightProblem("flight.closed" if flight_id is not None or timed_out else "flight.none", timed_out)
        if flight_id is not None and current.id != flight_id:
            raise FlightProblem("flight.closed", await self.get(flight_id))
        return current

    @staticmethod
    async def _lock(s, flight_id: int) -> bool:  # type: ignore[no-untyped-def]
        """Take the flight's row for this transaction; False when it is no longer open."""
        result = await s.execute(update(FlightRow).where(FlightRow.id == flight_id, FlightRow.status == "open")
                                 .values(status="open"))
        return bool(result.rowcount)

    async def _close(self, flight_id: int, how: str, *, held: bool = False) -> Flight | None:
        """Close it once: the caller that actually closed it gets the flight; a second caller gets None.

        A flight that closed itself also gets its reveal to post (core.flights.announcements), in
        the same transaction; `held`: the turn that closed it may show the reveal itself, so the
        sweep leaves it alone for a claim's length."""
        now = self.clock()
        async with self.db.transaction() as s:
            result = await s.execute(update(FlightRow).where(FlightRow.id == flight_id, FlightRow.status == "open")
                                     .values(status="closed", open_key=None, closed_at=now, closed_how=how))
            if not result.rowcount:
                return None
            if how == "timeout":
                s.add(FlightRevealRow(flight_id=flight_id, due_at=now, attempts=0, claimed_until=now + CLAIM if held else None))
                await s.flush()
            return await load(s, flight_id)

    async def _staff(self, principal: Principal, platform_admin: bool) -> bool:
        if self.roles is None:
            return False
        role = await self.roles.role(principal, platform_admin=platform_admin)
        return bool(role.rank >= 1)

    async def _stock(self, principal: Principal) -> list[int] | None:
        """In a restaurant's workspace, the brands it has in stock; None elsewhere (the whole catalog)."""
        if self.roles is None or self.menu is None or await self.roles.get(principal) is None:
            return None
        items = await self.menu.items(principal, available_only=True)
        return list(dict.fromkeys(i.brand_id for i in items if self.catalog.get(i.brand_id) is not None))

    async def _log_tasting(self, principal: Principal, flight_id: int, brand_id: int, stars: float, tasting_id: int | None) -> None:
        """The rating in the member's own log: a new record, or the one this flight already made."""
        mine = (FlightRatingRow.flight_id == flight_id, FlightRatingRow.user_id == principal.user_id, FlightRatingRow.brand_id == brand_id)
        if tasting_id is not None:
            try:
                await self.tastings.edit(principal, tasting_id, rating=stars)
                return await self._settle(principal, mine)
            except SenseiError as e:
                if e.code != Code.UNKNOWN_SAKE:  # deleted from the log since: make a new one
                    raise
        tasting = await self.tastings.add(principal, TastingInput(brand_id=brand_id, rating=stars))
        async with self.db.transaction() as s:
            linked = await s.execute(
                update(FlightRatingRow).where(*mine, FlightRatingRow.tasting_id.is_(None)).values(tasting_id=tasting.id)
            )
        if not linked.rowcount:  # a second tap on the same sake linked its own record first: keep one
            await self.tastings.delete(principal, tasting.id)
        await self._settle(principal, mine)

    async def _settle(self, principal: Principal, mine: tuple[Any, ...]) -> None:
        """The log's record ends with the flight's stars. Taps on one sake in quick succession edit the
        record outside the flight's lock, so they may land out of order; each tap checks after its own
        edit, and the last one to check sees the last stars (every tap's flight write precedes its check)."""
        for _ in range(3):
            async with self.db.session() as s:
                row = (await s.execute(
                    select(FlightRatingRow.tasting_id, FlightRatingRow.stars, TastingRow.rating)
                    .outerjoin(TastingRow, TastingRow.id == FlightRatingRow.tasting_id).where(*mine)
                )).one_or_none()
            if row is None or row.tasting_id is None or row.rating == row.stars:
                return
            try:
                await self.tastings.edit(principal, row.tasting_id, rating=row.stars)
            except SenseiError as e:
                if e.code != Code.UNKNOWN_SAKE:
                    raise
                return

def _open_key(principal: Principal) -> str:
    return f"{principal.workspace_id}:{principal.key.channel}"[:160]

