"""Routing: knowledge questions to the right entry (the 167-question tuning set, EN and JA), brand names to
brand lookups, unknown terms to "not in my notes", and everything else left to the understanding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.catalog import CatalogSearch
from core.knowledge.routing import KnowledgeRouter

TUNING = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "knowledge_questions.jsonl"
QUESTIONS = [json.loads(line) for line in TUNING.read_text(encoding="utf-8").splitlines() if line.strip()]

# More brand questions: whatever else they contain, a brand named exactly is looked up as a brand.
BRANDS = [
    "what is hakkaisan", "what is dewazakura", "tell me about kubota", "what is 十四代", "八海山とは", "新政って何?",
    "what is dassai like?", "what's the difference between dassai and kubota?",
]
# Not knowledge questions: recommendations, pairings, the user's records, chat, labels.
NOT_KNOWLEDGE = [
    "recommend a junmai daiginjo", "what is a good junmai?", "what's the best sake for a beginner?", "おすすめの純米酒は?",
    "what goes with sushi?", "チーズに合うお酒ある?", "焼肉に合う日本酒は?", "what did I drink last month?", "何本飲んだ?",
    "what is on my wishlist", "what is this?", "what is this label?", "what would I like?", "what's popular right now?",
    "hi", "thanks", "what can you do?", "華やかな香りのお酒ある?", "dry sake from niigata", "log kubota 4 stars",
    "what's the capital of France?", "甘めのお酒ない?", "richer?", "tell me about kubotta",
]


@pytest.fixture(scope="module")
def router(search: CatalogSearch) -> KnowledgeRouter:
    return KnowledgeRouter.default(search)


def test_the_tuning_set_is_big_enough_and_bilingual() -> None:
    assert len(QUESTIONS) + len(BRANDS) >= 150
    assert sum(q["lang"] == "ja" for q in QUESTIONS) >= 60 and sum(q["lang"] == "en" for q in QUESTIONS) >= 90


@pytest.mark.parametrize("row", QUESTIONS, ids=[q["text"] for q in QUESTIONS])
def test_question_goes_to_its_entry(router: KnowledgeRouter, row: dict[str, str]) -> None:
    got = router.read(row["text"])
    assert got is not None
    assert (got.kind if got.kind != "entry" else got.entries[0]) == row["expect"]


@pytest.mark.parametrize("text", BRANDS)
def test_brand_names_stay_brand_lookups(router: KnowledgeRouter, text: str) -> None:
    got = router.read(text)
    assert got is not None and got.kind == "brand"


@pytest.mark.parametrize("text", NOT_KNOWLEDGE)
def test_other_messages_are_left_to_the_understanding(router: KnowledgeRouter, text: str) -> None:
    assert router.read(text) is None


def test_difference_reads_both_entries(router: KnowledgeRouter) -> None:
    got = router.read("吟醸と大吟醸の違いは?")
    assert got is not None and got.difference and got.entries == ("ginjo", "daiginjo")


def test_unknown_term_comes_with_closest_entries_and_no_brand(router: KnowledgeRouter) -> None:
    got = router.read("what is blorpt sake?")
    assert got is not None and got.kind == "unknown" and got.term == "blorpt"
    assert len(got.closest) == 3 and all(isinstance(c, str) for c in got.closest)
    assert got.args() == {"topic": "blorpt"}


def test_typos_find_the_entry(router: KnowledgeRouter) -> None:
    got = router.read("what is yamahi?")
    assert got is not None and got.entries == ("yamahai",)


def test_lookup_without_a_question_form_for_the_tool(router: KnowledgeRouter) -> None:
    assert router.lookup("kimoto").entries == ("kimoto",)
    assert router.lookup("日本酒度").entries == ("nihonshu-do",)
    assert router.lookup("zorblax").kind == "unknown"


@pytest.mark.parametrize("text", ["what is a sake flight?", "how does a flight work?", "飲み比べとは?", "飲み比べって何"])
def test_what_a_flight_is(router: KnowledgeRouter, text: str) -> None:
    """Was "not in my notes" (JA) or "no flight open here" (EN, read as the flight's status)."""
    got = router.read(text)
    assert got is not None and got.kind == "entry" and got.entries[0] == "flight"
