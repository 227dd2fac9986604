"""A tasting as the user tells it, and the checks of every value before anything is written.

Stars, serving temperatures (冷酒, ぬる燗, "10℃" …), grades (特定名称 and their romaji), flavor
impressions, tags, dates and lengths are checked here; a bad value is refused with a plain reason
(SS-006) so the log never stores half a tasting.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from core.catalog.model import FLAVOR_AXES
from core.errors import Code, SenseiError

AXES = tuple(axis for axis, _, _ in FLAVOR_AXES)
MAX_SHORT = 256  # names, food, place
MAX_NOTES = 4000
MAX_TAGS = 20
MAX_PER_PAGE = 50

# Canonical serving temperatures: id -> (ja, en). Finer names (花冷え, 人肌燗 …) fold into these four.
TEMPERATURES: dict[str, tuple[str, str]] = {
    "chilled": ("冷酒", "chilled"),
    "room": ("常温", "room temperature"),
    "warm": ("ぬる燗", "warm"),
    "hot": ("熱燗", "hot"),
}
_TEMPERATURE_WORDS: dict[str, tuple[str, ...]] = {
    "chilled": (
        "chilled", "cold", "cool", "iced", "ice", "on the rocks", "rocks", "fridge", "reishu", "hiyazake",
        "冷酒", "冷", "冷たい", "冷やして", "冷えた", "キンキン", "雪冷え", "花冷え", "涼冷え", "みぞれ酒", "ロック", "れいしゅ",
    ),
    # 冷や (hiya) is the traditional name for room temperature, not for chilled sake.
    "room": ("room", "room temperature", "room temp", "ambient", "hiya", "joon", "jo-on", "常温", "冷や", "ひや", "室温", "じょうおん"),
    "warm": (
        "warm", "warmed", "lukewarm", "kan", "okan", "nurukan", "hitohadakan", "kanzake",
        "燗", "お燗", "燗酒", "ぬる燗", "温燗", "人肌燗", "人肌", "日向燗", "上燗", "かん", "ぬるかん",
    ),
    "hot": ("hot", "atsukan", "tobikirikan", "piping hot", "熱燗", "あつかん", "飛び切り燗", "飛びきり燗", "とびきり燗"),
}
_TEMPERATURE_LOOKUP = {unicodedata.normalize("NFKC", w).lower(): canon for canon, words in _TEMPERATURE_WORDS.items() for w in words}
_DEGREES = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(?:°\s*c|℃|度|c|degrees?)?$")

# 特定名称 and the usual romaji, so stats by grade count 純米吟醸 and "junmai ginjo" together.
GRADES: dict[str, tuple[str, ...]] = {
    "純米大吟醸": ("junmai daiginjo", "junmaidaiginjo", "junmai dai ginjo"),
    "純米吟醸": ("junmai ginjo", "junmaiginjo"),
    "特別純米": ("tokubetsu junmai", "tokubetsujunmai"),
    "純米": ("junmai",),
    "大吟醸": ("daiginjo", "dai ginjo"),
    "吟醸": ("ginjo",),
    "特別本醸造": ("tokubetsu honjozo", "tokubetsuhonjozo"),
    "本醸造": ("honjozo", "honjouzou", "honjozou"),
    "普通酒": ("futsushu", "futsu-shu", "table sake"),
}
_GRADE_LOOKUP = {unicodedata.normalize("NFKC", w).lower(): g for g, words in GRADES.items() for w in (g, *words)}


def invalid_tasting(detail: str) -> SenseiError:
    return SenseiError(Code.TASTING_NOT_SAVED, detail)


def parse_rating(value: Any) -> float | None:
    """0..5 in half steps ("4.5", 4, "４"); anything else is refused with the reason."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise invalid_tasting("The rating must be a number from 0 to 5 in half steps (for example 3.5).")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().removesuffix("/5").strip()
        if text and set(text) <= {"★", "☆"}:
            return float(text.count("★"))
        try:
            value = float(text)
        except ValueError:
            raise invalid_tasting(f"The rating {value!r} is not a number; use 0 to 5 in half steps.") from None
    try:
        rating = float(value)
    except (TypeError, ValueError):
        raise invalid_tasting("The rating must be a number from 0 to 5 in half steps.") from None
    if not math.isfinite(rating) or not 0 <= rating <= 5:
        raise invalid_tasting(f"The rating {value} is outside 0 to 5.")
    if rating * 2 != round(rating * 2):
        raise invalid_tasting(f"The rating {value} is not in half steps; use for example 4 or 4.5.")
    return rating


