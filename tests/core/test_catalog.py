import pytest

from core.catalog.loader import load_catalog, read_bundled
from core.db import Database


async def test_catalog_counts_and_second_load_is_a_no_op(db: Database) -> None:
    # The fixture database was loaded once already: a second load must find nothing to change.
    again = await load_catalog(db)
    assert again["changed"] is False
    assert again["brands"] == 3167
    assert again["flavor_charts"] == 1355
    assert again["tags"] == 141
    assert again["breweries"] == 1733
    assert again["products"] > 1000
    forced = await load_catalog(db, force=True)
    assert {k: v for k, v in forced.items() if k != "changed"} == {k: v for k, v in again.items() if k != "changed"}


def test_catalog_keeps_sakenowa_ids_and_rankings(catalog) -> None:
    dassai = catalog.get(887)
    assert dassai is not None and dassai.name == "獺祭"
    assert dassai.brewery == "旭酒造" and dassai.prefecture == "山口県"
    assert dassai.chart is not None and len(dassai.chart) == 6
    assert "フルーティ" in dassai.tags
    assert dassai.rank is not None
    bundled = read_bundled()
    assert sum(1 for b in bundled["brands"] if b["rank"] is not None) == 100
    assert sum(1 for b in catalog.brands.values() if b.rank is not None) == 100


def test_brands_without_chart_have_no_flavor(catalog) -> None:
    no_chart = [b for b in catalog.brands.values() if b.chart is None]
    assert len(no_chart) == 3167 - 1355
    assert all(b.flavor is None and b.card().flavor is None and b.card().certain is False for b in no_chart)


def test_product_specs_joined_to_brands(catalog) -> None:
    with_products = [b for b in catalog.brands.values() if b.products]
    assert len(with_products) > 100
    assert any("純米吟醸" in b.grades for b in with_products)


@pytest.mark.parametrize("name", ["新政", "而今", "田酒", "飛露喜"])
def test_aliases_fix_dictionary_romaji(catalog, name: str) -> None:
    expected = {"新政": "aramasa", "而今": "jikon", "田酒": "denshu", "飛露喜": "hiroki"}[name]
    brand = next(b for b in catalog.brands.values() if b.name == name)
    assert brand.romaji == expected
