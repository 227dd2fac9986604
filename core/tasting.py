"""The tasting log: what a user drank and how they liked it; the ground truth the recommender learns from.

Every write runs in one transaction (the tasting, and taking the sake off the wishlist): it
commits whole or not at all, and any failure answers SS-006. Input is checked before the
database is touched, so bad input also answers with a plain reason and changes nothing.
Tastings of other users are invisible: an id that is not yours is "not found", never touched.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy import String, bindparam, cast, delete, distinct, func, literal, select, union_all

from core.catalog.model import FLAVOR_AXES, BrandInfo, Catalog
from core.db import Database, utcnow
from core.db.catalog_tables import Brand, Brewery
from core.db.tasting_tables import TastingRollupRow, TastingRow
from core.db.wishlist_tables import WishlistRow
from core.errors import Code, SenseiError
from core.identity import Principal

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

AXES = tuple(axis for axis, _, _ in FLAVOR_AXES)
MAX_SHORT = 256  # names, food, place
MAX_NOTES = 4000
MAX_TAGS = 20
MAX_PER_PAGE = 50

# Canonical serving temperatures: id -> (ja, en). Finer names (花冷え, 人肌燗 …) fold into these four.
TEMPERATURES: dict[str, tuple[str, str]] = {
    "chilled": ("冷酒", "chilled"),
    "room": ("常温", "room temperature"),
    "warm": ("ぬる燗", "warm"),
    "hot": ("熱燗", "hot"),
}
_TEMPERATURE_WORDS: dict[str, tuple[str, ...]] = {
    "chilled": (
        "chilled", "cold", "cool", "iced", "ice", "on the rocks", "rocks", "fridge", "reishu", "hiyazake",
        "冷酒", "冷", "冷たい", "冷やして", "冷えた", "キンキン", "雪冷え", "花冷え", "涼冷え", "みぞれ酒", "ロック", "れいしゅ",
    ),
    # 冷や (hiya) is the traditional name for room temperature, not for chilled sake.
    "room": ("room", "room temperature", "room temp", "ambient", "hiya", "joon", "jo-on", "常温", "冷や", "ひや", "室温", "じょうおん"),
    "warm": (
        "warm", "warmed", "lukewarm", "kan", "okan", "nurukan", "hitohadakan", "kanzake",
        "燗", "お燗", "燗酒", "ぬる燗", "温燗", "人肌燗", "人肌", "日向燗", "上燗", "かん", "ぬるかん",
    ),
    "hot": ("hot", "atsukan", "tobikirikan", "piping hot", "熱燗", "あつかん", "飛び切り燗", "飛びきり燗", "とびきり燗"),
}
_TEMPERATURE_LOOKUP = {unicodedata.normalize("NFKC", w).lower(): canon for canon, words in _TEMPERATURE_WORDS.items() for w in words}
_DEGREES = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(?:°\s*c|℃|度|c|degrees?)?$")

# 特定名称 and the usual romaji, so stats by grade count 純米吟醸 and "junmai ginjo" together.
GRADES: dict[str, tuple[str, ...]] = {
    "純米大吟醸": ("junmai daiginjo", "junmaidaiginjo", "junmai dai ginjo"),
    "純米吟醸": ("junmai ginjo", "junmaiginjo"),
    "特別純米": ("tokubetsu junmai", "tokubetsujunmai"),
    "純米": ("junmai",),
    "大吟醸": ("daiginjo", "dai ginjo"),
    "吟醸": ("ginjo",),
    "特別本醸造": ("tokubetsu honjozo", "tokubetsuhonjozo"),
    "本醸造": ("honjozo", "honjouzou", "honjozou"),
    "普通酒": ("futsushu", "futsu-shu", "table sake"),
}
_GRADE_LOOKUP = {unicodedata.normalize("NFKC", w).lower(): g for g, words in GRADES.items() for w in (g, *words)}


def _invalid(detail: str) -> SenseiError:
    return SenseiError(Code.TASTING_NOT_SAVED, detail)


def parse_rating(value: Any) -> float | None:
    """0..5 in half steps ("4.5", 4, "４"); anything else is refused with the reason."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _invalid("The rating must be a number from 0 to 5 in half steps (for example 3.5).")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().removesuffix("/5").strip()
        if text and set(text) <= {"★", "☆"}:
            return float(text.count("★"))
        try:
            value = float(text)
        except ValueError:
            raise _invalid(f"The rating {value!r} is not a number; use 0 to 5 in half steps.") from None
    try:
        rating = float(value)
    except (TypeError, ValueError):
        raise _invalid("The rating must be a number from 0 to 5 in half steps.") from None
    if not math.isfinite(rating) or not 0 <= rating <= 5:
        raise _invalid(f"The rating {value} is outside 0 to 5.")
    if rating * 2 != round(rating * 2):
        raise _invalid(f"The rating {value} is not in half steps; use for example 4 or 4.5.")
    return rating


