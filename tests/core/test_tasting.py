from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from core.catalog import Catalog
from core.db import Database
from core.db.tasting_tables import TastingRow
from core.db.wishlist_tables import WishlistRow
from core.errors import Code, SenseiError
from core.tasting import TastingLog
from core.tasting_input import TastingInput, normalize_grade, normalize_temperature, parse_rating
from core.wishlist import Wishlist
from tests.fakes.clock import FakeClock
from tests.fakes.users import principal

DASSAI, JUYONDAI, ARAMASA, KUBOTA, HAKKAISAN = 887, 144, 109, 431, 380


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def log(db: Database, catalog: Catalog, clock: FakeClock) -> TastingLog:
    return TastingLog(db, catalog, clock)


async def _rows(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(TastingRow)) or 0)


# -- bad input first: a clear code, nothing written -----------------------------------------


@pytest.mark.parametrize("rating", [7, 4.3, -0.5, 5.5, float("nan"), "great", True, "4.25"])
async def test_invalid_rating_is_refused_and_nothing_saved(db: Database, log: TastingLog, rating: object) -> None:
    me = await principal(db)
    with pytest.raises(SenseiError) as e:
        await log.add(me, TastingInput(brand_id=DASSAI, rating=rating))  # type: ignore[arg-type]
    assert e.value.code is Code.TASTING_NOT_SAVED
    assert "rating" in e.value.message("en").lower()
    assert await _rows(db) == 0


async def test_unknown_brand_id_answers_ss002(db: Database, log: TastingLog) -> None:
    me = await principal(db)
    with pytest.raises(SenseiError) as e:
        await log.add(me, TastingInput(brand_id=99_999_999, rating=4))
    assert e.value.code is Code.UNKNOWN_SAKE
    assert await _rows(db) == 0


async def test_a_tasting_must_name_its_sake(db: Database, log: TastingLog) -> None:
    me = await principal(db)
    with pytest.raises(SenseiError) as e:
        await log.add(me, TastingInput(rating=4))
    assert e.value.code is Code.TASTING_NOT_SAVED
    with pytest.raises(SenseiError):
        await log.add(me, TastingInput(free_text_name="   ", rating=4))
    assert await _rows(db) == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"temperature": "lava"},
        {"impression": {"f9": 0.5}},
        {"impression": {"f1": 1.5}},
        {"tasted_on": date(2026, 12, 25)},
        {"tasted_on": "yesterday-ish"},
        {"notes": "x" * 5000},
        {"food": "y" * 300},
        {"tags": [f"t{i}" for i in range(30)]},
    ],
)
async def test_other_bad_fields_are_refused(db: Database, log: TastingLog, bad: dict) -> None:
    me = await principal(db)
    with pytest.raises(SenseiError) as e:
        await log.add(me, TastingInput(brand_id=DASSAI, rating=4, **bad))
    assert e.value.code is Code.TASTING_NOT_SAVED
    assert await _rows(db) == 0


