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
from core.agent.constraint_reading import direction_axes, edit_previous, is_beginner, negated
from core.agent.intent_words import (
    _BUDGET,
    _CHAT_WORDS,
    ANOTHER,
    DELETE,
    DETAILS,
    DRANK,
    EDIT,
    FOR_ME,
    HISTORY,
    LABEL,
    LOG,
    NOTES,
    OFFTOPIC,
    PAIR,
    POPULAR,
    PREFS,
    PROFILE,
    QUESTION,
    RECOMMEND,
    SEARCH,
    SHOW,
    SIMILAR,
    STATS,
    SURVEY,
    WISH,
)
from core.agent.ratings import Rating, parse_rating
from core.agent.reading import (
    Context,
    Intent,
    _Hit,
    _looks_like_a_name,
    _notes,
    _only,
    _sentence,
    budget,
    dish_phrase,
    ja_directions,
    reference,
)
from core.catalog import CatalogSearch
from core.catalog.normalize import fold_name, fold_romaji
from core.catalog.prefectures import ROMAJI
from core.food_model import FoodModel
from core.i18n import detect_language
from core.knowledge.routing import KnowledgeRouter

_FOOD_MODEL = FoodModel()  # dishes outside the lexicon: "what sake goes with pad thai?"


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
        for group in (LOG, DRANK, EDIT, DELETE, WISH, SHOW, HISTORY, STATS, PROFILE, SURVEY, LABEL, SEARCH, RECOMMEND, POPULAR, SIMILAR, PAIR, DETAILS):
            vocab |= {w for w in re.findall(r"[a-z]+", group.pattern) if len(w) >= 4}
        vocab |= {w for w in lx.STOPWORDS if len(w) >= 4}
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
        brand_ids = self.brands("".join(blanked))
        ref = self.reference(blanked_s, ctx.shown)
        subject = brand_ids[0] if brand_ids else ref

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

        def has(p: re.Pattern[str]) -> bool:
            return p.search(blanked_s) is not None

        def chat_kind() -> str | None:
            core = re.sub(r"[^\w\s']", " ", s).strip()
            for kind, words in (("help", lx.HELP), ("thanks", lx.THANKS), ("bye", lx.BYES), ("greeting", lx.GREETINGS)):
                for w in words:
                    if w.isascii() and re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", core) or not w.isascii() and w in core:
                        return kind
            return None

        chat = chat_kind()
        if has(OFFTOPIC) and not brand_ids and not re.search(r"(?<![a-z])(sake|nihonshu)(?![a-z])|日本酒|お酒|地酒", s):
            return Intent("chat", {}, lang, chat="offtopic")
        # Knowledge questions ("what is kimoto", 「熱燗って何度」) go to explain before anything else reads them;
        # brand names stay brand lookups (the router says "brand" and the rules below go on). Issue #20.
        if not ctx.has_image and (known := self.knowledge.read(raw)) is not None and known.kind != "brand":
            return Intent("explain", known.args(), lang)
        signals = bool(brand_ids or hits or rating or budget or ctx.has_image)
        if chat == "help":
            return Intent("chat", {}, lang, chat="help")
        if chat and not signals and len(re.findall(r"\w+", s)) <= 6 and not has(RECOMMEND):
            return Intent("chat", {}, lang, chat=chat)

        # Photos: this turn's image is the label to read.
        if ctx.has_image and (has(LABEL) or not (brand_ids or rating or has(LOG))):
            return Intent("identify_label", {}, lang)

        # (Priority slot for knowledge questions: "what is ...", 「…とは」, 「違い」 go here, before the user's records.)
        # Tastings and the wishlist: the user's own records.
        named = brand_ids[0] if brand_ids else None  # edits and deletes act on the last tasting unless a sake is named
        if has(DELETE) and not (rating and (has(LOG) or has(DRANK) or brand_ids)):  # a turn that logs is not also a delete
            if has(WISH):
                return Intent("wishlist_remove", _only(brand_id=subject), lang)
            last = re.search(r"(?<![a-z])(last|latest|that|it|previous)(?![a-z])|最後|最新|さっき|今の|それ|直前", blanked_s)
            return Intent("delete_tasting", _only(brand_id=named, last=True if named is None and last else None), lang)
        if has(EDIT) and rating is None and (bare := re.search(r"(?<![\d.])([0-5](?:\.5)?)(?![\d.]|\s*(?:yen|円|%))", blanked_s)):
            rating = Rating(float(bare.group(1)), bare.span(1))  # "make that 4.5 instead": the number is the new rating
        if has(EDIT) and (rating or NOTES.search(s)) and not has(WISH):
            return Intent("edit_tasting", _only(brand_id=named, rating=rating.stars if rating else None, notes=_notes(raw)), lang)
        if has(WISH):
            if subject is not None and not (has(SHOW) and not brand_ids and ref is None):
                return Intent("wishlist_add", {"brand_id": subject}, lang)
            return Intent("wishlist_show", {}, lang)
        if has(HISTORY) and not rating:
            return Intent("tasting_history", {}, lang)
        if has(STATS) and not rating and not brand_ids:
            return Intent("tasting_stats", {}, lang)
        if rating and subject is None and has(RECOMMEND) and not (has(LOG) or has(DRANK)):
            rating = None  # "recommend a 5-star sake" asks for quality, it logs nothing
        if rating and subject is None and ctx.shown and not brand_ids:
            subject = ctx.shown[0]  # "4 stars" right after a sake was shown rates that sake
        if rating or (has(LOG) and (subject is not None or not (hits or has(RECOMMEND)))) or (has(DRANK) and subject is not None and not foods):
            return Intent("log_tasting", _only(brand_id=subject, rating=rating.stars if rating else None, notes=_notes(raw)), lang)
        if has(SURVEY):
            return Intent("survey", {}, lang)
        if has(FOR_ME) and (has(RECOMMEND) or re.search(r"what next|what's next|whats next|次", s)) and not brand_ids and not has(SHOW):
            return Intent("recommend", {"mode": "for_me", **filters}, lang)
        if has(PROFILE) and not has(RECOMMEND) or has(PROFILE) and has(SHOW):
            return Intent("taste_profile", {}, lang)
        if has(PREFS):
            return Intent("preferences", {}, lang)
        if has(LABEL) and not brand_ids:
            return Intent("identify_label", {}, lang)

        # Recommendations and the catalog.
        edited = None if brand_ids or foods or ref is not None else edit_previous(
            s, ctx.last_tool, ctx.last_args, ctx.shown, want=want, directions=directions, prefecture=prefecture, grade=grade,
            styles=styles, avoid=avoid, budget=budget,
        )
        if edited is not None and ctx.last_tool is not None:
            return Intent(ctx.last_tool, edited, lang)
        if has(ANOTHER) and ctx.last_tool in ("recommend", "pair_food", "search_catalog") and not (brand_ids or foods or hits):
            args = dict(ctx.last_args)
            args["exclude"] = sorted(set(args.get("exclude", [])) | set(ctx.shown))
            return Intent(ctx.last_tool, args, lang)
        base = brand_ids[0] if brand_ids else (ref if ref is not None else (ctx.shown[0] if ctx.shown else None))
        if directions and base is not None and (brand_ids or ref is not None or ctx.shown):
            return Intent("recommend", {"mode": "like_but", "brand_id": base, "direction": directions[0], **filters}, lang)
        if foods:
            args = {"food": foods[0], **filters}
            if directions and not want:
                want = {k: v for d in directions for k, v in direction_axes(d).items()}
            if want:
                args["want"] = want
            return Intent("pair_food", args, lang)
        if not brand_ids and (dish := dish_phrase(s)) and _FOOD_MODEL.family_for(dish) is not None:
            return Intent("pair_food", {"food": dish, **filters, **({"want": want} if want else {})}, lang)
        if is_beginner(s) and not brand_ids:
            return Intent("recommend", {"mode": "flavor" if want else "popular", "beginner": True, **({"want": want} if want else {}), **filters}, lang)
        if brand_ids and has(SIMILAR) and not has(DETAILS):
            return Intent("recommend", {"mode": "similar", "brand_id": brand_ids[0], **filters}, lang)
        if ref is not None and has(SIMILAR) and not has(DETAILS):
            return Intent("recommend", {"mode": "similar", "brand_id": ref, **filters}, lang)
        if directions and not brand_ids:
            axes = {"drier": {"f5": 1}, "sweeter": {"f5": -1}, "lighter": {"f6": 1}, "richer": {"f3": 1}, "more_aromatic": {"f1": 1}}
            merged = {**axes[directions[0]], **want}
            return Intent("recommend", {"mode": "flavor", "want": merged, **filters}, lang)
        if has(FOR_ME) and not brand_ids and (has(RECOMMEND) or has(FOR_ME)):
            return Intent("recommend", {"mode": "for_me", **filters}, lang)
        if has(SEARCH) and not brand_ids and not want and (prefecture or grade or tags):
            return Intent("search_catalog", _only(prefecture=prefecture, grade=grade, tag=tags[0] if tags else None), lang)
        if (want or tags or styles or avoid) and not brand_ids:
            args = {"mode": "flavor", "want": want, **filters}
            if tags:
                args["tags"] = tags
            return Intent("recommend", args, lang)
        if has(POPULAR) and not brand_ids or (prefecture or grade or budget) and not brand_ids:
            return Intent("recommend", {"mode": "popular", **filters}, lang)
        if brand_ids:
            if has(SEARCH) and len(brand_ids) > 1:
                return Intent("search_catalog", {"query": raw}, lang)
            return Intent("sake_details", {"brand_id": brand_ids[0]}, lang)
        if ref is not None and (has(DETAILS) or has(SHOW) or len(re.findall(r"\w+", s)) <= 3):  # "the second one"
            return Intent("sake_details", {"brand_id": ref}, lang)
        if has(RECOMMEND) and not has(QUESTION) or re.search(r"(?<![a-z])(sake|nihonshu)(?![a-z])|日本酒|お酒|地酒", s) and has(RECOMMEND):
            return Intent("recommend", {"mode": "popular", "personal": True}, lang)  # "おすすめは?": the user's taste when known
        if chat:
            return Intent("chat", {}, lang, chat=chat)
        if _looks_like_a_name(s):
            return Intent("search_catalog", {"query": raw[:200]}, lang)
        return Intent("chat", {}, lang, chat="offtopic" if _sentence(s) else "unclear")