def normalize_temperature(value: str | None) -> str | None:
    """A canonical temperature id (chilled / room / warm / hot) for 冷酒, 冷や, ぬる燗, "hot", "10℃" …"""
    if value is None or not str(value).strip():
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text in TEMPERATURES:
        return text
    if (canon := _TEMPERATURE_LOOKUP.get(text)) is not None:
        return canon
    if (m := _DEGREES.match(text)) is not None:
        degrees = float(m.group(1))
        if degrees <= 15:
            return "chilled"
        if degrees <= 25:
            return "room"
        return "warm" if degrees <= 45 else "hot"
    known = "、".join(ja for ja, _ in TEMPERATURES.values())
    raise _invalid(f"I don't know the serving temperature {value!r}; use {known} (chilled, room, warm, hot) or degrees.")


def temperature_label(canon: str | None, lang: str) -> str | None:
    if canon is None:
        return None
    ja, en = TEMPERATURES[canon]
    return ja if lang == "ja" else en


def normalize_grade(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    canon = _GRADE_LOOKUP.get(text.lower()) or _GRADE_LOOKUP.get(text.lower().replace("-", " "))
    if canon:
        return canon
    if len(text) > 32:
        raise _invalid("The grade is too long (32 characters at most).")
    return text


def _impression(value: Any) -> dict[str, float] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _invalid("The impression must give values for the flavor axes f1..f6.")
    out: dict[str, float] = {}
    for key, raw in value.items():
        if key not in AXES:
            raise _invalid(f"Unknown flavor axis {key!r}; use {', '.join(AXES)}.")
        try:
            v = float(raw)
        except (TypeError, ValueError):
            raise _invalid(f"The impression value for {key} is not a number.") from None
        if not math.isfinite(v) or not 0 <= v <= 1:
            raise _invalid(f"The impression value for {key} must be between 0 and 1.")
        out[key] = round(v, 3)
    return out or None


def _short(name: str, value: Any, limit: int = MAX_SHORT) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if len(text) > limit:
        raise _invalid(f"The {name} is too long ({limit} characters at most).")
    return text or None


def _date(value: Any, today: date) -> date:
    if value is None or value == "":
        return today
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise _invalid(f"The date {value!r} is not a date (use YYYY-MM-DD).") from None
    if not isinstance(value, date):
        raise _invalid("The date must be a date (YYYY-MM-DD).")
    if value > today + timedelta(days=1):  # a day's slack for time zones ahead of UTC
        raise _invalid(f"The date {value.isoformat()} is in the future.")
    if value.year < 1900:
        raise _invalid(f"The date {value.isoformat()} is too far in the past.")
    return value


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[,、・/]+", value)
    out: list[str] = []
    for t in value:
        text = unicodedata.normalize("NFKC", str(t)).strip()
        if not text:
            continue
        if len(text) > 64:
            raise _invalid("A flavor tag is too long (64 characters at most).")
        if text not in out:
            out.append(text)
    if len(out) > MAX_TAGS:
        raise _invalid(f"Too many flavor tags ({MAX_TAGS} at most).")
    return out


@dataclass(slots=True)
class TastingInput:
    """What a user tells about one sake they drank. Either brand_id or free_text_name names it."""

    brand_id: int | None = None
    free_text_name: str | None = None  # a sake not in the catalog (send a photo with it)
    product_name: str | None = None
    grade: str | None = None  # 純米吟醸 …
    rating: float | None = None  # 0..5, half steps
    impression: dict[str, float] | None = None  # f1..f6, 0..1, the user's own reading of the flavor axes
    tags: list[str] = field(default_factory=list)
    temperature: str | None = None  # 冷酒 / 常温 / ぬる燗 / 熱燗 / "hot" … (normalised)
    food: str | None = None
    place: str | None = None
    tasted_on: date | None = None  # today (by the clock) when missing
    notes: str | None = None
    photo_ref: str | None = None


INPUT_FIELDS = frozenset(f.name for f in fields(TastingInput))


@dataclass(frozen=True, slots=True)
class Tasting:
    id: int
    user_id: int
    brand_id: int | None
    brand: BrandInfo | None
    free_text_name: str | None
    product_name: str | None
    grade: str | None
    rating: float | None
    impression: dict[str, float] | None
    tags: tuple[str, ...]
    temperature: str | None
    food: str | None
    place: str | None
    tasted_on: date
    notes: str | None
    photo_ref: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        """The catalog's Japanese name, or what the user typed for a sake outside the catalog."""
        if self.brand is not None:
            return self.brand.name
        return self.free_text_name or (f"#{self.brand_id}" if self.brand_id is not None else "?")

    @property
    def chart(self) -> tuple[float, ...] | None:
        """The catalog chart; the user's own impression is kept apart (see `impression`)."""
        return self.brand.chart if self.brand is not None else None

    def summary(self, lang: str = "en") -> str:
        """One line for a history list: 2026-11-28 獺祭 純米大吟醸 ★4.5 (冷酒, with sashimi)."""
        parts = [self.tasted_on.isoformat(), self.name]
        if self.product_name:
            parts.append(self.product_name)
        if self.grade:
            parts.append(self.grade)
        if self.rating is not None:
            parts.append(f"★{self.rating:g}")
        extra = [x for x in (temperature_label(self.temperature, lang), self.food) if x]
        line = " ".join(parts)
        return f"{line} ({', '.join(extra)})" if extra else line


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    count: int
    average_rating: float | None


@dataclass(frozen=True, slots=True)
class TastingStats:
    count: int
    rated: int
    unique_brands: int  # catalog brands plus distinct free-text names
    average_rating: float | None
    by_prefecture: tuple[Bucket, ...]  # most tasted first; catalog brands only
    by_grade: tuple[Bucket, ...]
    by_month: tuple[Bucket, ...]  # "2026-11", newest first

    @property
    def favourite_prefecture(self) -> str | None:
        """The prefecture with the best average among those tasted more than once (or the most tasted)."""
        rated = [b for b in self.by_prefecture if b.average_rating is not None]
        if not rated:
            return self.by_prefecture[0].key if self.by_prefecture else None
        return max(rated, key=lambda b: (b.count > 1, b.average_rating, b.count)).key


@dataclass(frozen=True, slots=True)
class Rated:
    """What the taste profile needs from one tasting: light, so a long history stays cheap."""

    id: int
    brand_id: int | None
    rating: float
    impression: dict[str, float] | None
    tasted_on: date
    free_text_name: str | None = None


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
        free = _short("sake name", inp.free_text_name)
        if brand_id is None and free is None:
            raise _invalid("Name the sake: pick it from the catalog or type its name (a label photo helps).")
        return {
            "brand_id": brand_id,
            "free_text_name": free if brand_id is None else None,
            "product_name": _short("product name", inp.product_name),
            "grade": normalize_grade(inp.grade),
            "rating": parse_rating(inp.rating),
            "impression": _impression(inp.impression),
            "tags": _tags(inp.tags),
            "temperature": normalize_temperature(inp.temperature),
            "food": _short("food", inp.food),
            "place": _short("place", inp.place),
            "tasted_on": _date(inp.tasted_on, self.clock().date()),
            "notes": _short("notes", inp.notes, MAX_NOTES),
            "photo_ref": _short("photo reference", inp.photo_ref, 512),
        }

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
                    await s.execute(delete(WishlistRow).where(WishlistRow.user_id == principal.user_id, WishlistRow.brand_id == values["brand_id"]))
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
            raise _invalid(f"Unknown field(s): {', '.join(sorted(unknown))}.")
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
                    await s.execute(delete(WishlistRow).where(WishlistRow.user_id == principal.user_id, WishlistRow.brand_id == values["brand_id"]))
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
                select(TastingRow.id, TastingRow.brand_id, TastingRow.rating, TastingRow.impression, TastingRow.tasted_on, TastingRow.free_text_name)
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
        out = []
        for r in rows:
            t = self._to_tasting(r)
            out.append({
                "id": t.id, "brand_id": t.brand_id, "name": t.name, "free_text_name": t.free_text_name, "product_name": t.product_name,
                "grade": t.grade, "rating": t.rating, "impression": t.impression, "tags": list(t.tags), "temperature": t.temperature,
                "food": t.food, "place": t.place, "tasted_on": t.tasted_on.isoformat(), "notes": t.notes, "photo_ref": t.photo_ref,
                "created_at": t.created_at.isoformat(), "updated_at": t.updated_at.isoformat(),
            })
        return out

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
