from __future__ import annotations

import pytest

from core.catalog import Catalog
from core.db import Database
from core.errors import Code, SenseiError
from core.tasting import TastingLog
from core.tasting_input import TastingInput
from core.wishlist import Wishlist
from tests.fakes.clock import FakeClock
from tests.fakes.users import principal

DASSAI, KUBOTA = 887, 431


async def test_unknown_brand_is_refused(db: Database, catalog: Catalog) -> None:
    me = await principal(db)
    for wl in (Wishlist(db, FakeClock(), catalog), Wishlist(db, FakeClock())):  # with and without the catalog in memory
        with pytest.raises(SenseiError) as e:
            await wl.add(me, 99_999_999)
        assert e.value.code is Code.UNKNOWN_SAKE
        assert await wl.list(me) == []


async def test_add_list_remove(db: Database, catalog: Catalog) -> None:
    clock = FakeClock()
    wl = Wishlist(db, clock, catalog)
    me = await principal(db)
    other = await principal(db, "bob")
    assert await wl.add(me, DASSAI) is True
    assert await wl.add(me, DASSAI) is False
    clock.advance(minutes=1)
    assert await wl.add(me, KUBOTA, note="friend said so") is True
    items = await wl.list(me)
    assert [i.brand_id for i in items] == [KUBOTA, DASSAI]
    assert items[0].name == "久保田" and items[0].note == "friend said so"
    assert await wl.list(other) == []
    assert await wl.remove(other, DASSAI) is False
    assert await wl.remove(me, DASSAI) is True
    assert [i.brand_id for i in await wl.list(me)] == [KUBOTA]


async def test_logging_a_wishlisted_sake_takes_it_off(db: Database, catalog: Catalog) -> None:
    clock = FakeClock()
    wl = Wishlist(db, clock, catalog)
    log = TastingLog(db, catalog, clock)
    me = await principal(db)
    other = await principal(db, "bob")
    await wl.add(me, DASSAI)
    await wl.add(me, KUBOTA)
    await wl.add(other, DASSAI)
    await log.add(me, TastingInput(brand_id=DASSAI, rating=4))
    assert [i.brand_id for i in await wl.list(me)] == [KUBOTA]
    assert [i.brand_id for i in await wl.list(other)] == [DASSAI]  # only my list changes
    t = await log.add(me, TastingInput(free_text_name="something", rating=3))
    await log.edit(me, t.id, brand_id=KUBOTA)  # correcting a tasting to a wishlisted sake also logs it
    assert await wl.list(me) == []
