"""What the offline understanding produces (an Intent in a Context), and the small readers it uses.

Kept apart from the rules (understanding.py): the types are shared with the restaurant reading
and the offline model, the readers (budget, "the second one", notes) need no lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from core.agent import lexicon as lx
from core.agent.intent_words import (
    _BUDGET,
    _DOLLARS,
    _ORDINAL,
    COUNT_EN,
    COUNT_JA,
    LIKED_DEFAULT,
    LIKED_EN,
    LIKED_JA,
    NOTES,
    NUMBER_WORDS,
    PRICE_WORDS,
    REF,
)
from core.agent.ratings import Rating
from core.knowledge.routing import KnowledgeRouter

MAX_ASKED = 99  # "top 10": read as asked; the tools show MAX_PICKS and say so

# -- what a reading is ----------------------------------------------------------------------


@dataclass(slots=True)
class Context:
    """What the conversation so far tells a follow-up."""

    shown: tuple[int, ...] = ()  # brand ids of the sakes shown last, in order
    last_tool: str | None = None
    last_args: dict[str, Any] = field(default_factory=dict)
    has_image: bool = False


@dataclass(slots=True)
class Intent:
    tool: str  # a tool name, or "chat"
    args: dict[str, Any]
    lang: str
    chat: str | None = None  # greeting | thanks | bye | help | offtopic | unclear (when tool == "chat")
    rule: str | None = None  # the row of the intent table (intent_table.py) that chose it: for tests and logs

    def as_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "args": self.args, "chat": self.chat, "lang": self.lang}


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str  # flavour | direction | food | grade | prefecture
    value: Any
    start: int
    end: int


def budget(s: str) -> dict[str, Any]:
    m = _BUDGET.search(s)
    if m:
        if m.group(1) or m.group(2):
            amount = int((m.group(1) or m.group(2)).replace(",", ""))
        elif m.group(3):
            amount = int(float(m.group(3)) * 1000)
        else:
            amount = int(float(m.group(4)) * 10000)
        if amount >= 100:
            return {"budget_yen": amount}
    d = _DOLLARS.search(s)
    if d:
        return {"budget_usd": int(d.group(1) or d.group(2))}
    if PRICE_WORDS.search(s):
        return {"budget": "low"}
    return {}

def reference(s: str, shown: tuple[int, ...]) -> int | None:
    """The brand id a "that one" / 「それ」 / "the second" points at, among the sakes shown last."""
    if not shown:
        return None
    for m in REF.finditer(s):
        word = m.group(0)
        idx = 0
        digit = re.search(r"\d", word)
        if digit:
            idx = int(digit.group(0)) - 1
        else:
            for k, v in _ORDINAL.items():
                if k in word:
                    idx = v
                    break
            if "last" in word:
                idx = len(shown) - 1
        if 0 <= idx < len(shown):
            return shown[idx]
    return None


def _only(**kwargs: Any) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


def _notes(raw: str) -> str | None:
    m = NOTES.search(unicodedata.normalize("NFKC", raw))
    return m.group(1).strip()[:500] if m else None


def _looks_like_a_name(s: str) -> bool:
    """A short message of no known words: most likely a sake name the catalog does not know."""
    words = re.findall(r"[a-z]+", s)
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", s):
        return len(s) <= 12 and not re.search(r"[?？。]|ですか|ますか", s)
    if any(w in lx.STOPWORDS for w in words) or "?" in s:
        return False
    return 1 <= len(words) <= 3 or len(s) > 200 and len(words) <= 3


def _sentence(s: str) -> bool:
    return len(re.findall(r"[a-z]+", s)) >= 3 or "?" in s or "？" in s or len(s) >= 8


_DISH_EN = re.compile(
    r"(?<![a-z])(?:goes?|go|going|pairs?|pairing|match(?:es)?|drink|serve|sake|something|one|recommendation|recommend)\s+"
    r"(?:well\s+|best\s+|nicely\s+)?(?:with|for|alongside)\s+(?:my\s+|some\s+|a\s+|an\s+|the\s+|our\s+)?(.{2,60}?)\s*(?:tonight|today)?\s*[?.!？。]*$"
)
_DISH_JA = re.compile(r"^(?:今日は|今夜は)?(.{1,30}?)(?:に|と)(?:合う|あう|合わせ|一緒|ぴったり)")


def dish_phrase(s: str) -> str | None:
    """The words naming a dish in "what sake goes with X?" / 「Xに合うお酒」, whatever X is."""
    m = _DISH_EN.search(s) or _DISH_JA.search(s)
    return m.group(1).strip(" 、,") if m else None


def ja_directions(s: str) -> list[_Hit]:
    """Japanese comparatives: a marker (もう少し, もっと) before a flavor word within a few characters."""
    out = []
    for marker in lx.JA_MORE:
        for m in re.finditer(re.escape(marker), s):
            window = s[m.end() : m.end() + 8]
            for word, direction in sorted(lx.DIRECTIONS_JA.items(), key=lambda kv: -len(kv[0])):
                if word in window:
                    out.append(_Hit("direction", direction, m.start(), m.end() + window.index(word) + len(word)))
                    break
    return out


def count(s: str) -> int | None:
    """How many picks were asked for ("give me 5", "three picks", 「3つ」); None when not said. More than
    MAX_PICKS is kept as asked (up to MAX_ASKED), so that the answer can say it shows MAX_PICKS at most."""
    m = COUNT_EN.search(s) or COUNT_JA.search(s)
    if m is None:
        return None
    word = re.sub(r"\s+", " ", next(g for g in m.groupdict().values() if g))
    n = int(word) if word.isdigit() else NUMBER_WORDS.get(word, 0)
    return min(n, MAX_ASKED) if n >= 1 else None


def liked(s: str) -> tuple[float, tuple[int, int]] | None:
    """The stars of "like the ones I rated 5" / 「星5をつけたのに似た」 and where that is said; None when it is not."""
    m = LIKED_EN.search(s) or LIKED_JA.search(s)
    if m is None:
        return None
    stars = float(m.group("stars")) if m.group("stars") else LIKED_DEFAULT
    return min(stars, 5.0), m.span()


@dataclass(slots=True)
class Reading:
    """Everything one message says, read once, before any intent is chosen."""

    raw: str  # as written
    s: str  # NFKC, lower case, typos corrected
    blanked: str  # `s` with lexicon words, the rating and budgets blanked: what the request words are tested on
    lang: str
    ctx: Context
    knowledge: KnowledgeRouter
    brand_ids: list[int]
    ref: int | None  # "the second one" among the sakes shown last
    rating: Rating | None
    hits: list[_Hit]
    want: dict[str, int]
    tags: list[str]
    directions: list[str]
    foods: list[str]
    styles: list[str]
    avoid: list[str]
    grade: str | None
    prefecture: str | None
    budget: dict[str, Any]
    filters: dict[str, Any]  # place, grade, budget, styles, avoid, how many, "not X": spread into every recommendation
    chat: str | None  # greeting | thanks | bye | help, when the words say so
    liked: float | None = None  # "like the ones I rated 5": the stars of the user's own tastings to start from
    unlike: list[int] = field(default_factory=list)  # "not X" / 「X以外」: reference brands to exclude and steer away from
    note: str | None = None  # what follows the rating: "dassai 4 stars, fruity and clean" (core.agent.tasting_note)

    def has(self, group: re.Pattern[str]) -> bool:
        return group.search(self.blanked) is not None

    @property
    def subject(self) -> int | None:
        return self.brand_ids[0] if self.brand_ids else self.ref

    @property
    def signals(self) -> bool:
        return bool(self.brand_ids or self.hits or self.rating or self.budget or self.ctx.has_image)

    def intent(self, tool: str, args: dict[str, Any] | None = None, chat: str | None = None) -> Intent:
        return Intent(tool, args or {}, self.lang, chat=chat)
