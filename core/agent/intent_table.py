"""Which intent a message has: one table of (intent, priority, matcher), tried lowest priority first.

The understanding (understanding.py) reads everything a message says into a `Reading` once;
each row here looks at that reading and either claims the message or passes. The order used
to be the order of an if-chain; it is now an explicit number, so a new intent is placed by
saying what it must come after (a turn that logs is not also a delete; a knowledge question is
answered before a brand lookup). The words every matcher tests live in intent_words.py.

Adding an intent: its words in intent_words.py, a row here, and a test (tests/core/agent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from core.agent import intent_words as w
from core.agent.constraint_reading import direction_axes, direction_of, edit_previous, is_beginner
from core.agent.ratings import Rating
from core.agent.reading import Intent, Reading, _looks_like_a_name, _notes, _only, _sentence, dish_phrase
from core.agent.sommelier_reading import compare, serving
from core.food_model import FoodModel

_FOOD_MODEL = FoodModel()  # dishes outside the lexicon: "what sake goes with pad thai?"


Matcher = Callable[[Reading], "Intent | None"]


@dataclass(frozen=True, slots=True)
class IntentRule:
    intent: str  # the tool it chooses (or "chat"), with the case after a colon
    priority: int  # lower first
    matches: Matcher


# -- conversation ---------------------------------------------------------------------------


def _offtopic(r: Reading) -> Intent | None:
    if r.has(w.OFFTOPIC) and not r.brand_ids and not w.SAKE_WORD.search(r.s):
        return r.intent("chat", chat="offtopic")
    return None


def _explain(r: Reading) -> Intent | None:
    # "what is kimoto", 「熱燗って何度」; brand names stay brand lookups (the router says "brand"). Issue #20.
    if not r.ctx.has_image and (known := r.knowledge.read(r.raw)) is not None and known.kind != "brand":
        return r.intent("explain", known.args())
    return None


def _help(r: Reading) -> Intent | None:
    return r.intent("chat", chat="help") if r.chat == "help" else None


def _small_talk(r: Reading) -> Intent | None:
    if r.chat and not r.signals and len(re.findall(r"\w+", r.s)) <= 6 and not r.has(w.RECOMMEND):
        return r.intent("chat", chat=r.chat)
    return None


def _photo(r: Reading) -> Intent | None:
    # this turn's image is the label to read
    if r.ctx.has_image and (r.has(w.LABEL) or not (r.brand_ids or r.rating or r.has(w.LOG))):
        return r.intent("identify_label")
    return None


# -- the user's own records -----------------------------------------------------------------


def _delete(r: Reading) -> Intent | None:
    if not r.has(w.DELETE) or r.rating and (r.has(w.LOG) or r.has(w.DRANK) or r.brand_ids):  # a turn that logs is not also a delete
        return None
    if r.has(w.WISH):
        return r.intent("wishlist_remove", _only(brand_id=r.subject))
    named = r.brand_ids[0] if r.brand_ids else None  # edits and deletes act on the last tasting unless a sake is named
    last = w.LAST_ONE.search(r.blanked)
    return r.intent("delete_tasting", _only(brand_id=named, last=True if named is None and last else None))


def _edit(r: Reading) -> Intent | None:
    if not r.has(w.EDIT) or r.has(w.WISH):
        return None
    rating = r.rating
    if rating is None and (bare := w.BARE_NUMBER.search(r.blanked)):
        rating = Rating(float(bare.group(1)), bare.span(1))  # "make that 4.5 instead": the number is the new rating
    if rating or w.NOTES.search(r.s):
        named = r.brand_ids[0] if r.brand_ids else None
        return r.intent("edit_tasting", _only(brand_id=named, rating=rating.stars if rating else None, notes=_notes(r.raw) or r.note))
    return None


def _wishlist(r: Reading) -> Intent | None:
    if not r.has(w.WISH):
        return None
    if r.subject is not None and not (r.has(w.SHOW) and not r.brand_ids and r.ref is None):
        return r.intent("wishlist_add", {"brand_id": r.subject})
    return r.intent("wishlist_show")


def _history(r: Reading) -> Intent | None:
    return r.intent("tasting_history") if r.has(w.HISTORY) and not r.rating else None


def _stats(r: Reading) -> Intent | None:
    return r.intent("tasting_stats") if r.has(w.STATS) and not r.rating and not r.brand_ids else None


def _log(r: Reading) -> Intent | None:
    rating, subject = r.rating, r.subject
    if rating and subject is None and r.has(w.RECOMMEND) and not (r.has(w.LOG) or r.has(w.DRANK)):
        rating = None  # "recommend a 5-star sake" asks for quality, it logs nothing
    if rating and subject is None and r.ctx.shown and not r.brand_ids:
        subject = r.ctx.shown[0]  # "4 stars" right after a sake was shown rates that sake
    if rating or (r.has(w.LOG) and (subject is not None or not (r.hits or r.has(w.RECOMMEND)))) or (
        r.has(w.DRANK) and subject is not None and not r.foods
    ):
        return r.intent("log_tasting", _only(brand_id=subject, rating=rating.stars if rating else None, notes=_notes(r.raw) or r.note))
    return None


def _survey(r: Reading) -> Intent | None:
    return r.intent("survey") if r.has(w.SURVEY) or (r.has(w.UNSURE) and not r.brand_ids) else None


def _why(r: Reading) -> Intent | None:
    """"Why?" alone: the model answers with the last picks' reasons (core.agent.why), no tool needed."""
    return r.intent("chat", chat="why") if w.WHY.search(r.raw.strip().lower()) else None


