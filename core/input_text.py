"""Text from outside, made safe to keep: the one place every platform's words pass before any write.

A lone surrogate (\\ud800) cannot be encoded as UTF-8, so a turn that carried one saved its
tasting and then failed on the next write (the conversation memory): the user saw "try again"
and a retry logged the tasting twice. Such code points, the Unicode noncharacters and control
characters (but newlines and tabs) are dropped here, before the brain sees the text.
"""

from __future__ import annotations

from typing import Any

MAX_TEXT = 4000  # longer messages are cut; nobody asks for a sake in more words than this
MAX_NAME = 200


def _kept(c: str) -> bool:
    o = ord(c)
    if o < 32:
        return c in "\n\t"
    if 0x7F <= o < 0xA0 or 0xD800 <= o <= 0xDFFF or 0xFDD0 <= o <= 0xFDEF:
        return False
    return (o & 0xFFFE) != 0xFFFE  # U+FFFE, U+FFFF, U+1FFFE, ... are noncharacters


def clean_text(text: str | None, limit: int = MAX_TEXT) -> str:
    """`text` cut to `limit` characters, with what cannot or should not be stored removed, stripped."""
    return "".join(c for c in (text or "")[:limit] if _kept(c)).strip()


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """A button's or form's values with every text cleaned (keys included); other values unchanged."""
    return {clean_text(str(k), MAX_NAME): clean_text(v) if isinstance(v, str) else v for k, v in values.items()}
