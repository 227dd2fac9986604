"""The intent table: explicit priorities, one row per case, and a message that each row claims.

Adding an intent means a row in core/agent/intent_table.py, its words in intent_words.py, and a
line in CLAIMED here (a phrasing that the new row, and no earlier one, must claim).
"""

from __future__ import annotations

import pytest

from core.agent.intent_table import INTENTS
from core.agent.understanding import Context, Understanding
from core.catalog import CatalogSearch

SHOWN = Context(shown=(887, 431), last_tool="recommend", last_args={"mode": "flavor", "want": {"f5": 1}})
PHOTO = Context(has_image=True)

# rule -> (a message, its context, the tool it must choose)
CLAIMED: dict[str, tuple[str, Context | None, str]] = {
    "chat:why": ("why these?", SHOWN, "chat"),
    "chat:offtopic": ("what's the weather tomorrow", None, "chat"),
    "compare_sakes": ("which is drier, hakkaisan or kubota?", None, "compare_sakes"),
    "serving_temperature": ("獺祭は冷やと燗どっちがいい?", None, "serving_temperature"),
    "explain": ("what is kimoto?", None, "explain"),
    "chat:help": ("help", None, "chat"),
    "chat:small_talk": ("thanks!", None, "chat"),
    "identify_label:photo": ("what's this?", PHOTO, "identify_label"),
    "delete_tasting": ("delete my last tasting", None, "delete_tasting"),
    "edit_tasting": ("actually make that 4.5", None, "edit_tasting"),
    "wishlist": ("add dassai to my wishlist", None, "wishlist_add"),
    "tasting_history": ("show my history", None, "tasting_history"),
    "tasting_stats": ("my stats", None, "tasting_stats"),
    "log_tasting": ("dassai, 4 stars", None, "log_tasting"),
    "survey": ("take the survey", None, "survey"),
    "recommend:for_me_asked": ("recommend something for me", None, "recommend"),
    "taste_profile": ("show my taste profile", None, "taste_profile"),
    "preferences": ("my preferences", None, "preferences"),
    "identify_label:words": ("identify this label", None, "identify_label"),
    "recommend:liked": ("like the ones I rated 5", None, "recommend"),
    "follow_up": ("drier", SHOWN, "recommend"),
    "reject": ("none of those", SHOWN, "recommend"),
    "favourites": ("my favourite sakes", None, "favourites"),
    "another": ("another one", SHOWN, "recommend"),
    "recommend:like_but": ("like dassai but drier", None, "recommend"),
    "pair_food": ("sake for sushi", None, "pair_food"),
    "pair_food:dish": ("what sake goes with grilled mackerel?", None, "pair_food"),
    "recommend:beginner": ("a good sake for a beginner?", None, "recommend"),
    "recommend:similar": ("something similar to kubota", None, "recommend"),
    "recommend:direction": ("something drier", None, "recommend"),
    "recommend:for_me": ("what would suit me", None, "recommend"),
    "search_catalog:filtered": ("search sakes from akita", None, "search_catalog"),
    "recommend:flavor": ("a dry sake", None, "recommend"),
    "recommend:popular": ("popular sakes", None, "recommend"),
    "recommend:unlike_or_count": ("anything but dassai", None, "recommend"),
    "sake_details": ("tell me about dassai", None, "sake_details"),
    "recommend:personal": ("おすすめは?", None, "recommend"),
    "chat": ("good morning, how are you doing on this fine day my friend", None, "chat"),
    "search_catalog:name": ("zzyzx", None, "search_catalog"),
    "chat:unread": ("the cat sat on the mat today", None, "chat"),
}


@pytest.fixture(scope="module")
def nlu(search: CatalogSearch) -> Understanding:
    return Understanding(search)


def test_priorities_are_explicit_unique_and_ordered() -> None:
    priorities = [rule.priority for rule in INTENTS]
    assert priorities == sorted(priorities)
    assert len(set(priorities)) == len(priorities)
    assert len({rule.intent for rule in INTENTS}) == len(INTENTS)


def test_every_row_has_a_message_it_claims() -> None:
    assert {rule.intent for rule in INTENTS} == set(CLAIMED)


@pytest.mark.parametrize("rule", list(CLAIMED))
def test_the_row_claims_its_message(nlu: Understanding, rule: str) -> None:
    text, ctx, tool = CLAIMED[rule]
    got = nlu.understand(text, ctx)
    assert (got.rule, got.tool) == (rule, tool), got.as_dict()
