"""Which entries a question names: aliases in English, Japanese and romaji, then keywords, then typos.

Aliases are specific ("kimoto", 「生酛」, "yeast number 9") and each points at one entry; keywords are
general words ("temperature", 「保存」) that only decide when no alias is named. English and romaji are
compared word by word after folding long vowels and spacing (juunmai = junmai, "junmai-daiginjo" =
"junmaidaiginjo"); Japanese by substring after folding kana and width. The longest name wins where
two overlap, so "junmai daiginjo" is one entry, not junmai and daiginjo.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from core.catalog.normalize import fold_romaji, kata_to_hira
from core.knowledge.base import KnowledgeBase, load_base

MAX_WORDS = 6  # the longest alias, in words
_WORD = re.compile(r"[a-z0-9]+")


def normalize(text: str) -> str:
    """Lower case, NFKC width, katakana as hiragana; offsets into it stay those of the text people wrote."""
    return kata_to_hira(unicodedata.normalize("NFKC", text or "").lower())


def _ja_key(alias: str) -> str:
    return re.sub(r"\s+", "", normalize(alias))


@dataclass(frozen=True, slots=True)
class Hit:
    entry_id: str
    start: int  # offset in the normalized text
    end: int
    strong: bool  # an alias (True) or a keyword (False)


class Matcher:
    """Built once per process from the base (about 2,000 names): every lookup is a few dict probes."""

    def __init__(self, base: KnowledgeBase) -> None:
        self.base = base
        self.owners: dict[str, set[str]] = {}  # every folded alias -> the entries claiming it (tests: exactly one)
        self._ascii: dict[str, str] = {}
        self._ja: dict[str, str] = {}
        self._kw_ascii: dict[str, str] = {}
        self._kw_ja: dict[str, str] = {}
        for e in base.entries.values():
            for alias in e.all_aliases():
                key = fold_romaji(alias) if alias.isascii() else _ja_key(alias)
                if not key:
                    continue
                self.owners.setdefault(key, set()).add(e.id)
                (self._ascii if alias.isascii() else self._ja).setdefault(key, e.id)
            for word in e.keywords:
                key = fold_romaji(word) if word.isascii() else _ja_key(word)
                if key:
                    (self._kw_ascii if word.isascii() else self._kw_ja).setdefault(key, e.id)
        for key, eid in list(self._ascii.items()):  # plurals: "masus", "grades"
            if len(key) >= 4:
                self._ascii.setdefault(key + "s", eid)
        self._ja_keys = sorted(self._ja, key=len, reverse=True)
        self._kw_ja_keys = sorted(self._kw_ja, key=len, reverse=True)
        self._fuzzy_ascii = [k for k in self._ascii if len(k) >= 5]
        self._fuzzy_ja = [k for k in self._ja if len(k) >= 2]
        self._names: list[tuple[str, str]] = []  # (folded name, entry id) for "closest entries"
        for e in base.entries.values():
            for name in (*e.all_aliases(), e.title["en"], e.title["ja"]):
                self._names.append((normalize(name), e.id))

    # -- exact names ----------------------------------------------------------------------

    def hits(self, text: str) -> list[Hit]:
        """The entries named in the text, in the order they are written; keywords only when no alias is named."""
        s = normalize(text)
        strong = self._scan(s, self._ascii, self._ja, self._ja_keys, strong=True)
        if strong:
            return strong
        weak = self._scan(s, self._kw_ascii, self._kw_ja, self._kw_ja_keys, strong=False)
        if not weak:
            return []
        score: dict[str, int] = {}
        for h in weak:
            score[h.entry_id] = score.get(h.entry_id, 0) + (h.end - h.start)
        best = max(score, key=lambda eid: (score[eid], -min(h.start for h in weak if h.entry_id == eid)))
        return [h for h in weak if h.entry_id == best][:1]

    def _scan(self, s: str, ascii_map: dict[str, str], ja_map: dict[str, str], ja_keys: list[str], *, strong: bool) -> list[Hit]:
        found: list[Hit] = []
        words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(s)]
        for i in range(len(words)):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                key = fold_romaji("".join(w for w, _, _ in words[i : i + n]))
                eid = ascii_map.get(key)
                if eid is not None:
                    found.append(Hit(eid, words[i][1], words[i + n - 1][2], strong))
        if not s.isascii():
            squeezed = s  # Japanese aliases carry no spaces; the text keeps its own for the offsets
            for key in ja_keys:
                start = squeezed.find(key)
                while start >= 0:
                    found.append(Hit(ja_map[key], start, start + len(key), strong))
                    start = squeezed.find(key, start + 1)
        chosen: list[Hit] = []
        for h in sorted(found, key=lambda h: (-(h.end - h.start), h.start)):
            if all(h.end <= c.start or c.end <= h.start for c in chosen):
                chosen.append(h)
        return sorted(chosen, key=lambda h: h.start)

    # -- typos and neighbours --------------------------------------------------------------

    def fuzzy(self, subject: str) -> str | None:
        """The entry a misspelt name means ("yamahi", "daiginjio", 「山田綿」); None when nothing is that close."""
        s = normalize(subject).strip()
        if not s:
            return None
        if s.isascii():
            words = _WORD.findall(s)
            for n in (3, 2, 1):
                for i in range(len(words) - n + 1):
                    key = fold_romaji("".join(words[i : i + n]))
                    if len(key) < 5:
                        continue
                    hit = process.extractOne(key, self._fuzzy_ascii, scorer=fuzz.ratio, score_cutoff=86 if len(key) >= 7 else 90)
                    if hit:
                        return self._ascii[hit[0]]
            return None
        key = _ja_key(s)
        hit = process.extractOne(key, self._fuzzy_ja, scorer=fuzz.ratio, score_cutoff=80) if len(key) >= 2 else None
        return self._ja[hit[0]] if hit else None

    def closest(self, text: str, limit: int = 3) -> list[str]:
        """The entries whose names look most like the text, for "not in my notes, but here is what I have"."""
        s = normalize(text).strip()
        if not s:
            return []
        ranked = process.extract(s, [n for n, _ in self._names], scorer=fuzz.WRatio, limit=limit * 8)
        out: list[str] = []
        for _, _, index in ranked:
            eid = self._names[index][1]
            if eid not in out:
                out.append(eid)
            if len(out) == limit:
                break
        return out


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The shipped base's index, built once per process (the base is static package data)."""
    return Matcher(load_base())
