"""The offline model's reading: ratings every way, flavour words, follow-ups, and honesty about the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.agent.ratings import parse_rating
from core.agent.understanding import Context, Understanding
from core.catalog import CatalogSearch

EVAL = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "agent_eval.jsonl"


@pytest.mark.parametrize(
    "text, stars",
    [
        ("4/5", 4), ("4.5 stars", 4.5), ("★★★★", 4), ("★★★☆☆", 3), ("☆☆☆", 3), ("星4", 4), ("4点", 4), ("80点", 4),
        ("8/10", 4), ("four stars", 4), ("four and a half stars", 4.5), ("星3つ", 3), ("星みっつ", 3), ("rated it 2", 2),
        ("gave it a 5", 5), ("★4.5", 4.5), ("４／５", 4), ("5段階で4", 4), ("評価は3", 3), ("4 out of 5", 4), ("★★★★½", 4.5),
    ],
)
def test_ratings_written_every_way(text: str, stars: float) -> None:
    r = parse_rating(text)
    assert r is not None and r.stars == stars, text


@pytest.mark.parametrize("text", ["3000円", "top 5 sakes", "16度", "純米吟醸 50%", "hello", "in 2024", "7/5", "12/10"])
def test_numbers_that_are_not_ratings(text: str) -> None:
    assert parse_rating(text) is None


@pytest.fixture(scope="module")
def nlu(search: CatalogSearch) -> Understanding:
    return Understanding(search)


def test_follow_ups_use_the_conversation(nlu: Understanding) -> None:
    ctx = Context(shown=(887, 431), last_tool="recommend", last_args={"mode": "flavor", "want": {"f5": 1}})
    assert nlu.understand("another one", ctx).args == {"mode": "flavor", "want": {"f5": 1}, "exclude": [431, 887]}
    # a direction after a flavor request edits that request (dry, and now light too) ...
    assert nlu.understand("something lighter", ctx).args == {"mode": "flavor", "want": {"f5": 1, "f6": 1}, "exclude": [431, 887]}
    # ... and after a ranking it moves from the first sake shown
    popular = Context(shown=(887, 431), last_tool="recommend", last_args={"mode": "popular"})
    assert nlu.understand("something lighter", popular).args == {"mode": "like_but", "brand_id": 887, "direction": "lighter"}
    assert nlu.understand("the second one, 4 stars", ctx).args == {"brand_id": 431, "rating": 4.0}
    assert nlu.understand("それをもう少し辛口で", ctx).args == {"mode": "like_but", "brand_id": 887, "direction": "drier"}
    # without a conversation the same words are a fresh request, not a guess
    assert nlu.understand("something lighter").args == {"mode": "flavor", "want": {"f6": 1}}
    assert nlu.understand("log that one, 4 stars").args == {"rating": 4.0}


def test_it_says_when_it_does_not_understand(nlu: Understanding) -> None:
    assert nlu.understand("what's the weather tomorrow?").chat == "offtopic"
    assert nlu.understand("明日の天気は?").chat == "offtopic"
    assert nlu.understand("!!!").chat == "unclear"
    assert nlu.understand("こんにちは").chat == "greeting" and nlu.understand("こんにちは").lang == "ja"


def test_food_words_inside_brand_names_stay_names(nlu: Understanding) -> None:
    assert nlu.understand("鍋島を詳しく").args == {"brand_id": 975}  # 鍋 is hot pot, 鍋島 is a sake
    assert nlu.understand("鍋に合うお酒").args["food"] == "hot pot"


def test_eval_set_is_large_and_bilingual() -> None:
    items = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    ja = sum(1 for i in items if any(ord(c) > 0x3000 for c in i["text"]))
    assert len(items) >= 150 and ja >= 60


def test_stars_in_a_request_are_not_a_tasting(nlu: Understanding) -> None:
    ctx = Context(shown=(887,), last_tool="recommend", last_args={"mode": "popular"})
    assert nlu.understand("recommend a 5 star sake", ctx).tool == "recommend"
    assert nlu.understand("5 stars", ctx).args == {"brand_id": 887, "rating": 5.0}
