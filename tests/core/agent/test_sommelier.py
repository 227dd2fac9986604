"""The sommelier's questions about named sakes: comparing two, how to serve one; read, then answered.

Routing (EN and JA) through the offline model's reading; the tools through the real offline agent;
the rules themselves (core.serving, core.sake_comparison) on catalog brands with chosen charts.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.agent.understanding import Context, Understanding
from core.catalog import Catalog, CatalogSearch
from core.catalog.model import BrandInfo, ProductInfo
from core.flavor_space import FlavorSpace
from core.sake_comparison import compare
from core.serving import serving_for
from core.styles import StyleIndex
from tests.core.agent.conftest import Chat

DASSAI, KUBOTA, HAKKAISAN, JUYONDAI, JIKON, DAISHICHI, OSOHOMARE = 887, 431, 380, 144, 660, 174, 1463


@pytest.fixture(scope="module")
def nlu(search: CatalogSearch) -> Understanding:
    return Understanding(search)


# -- routing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ids, axis",
    [
        ("which is drier, hakkaisan or kubota?", [HAKKAISAN, KUBOTA], "drier"),
        ("is kubota sweeter than dassai?", [KUBOTA, DASSAI], "sweeter"),
        ("dassai vs kubota", [DASSAI, KUBOTA], None),
        ("compare juyondai and jikon", [JUYONDAI, JIKON], None),
        ("what's the difference between jikon and juyondai?", [JIKON, JUYONDAI], None),
        ("kubota or dassai, which is more aromatic?", [KUBOTA, DASSAI], "more_aromatic"),
        ("獺祭と久保田の違い", [DASSAI, KUBOTA], None),
        ("八海山と久保田どっちが辛口?", [HAKKAISAN, KUBOTA], "drier"),
        ("十四代と獺祭、どちらが甘い?", [JUYONDAI, DASSAI], "sweeter"),
        ("大七と獺祭、どっちが重い?", [DAISHICHI, DASSAI], "richer"),
        ("久保田より獺祭のほうが辛口?", [KUBOTA, DASSAI], "drier"),  # 「より…辛口」 is also read as a direction
    ],
)
def test_two_sakes_and_a_comparison_word_are_compared(nlu: Understanding, text: str, ids: list[int], axis: str | None) -> None:
    intent = nlu.understand(text)
    assert intent.tool == "compare_sakes", (text, intent)
    assert intent.args["brand_ids"] == ids  # in the order written, one brand per name
    assert intent.args.get("axis") == axis


def test_compare_with_a_sake_just_shown(nlu: Understanding) -> None:
    intent = nlu.understand("compare it with kubota", Context(shown=(DASSAI,)))
    assert intent.tool == "compare_sakes" and intent.args["brand_ids"] == [KUBOTA, DASSAI]


@pytest.mark.parametrize(
    "text, brand_id",
    [
        ("what temperature for dassai?", DASSAI), ("how should I serve kubota?", KUBOTA), ("daishichi warm or cold?", DAISHICHI),
        ("should I drink hakkaisan hot or cold?", HAKKAISAN), ("獺祭は冷やと燗どっちがいい?", DASSAI),
        ("久保田のおすすめの温度", KUBOTA), ("大七は燗にしてもいい?", DAISHICHI),
    ],
)
def test_a_sake_and_a_serving_word_ask_how_to_serve_it(nlu: Understanding, text: str, brand_id: int) -> None:
    intent = nlu.understand(text)
    assert (intent.tool, intent.args) == ("serving_temperature", {"brand_id": brand_id}), text


def test_how_to_serve_the_sake_just_shown(nlu: Understanding) -> None:
    intent = nlu.understand("how should I serve it?", Context(shown=(DAISHICHI,)))
    assert (intent.tool, intent.args) == ("serving_temperature", {"brand_id": DAISHICHI})


@pytest.mark.parametrize(
    "text, tool",
    [
        ("like dassai but drier", "recommend"),  # one sake and a direction: picks away from it
        ("獺祭より辛口のお酒", "recommend"),
        ("something similar to dassai or kubota", "recommend"),
        ("what's the difference between junmai and ginjo?", "explain"),  # two terms, no sake
        ("熱燗って何度?", "explain"),
        ("what is hot sake?", "explain"),
        ("log dassai 4 stars, we had it warm", "log_tasting"),
        ("I drank kubota and dassai", "log_tasting"),
        ("tell me about dassai", "sake_details"),
        ("dassai or kubota with sushi?", "pair_food"),
    ],
)
def test_what_is_not_a_comparison_or_a_serving_question(nlu: Understanding, text: str, tool: str) -> None:
    assert nlu.understand(text).tool == tool, text


# -- the tools, through the offline agent ---------------------------------------------------------


async def test_which_is_drier_names_the_winner_with_both_cards_and_one_chart(chat: Chat) -> None:
    r = await chat.say("which is drier, hakkaisan or kubota?")
    assert r.tools == ["compare_sakes"]
    assert r.text.startswith("八海山 is slightly drier than 久保田 (dry: top 13 % vs top 14 % of charted sakes")
    assert not re.search(r"\b0\.\d\d\b", r.text)  # a place among charted sakes, never a bare chart figure
    assert [c.brand_id for c in r.cards] == [HAKKAISAN, KUBOTA]
    assert all(any(b.id.startswith("log") for b in c.actions) for c in r.cards)  # each card keeps its own buttons
    assert len(r.images) == 1 and r.images[0].brand_id is None and "八海山" in r.images[0].alt
    assert r.images[0].png.startswith(b"\x89PNG")


async def test_japanese_comparison_in_japanese(chat: Chat) -> None:
    r = await chat.say("獺祭と大七、どっちが辛口?")
    assert r.tools == ["compare_sakes"] and r.lang == "ja"
    assert r.text.startswith("獺祭のほうが大七よりわずかに辛口です")
    assert r.text.splitlines()[1].startswith("ラベルの数値も同じ傾向です(日本酒度 獺祭 +5、大七 +1.5")  # both labels give an SMV


async def test_no_axis_lists_the_main_differences_and_label_figures(chat: Chat) -> None:
    r = await chat.say("compare kokuryu with daishichi")
    lines = r.text.splitlines()
    assert lines[0] == "黒龍 and 大七, side by side:"
    assert any(line.startswith("黒龍 is more floral") for line in lines) and any(line.startswith("大七 is richer") for line in lines)
    assert any(line.startswith("大七 (") and "SMV" in line for line in lines)


async def test_a_sake_without_a_chart_is_said_to_have_none(chat: Chat) -> None:
    r = await chat.say("which is drier, dassai or osohomare?")
    assert r.tools == ["compare_sakes"] and not r.images
    assert "御祖ほまれ has no flavor chart" in r.text and " is drier than" not in r.text
    assert {c.brand_id for c in r.cards} == {DASSAI, OSOHOMARE}


async def test_serving_a_daiginjo_chilled_with_the_temperature_names(chat: Chat) -> None:
    r = await chat.say("what temperature for dassai?")
    assert r.tools == ["serving_temperature"]
    first, why = r.text.splitlines()
    assert first == "Serve 獺祭 chilled: hanabie 花冷え (10 °C) to suzubie 涼冷え (15 °C)."
    assert "純米大吟醸" in why
    assert [c.brand_id for c in r.cards] == [DASSAI]
    assert [a.id for a in r.actions] == ["explain:hanabie", "explain:suzubie"]


async def test_serving_in_japanese_warm_for_a_kanzake_favourite(chat: Chat) -> None:
    r = await chat.say("大七は冷やと燗どっちがいい?")
    assert r.tools == ["serving_temperature"] and r.lang == "ja"
    assert r.text.startswith("大七は燗で、ぬる燗(40℃)〜上燗(45℃)がおすすめです。")


async def test_serving_without_anything_to_go_on_gives_the_general_rule(chat: Chat) -> None:
    r = await chat.say("what temperature should osohomare be served at?")
    assert r.tools == ["serving_temperature"]
    assert r.text.startswith("The catalog has no grade, style or flavor chart for 御祖ほまれ")
    assert [a.id for a in r.actions] == ["explain:serving-temperature"]


async def test_umami_is_in_the_notes(chat: Chat) -> None:
    r = await chat.say("what's umami in sake?")
    assert r.tools == ["explain"] and "amino acids" in r.text and "not in my notes" not in r.text


# -- the rules ---------------------------------------------------------------------------------


def _product(grade: str, smv: float | None = None) -> ProductInfo:
    return ProductInfo(f"{grade} X", grade, 50.0, 15.0, smv, 1.3, None, None, (), ())


def _brand(catalog: Catalog, **changes: object) -> BrandInfo:
    base = catalog.get(KUBOTA)
    assert base is not None
    return replace(base, **{"tags": (), "products": (), "chart": None, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes, how, reason",
    [
        ({"tags": ("ガス", "甘味")}, "well_chilled", "sparkling"),
        ({"tags": ("旨味", "熱燗"), "products": (_product("大吟醸"),) * 3}, "warm", "tag"),  # drinkers' word first
        ({"products": (_product("純米大吟醸"),) * 2 + (_product("純米"),)}, "chilled", "ginjo"),
        ({"products": (_product("本醸造"), _product("純米"), _product("吟醸"))}, "room_or_warm", "junmai"),
        ({"chart": (0.55, 0.5, 0.2, 0.3, 0.3, 0.5)}, "chilled", "aromatic"),
        ({"chart": (0.2, 0.6, 0.55, 0.4, 0.3, 0.2)}, "room_or_warm", "rich"),
        ({"chart": (0.35, 0.5, 0.3, 0.45, 0.45, 0.45)}, "cool_or_room", "balanced"),
        ({}, "", "unknown"),
    ],
)
def test_serving_rules(catalog: Catalog, changes: dict[str, object], how: str, reason: str) -> None:
    s = serving_for(_brand(catalog, **changes))
    assert (s.how, s.reason) == (how, reason)


def test_comparison_rules(catalog: Catalog) -> None:
    dry = _brand(catalog, id=1, name="A", chart=(0.3, 0.5, 0.3, 0.4, 0.6, 0.4))
    sweet = _brand(catalog, id=2, name="B", chart=(0.3, 0.5, 0.3, 0.4, 0.2, 0.4))
    space = FlavorSpace.of(catalog)
    index = StyleIndex.of(space, space.brands)
    assert compare(dry, sweet, "sweeter", "en", index).winner == 2
    top = index.top_percent(4, 0.6, True), index.top_percent(4, 0.2, True)
    assert compare(sweet, dry, "drier", "en", index).lines[0] == (
        f"A is clearly drier than B (dry: top {top[0]} % vs top {top[1]} % of charted sakes, by Sakenowa's flavor charts)."
    )
    assert compare(dry, dry, "drier", "en", index).winner is None  # level: no winner invented
    # no chart on one side: the label's SMV decides dry/sweet, and the missing chart is said
    smv_dry = _brand(catalog, id=3, name="C", products=(_product("純米", smv=6.0),))
    smv_sweet = _brand(catalog, id=4, name="D", chart=sweet.chart, products=(_product("純米", smv=-2.0),))
    found = compare(smv_sweet, smv_dry, "drier", "en", index)
    assert found.winner == 3 and found.lines[0].startswith("C is drier than D by the label figures: SMV +6 vs -2")
    assert "C has no flavor chart" in found.lines[1]
    assert compare(smv_sweet, smv_dry, "richer", "en", index).winner is None
