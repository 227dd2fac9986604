"""The offline model's reading of restaurant phrases (EN/JA), and that it leaves everything else alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.agent.restaurant_understanding import read_restaurant
from core.agent.understanding import Context, Understanding
from core.catalog import CatalogSearch

EVAL = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "agent_eval.jsonl"


@pytest.fixture(scope="module")
def understanding(search: CatalogSearch) -> Understanding:
    return Understanding(search)


@pytest.mark.parametrize(
    "text, tool, args",
    [
        ("add 獺祭 to the menu at 900 yen a glass", "menu_add", {"sake": "獺祭", "price_glass": "900"}),
        ("add Dassai 45 to the menu, 900 yen a glass and 5000 yen a bottle, 6 bottles", "menu_add",
         {"sake": "Dassai 45", "price_glass": "900", "price_bottle": "5000", "stock": 6}),
        ("please add 十四代 to our menu for ¥1,500", "menu_add", {"sake": "十四代", "price_glass": "1500"}),
        ("add 黒龍 to the menu, notes: winter only", "menu_add", {"sake": "黒龍", "notes": "winter only"}),
        ("獺祭をメニューに追加 グラス900円 ボトル5000円", "menu_add", {"sake": "獺祭", "price_glass": "900", "price_bottle": "5000"}),
        ("メニューに黒龍 大吟醸を追加して", "menu_add", {"sake": "黒龍 大吟醸"}),
        ("獺祭を在庫切れに", "menu_update", {"item": "獺祭", "stock": "out of stock"}),
        ("獺祭が品切れ", "menu_update", {"item": "獺祭", "stock": "out of stock"}),
        ("dassai is out of stock", "menu_update", {"item": "dassai", "stock": "out of stock"}),
        ("mark kokuryu as sold out", "menu_update", {"item": "kokuryu", "stock": "out of stock"}),
        ("we're out of juyondai", "menu_update", {"item": "juyondai", "stock": "out of stock"}),
        ("獺祭 再入荷", "menu_update", {"item": "獺祭", "stock": "in stock"}),
        ("dassai is back in stock", "menu_update", {"item": "dassai", "stock": "in stock"}),
        ("we have 3 bottles of dassai left", "menu_update", {"item": "dassai", "stock": 3}),
        ("獺祭の在庫を3本に", "menu_update", {"item": "獺祭", "stock": 3}),
        ("獺祭 残り2本", "menu_update", {"item": "獺祭", "stock": 2}),
        ("set the glass price of dassai to 1000", "menu_update", {"item": "dassai", "price_glass": "1000"}),
        ("獺祭のグラスを1000円に", "menu_update", {"item": "獺祭", "price_glass": "1000"}),
        ("remove dassai from the menu", "menu_remove", {"item": "dassai"}),
        ("獺祭をメニューから外して", "menu_remove", {"item": "獺祭"}),
        ("/sake staff add <@U0123|hana>", "staff_add", {"member": "<@U0123|hana>"}),
        ("staff add U999", "staff_add", {"member": "U999"}),
        ("@hana をスタッフに追加", "staff_add", {"member": "@hana"}),
        ("/sake staff remove <@U0123>", "staff_remove", {"member": "<@U0123>"}),
        ("<@U1>をスタッフから外して", "staff_remove", {"member": "<@U1>"}),
        ("who is on staff?", "staff_list", {}),
        ("スタッフ一覧", "staff_list", {}),
        ("set up a restaurant called Sakaba Tanuki", "restaurant_setup", {"name": "Sakaba Tanuki"}),
        ("/sake restaurant setup 居酒屋たぬき", "restaurant_setup", {"name": "居酒屋たぬき"}),
        ("居酒屋たぬきをレストランとして登録", "restaurant_setup", {"name": "居酒屋たぬき"}),
        ("この店をレストランとして登録", "restaurant_setup", {}),
        ("export the menu as csv", "menu_export_csv", {}),
        ("メニューをCSVで書き出して", "menu_export_csv", {}),
        ("cheat sheet", "cheat_sheet", {}),
        ("スタッフ用の早見表", "cheat_sheet", {}),
        ("/sake menu", "menu_list", {}),
    ],
)
def test_staff_phrases_anywhere(understanding: Understanding, text: str, tool: str, args: dict[str, Any]) -> None:
    """Staff commands read the same in any workspace (the tools say when it is not a restaurant)."""
    intent = read_restaurant(understanding, text, Context())
    assert intent is not None and (intent.tool, intent.args) == (tool, args)


@pytest.mark.parametrize(
    "text, args",
    [
        ("what should I pour for a guest who likes fruity and light?", {"want": {"f1": 1, "f6": 1}, "tags": ["フルーティ", "軽快"]}),
        ("お客さんにフルーティで軽いのを出したい", {"want": {"f1": 1, "f6": 1}, "tags": ["フルーティ", "軽快"]}),
        ("something to pair with grilled mackerel", {"food": "grilled mackerel"}),
        ("サバの塩焼きに合うお酒", {"food": "サバの塩焼き"}),
        ("dry sake for oysters", {"food": "oysters", "want": {"f5": 1}}),
        ("what would I like?", {"for_me": True}),
        ("フルーティなお酒が飲みたい", {"want": {"f1": 1}, "tags": ["フルーティ"]}),  # 飲みたい is not 鯛
        ("what should I pour?", {}),
    ],
)
def test_picks_in_a_restaurant(understanding: Understanding, text: str, args: dict[str, Any]) -> None:
    intent = read_restaurant(understanding, text, Context(), restaurant=True)
    assert intent is not None and (intent.tool, intent.args) == ("picks_from_stock", args)


@pytest.mark.parametrize(
    "text",
    ["recommend something from the catalog", "tell me about 獺祭", "log dassai 4 stars", "十四代みたいなやつ", "好み診断をやりたい",
     "add kubota to my wishlist"],
)
def test_other_requests_in_a_restaurant_are_left_to_the_general_reading(understanding: Understanding, text: str) -> None:
    assert read_restaurant(understanding, text, Context(), restaurant=True) is None


def test_files_are_menu_imports(understanding: Understanding) -> None:
    for text, replace in (("", False), ("import this menu", False), ("replace the menu with this", True), ("メニューを置き換えて", True)):
        intent = read_restaurant(understanding, text, Context(), files=1)
        assert intent is not None and (intent.tool, intent.args) == ("menu_import_csv", {"replace": replace})
    assert read_restaurant(understanding, "import this menu", Context()).tool == "menu_import_csv"  # type: ignore[union-attr]


def test_nothing_outside_restaurants_changes_the_general_reading(understanding: Understanding) -> None:
    """The labelled agent eval set (personal requests): none of it is read as a restaurant request."""
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 100
    taken = [r["text"] for r in rows if read_restaurant(understanding, r["text"], Context()) is not None]
    assert taken == []
