"""The wishlist: sakes a user wants to try. Logging a tasting of one takes it off (core.tasting does
that in the same transaction as the tasting)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from core.catalog.model import BrandInfo, Catalog
from core.db import Database, utcnow
from core.db.catalog_tables import Brand
from core.db.wishlist_tables import WishlistRow
from core.errors import Code, SenseiError
from core.identity import Principal
from core.tasting import Clock

log = logging.getLogger(__name__)

MAX_ITEMS = 500  # a wishlist longer than this is a catalog, not a list


@dataclass(frozen=True, slots=True)
class WishlistItem:
    brand_id: int
    brand: BrandInfo | None  # None only when the catalog in memory lacks it (no catalog given)
    note: str | None
    added_at: datetime

    @property
    def name(self) -> str:
        return self.brand.name if self.brand is not None else f"#{self.brand_id}"


class Wishlist:
    def __init__(self, db: Database, clock: Clock = utcnow, catalog: Catalog | None = None) -> None:
        self.db = db
        self.clock = clock
        self.catalog = catalog

    async def _known(self, brand_id: int) -> bool:
        if self.catalog is not None:
            return self.catalog.get(brand_id) is not None
        async with self.db.session() as s:
            return await s.get(Brand, brand_id) is not None

    async def add(self, principal: Principal, brand_id: int, note: str | None = None) -> bool:
        """True when added, False when it was already there. Unknown ids answer SS-002."""
        if isinstance(brand_id, bool) or not isinstance(brand_id, int) or not await self._known(brand_id):
            raise SenseiError(Code.UNKNOWN_SAKE, f"No sake with id {brand_id}.")
        note = (note or "").strip()[:256] or None
        try:
            async with self.db.transaction() as s:
                if await s.get(WishlistRow, (principal.user_id, brand_id)) is not None:
                    return False
                count = len((await s.scalars(select(WishlistRow.brand_id).where(WishlistRow.user_id == principal.user_id))).all())
                if count >= MAX_ITEMS:
                    raise SenseiError(Code.NOT_ALLOWED, f"Your wishlist is full ({MAX_ITEMS} sakes).")
                s.add(WishlistRow(user_id=principal.user_id, brand_id=brand_id, note=note, added_at=self.clock()))
            return True
        except IntegrityError:  # the same add twice at once: the other one won
            return False
        except SQLAlchemyError as e:
            log.warning("wishlist add failed: %s", type(e).__name__)
            raise SenseiError(Code.TASTING_NOT_SAVED, "The wishlist could not be saved.") from e

    async def remove(self, principal: Principal, brand_id: int) -> bool:
        async with self.db.transaction() as s:
            result = await s.execute(delete(WishlistRow).where(WishlistRow.user_id == principal.user_id, WishlistRow.brand_id == brand_id))
            return bool(result.rowcount)

    async def contains(self, principal: Principal, brand_id: int) -> bool:
        async with self.db.session() as s:
            return await s.get(WishlistRow, (principal.user_id, brand_id)) is not None

    async def list(self, principal: Principal) -> list[WishlistItem]:
        """Newest first."""
        async with self.db.session() as s:
            rows = (
                await s.scalars(
                    select(WishlistRow)
                    .where(WishlistRow.user_id == principal.user_id)
                    .order_by(WishlistRow.added_at.desc(), WishlistRow.brand_id)
                )
            ).all()
        return [
            WishlistItem(
                r.brand_id, self.catalog.get(r.brand_id) if self.catalog else None, r.note,
                r.added_at if r.added_at.tzinfo else r.added_at.replace(tzinfo=timezone.utc),
            )
            for r in rows
        ]