def _favourites(r: Reading) -> Intent | None:
    return r.intent("favourites") if r.has(w.FAVOURITES) and not r.brand_ids and not r.rating else None


def _for_me_asked(r: Reading) -> Intent | None:
    if r.has(w.FOR_ME) and (r.has(w.RECOMMEND) or w.WHAT_NEXT.search(r.s)) and not r.brand_ids and not r.has(w.SHOW):
        return r.intent("recommend", {"mode": "for_me", **r.filters})
    return None


def _profile(r: Reading) -> Intent | None:
    return r.intent("taste_profile") if r.has(w.PROFILE) and (not r.has(w.RECOMMEND) or r.has(w.SHOW)) else None


def _preferences(r: Reading) -> Intent | None:
    return r.intent("preferences") if r.has(w.PREFS) else None


def _label_words(r: Reading) -> Intent | None:
    return r.intent("identify_label") if r.has(w.LABEL) and not r.brand_ids else None


# -- recommendations and the catalog --------------------------------------------------------


def _liked(r: Reading) -> Intent | None:
    # "like the ones I rated 5", 「星5をつけたのに似た」: the user's own best tastings are the reference
    if r.liked is None or r.brand_ids:
        return None
    args: dict[str, Any] = {"mode": "for_me", "liked": r.liked, **r.filters}
    if r.want:  # "dry ones like the ones I rated 5": the flavor words are hard constraints around that point
        args.update(mode="flavor", want=dict(r.want))
    return r.intent("recommend", args)


def _follow_up(r: Reading) -> Intent | None:
    ctx = r.ctx
    if r.brand_ids or r.foods or r.ref is not None or ctx.last_tool is None:
        return None
    edited = edit_previous(
        r.s, ctx.last_tool, ctx.last_args, ctx.shown, want=r.want, directions=r.directions, prefecture=r.prefecture,
        grade=r.grade, styles=r.styles, avoid=r.avoid, budget=r.budget, limit=r.filters.get("limit"), unlike=r.unlike,
    )
    return r.intent(ctx.last_tool, edited) if edited is not None else None


def _reject(r: Reading) -> Intent | None:
    """"Not that one" after picks: the same request, without what was shown; after a brand card, picks
    steered away from that brand. Anything else said with it ("not those, drier") is a follow-up instead."""
    ctx = r.ctx
    if not ctx.shown or not w.REJECT.search(r.s) or (r.brand_ids or r.foods or r.hits or r.want or r.directions or r.prefecture
                                                     or r.grade or r.styles or r.avoid or r.budget):
        return None
    if ctx.last_tool in ("recommend", "pair_food", "search_catalog"):
        args = dict(ctx.last_args)
        args["exclude"] = sorted(set(args.get("exclude", [])) | set(ctx.shown))
        return r.intent(ctx.last_tool, args)  # type: ignore[arg-type]
    return r.intent("recommend", {"mode": "popular", "personal": True, "unlike": list(ctx.shown[:1]),
                                  "exclude": list(ctx.shown), **r.filters})


