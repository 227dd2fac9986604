"""The tasting log: what a user drank and how they liked it; the ground truth the recommender learns from.

Every write runs in one transaction (the tasting, and taking the sake off the wishlist): it
commits whole or not at all, and any failure answers SS-006. Input is checked before the
database is touched, so bad input also answers with a plain reason and changes nothing.
Tastings of other users are invisible: an id that is not yours is "not found", never touched.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timezone
from collections.abc import Sequence
from typing import Any, Callable

from sqlalchemy import String, bindparam, cast, delete, distinct, func, literal, select, union_all

from core.catalog.model import Catalog
from core.db import Database, utcnow
from core.db.catalog_tables import Brand, Brewery
from core.db.flight_tables import FlightRatingRow, FlightRow
from core.db.tasting_tables import TastingRollupRow, TastingRow
from core.db.wishlist_tables import WishlistRow
from core.errors import Code, SenseiError
from core.identity import Principal
from core.tasting_input import INPUT_FIELDS, MAX_PER_PAGE, TastingInput, checked_values, invalid_tasting
from core.tasting_records import Bucket, Rated, Tasting, TastingStats

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


RollupKey = tuple[str, str]  # (dim, key)


def _insert_for(dialect: str):  # type: ignore[no-untyped-def]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _stats_statement():  # type: ignore[no-untyped-def]
    """Built once (SQLAlchemy spends more time building a statement than SQLite running this one)."""
    r, t = TastingRollupRow, TastingRow
    uid = bindparam("uid")
    return union_all(
        select(r.dim, r.key, r.n, r.rated, r.total).where(r.user_id == uid, r.n > 0),
        # distinct sakes: from the history index alone (brand_id is in it)
        select(literal("unique"), literal(""), func.count(distinct(t.brand_id)), literal(0), literal(0.0)).where(t.user_id == uid),
        select(literal("unique"), literal(""), func.count(distinct(func.lower(t.free_text_name))), literal(0), literal(0.0))
        .where(t.user_id == uid, t.brand_id.is_(None)),
    )


_STATS = _stats_statement()


class TastingLog:
    def __init__(self, db: Database, catalog: Catalog, clock: Clock = utcnow) -> None:
        self.db = db
        self.catalog = catalog
        self.clock = clock

    # -- validation ------------------------------------------------------------------------

    def _columns(self, inp: TastingInput) -> dict[str, Any]:
        """The row's values from checked input; raises SenseiError before anything is written."""
        brand_id = inp.brand_id
        if brand_id is not None:
            if isinstance(brand_id, bool) or not isinstance(brand_id, int):
                try:
                    brand_id = int(str(brand_id).strip())
                except ValueError:
                    raise SenseiError(Code.UNKNOWN_SAKE, f"{inp.brand_id!r} is not a catalog id.") from None
            if self.catalog.get(brand_id) is None:
                raise SenseiError(Code.UNKNOWN_SAKE, f"No sake with id {brand_id}.")
        return checked_values(inp, brand_id, self.clock().date())

    def _to_tasting(self, row: TastingRow) -> Tasting:
        return Tasting(
            id=row.id, user_id=row.user_id, brand_id=row.brand_id,
            brand=self.catalog.get(row.brand_id) if row.brand_id is not None else None,
            free_text_name=row.free_text_name, product_name=row.product_name, grade=row.grade, rating=row.rating,
            impression=dict(row.impression) if row.impression else None, tags=tuple(row.tags or ()),
            temperature=row.temperature, food=row.food, place=row.place, tasted_on=row.tasted_on, notes=row.notes,
            photo_ref=row.photo_ref, created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
        )

    # -- rollups (see TastingRollupRow) ------------------------------------------------------

    def _contributions(self, brand_id: int | None, free: str | None, grade: str | None, rating: float | None,
                       tasted_on: date) -> list[RollupKey]:
        keys: list[RollupKey] = [("all", ""), ("month", f"{tasted_on.year:04d}-{tasted_on.month:02d}")]
        brand = self.catalog.get(brand_id) if brand_id is not None else None
        if brand is not None and brand.prefecture:
            keys.append(("pref", str(brand.prefecture_id)))
        if grade:
            keys.append(("grade", grade))
        return keys

    def _delta(self, deltas: dict[RollupKey, list[float]], row: Any, sign: int) -> None:
        rating = row.rating if isinstance(row, TastingRow) else row["rating"]
        get = (lambda k: getattr(row, k)) if isinstance(row, TastingRow) else row.__getitem__
        for key in self._contributions(get("brand_id"), get("free_text_name"), get("grade"), rating, get("tasted_on")):
            slot = deltas.setdefault(key, [0, 0, 0.0])
            slot[0] += sign
            if rating is not None:
                slot[1] += sign
                slot[2] += sign * float(rating)

    async def _apply(self, s: Any, user_id: int, deltas: dict[RollupKey, list[float]]) -> None:
        """Add the deltas to the user's running totals: one upsert, inside the caller's transaction."""
        rows = [
            {"user_id": user_id, "dim": dim, "key": key, "n": int(d[0]), "rated": int(d[1]), "total": float(d[2])}
            for (dim, key), d in deltas.items() if d[0] or d[1] or d[2]
        ]
        if not rows:
            return
        insert = _insert_for(self.db.dialect)
        stmt = insert(TastingRollupRow).values(rows)
        r = TastingRollupRow
        stmt = stmt.on_conflict_do_update(
            index_elements=[r.user_id, r.dim, r.key],
            set_={"n": r.n + stmt.excluded.n, "rated": r.rated + stmt.excluded.rated, "total": r.total + stmt.excluded.total},
        )
        await s.execute(stmt)

    async def rebuild_rollups(self, user_id: int | None = None) -> None:
        """Recompute the running totals from the tastings (one user, or everyone), inside the database.

        For repairs and bulk loads, and after a catalog refresh moved brands between prefectures.
        """
        t = TastingRow
        if self.db.dialect == "postgresql":
            month = func.to_char(t.tasted_on, "YYYY-MM")
        else:
            month = func.strftime("%Y-%m", t.tasted_on)
        measures = (func.count(), func.count(t.rating), func.coalesce(func.sum(t.rating), 0.0))
        cols = ["user_id", "dim", "key", "n", "rated", "total"]
        sources = [
            select(t.user_id, literal("all"), literal(""), *measures).group_by(t.user_id),
            select(t.user_id, literal("month"), month, *measures).group_by(t.user_id, month),
            select(t.user_id, literal("grade"), t.grade, *measures).where(t.grade.is_not(None)).group_by(t.user_id, t.grade),
            select(t.user_id, literal("pref"), cast(Brewery.prefecture_id, String), *measures)
            .select_from(t).join(Brand, Brand.id == t.brand_id).join(Brewery, Brewery.id == Brand.brewery_id)
            .where(Brewery.prefecture_id.in_(list(self.catalog.prefectures)))
            .group_by(t.user_id, Brewery.prefecture_id),
        ]
        async with self.db.transaction() as s:
            gone = delete(TastingRollupRow)
            if user_id is not None:
                gone = gone.where(TastingRollupRow.user_id == user_id)
                sources = [src.where(t.user_id == user_id) for src in sources]
            await s.execute(gone)
            for src in sources:
                await s.execute(TastingRollupRow.__table__.insert().from_select(cols, src))

    # -- writes ----------------------------------------------------------------------------

    async def add(self, principal: Principal, inp: TastingInput) -> Tasting:
        """Save one tasting, and take its sake off the wishlist, together or not at all (SS-006)."""
        values = self._columns(inp)
        now = self.clock()
        try:
            async with self.db.transaction() as s:
                row = TastingRow(user_id=principal.user_id, created_at=now, updated_at=now, **values)
                s.add(row)
                await s.flush()
                deltas: dict[RollupKey, list[float]] = {}
                self._delta(deltas, values, +1)
                await self._apply(s, principal.user_id, deltas)
                if values["brand_id"] is not None:
                    await s.execute(delete(WishlistRow).where(
                        WishlistRow.user_id == principal.user_id, WishlistRow.brand_id == values["brand_id"]
                    ))
                tasting = self._to_tasting(row)
        except SenseiError:
            raise
        except Exception as e:  # any failure inside the transaction: it rolled back, say so
            log.warning("tasting not saved: %s", type(e).__name__, extra={"user_id": principal.user_id})
            raise SenseiError(Code.TASTING_NOT_SAVED) from e
        return tasting

    async def edit(self, principal: Principal, tasting_id: int, **changes: Any) -> Tasting:
        """Change some fields (ratings drift); the whole record is re-checked. Not yours = not found."""
        unknown = set(changes) - INPUT_FIELDS
        if unknown:
            raise invalid_tasting(f"Unknown field(s): {', '.join(sorted(unknown))}.")
        try:
            async with self.db.transaction() as s:
                row = await s.scalar(select(TastingRow).where(TastingRow.id == tasting_id, TastingRow.user_id == principal.user_id))
                if row is None:
                    raise SenseiError(Code.UNKNOWN_SAKE, "That tasting is not in your log.")
                current = TastingInput(**{name: getattr(row, name) for name in INPUT_FIELDS})
                if "brand_id" in changes and changes["brand_id"] is not None and "free_text_name" not in changes:
                    current.free_text_name = None
                values = self._columns(replace(current, **changes))
                deltas: dict[RollupKey, list[float]] = {}
                self._delta(deltas, row, -1)
                self._delta(deltas, values, +1)
                for name, value in values.items():
                    setattr(row, name, value)
                await self._apply(s, principal.user_id, deltas)
                row.updated_at = self.clock()
                await s.flush()
                if values["brand_id"] is not None:
                    await s.execute(delete(WishlistRow).where(
                        WishlistRow.user_id == principal.user_id, WishlistRow.brand_id == values["brand_id"]
                    ))
                tasting = self._to_tasting(row)
        except SenseiError:
            raise
        except Exception as e:
            log.warning("tasting not edited: %s", type(e).__name__, extra={"user_id": principal.user_id})
            raise SenseiError(Code.TASTING_NOT_SAVED) from e
        return tasting

    async def delete(self, principal: Principal, tasting_id: int) -> bool:
        """True when one of your tastings was deleted; False when there is no such tasting of yours."""
        try:
            async with self.db.transaction() as s:
                row = await s.scalar(select(TastingRow).where(TastingRow.id == tasting_id, TastingRow.user_id == principal.user_id))
                if row is None:
                    return False
                deltas: dict[RollupKey, list[float]] = {}
                self._delta(deltas, row, -1)
                await s.delete(row)
                await self._apply(s, principal.user_id, deltas)
                return True
        except Exception as e:
            log.warning("tasting not deleted: %s", type(e).__name__, extra={"user_id": principal.user_id})
            raise SenseiError(Code.TASTING_NOT_SAVED, "Nothing was deleted.") from e

    # -- reads -----------------------------------------------------------------------------

    async def get(self, principal: Principal, tasting_id: int) -> Tasting | None:
        async with self.db.session() as s:
            row = await s.scalar(select(TastingRow).where(TastingRow.id == tasting_id, TastingRow.user_id == principal.user_id))
            return self._to_tasting(row) if row is not None else None

    async def page(self, principal: Principal, page: int = 1, per_page: int = 10) -> list[Tasting]:
        """Newest first (by the day tasted, then by when logged)."""
        page = max(1, int(page))
        per_page = min(MAX_PER_PAGE, max(1, int(per_page)))
        async with self.db.session() as s:
            rows = await s.scalars(
                select(TastingRow)
                .where(TastingRow.user_id == principal.user_id)
                .order_by(TastingRow.tasted_on.desc(), TastingRow.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
            return [self._to_tasting(r) for r in rows]

    async def last(self, principal: Principal) -> Tasting | None:
        """The most recently logged tasting (by when it was logged, whatever day it was drunk)."""
        async with self.db.session() as s:
            row = await s.scalar(
                select(TastingRow).where(TastingRow.user_id == principal.user_id).order_by(TastingRow.id.desc()).limit(1)
            )
            return self._to_tasting(row) if row is not None else None

    async def count(self, principal: Principal) -> int:
        async with self.db.session() as s:
            return int(await s.scalar(select(func.count()).select_from(TastingRow).where(TastingRow.user_id == principal.user_id)) or 0)

    async def ratings(self, principal: Principal, limit: int = 1000) -> list[Rated]:
        """The user's rated tastings, newest first: what the taste profile learns from."""
        async with self.db.session() as s:
            rows = await s.execute(
                select(TastingRow.id, TastingRow.brand_id, TastingRow.rating, TastingRow.impression, TastingRow.tasted_on,
                       TastingRow.free_text_name)
                .where(TastingRow.user_id == principal.user_id, TastingRow.rating.is_not(None))
                .order_by(TastingRow.tasted_on.desc(), TastingRow.id.desc())
                .limit(limit)
            )
            return [
                Rated(r.id, r.brand_id, float(r.rating), dict(r.impression) if r.impression else None, r.tasted_on, r.free_text_name)
                for r in rows
            ]

    async def logged_brand_ids(self, principal: Principal) -> set[int]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(TastingRow.brand_id).where(TastingRow.user_id == principal.user_id, TastingRow.brand_id.is_not(None)).distinct()
            )
            return set(rows)

    async def export(self, principal: Principal) -> list[dict[str, Any]]:
        """Every tasting of the user as plain JSON-able data, oldest first (for `sake-sensei export`)."""
        async with self.db.session() as s:
            rows = (await s.scalars(select(TastingRow).where(TastingRow.user_id == principal.user_id).order_by(TastingRow.id))).all()
        flights = await self.flights_of(principal, [r.id for r in rows])
        out = []
        for r in rows:
            t = self._to_tasting(r)
            flight = flights.get(t.id)
            out.append({
                "id": t.id, "brand_id": t.brand_id, "name": t.name, "free_text_name": t.free_text_name, "product_name": t.product_name,
                "grade": t.grade, "rating": t.rating, "impression": t.impression, "tags": list(t.tags), "temperature": t.temperature,
                "food": t.food, "place": t.place, "tasted_on": t.tasted_on.isoformat(), "notes": t.notes, "photo_ref": t.photo_ref,
                "created_at": t.created_at.isoformat(), "updated_at": t.updated_at.isoformat(),
                "flight": {"id": flight[0], "date": flight[1].isoformat()} if flight else None,
            })
        return out

    async def flights_of(self, principal: Principal, tasting_ids: Sequence[int]) -> dict[int, tuple[int, date]]:
        """Which of these records a flight's rating put in the log: tasting id -> (flight id, the flight's
        day). The history and the export mark them; the records themselves do not say."""
        if not tasting_ids:
            return {}
        async with self.db.session() as s:
            rows = (await s.execute(
                select(FlightRatingRow.tasting_id, FlightRow.id, FlightRow.created_at)
                .join(FlightRow, FlightRow.id == FlightRatingRow.flight_id)
                .where(FlightRatingRow.user_id == principal.user_id, FlightRatingRow.tasting_id.in_(list(tasting_ids)))
            )).all()
        return {int(tid): (int(fid), created.date()) for tid, fid, created in rows}

    async def stats(self, principal: Principal) -> TastingStats:
        """Counts and averages over the user's own tastings, read from their running totals.

        A few dozen small rows whatever the length of the history; the distinct sakes are
        counted from the history index (brand_id is one of its columns).
        """
        async with self.db.session() as s:
            groups = (await s.execute(_STATS, {"uid": principal.user_id})).all()
        count = rated_n = unique = 0
        average: float | None = None
        buckets: dict[str, list[Bucket]] = {"pref": [], "grade": [], "month": []}
        for dim, key, cnt, rcount, rsum in groups:
            cnt, rcount, rsum = int(cnt or 0), int(rcount or 0), float(rsum or 0.0)
            avg = round(rsum / rcount, 2) if rcount else None
            if dim == "all":
                count, rated_n, average = cnt, rcount, avg
            elif dim == "unique":
                unique += cnt
            elif dim == "pref":
                name = self.catalog.prefectures.get(int(key), "")
                if name:
                    buckets["pref"].append(Bucket(name, cnt, avg))
            else:
                buckets[dim].append(Bucket(str(key), cnt, avg))
        return TastingStats(
            count=count, rated=rated_n, unique_brands=unique, average_rating=average,
            by_prefecture=tuple(sorted(buckets["pref"], key=lambda b: (-b.count, b.key))),
            by_grade=tuple(sorted(buckets["grade"], key=lambda b: (-b.count, b.key))),
            by_month=tuple(sorted(buckets["month"], key=lambda b: b.key, reverse=True)),
        )
