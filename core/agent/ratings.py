"""Star ratings written every way people write them: "4/5", "4.5 stars", "★★★★", "星4", "4点", "four stars".

A rating is always 0..5 in half steps. Ten- and hundred-point scales are scaled down
("8/10" → 4, "80点" → 4). A number alone is never a rating: "3000円" or "top 5" must not be read as one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}
_JA_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "零": 0, "ひと": 1, "ふた": 2, "みっ": 3, "よっ": 4, "いつ": 5}
_NUM = r"(\d{1,3}(?:\.\d{1,2})?)"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_NUM + r"\s*(?:/|out of|of|点満点中|／)\s*(5|10|100)\b"), "ratio"),
    (re.compile(r"(5|10|100)\s*(?:点満点中|点中|段階で|段階中)\s*" + _NUM), "ratio_ja"),
    (re.compile(_NUM + r"\s*(?:stars?|☆|★|つ星|ツ星|star rating)"), "plain"),
    (re.compile(r"(?:星|★|☆)\s*(?:は|:|：)?\s*" + _NUM), "plain"),
    (re.compile(_NUM + r"\s*点(?!満点)"), "points"),
    (re.compile(r"(?:rating|rated?|score|scored|gave it|give it|giving it|評価|採点|点数)\s*(?:is|of|:|：|は|を|it|a|an|as)?\s*(?:a|an)?\s*" + _NUM + r"(?![\d,]*\s*(?:yen|円|%|ml|度))"), "plain"),
    (re.compile(r"(?<![a-z])gave\s+(?:[^\s\d]+\s+){0,3}?(?:a|an)?\s*" + _NUM + r"(?![\d,]*\s*(?:yen|円|%|ml|度))(?!\.\d)"), "gave"),
    (re.compile(r"(zero|one|two|three|four|five|a|an)(\s+and\s+a\s+half)?\s+stars?\b"), "words"),
    (re.compile(r"(?:星|ほし)\s*(一|二|三|四|五|ひと|ふた|みっ|よっ|いつ)\s*(?:つ|個)"), "ja_count"),
    (re.compile(r"(一|二|三|四|五)\s*つ星"), "ja_count"),
]
_STARS = re.compile(r"[★☆✩✭⭐✪]+半?")
_HALF = re.compile(r"(?:and a half|半|half)")


@dataclass(frozen=True, slots=True)
class Rating:
    stars: float
    span: tuple[int, int]  # where in the normalised text it was written


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text.replace("½", "半")).lower()


def _clamp(value: float) -> float | None:
    if value < 0 or value > 5:
        return None
    return round(value * 2) / 2


def parse_rating(text: str) -> Rating | None:
    """The first rating written in `text` (already normalised or not), or None."""
    s = normalise(text)
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(s):
            value: float | None
            if kind == "ratio":
                scale = float(m.group(2))
                value = float(m.group(1)) * 5 / scale
            elif kind == "ratio_ja":
                scale = float(m.group(1))
                value = float(m.group(2)) * 5 / scale
            elif kind == "points":
                raw = float(m.group(1))
                value = raw if raw <= 5 else raw / 2 if raw <= 10 else raw / 20 if raw <= 100 else None
                # "3点セット", "16点" with a bigger number in the text are not ratings; keep small scales only
            elif kind == "words":
                value = float(_WORDS[m.group(1)]) + (0.5 if m.group(2) else 0.0)
            elif kind == "ja_count":
                value = float(_JA_NUM[m.group(1)])
            else:
                value = float(m.group(1))
                tail = s[m.end() : m.end() + 12]
                if _HALF.match(tail.strip()):
                    value += 0.5
            if value is None:
                continue
            clamped = _clamp(value)
            if clamped is not None:
                return Rating(clamped, m.span(1) if kind == "gave" else m.span())
    # Runs of star characters: "★★★★", "★★★☆☆" (3), "☆☆☆☆" (4, when no filled star is used).
    for m in _STARS.finditer(s):
        run = m.group(0)
        filled = sum(run.count(c) for c in "★✭⭐✪")
        value = float(filled if filled else run.count("☆") + run.count("✩"))
        if run.endswith("半"):
            value += 0.5
        if value >= 1 and (clamped := _clamp(value)) is not None:
            return Rating(clamped, m.span())
    return None
