"""Menu CSV: bad rows reported (line, value, reason, suggestions), bad files refused, Shift_JIS, round-trip."""

from __future__ import annotations

import codecs

import pytest

from core.catalog import CatalogSearch
from core.db import Database
from core.errors import Code, SenseiError
from core.identity import Principal
from core.restaurants import Menu, Restaurants
from core.restaurants.menu_csv import MAX_BYTES, MenuCsv, decode
from tests.fakes.users import principal

DASSAI, JUYONDAI, KOKURYU, HAKKAISAN = 887, 144, 522, 380


@pytest.fixture
def csvs(db: Database, search: CatalogSearch) -> MenuCsv:
    return MenuCsv(Menu(db, search))


async def _owner(db: Database, workspace: str = "w1") -> Principal:
    owner = await principal(db, "owner", workspace)
    await Restaurants(db).setup(owner, f"{workspace}-ya")
    return owner


def _snapshot(items) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(i.brand_id, i.grade, i.product, i.price_glass, i.price_bottle, i.stock, i.notes) for i in items]


MIXED = """name,brewery,grade,price_glass,price_bottle,stock,notes
獺祭,,純米大吟醸,900,5000,3,
獺際,,,800,,,typo
高砂,,,700,,,
高砂,富士高砂酒造,,700,,yes,
Juyondai,,,abc,,,
獺祭,,junmai daiginjo,950,,,again
,,,500,,,
Kokuryu Daiginjo,,,1200,,0,
八海山,,特別本醸造,600,3000,maybe,
"""


async def test_good_rows_go_in_and_bad_rows_are_reported(db: Database, csvs: MenuCsv) -> None:
    owner = await _owner(db)
    report = await csvs.import_csv(owner, MIXED.encode())
    assert report.applied and report.encoding == "utf-8" and report.rows == 9
    assert sorted(i.brand_id for i in report.added) == sorted([DASSAI, 2359, KOKURYU])
    problems = {p.line: p for p in report.problems}
    assert sorted(problems) == [3, 4, 6, 7, 8, 10]
    assert problems[3].value == "獺際" and "獺祭 (旭酒造, 山口県)" in problems[3].suggestions and DASSAI in problems[3].suggestion_ids
    assert "did you mean" in problems[3].reason("en") and "もしかして" in problems[3].reason("ja")
    assert "several brands" in problems[4].reason("en") and len(problems[4].suggestions) == 4
    assert "not a number of yen" in problems[6].reason("en") and "円" in problems[6].reason("ja")
    assert "same item as line 2" in problems[7].reason("en")
    assert "empty" in problems[8].reason("en")
    assert "stock" in problems[10].reason("en")
    items = await csvs.menu.items(owner)
    kokuryu = next(i for i in items if i.brand_id == KOKURYU)
    assert kokuryu.grade == "大吟醸" and not kokuryu.available
    summary = report.summary("en")
    assert summary.startswith("Imported 3 items (3 new, 0 updated).") and "line 3 “獺際”" in summary
    assert "3行目「獺際」" in report.summary("ja")


async def test_japanese_headers_in_shift_jis_from_excel(db: Database, csvs: MenuCsv) -> None:
    owner = await _owner(db)
    text = ("銘柄,蔵元,特定名称,グラス(円),ボトル(円),在庫,備考,仕入れ先\r\n"
            "獺祭,旭酒造,純米大吟醸,\"￥1,000\",6000円,残り2,看板,A商店\r\n"
            "十四代,,,1500,,在庫切れ,,B商店\r\n")
    data = text.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = await csvs.import_csv(owner, data)
    assert report.encoding == "shift_jis" and report.problems == [] and report.ignored_columns == ["仕入れ先"]
    items = await csvs.menu.items(owner)
    assert [(i.brand_id, i.grade, i.price_glass, i.price_bottle, i.stock.count_left, i.available, i.notes) for i in items] == [
        (DASSAI, "純米大吟醸", 1000, 6000, 2, True, "看板"),
        (JUYONDAI, "", 1500, None, 0, False, None),
    ]


async def test_utf8_bom_tabs_and_one_column_with_brand_grade_and_product(db: Database, csvs: MenuCsv) -> None:
    owner = await _owner(db)
    data = codecs.BOM_UTF8 + "商品名\tグラス\n獺祭 純米大吟醸 磨き二割三分\t1800\nDassai 45\t900\n".encode()
    report = await csvs.import_csv(owner, data)
    assert report.problems == [] and report.encoding == "utf-8"
    assert [(i.brand_id, i.grade, i.product, i.price_glass) for i in await csvs.menu.items(owner)] == [
        (DASSAI, "純米大吟醸", "磨き二割三分", 1800),
        (DASSAI, "", "45", 900),
    ]