def _another(r: Reading) -> Intent | None:
    ctx = r.ctx
    # "more like the first one" names a pick: the similar rule's
    named = r.brand_ids or r.foods or r.hits or r.ref is not None
    if r.has(w.ANOTHER) and ctx.last_tool in ("recommend", "pair_food", "search_catalog") and not named:
        args = dict(ctx.last_args)
        args["exclude"] = sorted(set(args.get("exclude", [])) | set(ctx.shown))
        return r.intent(ctx.last_tool, args)  # type: ignore[arg-type]
    return None


def _like_but(r: Reading) -> Intent | None:
    base = r.brand_ids[0] if r.brand_ids else (r.ref if r.ref is not None else (r.ctx.shown[0] if r.ctx.shown else None))
    named = (r.brand_ids or r.ref is not None) and r.has(w.SIMILAR) and not r.has(w.DETAILS)  # "like X but sweet"
    direction = r.directions[0] if r.directions else (direction_of(r.want) if named else None)
    if direction and base is not None:
        return r.intent("recommend", {"mode": "like_but", "brand_id": base, "direction": direction, **r.filters})
    return None


def _food(r: Reading) -> Intent | None:
    if not r.foods:
        return None
    args: dict[str, Any] = {"food": r.foods[0], **r.filters}
    if r.brand_ids and not r.has(w.SIMILAR):  # "dassai or kubota for tempura?": about those bottles
        args["among"] = r.brand_ids[:5]
    want = r.want or {k: v for d in r.directions for k, v in direction_axes(d).items()}
    if want:
        args["want"] = want
    return r.intent("pair_food", args)


def _dish(r: Reading) -> Intent | None:
    if not r.brand_ids and (dish := dish_phrase(r.s)) and _FOOD_MODEL.family_for(dish) is not None:
        return r.intent("pair_food", {"food": dish, **r.filters, **({"want": r.want} if r.want else {})})
    return None


def _beginner(r: Reading) -> Intent | None:
    if is_beginner(r.s) and not r.brand_ids:
        mode = "flavor" if r.want else "popular"
        return r.intent("recommend", {"mode": mode, "beginner": True, **({"want": r.want} if r.want else {}), **r.filters})
    return None


def _similar(r: Reading) -> Intent | None:
    if not r.has(w.SIMILAR) or r.has(w.DETAILS):
        return None
    base = r.brand_ids[0] if r.brand_ids else r.ref
    return r.intent("recommend", {"mode": "similar", "brand_id": base, **r.filters}) if base is not None else None


def _direction(r: Reading) -> Intent | None:
    if r.directions and not r.brand_ids:
        return r.intent("recommend", {"mode": "flavor", "want": {**direction_axes(r.directions[0]), **r.want}, **r.filters})
    return None


def _for_me(r: Reading) -> Intent | None:
    return r.intent("recommend", {"mode": "for_me", **r.filters}) if r.has(w.FOR_ME) and not r.brand_ids else None


def _search_filtered(r: Reading) -> Intent | None:
    if r.has(w.SEARCH) and not r.brand_ids and not r.want and (r.prefecture or r.grade or r.tags):
        tag = r.tags[0] if r.tags else None
        return r.intent("search_catalog", _only(prefecture=r.prefecture, grade=r.grade, tag=tag, limit=r.filters.get("limit")))
    return None


def _flavor(r: Reading) -> Intent | None:
    if (r.want or r.tags or r.styles or r.avoid) and not r.brand_ids:
        return r.intent("recommend", {"mode": "flavor", "want": r.want, **r.filters, **({"tags": r.tags} if r.tags else {})})
    return None


def _popular(r: Reading) -> Intent | None:
    if not r.brand_ids and (r.has(w.POPULAR) or r.prefecture or r.grade or r.budget):
        return r.intent("recommend", {"mode": "popular", **r.filters})
    return None