def normalize_temperature(value: str | None) -> str | None:
    """A canonical temperature id (chilled / room / warm / hot) for 冷酒, 冷や, ぬる燗, "hot", "10℃" …"""
    if value is None or not str(value).strip():
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text in TEMPERATURES:
        return text
    if (canon := _TEMPERATURE_LOOKUP.get(text)) is not None:
        return canon
    if (m := _DEGREES.match(text)) is not None:
        degrees = float(m.group(1))
        if degrees <= 15:
            return "chilled"
        if degrees <= 25:
            return "room"
        return "warm" if degrees <= 45 else "hot"
    known = "、".join(ja for ja, _ in TEMPERATURES.values())
    raise invalid_tasting(f"I don't know the serving temperature {value!r}; use {known} (chilled, room, warm, hot) or degrees.")


def temperature_label(canon: str | None, lang: str) -> str | None:
    if canon is None:
        return None
    ja, en = TEMPERATURES[canon]
    return ja if lang == "ja" else en


def normalize_grade(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    canon = _GRADE_LOOKUP.get(text.lower()) or _GRADE_LOOKUP.get(text.lower().replace("-", " "))
    if canon:
        return canon
    if len(text) > 32:
        raise invalid_tasting("The grade is too long (32 characters at most).")
    return text


def _impression(value: Any) -> dict[str, float] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_tasting("The impression must give values for the flavor axes f1..f6.")
    out: dict[str, float] = {}
    for key, raw in value.items():
        if key not in AXES:
            raise invalid_tasting(f"Unknown flavor axis {key!r}; use {', '.join(AXES)}.")
        try:
            v = float(raw)
        except (TypeError, ValueError):
            raise invalid_tasting(f"The impression value for {key} is not a number.") from None
        if not math.isfinite(v) or not 0 <= v <= 1:
            raise invalid_tasting(f"The impression value for {key} must be between 0 and 1.")
        out[key] = round(v, 3)
    return out or None


def _short(name: str, value: Any, limit: int = MAX_SHORT) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if len(text) > limit:
        raise invalid_tasting(f"The {name} is too long ({limit} characters at most).")
    return text or None


def _date(value: Any, today: date) -> date:
    if value is None or value == "":
        return today
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise invalid_tasting(f"The date {value!r} is not a date (use YYYY-MM-DD).") from None
    if not isinstance(value, date):
        raise invalid_tasting("The date must be a date (YYYY-MM-DD).")
    if value > today + timedelta(days=1):  # a day's slack for time zones ahead of UTC
        raise invalid_tasting(f"The date {value.isoformat()} is in the future.")
    if value.year < 1900:
        raise invalid_tasting(f"The date {value.isoformat()} is too far in the past.")
    return value


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[,、・/]+", value)
    out: list[str] = []
    for t in value:
        text = unicodedata.normalize("NFKC", str(t)).strip()
        if not text:
            continue
        if len(text) > 64:
            raise invalid_tasting("A flavor tag is too long (64 characters at most).")
        if text not in out:
            out.append(text)
    if len(out) > MAX_TAGS:
        raise invalid_tasting(f"Too many flavor tags ({MAX_TAGS} at most).")
    return out


@dataclass(slots=True)
class TastingInput:
    """What a user tells about one sake they drank. Either brand_id or free_text_name names it."""

    brand_id: int | None = None
    free_text_name: str | None = None  # a sake not in the catalog (send a photo with it)
    product_name: str | None = None
    grade: str | None = None  # 純米吟醸 …
    rating: float | None = None  # 0..5, half steps
    impression: dict[str, float] | None = None  # f1..f6, 0..1, the user's own reading of the flavor axes
    tags: list[str] = field(default_factory=list)
    temperature: str | None = None  # 冷酒 / 常温 / ぬる燗 / 熱燗 / "hot" … (normalised)
    food: str | None = None
    place: str | None = None
    tasted_on: date | None = None  # today (by the clock) when missing
    notes: str | None = None
    photo_ref: str | None = None


INPUT_FIELDS = frozenset(f.name for f in fields(TastingInput))


def checked_values(inp: TastingInput, brand_id: int | None, today: date) -> dict[str, Any]:
    """The row's values from the input (its catalog brand_id already checked); raises SenseiError on any bad value."""
    free = _short("sake name", inp.free_text_name)
    if brand_id is None and free is None:
        raise invalid_tasting("Name the sake: pick it from the catalog or type its name (a label photo helps).")
    return {
        "brand_id": brand_id,
        "free_text_name": free if brand_id is None else None,
        "product_name": _short("product name", inp.product_name),
        "grade": normalize_grade(inp.grade),
        "rating": parse_rating(inp.rating),
        "impression": _impression(inp.impression),
        "tags": _tags(inp.tags),
        "temperature": normalize_temperature(inp.temperature),
        "food": _short("food", inp.food),
        "place": _short("place", inp.place),
        "tasted_on": _date(inp.tasted_on, today),
        "notes": _short("notes", inp.notes, MAX_NOTES),
        "photo_ref": _short("photo reference", inp.photo_ref, 512),
    }
