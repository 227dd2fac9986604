"""Star ratings written every way people write them: "4/5", "4.5 stars", "★★★★", "星4", "4点", "four stars".

A rating is always 0..5 in half steps. Ten- and hundred-point scales are scaled down
("8/10" → 4, "80点" → 4). A number alone is never a rating: "3000円" or "top 5" must not be read as one.
A number plainly written as stars but outside 0..5 ("-1 stars", "NaN stars", "99 stars", "星-2") is
refused with SS-006 rather than read as another rating or dropped: the user meant a rating, and a
tasting saved with a rating they did not give is worse than none saved.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from core.errors import Code, SenseiError

_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}
_JA_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "零": 0, "ひと": 1, "ふた": 2, "みっ": 3, "よっ": 4, "いつ": 5}
_NUM = r"(\d{1,3}(?:\.\d{1,2})?)"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_NUM + r"\s*(?:/|out of|of|点満点中|／)\s*(5|10|100)\b"), "ratio"),
    (re.compile(r"(5|10|100)\s*(?:点満点中|点中|段階で|段階中)\s*" + _NUM), "ratio_ja"),
    (re.compile(_NUM + r"\s*(?:stars?|☆|★|つ星|ツ星|star rating)"), "plain"),
    (re.compile(r"(?:星|★|☆)\s*(?:は|:|：)?\s*" + _NUM), "plain"),
    (re.compile(_NUM + r"\s*点(?!満点)"), "points"),
    (re.compile(r"(?:rating|rated?|score|scored|gave it|give it|giving it|評価|採点|点数)\s*(?:is|of|:|：|は|を|it|a|an|as)?\s*(?:a|an)?\s*"
                + _NUM + r"(?![\d,]*\s*(?:yen|円|%|ml|度))"), "plain"),
    (re.compile(r"(?<![a-z])gave\s+(?:[^\s\d]+\s+){0,3}?(?:a|an)?\s*" + _NUM + r"(?![\d,]*\s*(?:yen|円|%|ml|度))(?!\.\d)"), "gave"),
    # "rate kubota 4": the verb, the sake's name, then the number (never "rate the 3 sakes")
    (re.compile(r"(?<![a-z])rate\s+(?:[^\s\d]+\s+){1,3}?" + _NUM
                + r"(?![\d,]*\s*(?:yen|円|%|ml|度))(?!\.\d)(?!\s*(?:sakes?|bottles?|picks?|of)\b)"), "gave"),
    (re.compile(r"(?<![\w])(zero|one|two|three|four|five|a|an)(\s+and\s+a\s+half)?\s+stars?\b"), "words"),
    (re.compile(r"(?:星|ほし)\s*(一|二|三|四|五|ひと|ふた|みっ|よっ|いつ)\s*(?:つ|個)"), "ja_count"),
    (re.compile(r"(一|二|三|四|五)\s*つ星"), "ja_count"),
]
_MINUS = "-−‐‑–—"  # NFKC keeps these apart from "-"
_SIGNED = r"([" + _MINUS + r"+]?\s*(?:\d+(?:\.\d+)?|nan|inf(?:inity)?))"
# A number written as stars, whatever its sign or size: checked against 0..5 before anything else.
_AS_STARS = [
    re.compile(r"(?<![\w.])" + _SIGNED + r"\s*(?:stars?\b|★|☆|つ星|ツ星)"),
    re.compile(r"(?:星|★|☆)\s*(?:は|:|：)?\s*" + _SIGNED + r"(?![\w.])"),
    re.compile(r"(?:rating|rated?|score|scored|gave it|give it|giving it|評価|採点|点数)\s*(?:is|of|:|：|は|を|as)?\s*(["
               + _MINUS + r"]\s*\d+(?:\.\d+)?)"),
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


class RatingOutOfRange(SenseiError):
    """A rating plainly written but not one of 0..5: SS-006, nothing saved."""

    def __init__(self, written: str) -> None:
        super().__init__(
            Code.TASTING_NOT_SAVED,
            f"A rating is 0 to 5 stars in half steps (for example 4 or 4.5); \"{written}\" is not one.",
            detail_ja=f"評価は0〜5の星(0.5刻み、例: 4 や 4.5)で付けてください。「{written}」は評価になりません。",
        )


def _out_of_range(s: str) -> str | None:
    """What the user wrote when `s` gives a star rating outside 0..5 (or not a number at all)."""
    for pattern in _AS_STARS:
        for m in pattern.finditer(s):
            raw = re.sub(r"\s+", "", m.group(1))
            number = "-" + raw.lstrip(_MINUS) if raw[0] in _MINUS else raw
            value = float(number)
            if not math.isfinite(value) or not 0 <= value <= 5:
                return m.group(0).strip()
    return None


def parse_rating(text: str) -> Rating | None:
    """The first rating written in `text` (already normalised or not), or None.

    Raises RatingOutOfRange (SS-006) when a rating is written but is not 0..5."""
    s = normalise(text)
    if (written := _out_of_range(s)) is not None:
        raise RatingOutOfRange(written[:40])
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
