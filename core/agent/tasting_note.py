"""The note a drinker writes after the rating: "dassai 4 stars, fruity and clean", 「獺祭 星4 フルーティで綺麗」.

People log in one breath: the sake, the stars, then what they thought. Without "notes:" that last
part used to be dropped, and a tasting note is the one thing a log must never lose. What follows
the rating is the note, unless it is only filler ("please", 「で記録して」) or the sake's own name
("4 stars for dassai": then only what comes after the next comma counts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from core.agent.ratings import parse_rating

MAX_NOTE = 500
_EDGE = " \t,、。.!！?？:：;/-–—~〜()（）「」\"'"
_FILLER_EN = frozenset(
    "please pls plz thanks thank you tonight today yesterday log it that ok okay stars star for to on the a an and i".split()
)
_FILLER_JA = re.compile(
    r"^(?:を|で|に|と|の|は)?(?:今日|今夜|昨日)?(?:記録|登録|ログ)?(?:して|する|します|しました|しといて|お願い(?:します)?|ください|下さい|ね|よ)*$"
)
_LEAD_JA = re.compile(r"^(?:を|で|に|と|の|は)?(?:記録|登録|ログ)(?:して|する|します|しました)?[、。,\s]*")


def trailing_note(raw: str, names: Iterable[str] = ()) -> str | None:
    """The words after the rating, as written (case kept); None when there are none worth keeping."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw or "")).strip()
    rating = parse_rating(text.lower())
    if rating is None:
        return None
    tail = text[rating.span[1] :].strip(_EDGE)
    lowered = tail.lower()
    if any(n and n.lower() in lowered for n in names):  # "4 stars for dassai, lovely": the note is after the comma
        parts = re.split(r"[,、。;!！]", tail, maxsplit=1)
        tail = parts[1].strip(_EDGE) if len(parts) == 2 else ""
    tail = _LEAD_JA.sub("", tail).strip(_EDGE)
    if not tail or _FILLER_JA.match(tail):
        return None
    words = re.findall(r"[a-z']+", tail.lower())
    if tail.isascii() and all(w in _FILLER_EN for w in words):
        return None
    return tail[:MAX_NOTE]
