import pytest

from core.catalog import CatalogSearch


@pytest.mark.parametrize(
    "query", ["獺祭", "Dassai", "dassai", "DASSAI", "dasai", "ＤＡＳＳＡＩ", "だっさい", "ダッサイ", "ﾀﾞｯｻｲ", "獺祭 純米大吟醸"]
)
def test_dassai_every_way(search: CatalogSearch, query: str) -> None:
    best = search.best(query)
    assert best is not None and best.brand.name == "獺祭", query


@pytest.mark.parametrize(
    "query,name",
    [
        ("aramasa", "新政"), ("jikon", "而今"), ("denshu", "田酒"), ("hiroki", "飛露喜"), ("kubota", "久保田"),
        ("hakkaisan", "八海山"), ("Juyondai", "十四代"), ("juuyondai", "十四代"), ("kokuryu", "黒龍"),
        ("黒竜", "黒龍"), ("越の寒梅", "越乃寒梅"), ("nabeshma", "鍋島"), ("KUBOTA", "久保田"),
    ],
)
def test_romaji_kanji_variants_and_typos(search: CatalogSearch, query: str, name: str) -> None:
    best = search.best(query)
    assert best is not None and best.brand.name == name, (query, best)


def test_four_takasago_are_separate_candidates(search: CatalogSearch) -> None:
    found = search.search("高砂", limit=10)
    takasago = [m.brand for m in found if m.brand.name == "高砂"]
    assert len(takasago) == 4
    assert len({(b.brewery, b.prefecture) for b in takasago}) == 4
    assert all(b.brewery in b.label() and b.prefecture in b.label() for b in takasago)


def test_search_by_brewery_prefecture_grade_tag(search: CatalogSearch) -> None:
    assert any(m.brand.name == "獺祭" for m in search.search("旭酒造"))
    niigata = search.search("", prefecture="Niigata", limit=20)
    assert niigata and all(m.brand.prefecture == "新潟県" for m in niigata)
    assert search.search("", prefecture="新潟", limit=5)[0].brand.prefecture == "新潟県"
    assert all(m.brand.prefecture == "山口県" for m in search.search("dassai", prefecture="山口県"))
    assert search.search("dassai", prefecture="新潟県") == []
    junmai = search.search("", grade="純米吟醸", limit=50)
    assert junmai and all("純米吟醸" in m.brand.grades for m in junmai)
    fruity = search.search("", tag="フルーティ", limit=10)
    assert fruity and all("フルーティ" in m.brand.tags for m in fruity)


def test_scores_are_ranked(search: CatalogSearch) -> None:
    found = search.search("kubo", limit=5)
    assert found[0].brand.name == "久保田"
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


@pytest.mark.parametrize("query", ["", " ", "x" * 10_000, "獺" * 10_000, "🍶🍶🍶", "'; DROP TABLE brands; --", "\x00\x01"])
def test_bad_queries_do_not_crash(search: CatalogSearch, query: str) -> None:
    assert isinstance(search.search(query), list)
    assert isinstance(search.find_in_text(query), list)


@pytest.mark.parametrize(
    "text,name",
    [
        ("tell me about 獺祭", "獺祭"),
        ("is dassai any good?", "獺祭"),
        ("醸し人九平次が好きです", "醸し人九平次"),
        ("what about kubota sake", "久保田"),
        ("新政ってどんなお酒?", "新政"),
    ],
)
def test_names_found_in_sentences(search: CatalogSearch, text: str, name: str) -> None:
    found = search.find_in_text(text)
    assert found and found[0].brand.name == name


def test_plain_english_is_not_a_brand(search: CatalogSearch) -> None:
    assert search.find_in_text("something dry and light for sashimi please") == []
