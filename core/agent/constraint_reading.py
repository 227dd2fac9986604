"""Reading the constraints of a request: negations, styles, "for a beginner", and follow-ups that edit.

"clean and dry, nothing fizzy or cloudy" is three constraints and two refusals; 「発泡もにごりも無しで」
is two refusals. English negates before the word ("not", "nothing", "without", chained with
"or"), Japanese after it (じゃない, 無し, 以外, chained with も). A short follow-up to a flavor or
food request ("drier", "from Akita instead", 「甘くないので」) edits that request instead of
starting a new one.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from core.agent import lexicon as lx

_NEG_BEFORE = re.compile(
    r"(?<![a-z'])(?:" + "|".join(re.escape(w) for w in sorted(lx.NEGATION_BEFORE, key=len, reverse=True)) + r")"
    r"(?:\s+(?:too|so|very|overly|any|at all|really|a|an|that|more|anything|something))*\s*$"
)
_NEG_AFTER = re.compile(r"^(?:は|が|も)?(?:" + "|".join(re.escape(w) for w in sorted(lx.NEGATION_AFTER_JA, key=len, reverse=True)) + ")")
_CHAIN_EN = re.compile(r"^\s*(?:,|or|nor|and|,\s*or|/)\s*$")
_BEGINNER = re.compile("|".join(
    (rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w)) for w in sorted(lx.BEGINNER, key=len, reverse=True)
))
_EDIT = re.compile("|".join(
    (rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else rf"{re.escape(w)}[\s。!！?？]*$") for w in lx.EDIT_FOLLOW_UP
))
_AXES = {"drier": {"f5": 1}, "sweeter": {"f5": -1}, "lighter": {"f6": 1}, "richer": {"f3": 1}, "more_aromatic": {"f1": 1},
         "calmer": {"f4": 1}}


class Span(Protocol):
    start: int
    end: int


def negated(s: str, hits: list[Any]) -> set[int]:
    """Positions (in `hits`, sorted by start) of the words the text refuses."""
    out: set[int] = set()
    for k, h in enumerate(hits):
        word = s[h.start : h.end]
        if word.isascii():
            if _NEG_BEFORE.search(s[max(0, h.start - 30) : h.start]) or (
                k > 0 and (k - 1) in out and _CHAIN_EN.match(s[hits[k - 1].end : h.start])
            ):
                out.add(k)
        elif _NEG_AFTER.match(s[h.end : h.end + 10]):
            out.add(k)
    for k in range(len(hits) - 2, -1, -1):  # 「発泡もにごりも無し」: a word joined by も to a refused one
        h, nxt = hits[k], hits[k + 1]
        if (k + 1) in out and not s[h.start : h.end].isascii() and s[h.end : nxt.start].strip() in ("も", "や", "と"):
            out.add(k)
    return out


def is_beginner(s: str) -> bool:
    return _BEGINNER.search(s) is not None


def direction_axes(direction: str) -> dict[str, int]:
    return dict(_AXES.get(direction, {}))


# The first flavor word said beside a named sake ("like hakkaisan but sweet", 「八海山に似た甘口」) read as the
# direction away from it: the same request as "but sweeter" (axis, sign) -> direction.
_WANT_DIRECTION = {
    ("f5", 1): "drier", ("f5", -1): "sweeter", ("f6", 1): "lighter", ("f3", -1): "lighter", ("f3", 1): "richer",
    ("f6", -1): "richer", ("f2", 1): "richer", ("f1", 1): "more_aromatic", ("f4", -1): "more_aromatic",
    ("f4", 1): "calmer", ("f1", -1): "calmer",
}


def direction_of(want: dict[str, int]) -> str | None:
    return next((d for axis, sign in want.items() if (d := _WANT_DIRECTION.get((axis, 1 if sign > 0 else -1)))), None)


def edit_previous(
    s: str, last_tool: str | None, last_args: dict[str, Any], shown: tuple[int, ...], *, want: dict[str, int],
    directions: list[str], prefecture: str | None, grade: str | None, styles: list[str], avoid: list[str],
    budget: dict[str, Any] | None = None, limit: int | None = None, unlike: list[int] | None = None,
) -> dict[str, Any] | None:
    """The previous flavor or food request with this turn's changes, or None when this turn is not such an edit."""
    mode = last_args.get("mode", "food" if last_tool == "pair_food" else None)
    if last_tool not in ("recommend", "pair_food") or mode not in ("flavor", "food"):
        return None
    if not (want or directions or prefecture or grade or styles or avoid or budget or limit or unlike):
        return None
    short = len(re.findall(r"[a-z]+", s)) <= 6 if s.isascii() else len(s) <= 16
    if not (short or _EDIT.search(s)):
        return None
    args = dict(last_args)
    merged = dict(args.get("want") or {})
    for d in directions:
        merged.update(direction_axes(d))
    merged.update(want)
    if merged:
        args["want"] = merged
    if prefecture:
        args["prefecture"] = prefecture
    if grade:
        args["grade"] = grade
    if budget:
        args.update(budget)
    if styles:
        args["styles"] = sorted(set(args.get("styles", [])) | set(styles))
    if avoid:
        args["avoid"] = sorted(set(args.get("avoid", [])) | set(avoid))
    if limit:
        args["limit"] = limit  # "just 2"
    if unlike:
        args["unlike"] = sorted(set(args.get("unlike", [])) | set(unlike))  # "not kubota either"
    if shown and not (prefecture or grade):
        args["exclude"] = sorted(set(args.get("exclude", [])) | set(shown))
    return args
