from __future__ import annotations

import json

import numpy as np
import pytest

from core.catalog import Catalog
from core.flavor_space import FlavorSpace
from core.pairing import RULES, Pairing

DASSAI, KOSHINO_KANBAI = 887, 384


@pytest.fixture(scope="module")
def pairing() -> Pairing:
    return Pairing()


@pytest.mark.parametrize("text", ["", "   ", "a bicycle", "今日は雨", "x" * 10_000])
def test_unrecognised_text_is_no_family(pairing: Pairing, text: str) -> None:
    assert pairing.family_for(text) is None


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("grilled mackerel", "grilled_fish"),
        ("サバの塩焼き", "grilled_fish"),
        ("さんまの塩焼き", "grilled_fish"),
        ("sashimi", "sashimi"),
        ("鯛の刺身", "sashimi"),
        ("カツオのたたき", "sashimi"),  # not a cutlet
        ("fresh oysters", "shellfish"),
        ("ホタテのバター焼き", "shellfish"),
        ("shrimp tempura", "tempura"),
        ("唐揚げ", "tempura"),
        ("fried oysters", "tempura"),  # how it is cooked beats what it is
        ("yakitori", "yakitori_shio"),
        ("焼き鳥", "yakitori_shio"),
        ("焼き鳥のタレ", "yakitori_tare"),
        ("yakitori with tare", "yakitori_tare"),
        ("鰻の蒲焼", "yakitori_tare"),
        ("おでん", "nimono"),
        ("肉じゃが", "nimono"),
        ("すき焼き", "beef"),
        ("wagyu steak", "beef"),
        ("camembert cheese", "cheese"),
        ("チーズ", "cheese"),
        ("spicy tuna roll", "spicy"),
        ("麻婆豆腐", "spicy"),
        ("chocolate cake", "dessert"),
        ("寄せ鍋", "nabe"),
        ("イカの塩辛", "chinmi"),
        ("冷奴", "vegetables"),
        ("GRILLED FISH", "grilled_fish"),
        ("ＳＡＳＨＩＭＩ", "sashimi"),
    ],
)
def test_dishes_are_recognised(pairing: Pairing, text: str, family: str) -> None:
    got = pairing.family_for(text)
    assert got is not None and got.id == family, (text, got and got.id)


def test_rules_file_is_complete_and_sourced() -> None:
    data = json.loads(RULES.read_text(encoding="utf-8"))
    assert len(data["sources"]) >= 2 and all(s["where"].startswith("https://") for s in data["sources"])
    ids = {f["id"] for f in data["families"]}
    assert {"sashimi", "shellfish", "tempura", "grilled_fish", "yakitori_tare", "yakitori_shio", "nimono", "beef", "cheese", "spicy",
            "dessert"} <= ids
    for f in data["families"]:
        assert f["words_en"] and f["words_ja"] and f["axes"] and f["tags"] and f["temperatures"]
        assert set(f["axes"]) <= {"f1", "f2", "f3", "f4", "f5", "f6"}
        assert set(f["temperatures"]) <= {"chilled", "room", "warm", "hot"}


def test_scores_follow_the_rules(pairing: Pairing, catalog: Catalog) -> None:
    space = FlavorSpace.of(catalog)
    tempura = pairing.get("tempura")
    dessert = pairing.get("dessert")
    assert tempura is not None and dessert is not None
    t, d = pairing.scores(tempura, space), pairing.scores(dessert, space)
    assert t.shape == (len(catalog),)
    # among charted brands, the driest suit tempura better than the sweetest, and the other way round for dessert
    charted = np.flatnonzero(space.charted)
    dry = space.chart_z[charted, 4]
    driest, sweetest = charted[np.argsort(dry)[-50:]], charted[np.argsort(dry)[:50]]
    assert t[driest].mean() > t[sweetest].mean()
    assert d[sweetest].mean() > d[driest].mean()


def test_explain_in_both_languages(pairing: Pairing, catalog: Catalog) -> None:
    brand = catalog.get(KOSHINO_KANBAI)  # a dry, calm classic
    fam = pairing.get("tempura")
    assert brand is not None and fam is not None
    en = pairing.explain(fam, brand, "en", FlavorSpace.of(catalog))
    ja = pairing.explain(fam, brand, "ja", FlavorSpace.of(catalog))
    assert "oil" in en and "越乃寒梅" in en and "dry" in en
    assert "天ぷら" in ja and "越乃寒梅" in ja
    assert pairing.score(fam, brand, FlavorSpace.of(catalog)) > pairing.score(pairing.get("dessert"), brand, FlavorSpace.of(catalog))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, family",
    [
        ("辛口が飲みたい", None),  # たい (鯛) is also "want to"
        ("食べたい", None),
        ("久しぶりに飲む", None),  # ぶり (鰤) inside 久しぶり
        ("鯛の刺身", "sashimi"),
        ("刺身のたいに合う", "sashimi"),
        ("おすしに合うお酒", "sashimi"),
        ("ブリ大根", "grilled_fish"),
    ],
)
def test_two_kana_foods_are_not_read_inside_verbs(text: str, family: str | None) -> None:
    found = Pairing().family_for(text)
    assert (found.id if found else None) == family