def _unlike_or_count(r: Reading) -> Intent | None:
    # "anything but dassai", 「獺祭以外のおすすめ」, "three picks please" with nothing else asked: the user's taste or the ranking
    if (r.unlike or "limit" in r.filters) and not r.brand_ids:
        return r.intent("recommend", {"mode": "popular", "personal": True, **r.filters})
    return None


def _details(r: Reading) -> Intent | None:
    if r.brand_ids:
        if r.has(w.SEARCH) and len(r.brand_ids) > 1:
            return r.intent("search_catalog", {"query": r.raw})
        return r.intent("sake_details", {"brand_id": r.brand_ids[0]})
    if r.ref is not None and (r.has(w.DETAILS) or r.has(w.SHOW) or len(re.findall(r"\w+", r.s)) <= 3):  # "the second one"
        return r.intent("sake_details", {"brand_id": r.ref})
    return None


def _personal(r: Reading) -> Intent | None:
    if r.has(w.RECOMMEND) and (not r.has(w.QUESTION) or w.SAKE_WORD.search(r.s)):
        return r.intent("recommend", {"mode": "popular", "personal": True, **r.filters})  # "おすすめは?": the user's taste when known
    return None


def _chat(r: Reading) -> Intent | None:
    return r.intent("chat", chat=r.chat) if r.chat else None


def _a_name(r: Reading) -> Intent | None:
    return r.intent("search_catalog", {"query": r.raw[:200]}) if _looks_like_a_name(r.s) else None


def _unread(r: Reading) -> Intent:
    return r.intent("chat", chat="offtopic" if _sentence(r.s) else "unclear")


INTENTS: tuple[IntentRule, ...] = tuple(sorted((
    IntentRule("reject", 5, _reject),
    IntentRule("chat:why", 6, _why),
    IntentRule("chat:offtopic", 10, _offtopic),
    IntentRule("compare_sakes", 14, compare),  # two sakes named: before explain reads 「違い」 and like_but reads "drier"
    IntentRule("serving_temperature", 16, serving),  # a sake named: before explain reads 冷や and 燗 as terms
    IntentRule("explain", 20, _explain),
    IntentRule("chat:help", 30, _help),
    IntentRule("chat:small_talk", 40, _small_talk),
    IntentRule("identify_label:photo", 50, _photo),
    IntentRule("delete_tasting", 60, _delete),  # also wishlist_remove
    IntentRule("edit_tasting", 70, _edit),
    IntentRule("wishlist", 80, _wishlist),
    IntentRule("tasting_history", 90, _history),
    IntentRule("tasting_stats", 100, _stats),
    IntentRule("log_tasting", 110, _log),
    IntentRule("survey", 120, _survey),
    IntentRule("recommend:for_me_asked", 130, _for_me_asked),
    IntentRule("taste_profile", 140, _profile),
    IntentRule("preferences", 150, _preferences),
    IntentRule("identify_label:words", 160, _label_words),
    IntentRule("recommend:liked", 165, _liked),
    IntentRule("favourites", 167, _favourites),
    IntentRule("follow_up", 170, _follow_up),
    IntentRule("another", 180, _another),
    IntentRule("recommend:like_but", 190, _like_but),
    IntentRule("pair_food", 200, _food),
    IntentRule("pair_food:dish", 210, _dish),
    IntentRule("recommend:beginner", 220, _beginner),
    IntentRule("recommend:similar", 230, _similar),
    IntentRule("recommend:direction", 250, _direction),
    IntentRule("recommend:for_me", 260, _for_me),
    IntentRule("search_catalog:filtered", 270, _search_filtered),
    IntentRule("recommend:flavor", 280, _flavor),
    IntentRule("recommend:popular", 290, _popular),
    IntentRule("recommend:unlike_or_count", 295, _unlike_or_count),
    IntentRule("sake_details", 300, _details),
    IntentRule("recommend:personal", 320, _personal),
    IntentRule("chat", 330, _chat),
    IntentRule("search_catalog:name", 340, _a_name),
    IntentRule("chat:unread", 1000, _unread),
), key=lambda rule: rule.priority))


def choose(reading: Reading) -> Intent:
    """The first rule, by priority, that claims the message; the last one always does."""
    for rule in INTENTS:
        if (found := rule.matches(reading)) is not None:
            found.rule = rule.intent
            return found
    raise AssertionError("the last row of INTENTS claims every message")