async def test_utf16_from_excel_unicode_text(db: Database, csvs: MenuCsv) -> None:
    owner = await _owner(db)
    report = await csvs.import_csv(owner, "name\tglass\n黒龍\t800\n".encode("utf-16"))
    assert report.encoding == "utf-16" and [i.brand_id for i in report.added] == [KOKURYU]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\r\n \r\n", "empty"),
        (b"x" * (MAX_BYTES + 1), "at most"),
        (b"PK\x03\x04" + b"\x00" * 100, "Excel workbook"),
        (bytes(range(256)) * 4, "can't read that file"),
        ("price,stock\n900,3\n".encode(), "No column names the sake"),
        ("name,glass\n".encode(), "no rows"),
        ("name,name\n獺祭,獺祭\n".encode(), "Two columns"),
        (("name\n" + "獺祭\n" * 501).encode(), "more than 500 rows"),
    ],
)
async def test_unreadable_files_are_refused_and_change_nothing(db: Database, csvs: MenuCsv, data: bytes, words: str) -> None:
    owner = await _owner(db)
    await csvs.menu.add(owner, "十四代", price_glass=1500)
    before = _snapshot(await csvs.menu.items(owner))
    with pytest.raises(SenseiError) as e:
        await csvs.import_csv(owner, data)
    assert e.value.code is Code.MENU_NOT_CHANGED and words in e.value.message("en"), e.value.message("en")
    assert e.value.message("ja") != e.value.message("en")
    assert _snapshot(await csvs.menu.items(owner)) == before


async def test_a_failure_while_writing_leaves_nothing_half_imported(db: Database, csvs: MenuCsv, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = await _owner(db)
    await csvs.menu.add(owner, "十四代", price_glass=1500)
    before = _snapshot(await csvs.menu.items(owner))
    real = csvs.menu._apply
    calls = {"n": 0}

    def flaky(s, restaurant, row, inp):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(s, restaurant, row, inp)

    monkeypatch.setattr(csvs.menu, "_apply", flaky)
    with pytest.raises(RuntimeError):
        await csvs.import_csv(owner, "name,glass\n獺祭,900\n黒龍,800\n八海山,700\n十四代,1600\n".encode())
    assert _snapshot(await csvs.menu.items(owner)) == before


async def test_export_round_trips_into_another_workspace(db: Database, csvs: MenuCsv) -> None:
    a = await _owner(db, "A")
    b = await _owner(db, "B")
    menu = csvs.menu
    await menu.add(a, "獺祭 純米大吟醸 磨き二割三分", price_glass=1800, price_bottle=12000, stock=3, notes="=HYPERLINK(\"x\")")
    await menu.add(a, "十四代", price_glass=1500, stock="在庫切れ")
    await menu.add(a, "高砂", prefecture="静岡", price_bottle=4000)
    await menu.add(a, "黒龍 大吟醸", notes="+ 冬季限定, \"quoted\"\nsecond line")
    for lang in ("en", "ja"):
        data = await csvs.export_csv(a, lang=lang)
        assert data.startswith(codecs.BOM_UTF8)
        assert b"'=HYPERLINK" in data  # a formula in a note is not run by Excel
        report = await csvs.import_csv(b, data, replace=True)
        assert report.problems == [] and report.applied
        assert _snapshot(await menu.items(b)) == _snapshot(await menu.items(a))
    assert (await csvs.export_csv(a)).decode("utf-8-sig").splitlines()[0] == (
        "brand_id,name,brewery,prefecture,grade,product,price_glass,price_bottle,stock,notes"
    )


async def test_replace_removes_what_is_not_in_the_file_but_only_when_every_row_matches(db: Database, csvs: MenuCsv) -> None:
    owner = await _owner(db)
    await csvs.menu.add(owner, "十四代")
    await csvs.menu.add(owner, "黒龍")
    before = _snapshot(await csvs.menu.items(owner))
    report = await csvs.import_csv(owner, "name,glass\n獺祭,900\n獺際,800\n".encode(), replace=True)
    assert not report.applied and [p.value for p in report.problems] == ["獺際"]
    assert "Nothing was imported" in report.summary("en")
    assert _snapshot(await csvs.menu.items(owner)) == before
    report = await csvs.import_csv(owner, "name,glass\n獺祭,900\n黒龍,800\n".encode(), replace=True)
    assert report.applied and [i.brand_id for i in report.removed] == [JUYONDAI]
    assert [(i.brand_id, i.price_glass) for i in await csvs.menu.items(owner)] == [(KOKURYU, 800), (DASSAI, 900)]


async def test_guests_cannot_import_or_export(db: Database, csvs: MenuCsv) -> None:
    await _owner(db)
    guest = await principal(db, "guest", "w1")
    for call in (csvs.import_csv(guest, b"name\n\xe7\x8d\xba\xe7\xa5\xad\n"), csvs.export_csv(guest)):
        with pytest.raises(SenseiError) as e:
            await call
        assert e.value.code is Code.NOT_ALLOWED
    assert await csvs.menu.items(guest) == []


def test_decode_prefers_utf8_and_falls_back_to_shift_jis() -> None:
    assert decode("銘柄\n獺祭\n".encode()) == ("銘柄\n獺祭\n", "utf-8")
    assert decode("銘柄\n獺祭\n".encode("shift_jis")) == ("銘柄\n獺祭\n", "shift_jis")
