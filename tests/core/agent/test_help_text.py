"""The help answer says what the Sensei can do today, the same in English and Japanese, and every
example it quotes is read as what it advertises (a tool the Sensei has, or the start of a flight)."""

from __future__ import annotations

import re

import pytest

from core.agent.models.offline import chat_text
from core.agent.restaurant_understanding import read_restaurant
from core.agent.understanding import Context, Understanding
from core.catalog import Catalog, CatalogSearch
from core.flights.words import start_words
from core.texts import t

# each example quoted in the help, and what it must be read as (restaurant examples in a restaurant workspace)
EXAMPLES = {
    "en": {
        "tell me about 獺祭": "sake_details", "kubota": "sake_details", "dry and crisp": "recommend",
        "a kimoto from Fukushima": "recommend", "a sake to drink warm": "recommend", "like dassai but drier": "recommend",
        "what goes with sushi?": "pair_food", "what is junmai?": "explain", "what temperature is atsukan?": "explain",
        "獺祭 4/5": "log_tasting", "my favourites": "favourites", "why these?": "why", "start a flight of 3": "flight",
        "add 獺祭 to the menu at 900 yen a glass": "menu_add", "what's in stock?": "menu_list",
        "fruity and light for a guest": "picks_from_stock", "cheat sheet": "cheat_sheet",
    },
    "ja": {
        "獺祭について": "sake_details", "淡麗辛口": "recommend", "福島の生酛": "recommend", "燗で飲めるお酒": "recommend",
        "獺祭より辛口": "recommend", "寿司に合うお酒": "pair_food", "純米酒とは": "explain", "熱燗って何度?": "explain",
        "獺祭 星4": "log_tasting", "お気に入りのお酒": "favourites", "なぜこれ?": "why", "飲み比べしたい": "flight",
        "獺祭をメニューに追加 グラス900円": "menu_add", "在庫のあるお酒": "menu_list",
        "お客様にフルーティなお酒": "picks_from_stock", "早見表": "cheat_sheet",
    },
}
RESTAURANT = {"menu_add", "menu_list", "picks_from_stock", "cheat_sheet"}
QUOTED = {"en": re.compile(r'"([^"]+)"'), "ja": re.compile(r"「([^」]+)」")}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_help_quotes_exactly_the_examples_checked_here(lang: str) -> None:
    assert QUOTED[lang].findall(t("chat.help", lang)) == list(EXAMPLES[lang])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_help_names_every_feature_and_keeps_the_attribution(lang: str) -> None:
    help_text = chat_text("help", lang)
    assert "さけのわデータを利用しています" in help_text and "https://sakenowa.com" in help_text
    features = {
        "en": ["recommend", "pair", "terms", "grades", "serving temperatures", "label photo", "log what you drank",
               "history", "stats", "favourites", "taste profile", "wishlist", "survey", "flight", "group",
               "restaurant staff", "menu", "stock", "cheat sheet"],
        "ja": ["おすすめ", "料理との相性", "用語", "特定名称", "温度", "ラベル写真", "記録", "履歴", "統計", "お気に入り",
               "好みの傾向", "飲みたいリスト", "アンケート", "飲み比べ", "グループ", "スタッフ", "メニュー", "在庫", "早見表"],
    }[lang]
    assert [f for f in features if f not in help_text] == []


def test_help_has_as_many_lines_in_both_languages() -> None:
    assert len(t("chat.help", "en").splitlines()) == len(t("chat.help", "ja").splitlines())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_example_is_read_as_what_the_help_advertises(lang: str, catalog: Catalog, search: CatalogSearch) -> None:
    understanding = Understanding(search)
    read = {}
    for text, want in EXAMPLES[lang].items():
        if start_words(text, catalog.prefectures) is not None:  # flights read the text before the agent does
            read[text] = "flight"
            continue
        staff = read_restaurant(understanding, text, Context(), lang, restaurant=want in RESTAURANT)
        intent = staff if staff is not None else understanding.understand(text, Context(), lang=lang)
        read[text] = intent.chat if intent.tool == "chat" else intent.tool
    assert read == EXAMPLES[lang]