async def test_failure_mid_transaction_answers_ss006_and_leaves_nothing_half_saved(
    db: Database, catalog: Catalog, clock: FakeClock
) -> None:
    """The tasting row is inserted, then taking the sake off the wishlist fails: both roll back."""
    me = await principal(db)
    wishlist = Wishlist(db, clock, catalog)
    await wishlist.add(me, DASSAI)
    log = TastingLog(db, catalog, clock)

    def fail_on_wishlist_delete(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("DELETE FROM WISHLIST"):
            raise RuntimeError("disk on fire")

    event.listen(db.engine.sync_engine, "before_cursor_execute", fail_on_wishlist_delete)
    try:
        with pytest.raises(SenseiError) as e:
            await log.add(me, TastingInput(brand_id=DASSAI, rating=4.5))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", fail_on_wishlist_delete)
    assert e.value.code is Code.TASTING_NOT_SAVED
    assert await _rows(db) == 0
    assert [w.brand.id for w in await wishlist.list(me)] == [DASSAI]
    # and the next attempt works
    await log.add(me, TastingInput(brand_id=DASSAI, rating=4.5))
    assert await _rows(db) == 1
    assert await wishlist.list(me) == []


async def test_failing_insert_answers_ss006(db: Database, log: TastingLog) -> None:
    me = await principal(db)

    def fail_on_insert(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO TASTINGS"):
            raise RuntimeError("no space left")

    event.listen(db.engine.sync_engine, "before_cursor_execute", fail_on_insert)
    try:
        with pytest.raises(SenseiError) as e:
            await log.add(me, TastingInput(brand_id=DASSAI, rating=4))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", fail_on_insert)
    assert e.value.code is Code.TASTING_NOT_SAVED
    assert await _rows(db) == 0


async def test_two_tastings_at_the_same_instant_are_both_kept(db: Database, log: TastingLog) -> None:
    me = await principal(db)
    a = await log.add(me, TastingInput(brand_id=DASSAI, rating=4))
    b = await log.add(me, TastingInput(brand_id=DASSAI, rating=4))
    assert a.id != b.id and a.created_at == b.created_at
    assert [t.id for t in await log.page(me)] == [b.id, a.id]


async def test_another_users_tasting_is_not_found_and_not_touched(db: Database, log: TastingLog) -> None:
    alice = await principal(db, "alice")
    bob = await principal(db, "bob")
    mine = await log.add(alice, TastingInput(brand_id=DASSAI, rating=4, notes="lovely"))
    with pytest.raises(SenseiError) as e:
        await log.edit(bob, mine.id, rating=1)
    assert e.value.code is Code.UNKNOWN_SAKE
    assert await log.delete(bob, mine.id) is False
    assert await log.get(bob, mine.id) is None
    still = await log.get(alice, mine.id)
    assert still is not None and still.rating == 4 and still.notes == "lovely"
    assert await log.page(bob) == []
    assert (await log.stats(bob)).count == 0


async def test_edit_with_bad_value_changes_nothing(db: Database, log: TastingLog) -> None:
    me = await principal(db)
    t = await log.add(me, TastingInput(brand_id=DASSAI, rating=4))
    with pytest.raises(SenseiError):
        await log.edit(me, t.id, rating=9)
    with pytest.raises(SenseiError):
        await log.edit(me, t.id, colour="red")
    with pytest.raises(SenseiError) as e:
        await log.edit(me, t.id, brand_id=123456789)
    assert e.value.code is Code.UNKNOWN_SAKE
    again = await log.get(me, t.id)
    assert again is not None and again.rating == 4 and again.brand_id == DASSAI


# -- normal use ------------------------------------------------------------------------------


def test_parsing_helpers() -> None:
    assert parse_rating("4.5") == 4.5
    assert parse_rating("４") == 4.0
    assert parse_rating(0) == 0.0
    assert parse_rating("★★★") == 3.0
    assert parse_rating(None) is None
    assert normalize_temperature("冷酒") == "chilled"
    assert normalize_temperature("冷や") == "room"  # hiya is room temperature
    assert normalize_temperature("常温") == "room"
    assert normalize_temperature("ぬる燗") == "warm"
    assert normalize_temperature("熱燗") == "hot"
    assert normalize_temperature("Hot") == "hot"
    assert normalize_temperature("cold") == "chilled"
    assert normalize_temperature("room") == "room"
    assert normalize_temperature("10℃") == "chilled"
    assert normalize_temperature("50°C") == "hot"
    assert normalize_grade("junmai ginjo") == "純米吟醸"
    assert normalize_grade("純米大吟醸") == "純米大吟醸"


async def test_add_full_record_and_read_it_back(db: Database, log: TastingLog, clock: FakeClock) -> None:
    me = await principal(db)
    t = await log.add(
        me,
        TastingInput(
            brand_id=DASSAI, product_name="磨き二割三分", grade="junmai daiginjo", rating=4.5,
            impression={"f1": 0.7, "f6": 0.6}, tags=["フルーティ", "華やか", "フルーティ"], temperature="花冷え",
            food="刺身", place="Tokyo", notes="very clean", photo_ref="media:abc",
        ),
    )
    assert t.name == "獺祭" and t.brand is not None and t.brand.prefecture == "山口県"
    assert t.grade == "純米大吟醸" and t.temperature == "chilled" and t.tags == ("フルーティ", "華やか")
    assert t.tasted_on == clock().date() and t.created_at == clock()
    back = await log.get(me, t.id)
    assert back == t
    assert "★4.5" in t.summary("ja") and "冷酒" in t.summary("ja")


async def test_free_text_sake_outside_the_catalog(db: Database, log: TastingLog) -> None:
    me = await principal(db)
    t = await log.add(me, TastingInput(free_text_name="Brooklyn Kura #14", rating=3.5, photo_ref="media:label1"))
    assert t.brand is None and t.name == "Brooklyn Kura #14" and t.photo_ref == "media:label1"


async def test_edit_changes_rating_and_keeps_the_rest(db: Database, log: TastingLog, clock: FakeClock) -> None:
    me = await principal(db)
    t = await log.add(me, TastingInput(brand_id=DASSAI, rating=4, food="tempura"))
    clock.advance(days=3)
    e = await log.edit(me, t.id, rating=2.5)
    assert e.rating == 2.5 and e.food == "tempura" and e.updated_at > e.created_at
    f = await log.edit(me, t.id, rating=None, brand_id=KUBOTA)
    assert f.rating is None and f.name == "久保田"


async def test_delete_and_last(db: Database, log: TastingLog, clock: FakeClock) -> None:
    me = await principal(db)
    assert await log.last(me) is None
    a = await log.add(me, TastingInput(brand_id=DASSAI, rating=4))
    clock.advance(minutes=1)
    b = await log.add(me, TastingInput(brand_id=KUBOTA, rating=3, tasted_on=clock().date() - timedelta(days=30)))
    last = await log.last(me)
    assert last is not None and last.id == b.id  # last logged, though drunk earlier
    assert await log.delete(me, a.id) is True
    assert await log.delete(me, a.id) is False
    assert [t.id for t in await log.page(me)] == [b.id]


async def test_paging_newest_first(db: Database, log: TastingLog, clock: FakeClock) -> None:
    me = await principal(db)
    start = clock().date() - timedelta(days=30)
    ids = []
    for i in range(25):
        ids.append((await log.add(me, TastingInput(brand_id=DASSAI, rating=3, tasted_on=start + timedelta(days=i)))).id)
    newest_first = list(reversed(ids))
    p1, p2, p3 = [await log.page(me, p) for p in (1, 2, 3)]
    assert [t.id for t in p1] == newest_first[:10]
    assert [t.id for t in p2] == newest_first[10:20]
    assert [t.id for t in p3] == newest_first[20:]
    assert await log.page(me, 4) == []
    assert len(await log.page(me, 1, per_page=1000)) == 25  # capped at 50


async def test_stats(db: Database, log: TastingLog, clock: FakeClock) -> None:
    me = await principal(db)
    other = await principal(db, "bob")
    await log.add(other, TastingInput(brand_id=ARAMASA, rating=0))  # never counted for me
    nov, oct_ = date(2026, 11, 3), date(2026, 10, 20)
    await log.add(me, TastingInput(brand_id=KUBOTA, rating=3, grade="純米吟醸", tasted_on=nov))
    await log.add(me, TastingInput(brand_id=HAKKAISAN, rating=4, grade="junmai ginjo", tasted_on=nov))
    await log.add(me, TastingInput(brand_id=HAKKAISAN, rating=5, tasted_on=oct_))
    await log.add(me, TastingInput(brand_id=DASSAI, rating=None, grade="純米大吟醸", tasted_on=oct_))
    await log.add(me, TastingInput(free_text_name="Mystery sake", rating=2, tasted_on=oct_))
    st = await log.stats(me)
    assert st.count == 5 and st.rated == 4
    assert st.unique_brands == 4  # 久保田, 八海山, 獺祭, the mystery sake
    assert st.average_rating == 3.5
    prefs = {b.key: b for b in st.by_prefecture}
    assert prefs["新潟県"].count == 3 and prefs["新潟県"].average_rating == 4.0
    assert prefs["山口県"].count == 1 and prefs["山口県"].average_rating is None
    assert st.by_prefecture[0].key == "新潟県"
    grades = {b.key: b.count for b in st.by_grade}
    assert grades == {"純米吟醸": 2, "純米大吟醸": 1}
    assert [(b.key, b.count) for b in st.by_month] == [("2026-11", 2), ("2026-10", 3)]
    assert st.favourite_prefecture == "新潟県"


async def test_stats_empty(db: Database, log: TastingLog) -> None:
    me = await principal(db)
    st = await log.stats(me)
    assert st.count == 0 and st.average_rating is None and st.by_month == () and st.favourite_prefecture is None


async def test_ratings_and_logged_ids(db: Database, log: TastingLog) -> None:
    me = await principal(db)
    await log.add(me, TastingInput(brand_id=DASSAI, rating=4, impression={"f1": 0.8}))
    await log.add(me, TastingInput(brand_id=KUBOTA))
    rated = await log.ratings(me)
    assert [(r.brand_id, r.rating, r.impression) for r in rated] == [(DASSAI, 4.0, {"f1": 0.8})]
    assert await log.logged_brand_ids(me) == {DASSAI, KUBOTA}


async def test_export_is_json_and_only_mine(db: Database, log: TastingLog) -> None:
    import json

    me = await principal(db)
    other = await principal(db, "bob")
    await log.add(me, TastingInput(brand_id=DASSAI, rating=4.5, impression={"f1": 0.7}, tags=["華やか"], temperature="冷酒"))
    await log.add(me, TastingInput(free_text_name="Mystery", rating=3))
    await log.add(other, TastingInput(brand_id=KUBOTA, rating=1))
    data = await log.export(me)
    assert [d["name"] for d in data] == ["獺祭", "Mystery"]
    assert data[0]["temperature"] == "chilled" and data[0]["impression"] == {"f1": 0.7}
    json.dumps(data, ensure_ascii=False)


async def test_forgetting_a_user_removes_their_tastings(db: Database, log: TastingLog, catalog: Catalog) -> None:
    """Tastings, wishlist and survey answers go with the user row (ON DELETE CASCADE)."""
    from core.db.identity_tables import User
    from core.preferences import Preferences

    me = await principal(db)
    await log.add(me, TastingInput(brand_id=DASSAI, rating=4))
    await Wishlist(db, FakeClock(), catalog).add(me, KUBOTA)
    await Preferences(db, FakeClock()).answer(me, "sweetness", "dry")
    async with db.transaction() as s:
        await s.delete(await s.get(User, me.user_id))
    async with db.session() as s:
        for table in (TastingRow, WishlistRow):
            assert await s.scalar(select(func.count()).select_from(table)) == 0


async def test_running_totals_match_the_tastings_after_random_edits(
    db: Database, log: TastingLog, catalog: Catalog, clock: FakeClock
) -> None:
    """Stats come from running totals kept on every write; they must equal a recount from the rows."""
    import random

    rng = random.Random(4)
    users = [await principal(db, "alice"), await principal(db, "bob")]
    brands = [DASSAI, JUYONDAI, ARAMASA, KUBOTA, HAKKAISAN]
    grades = [None, "純米吟醸", "純米", "大吟醸"]
    live: dict[int, list[int]] = {u.user_id: [] for u in users}

    def random_input() -> dict:
        free = rng.random() < 0.2
        return {
            "brand_id": None if free else rng.choice(brands),
            "free_text_name": rng.choice(["Mystery", "mystery", "Other"]) if free else None,
            "grade": rng.choice(grades),
            "rating": rng.choice([None, 0, 1.5, 3, 4.5, 5]),
            "tasted_on": date(2026, rng.randint(1, 11), rng.randint(1, 28)),
        }

    for _ in range(60):
        u = rng.choice(users)
        op = rng.random()
        if op < 0.6 or not live[u.user_id]:
            live[u.user_id].append((await log.add(u, TastingInput(**random_input()))).id)
        elif op < 0.85:
            fresh = random_input()
            change = {k: v for k, v in fresh.items() if k in ("grade", "rating", "tasted_on") and rng.random() < 0.6}
            if rng.random() < 0.5:  # the sake itself: both naming fields together
                change.update(brand_id=fresh["brand_id"], free_text_name=fresh["free_text_name"])
            await log.edit(u, rng.choice(live[u.user_id]), **change)
        else:
            tid = live[u.user_id].pop(rng.randrange(len(live[u.user_id])))
            assert await log.delete(u, tid)

    for u in users:
        rows = await log.export(u)
        stats = await log.stats(u)
        rated = [r["rating"] for r in rows if r["rating"] is not None]
        assert stats.count == len(rows) and stats.rated == len(rated)
        assert stats.average_rating == (round(sum(rated) / len(rated), 2) if rated else None)
        names = {r["brand_id"] if r["brand_id"] is not None else r["free_text_name"].casefold() for r in rows}
        assert stats.unique_brands == len(names)
        months: dict[str, int] = {}
        prefs: dict[str, int] = {}
        grades_seen: dict[str, int] = {}
        for r in rows:
            months[r["tasted_on"][:7]] = months.get(r["tasted_on"][:7], 0) + 1
            if r["brand_id"] is not None:
                p = catalog.brands[r["brand_id"]].prefecture
                prefs[p] = prefs.get(p, 0) + 1
            if r["grade"]:
                grades_seen[r["grade"]] = grades_seen.get(r["grade"], 0) + 1
        assert {b.key: b.count for b in stats.by_month} == months
        assert {b.key: b.count for b in stats.by_prefecture} == prefs
        assert {b.key: b.count for b in stats.by_grade} == grades_seen
        before = stats
        await log.rebuild_rollups(u.user_id)
        assert await log.stats(u) == before
    expected = [await log.stats(u) for u in users]
    await log.rebuild_rollups()  # everyone at once
    assert [await log.stats(u) for u in users] == expected


def test_a_history_line_shows_the_note_and_english_names_the_prefecture_in_romaji() -> None:
    """Failed on the old code: a history line dropped the note, and the English stats said 山口県 ×4、新潟県 ×1."""
    from datetime import date as _date

    from core.catalog.prefectures import display_name
    from core.tasting_records import NOTE_SHOWN, Tasting

    fields = {f: None for f in Tasting.__dataclass_fields__}
    row = Tasting(**{**fields, "id": 1, "free_text_name": "獺祭", "tasted_on": _date(2026, 12, 5), "rating": 4.0,
                     "notes": "fruity and clean"})
    assert row.summary("en") == "2026-12-05 獺祭 ★4 “fruity and clean”"
    assert row.summary("ja") == "2026-12-05 獺祭 ★4 「fruity and clean」"
    long = Tasting(**{**fields, "id": 2, "free_text_name": "獺祭", "tasted_on": _date(2026, 12, 5), "notes": "x" * 200})
    assert long.summary("en").endswith("…”") and len(long.summary("en")) < 40 + NOTE_SHOWN
    prefectures = {35: "山口県", 15: "新潟県"}
    assert display_name("山口県", prefectures, "en") == "Yamaguchi" and display_name("山口県", prefectures, "ja") == "山口県"
    assert display_name("どこか", prefectures, "en") == "どこか"
