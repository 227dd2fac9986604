"""The staff cheat sheet: a card per item, charts only where Sakenowa has one, text and PNG pages."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.catalog import Catalog, CatalogSearch
from core.db import Database
from core.errors import Code, SenseiError
from core.pairing import Pairing
from core.restaurants import Menu, Restaurants
from core.restaurants.cheatsheet import CARDS_PER_PAGE, CheatSheet
from core.restaurants.serving import pairing_table, sake_type, serving_temperature
from core.flavor_space import FlavorSpace
from tests.fakes.users import principal

DASSAI = 887


@pytest.fixture
def sheet(db: Database, catalog: Catalog, search: CatalogSearch) -> CheatSheet:
    return CheatSheet(Menu(db, search), Pairing(catalog))


def _uncharted(catalog: Catalog) -> int:
    return next(b.id for b in sorted(catalog.brands.values(), key=lambda b: b.id) if b.chart is None and len(b.tags) >= 3)


async def test_cards_in_both_languages_with_charts_only_where_real(db: Database, sheet: CheatSheet, catalog: Catalog) -> None:
    owner = await principal(db, "owner", "w1")
    await Restaurants(db).setup(owner, "Tanuki")
    await sheet.menu.add(owner, "獺祭 純米大吟醸", price_glass=900, stock=3)
    await sheet.menu.add(owner, "大七", price_bottle=4000, stock="在庫切れ")
    await sheet.menu.add(owner, str(_uncharted(catalog)), price_glass=700)
    cards = await sheet.cards(owner, lang="en")
    assert [c.item.title() for c in cards][:2] == ["獺祭 純米大吟醸", "大七"]
    dassai, daishichi, uncharted = cards
    png = dassai.chart_png("en")
    assert dassai.has_chart and png is not None and Image.open(io.BytesIO(png)).format == "PNG"
    assert not uncharted.has_chart and uncharted.chart_png("en") is None
    assert uncharted.item.brand is not None and uncharted.item.brand.chart is None
    assert dassai.kind is not None and dassai.kind.id == "kunshu" and dassai.temperature == "chilled"
    assert daishichi.kind is not None and daishichi.kind.id == "junshu" and daishichi.temperature == "warm"  # tagged 熱燗
    assert len(dassai.pairings) == 3 and all(0 <= p <= 1 for _, p in dassai.pairings)
    text = sheet.render_text(cards, "en")
    assert text.startswith("Staff cheat sheet (3 items)")
    assert "Type: fragrant (kunshu) · serve chilled" in text and "glass ¥900, 3 left" in text and "out of stock" in text
    assert "Chart: none (Sakenowa has no chart for it)" in text and "(estimated from tags)" in text
    assert "Say: This is 獺祭 純米大吟醸 (Dassai) from Yamaguchi" in text
    ja = sheet.render_text(await sheet.cards(owner, lang="ja"), "ja")
    assert ja.startswith("スタッフ用早見表(3品)") and "タイプ: 薫酒 ・ 温度: 冷酒" in ja and "ひとこと: 山口県の獺祭 純米大吟醸です。" in ja
    assert "在庫切れ" in ja and "チャート: なし" in ja


async def test_png_pages(db: Database, sheet: CheatSheet) -> None:
    owner = await principal(db, "owner", "w1")
    await Restaurants(db).setup(owner, "Tanuki")
    for name in ["獺祭", "十四代", "黒龍", "八海山", "大七", "神亀", "菊正宗", "久保田", "新政"]:
        await sheet.menu.add(owner, name)
    cards = await sheet.cards(owner, lang="ja")
    pages = sheet.render_png(cards, "ja")
    assert len(pages) == 2 == -(-len(cards) // CARDS_PER_PAGE)
    first = Image.open(io.BytesIO(pages[0]))
    assert first.format == "PNG" and first.size[1] > first.size[0]
    assert Image.open(io.BytesIO(pages[1])).size[1] < first.size[1]


async def test_only_staff_get_the_cheat_sheet(db: Database, sheet: CheatSheet) -> None:
    owner = await principal(db, "owner", "w1")
    await Restaurants(db).setup(owner, "Tanuki")
    guest = await principal(db, "guest", "w1")
    with pytest.raises(SenseiError) as e:
        await sheet.cards(guest)
    assert e.value.code is Code.NOT_ALLOWED
    assert await sheet.cards(guest, platform_admin=True) == []
    assert sheet.render_text([], "en") == "The menu has no sakes yet."


def test_serving_rules_follow_the_sake_types(catalog: Catalog) -> None:
    space = FlavorSpace.of(catalog)
    pairing = Pairing(catalog)
    dassai = catalog.get(DASSAI)
    assert dassai is not None
    assert serving_temperature(dassai, space) == "chilled"
    grilled = pairing.family_for("grilled fish")
    assert grilled is not None and serving_temperature(dassai, space, grilled) == grilled.temperatures[0]
    # every charted brand has a type; types and temperatures agree with the SSI table
    for b in list(catalog.brands.values())[:300]:
        kind = sake_type(b, space)
        if b.chart is not None:
            assert kind is not None
        if kind is not None and not any(t in b.tags[:5] for t in ("燗酒", "熱燗", "ぬる燗")):
            assert serving_temperature(b, space) == kind.temperatures[0]
    table = pairing_table(pairing, space)
    fams = [f.id for f, _ in table.best(dassai, 14)]
    assert len(fams) == 14 and set(fams) == {f.id for f in pairing.families}
