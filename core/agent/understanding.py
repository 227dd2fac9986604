"""The offline model's reading of a chat message: which tool to call, with which arguments.

Deterministic rules over English and Japanese text (typos in brand names are the catalog
search's job). The conversation's context (the sakes shown last, the last tool call) resolves
follow-ups: "another one", "something lighter", "log that one, 4 stars", 「それをもう少し辛口で」.
What it cannot read it says so (`chat="unclear"`), rather than guessing a tool.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz, process

from core.agent import lexicon as lx
from core.agent.constraint_reading import negated
from core.agent.intent_table import choose
from core.agent.reading import Reading
from core.agent.tasting_note import trailing_note
from core.agent.intent_words import (
    _BUDGET,
    _CHAT_WORDS,
    COUNT_EN,
    DELETE,
    DETAILS,
    DRANK,
    EDIT,
    HISTORY,
    LABEL,
    LOG,
    NOTES,
    PAIR,
    POPULAR,
    PROFILE,
    RECOMMEND,
    SEARCH,
    SHOW,
    SIMILAR,
    STATS,
    SURVEY,
    UNLIKE_AFTER_JA,
    UNLIKE_EN,
    WISH,
)
from core.agent.ratings import Rating, parse_rating
from core.agent.reading import Context, Intent, _Hit, budget, count, ja_directions, liked, reference
from core.catalog import CatalogSearch
from core.catalog.normalize import fold_name, fold_romaji
from core.catalog.prefectures import ROMAJI
from core.i18n import detect_language
from core.knowledge.routing import KnowledgeRouter

__all__ = ["NOTES", "Context", "Intent", "Understanding"]  # NOTES: the restaurant reading's notes pattern


class Understanding:
    """Reads one message in context; built once per process (the regexes and the catalog search)."""

    def __init__(self, search: CatalogSearch) -> None:
        self.search = search
        self.knowledge = KnowledgeRouter.default(search)  # knowledge questions (issue #20), see understand()
        entries: list[tuple[str, str, Any]] = []
        entries += [(w, "flavour", v) for w, v in lx.FLAVOURS.items()]
        entries += [(w, "flavour", ({"f5": 1}, None)) for w in ("甘くな", "甘すぎな", "甘過ぎな")]
        entries += [(w, "flavour", ({"f5": -1}, None)) for w in ("辛くな", "辛すぎな")]
        entries += [(w, "flavour", ({"f3": -1}, None)) for w in ("重くな", "重すぎな", "くどくな")]
        entries += [(w, "style", v) for w, v in lx.STYLES.items()]
        entries += [(w, "direction", v) for w, v in lx.DIRECTIONS.items()]
        entries += [(w, "food", v) for w, v in lx.FOODS.items()]
        entries += [(w, "grade", v) for w, v in lx.GRADES.items()]
        for area_id, name in search.catalog.prefectures.items():
            if not 1 <= area_id <= 47:
                continue
            short = name.rstrip("県府都") if name != "北海道" else name
            entries += [(name, "prefecture", name), (short, "prefecture", name)]
            ro = ROMAJI[area_id - 1]
            entries += [(ro, "prefecture", name), (f"{ro}-ken", "prefecture", name), (f"{ro} prefecture", "prefecture", name)]
            if ro == "hyogo":
                entries.append(("hyougo", "prefecture", name))
            if ro in ("kyoto", "osaka", "tokyo", "kochi", "oita"):
                entries.append((ro.replace("o", "ou", 1) if ro != "oita" else "ooita", "prefecture", name))
        self._kind = {}
        parts = []
        for word, kind, value in sorted(entries, key=lambda e: len(e[0]), reverse=True):
            key = unicodedata.normalize("NFKC", word).lower()
            if key in self._kind:
                continue
            self._kind[key] = (kind, value)
            esc = re.escape(key).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]?")
            parts.append(esc if not key.isascii() else rf"(?<![a-z]){esc}(?![a-z])")
        self._lexicon = re.compile("|".join(parts))
        # Kana readings of brands (くぼた, ダッサイ) for names written in kana inside a sentence.
        readings: dict[str, list[int]] = {}
        for b in search.catalog.brands.values():
            key = fold_name(b.reading) if b.reading else ""
            if len(key) >= 3:
                readings.setdefault(key, []).append(b.id)
        self._readings = sorted(readings.items(), key=lambda kv: -len(kv[0]))
        # Words whose typos are corrected ("sweeet", "recommnd", "frutiy"): lexicon words and request words.
        vocab = {w for w in self._kind if w.isascii() and " " not in w and "-" not in w}
        for group in (LOG, DRANK, EDIT, DELETE, WISH, SHOW, HISTORY, STATS, PROFILE, SURVEY, LABEL, SEARCH, RECOMMEND, POPULAR, SIMILAR,
                      PAIR, DETAILS):
            vocab |= {w for w in re.findall(r"[a-z]+", group.pattern) if len(w) >= 4}
        vocab |= {w for w in lx.STOPWORDS if len(w) >= 4}
        vocab |= {w for w in re.findall(r"[a-z]+", COUNT_EN.pattern) if len(w) >= 4}  # "three picks" is not "three pickles"
        self._vocab = sorted(w for w in vocab if len(w) >= 5)
        self._romaji_keys = frozenset(k for k, ids in search._exact.items() if k.isascii())

    # -- pieces ---------------------------------------------------------------------------

    def _hits(self, s: str) -> list[_Hit]:
        out = []
        for m in self._lexicon.finditer(s):
            key = re.sub(r"\s+", " ", m.group(0))
            found = self._kind.get(key) or self._kind.get(key.replace(" ", "-")) or self._kind.get(key.replace(" ", ""))
            if found is None:
                found = next((v for k, v in self._kind.items() if re.sub(r"[\s-]", "", k) == re.sub(r"[\s-]", "", key)), None)
            if found is not None:
                out.append(_Hit(found[0], found[1], m.start(), m.end()))
        return out

    def correct_typos(self, s: str) -> str:
        """English words one or two keystrokes from a word we know are read as that word."""

        def fix(m: re.Match[str]) -> str:
            w = m.group(0)
            if len(w) < 5 or w in self._kind or fold_romaji(w) in self._romaji_keys or w in lx.STOPWORDS:
                return w
            if w in _CHAT_WORDS:
                return w
            if w.endswith("s") and (w[:-1] in self._kind or w[:-1] in lx.STOPWORDS):
                return w  # a plural ("helps", "stars") is not a typo
            hit = process.extractOne(w, self._vocab, scorer=fuzz.ratio, score_cutoff=82)
            return hit[0] if hit else w

        return re.sub(r"[a-z]+", fix, s)

    def ja_brand_spans(self, s: str) -> list[tuple[int, int]]:
        """Where Japanese brand names (2+ characters) are written, so that 鍋島 is not read as 鍋 (hot pot)."""
        if s.isascii():
            return []
        spans = []
        for m in self.search.find_in_text(s):
            for name in {m.brand.name, m.brand.reading}:
                key = unicodedata.normalize("NFKC", name).lower()
                i = s.find(key) if len(key) >= 2 else -1
                if i >= 0:
                    spans.append((i, i + len(key)))
        return spans

    def brands(self, blanked: str) -> list[int]:
        """Brand ids named in the text, with lexicon words blanked out so "sushi" never reads as a name."""
        if not blanked.strip():
            return []
        chunks = [re.sub(r"^(?:お|ご)?(?:日本酒|お酒|酒)|(?:日本酒|お酒|酒)$", "", c) for c in blanked.split()]
        if not blanked.isascii() and all(re.fullmatch(r"[ぁ-ゖ、。!?！？]{0,3}", c) for c in chunks):
            return []  # only particles and endings are left (「長野の辛口のお酒」): no name was written
        # Exact names first, stop-words kept so that "kaze no mori" stays one name ...
        stop_keys = {fold_romaji(w) for w in re.findall(r"[a-z]+", blanked) if w in lx.STOPWORDS}
        found = [m for m in self.search.find_in_text(blanked) if m.score >= 1.0 and fold_romaji(m.brand.romaji) not in stop_keys]
        if not found and not blanked.isascii():
            one = re.match(r"\s*([\u3400-\u9fff])\s*(?:って|は|について|とは|の|を|、|ってどう)", blanked)
            if one:
                found = [m for m in self.search.search(one.group(1), limit=3) if m.score >= 1.0]
            folded = fold_name(blanked)
            for key, ids in self._readings if not found else ():
                if key in folded:
                    return list(ids)
        if not found:
            # ... then typos, once the request's own words are out of the way.
            words = re.findall(r"[a-z][a-z'-]*|[^\sa-z]+", blanked)
            kept = [w for w in words if not (w.isascii() and (w in lx.STOPWORDS or len(w) <= 2))]
            residual = " ".join(kept)
            if residual.strip():
                found = self.search.find_in_text(residual)
        return [m.brand.id for m in found]

    budget = staticmethod(budget)
    reference = staticmethod(reference)

    # -- the reading ------------------------------------------------------------------------

    def understand(self, text: str, ctx: Context | None = None, *, lang: str | None = None) -> Intent:
        ctx = ctx or Context()
        raw = (text or "").strip()
        lang = lang or detect_language(raw)
        s = unicodedata.normalize("NFKC", raw).lower()
        s = re.sub(r"\s+", " ", s)
        if not s or not re.search(r"[\w★☆]", s):
            if ctx.has_image:
                return Intent("identify_label", {}, lang)
            return Intent("chat", {}, lang, chat="help" if not s else "unclear")

        s = self.correct_typos(s)
        rating: Rating | None = parse_rating(s)
        own = liked(s)  # "like the ones I rated 5": a reference to the user's tastings, not a rating to log
        if own is not None:
            rating = None
        brand_spans = self.ja_brand_spans(s)
        hits = [
            h for h in self._hits(s) + ja_directions(s)
            if not any(a <= h.start and h.end <= b and (b - a) > (h.end - h.start) for a, b in brand_spans)
        ]
        blanked = list(s)
        for h in hits:
            blanked[h.start : h.end] = [" "] * (h.end - h.start)
        if rating:
            blanked[rating.span[0] : rating.span[1]] = [" "] * (rating.span[1] - rating.span[0])
        if own is not None:
            blanked[own[1][0] : own[1][1]] = [" "] * (own[1][1] - own[1][0])
        for m in _BUDGET.finditer(s):
            blanked[m.start() : m.end()] = [" "] * (m.end() - m.start())
        blanked_s = "".join(blanked)
        for group in (WISH, HISTORY, PROFILE, SURVEY, SHOW):  # request words are not names either
            for m in group.finditer(s):
                if not m.group(0).isascii() and len(m.group(0)) >= 3:
                    blanked[m.start() : m.end()] = [" "] * (m.end() - m.start())
        for w in lx.NEGATION_AFTER_JA:  # 「ではない」 is no brand either
            for m in re.finditer(re.escape(w), s):
                blanked[m.start() : m.end()] = [" "] * (m.end() - m.start())
        named = "".join(blanked)
        brand_ids = self.brands(named)
        unlike = self.refused_brands(s, named, brand_ids)
        brand_ids = [b for b in brand_ids if b not in unlike]
        ref = self.reference(blanked_s, ctx.shown)

        want: dict[str, int] = {}
        tags: list[str] = []
        directions: list[str] = []
        foods: list[str] = []
        styles: list[str] = []
        avoid: list[str] = []
        grade = prefecture = None
        ordered = sorted(hits, key=lambda h: h.start)
        refused = negated(s, ordered)
        for k, h in enumerate(ordered):
            if h.kind == "style":
                (avoid if k in refused else styles).append(h.value[1] if k in refused else h.value[0])
                if k not in refused and h.value[0] == "sparkling" and "ガス" not in tags:
                    tags.append("ガス")  # the catalog's word for it: ranks the fizziest first
            elif h.kind == "flavour" and k in refused:
                for axis, sign in h.value[0].items():
                    want[axis] = -sign
            elif h.kind == "flavour":
                for axis, sign in h.value[0].items():
                    want[axis] = sign
                if h.value[1] and h.value[1] not in tags:
                    tags.append(h.value[1])
            elif h.kind == "direction":
                if h.value not in directions:
                    directions.append(h.value)
            elif h.kind == "food":
                if h.value not in foods:
                    foods.append(h.value)
            elif h.kind == "grade":
                grade = grade or h.value
            elif h.kind == "prefecture":
                prefecture = prefecture or h.value
        budget = self.budget(s)
        filters: dict[str, Any] = {}
        if prefecture:
            filters["prefecture"] = prefecture
        if grade:
            filters["grade"] = grade
        filters.update(budget)
        if styles:
            filters["styles"] = list(dict.fromkeys(styles))
        if avoid:
            filters["avoid"] = list(dict.fromkeys(avoid))
        if (n := count(blanked_s)) is not None:
            filters["limit"] = n
        if unlike:
            filters["unlike"] = unlike
        return choose(Reading(
            raw=raw, s=s, blanked=blanked_s, lang=lang, ctx=ctx, knowledge=self.knowledge, brand_ids=brand_ids, ref=ref,
            rating=rating, hits=hits, want=want, tags=tags, directions=directions, foods=foods, styles=styles, avoid=avoid,
            grade=grade, prefecture=prefecture, budget=budget, filters=filters, chat=_chat_kind(s),
            liked=own[0] if own is not None else None, unlike=unlike, note=self.note(raw, brand_ids) if rating else None,
        ))

    def note(self, raw: str, brand_ids: list[int]) -> str | None:
        brand = self.search.catalog.get(brand_ids[0]) if brand_ids else None
        return trailing_note(raw, brand.spellings if brand is not None else ())

    def refused_brands(self, s: str, named: str, brand_ids: list[int]) -> list[int]:
        """Brands the text refuses as a reference ("not dassai", "nothing like kubota", 「獺祭以外」), among those named."""
        if not brand_ids:
            return []
        out: list[int] = []
        for m in UNLIKE_EN.finditer(s):
            out += [b for b in self.brands(named[m.start("what") : m.end("what")]) if b in brand_ids]
        if not s.isascii():
            for found in self.search.find_in_text(s):
                for name in {found.brand.name, found.brand.reading}:
                    key = unicodedata.normalize("NFKC", name or "").lower()
                    i = s.find(key) if len(key) >= 2 else -1
                    if i >= 0 and found.brand.id in brand_ids and UNLIKE_AFTER_JA.match(s[i + len(key) :]):
                        out.append(found.brand.id)
        return list(dict.fromkeys(out))


def _chat_kind(s: str) -> str | None:
    """Greeting, thanks, bye or help, when the words say so."""
    core = re.sub(r"[^\w\s']", " ", s).strip()
    for kind, words in (("help", lx.HELP), ("thanks", lx.THANKS), ("bye", lx.BYES), ("greeting", lx.GREETINGS)):
        for w in words:
            if w.isascii() and re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", core) or not w.isascii() and w in core:
                return kind
    return None
