"""Reading menu values the way staff write them: ¥1,200 / 900円 / "3本" / 在庫切れ / sold out.

One parser per value, shared by chat commands and CSV import, so a price that the CSV accepts
is a price the chat accepts. Each refuses bad input with SS-011 and a reason in both languages.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from core.errors import Code, SenseiError
from core.tasting_input import GRADES, normalize_grade

MAX_PRICE = 10_000_000  # a bottle of more than ten million yen is a typo
MAX_COUNT = 100_000
MAX_PRODUCT = 128
MAX_NOTES = 1000


def invalid(en: str, ja: str) -> SenseiError:
    return SenseiError(Code.MENU_NOT_CHANGED, en, detail_ja=ja)


def _fold(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


_CURRENCY = re.compile(
    r"^(?:¥|\\|jpy|yen)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:円|yen|jpy|えん)?(?:\s*(?:/|per)?\s*(?:glass|bottle|杯|本))?$"
)


def parse_price(value: Any, what: str = "price") -> int | None:
    """Whole yen from 900, "900", "¥1,200", "1200円", "９００"; None for empty or "-"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise invalid(f"The {what} must be a number of yen.", f"{_what_ja(what)}は円の数字で入力してください。")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _fold(value)
        if text in ("", "-", "ー", "—", "n/a", "na", "なし"):
            return None
        m = _CURRENCY.match(text)
        if m is None:
            raise invalid(f"The {what} {value!r} is not a number of yen.", f"{_what_ja(what)}「{value}」は円の数字ではありません。")
        number = float(m.group(1).replace(",", ""))
    if not math.isfinite(number) or number < 0:
        raise invalid(f"The {what} {value!r} must be zero or more.", f"{_what_ja(what)}「{value}」は0以上にしてください。")
    if number > MAX_PRICE:
        raise invalid(f"The {what} {value!r} is too large.", f"{_what_ja(what)}「{value}」が大きすぎます。")
    if number != int(number):
        raise invalid(f"The {what} {value!r} must be whole yen.", f"{_what_ja(what)}「{value}」は円単位の整数にしてください。")
    return int(number)


def _what_ja(what: str) -> str:
    return {"glass price": "グラスの価格", "bottle price": "ボトルの価格"}.get(what, "価格")


@dataclass(frozen=True, slots=True)
class Stock:
    in_stock: bool
    count_left: int | None  # None: not counted

    @property
    def available(self) -> bool:
        return self.in_stock and (self.count_left is None or self.count_left > 0)


IN_STOCK_WORDS = frozenset(
    ("yes", "y", "true", "in", "in stock", "instock", "available", "back", "back in stock", "ok", "o", "○", "◯", "〇",
     "あり", "有", "有り", "在庫あり", "ある", "入荷", "入荷済み")
)
OUT_OF_STOCK_WORDS = frozenset(
    ("no", "n", "false", "out", "out of stock", "sold out", "soldout", "none left", "x", "×", "✕", "✗",
     "なし", "無", "無し", "切れ", "品切れ", "在庫切れ", "在庫なし", "売り切れ", "売切れ", "売切", "完売", "欠品")
)
_COUNT = re.compile(r"^(?:残り|あと|left:?\s*)?\s*(\d+)\s*(?:本|杯|bottles?|glasses?|left|残り|個)?(?:\s*left)?$")


def parse_stock(value: Any) -> Stock | None:
    """In stock, out of stock, or a count: True/False, 3, "3本", "残り3", "在庫切れ", "sold out"; None for empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Stock(value, None)
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value != int(value):
            raise invalid(f"The stock {value!r} must be a whole number of bottles.", f"在庫「{value}」は本数(整数)で入力してください。")
        count = int(value)
    else:
        text = _fold(value)
        if text == "":
            return None
        if text in IN_STOCK_WORDS:
            return Stock(True, None)
        if text in OUT_OF_STOCK_WORDS:
            return Stock(False, 0)
        m = _COUNT.match(text)
        if m is None:
            if text.lstrip().startswith("-"):
                raise invalid(f"The stock {value!r} cannot be negative.", f"在庫「{value}」はマイナスにできません。")
            raise invalid(
                f"I can't read the stock {value!r}; use a count (3), yes/no, or 在庫切れ.",
                f"在庫「{value}」を読み取れません。本数(3)、あり/なし、在庫切れ のいずれかで入力してください。",
            )
        count = int(m.group(1))
    if count < 0:
        raise invalid(f"The stock {value!r} cannot be negative.", f"在庫「{value}」はマイナスにできません。")
    if count > MAX_COUNT:
        raise invalid(f"The stock {value!r} is too large.", f"在庫「{value}」が大きすぎます。")
    return Stock(count > 0, count)


def clean_grade(value: Any) -> str:
    """A canonical 特定名称 (純米吟醸 …) from Japanese or romaji; "" when empty; anything else is refused."""
    if value is None or not str(value).strip():
        return ""
    try:
        grade = normalize_grade(str(value))
    except SenseiError:
        grade = None
    if grade not in GRADES:
        known = "、".join(GRADES)
        raise invalid(
            f"I don't know the grade {value!r}; use one of {known} (or junmai ginjo …).",
            f"特定名称「{value}」がわかりません。{known} のいずれかを使ってください。",
        )
    return grade


def clean_text(value: Any, limit: int, what: str, what_ja: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", str(value or "")).split())
    if len(text) > limit:
        raise invalid(f"The {what} is too long ({limit} characters at most).", f"{what_ja}が長すぎます({limit}文字まで)。")
    return text
