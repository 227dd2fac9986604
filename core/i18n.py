"""Which language to answer in: the one the user writes in."""

from __future__ import annotations

import re

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z]{2,}")

LANGUAGES = ("en", "ja")


def detect_language(text: str, default: str = "en") -> str:
    """Japanese when the text has kana or kanji and is not mostly English words around a sake name."""
    if not text:
        return default
    ja = len(_JAPANESE.findall(text))
    if ja == 0:
        return "en" if _LATIN.search(text) else default
    latin_words = len(_LATIN.findall(text))
    # "tell me about 獺祭" is English with a Japanese name in it.
    if latin_words >= 3 and ja <= 8:
        return "en"
    return "ja"


def pick(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en
