"""The knowledge base as shipped: every entry complete, in both languages, sourced; no name claimed twice."""

from __future__ import annotations

import re

from core.knowledge.answer import sentences
from core.knowledge.base import TOPICS, load_base
from core.knowledge.matching import Matcher


def test_at_least_150_entries_over_every_topic() -> None:
    base = load_base()
    assert len(base) >= 150
    assert {e.topic for e in base.entries.values()} == set(TOPICS)
    assert sum(e.topic == "prefectures" for e in base.entries.values()) == 47


def test_every_entry_has_english_and_japanese_text_and_a_source() -> None:
    for e in load_base().entries.values():
        assert e.title["en"].strip() and e.title["ja"].strip(), e.id
        assert e.text["en"].isascii() is False or e.text["en"].strip(), e.id
        assert re.search(r"[a-zA-Z]{3}", e.text["en"]), e.id
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", e.text["ja"]), e.id
        assert 2 <= len(sentences(e.text["en"])) <= 4, (e.id, sentences(e.text["en"]))
        assert 1 <= len(sentences(e.text["ja"])) <= 5, e.id
        assert len(e.source) > 10, e.id
        assert e.aliases["en"] or e.aliases["romaji"], e.id
        assert e.aliases["ja"], e.id
        assert e.questions["en"] and e.questions["ja"], e.id


def test_no_alias_points_at_two_entries() -> None:
    shared = {key: owners for key, owners in Matcher(load_base()).owners.items() if len(owners) > 1}
    assert shared == {}


def test_related_entries_exist_and_are_not_the_entry_itself() -> None:
    base = load_base()
    for e in base.entries.values():
        assert e.id not in e.related
        assert all(r in base for r in e.related)


def test_the_labelling_standard_figures() -> None:
    """Facts checked against the National Tax Agency's 清酒の製法品質表示基準 (and JSS for temperatures)."""
    text = {e.id: e.text["en"] for e in load_base().entries.values()}
    assert "60 % or less" in text["ginjo"] and "50 %" in text["ginjo"]
    assert "50 % or less" in text["daiginjo"] and "50 % or less" in text["junmai-daiginjo"]
    assert "70 % or less" in text["honjozo"] and "10 % of the rice weight" in text["honjozo"]
    assert "60 % or less" in text["tokubetsu-junmai"] and "special method" in text["tokubetsu-junmai"]
    assert "no minimum" in text["junmai"] and "2004" in text["junmai"]
    degrees = {"yukibie": 5, "hanabie": 10, "suzubie": 15, "hinatakan": 30, "hitohadakan": 35, "nurukan": 40, "jokan": 45, "atsukan": 50,
               "tobikirikan": 55}
    base = load_base()
    for eid, deg in degrees.items():
        assert f"{deg} °C" in base.entries[eid].title["en"] and f"{deg} °C" in base.entries[eid].text["en"], eid
        assert f"{deg}℃" in base.entries[eid].title["ja"], eid
