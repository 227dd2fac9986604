"""The offline model's reading of a chat message: which tool to call, with which arguments.

Deterministic rules over English and Japanese text (typos in brand names are the catalog
search's job). The conversation's context (the sakes shown last, the last tool call) resolves
follow-ups: "another one", "something lighter", "log that one, 4 stars", 「それをもう少し辛口で」.
What it cannot read it says so (`chat="unclear"`), rather than guessing a tool.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from core.agent import lexicon as lx
from core.agent.ratings import Rating, parse_rating
from core.catalog import CatalogSearch
from core.catalog.normalize import fold_name, fold_romaji
from core.catalog.prefectures import ROMAJI
from rapidfuzz import fuzz, process
from core.i18n import detect_language
from core.knowledge.routing import KnowledgeRouter

# -- what a reading is ----------------------------------------------------------------------


@dataclass(slots=True)
class Context:
    """What the conversation so far tells a follow-up."""

    shown: tuple[int, ...] = ()  # brand ids of the sakes shown last, in order
    last_tool: str | None = None
    last_args: dict[str, Any] = field(default_factory=dict)
    has_image: bool = False


@dataclass(slots=True)
class Intent:
    tool: str  # a tool name, or "chat"
    args: dict[str, Any]
    lang: str
    chat: str | None = None  # greeting | thanks | bye | help | offtopic | unclear (when tool == "chat")

    def as_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "args": self.args, "chat": self.chat, "lang": self.lang}


# -- keyword groups -------------------------------------------------------------------------


def _group(*words: str) -> re.Pattern[str]:
    """One regex for a group: English words at word boundaries, Japanese as substrings."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"\s+")
        parts.append(esc if not w.isascii() else rf"(?<![a-z]){esc}(?![a-z])")
    return re.compile("|".join(parts))


LOG = _group(
    "log", "logged", "log it", "record", "note down", "write down", "rate", "rated", "rating", "score it", "gave it", "give it",
    "記録", "ログ", "評価", "採点", "つけて", "付けて",
)
DRANK = _group(
    "had", "drank", "tried", "tasted", "just had", "drinking", "i'm having", "im having", "having",
    "飲んだ", "呑んだ", "飲みました", "呑みました", "飲んでる", "飲んでいる", "いただいた", "頂いた", "飲んで",
)
EDIT = _group(
    "change", "edit", "update", "correct", "fix", "make it", "make that", "actually", "instead",
    "変更", "修正", "直して", "訂正", "変えて", "やっぱり",
)
DELETE = _group("delete", "remove", "undo", "erase", "scratch that", "take off", "drop", "削除", "消して", "取り消", "取消", "消去", "外して", "消す")
WISH = _group(
    "wishlist", "wish list", "want to try", "wanna try", "to-try", "to try list", "save it", "save for later", "save that",
    "bookmark", "remember this", "remember that", "my list", "add to my list", "try later",
    "ウィッシュリスト", "ウィッシュ", "飲みたいリスト", "気になる", "飲んでみたい", "後で飲みたい", "あとで飲みたい", "保存", "ブックマーク",
    "リストに", "メモして", "覚えておいて",
)
SHOW = _group("show", "see", "view", "list", "what's on", "whats on", "what is on", "display", "見せ", "見たい", "表示", "一覧", "確認", "教えて", "見る")
HISTORY = _group(
    "history", "what have i had", "what have i drunk", "what have i drank", "what did i drink", "what did i have", "what have i tried",
    "what have i logged", "my tastings", "my tasting notes", "my log", "my logs", "my notes", "past tastings", "my records",
    "recent tastings", "last tasting", "tasting log", "my tasting log", "drinking log", "my last tasting", "what i've had", "what ive had", "what i drank",
    "履歴", "記録を見", "記録一覧", "飲んだお酒", "今まで飲んだ", "これまで飲んだ", "飲んだ記録", "飲んだもの", "飲んだ日本酒", "最近飲んだ", "テイスティング記録",
)
STATS = _group(
    "stats", "statistics", "how many", "average rating", "my average", "my numbers", "totals", "summary of my", "count",
    "統計", "何本", "何杯", "平均", "集計", "合計", "いくつ飲んだ",
)
PROFILE = _group(
    "taste profile", "my profile", "my taste", "my palate", "what do i like", "what kind of sake do i like", "flavor profile",
    "flavour profile", "what i like", "my tastes", "my style", "palate",
    "好みの傾向", "味の傾向", "好みをチャート", "好みチャート", "好みを見せ", "味の好み", "私の好み", "僕の好み", "俺の好み", "自分の好み", "プロフィール", "好み分析", "傾向", "好みのチャート", "好みを分析",
)
SURVEY = _group(
    "survey", "quiz", "questionnaire", "questions", "taste test", "set up my preferences", "setup my preferences", "set my preferences",
    "onboarding", "アンケート", "診断", "質問", "好みを登録", "好みを設定", "好み診断",
)
PREFS = _group("my preferences", "preferences", "my settings", "好み設定", "好みの設定", "設定した好み")
LABEL = _group(
    "label", "photo", "picture", "image", "pic", "this bottle", "what is this", "what's this", "whats this", "identify", "read this",
    "scan", "ラベル", "写真", "画像", "このお酒は何", "これ何", "これは何", "読み取", "この酒", "このボトル", "この瓶",
)
SEARCH = _group(
    "search", "find", "look up", "lookup", "which sakes", "what sakes", "list of", "list sakes", "any sakes", "are there",
    "sakes from", "breweries in", "检索", "検索", "探して", "一覧", "調べて", "ありますか", "ある?", "あるかな", "ある？",
)
RECOMMEND = _group(
    "recommend", "recommendation", "suggest", "suggestion", "what should i", "any good", "looking for", "i want", "i'd like",
    "id like", "something", "pick", "give me", "what's good", "whats good", "good sake", "could you", "can you", "a sake", "sake for",
    "need a", "want a", "which one", "what to drink", "reccomend", "recomend", "reccommend", "sugest", "anything",
    "おすすめ", "オススメ", "お勧め", "お薦め", "勧め", "すすめ", "飲みたい", "選んで", "ほしい", "欲しい", "探してる", "探しています",
    "いい日本酒", "いいお酒", "何がいい", "なにがいい", "どれがいい", "教えて", "ある?", "ない?", "ください",
)
FOR_ME = _group(
    "for me", "my taste", "suit me", "suits me", "based on my", "i would like", "i'd enjoy", "would i like", "for my palate",
    "私に合う", "私向け", "好みに合う", "僕に合う", "自分に合う", "俺に合う", "私の好みに", "私好み", "わたしに合う", "好みに合わせ",
)
POPULAR = _group(
    "popular", "best", "top", "famous", "well-known", "well known", "trending", "highest rated", "top rated", "must try", "must-try",
    "classic", "人気", "ランキング", "有名", "定番", "売れ筋", "一番", "ベスト", "評判",
)
SIMILAR = _group(
    "similar to", "similar", "like", "such as", "same as", "something like", "in the style of", "alternative to", "close to",
    "似た", "似てる", "似ている", "みたいな", "のような", "っぽい", "近い", "系の", "系で", "ような", "みたいの",
)
PAIR = _group(
    "goes with", "go with", "pair", "pairs", "pairing", "match", "matches", "with my", "to drink with", "for dinner", "eating", "having",
    "合う", "あう", "合わせ", "と一緒", "ペアリング", "おつまみ", "つまみ", "食べる", "に合",
)
DETAILS = _group(
    "tell me about", "tell me more", "what is", "what's", "whats", "info", "information", "details", "describe", "how is", "is it good",
    "know about", "about", "more about",
    "について", "とは", "って何", "ってなに", "ってどんな", "どんな", "詳しく", "詳細", "情報", "とはどんな", "知りたい",
)
ANOTHER = _group(
    "another", "another one", "something else", "other options", "more options", "others", "one more", "different one", "next",
    "more like", "other one", "show me more", "more please", "anything else",
    "他の", "ほかの", "他に", "ほかに", "別の", "もう一つ", "もう1つ", "もういっこ", "違うの", "他には", "もう一本", "次",
)
REF = re.compile(
    r"(?<![a-z])(that one|this one|that sake|this sake|the first|the second|the third|the last one|the 1st|the 2nd|the 3rd|"
    r"#\s*\d|number\s*\d|no\.\s*\d|option\s*\d|it|that|this)(?![a-z])"
    r"|(それ|これ|あれ|その|この|さっきの|今の|最初の|[1-5一二三四五]\s*(?:番目|つ目|個目|本目))"
)
QUESTION = _group(
    "what", "why", "how", "when", "where", "who", "can you", "could you", "do you", "is it", "are you", "will", "weather", "news",
    "なぜ", "どうして", "いつ", "どこ", "誰", "天気", "ニュース",
)
OFFTOPIC = _group(
    "weather", "news", "football", "soccer", "baseball", "homework", "essay", "stock", "stocks", "politics", "election", "movie",
    "code", "python", "math", "translate", "天気", "ニュース", "宿題", "株価", "政治", "選挙", "映画", "翻訳",
)
PRICE_WORDS = _group("cheap", "cheaper", "affordable", "budget", "inexpensive", "bargain", "安い", "お手頃", "手頃", "リーズナブル", "安め", "予算")
NOTES = re.compile(r"(?:notes?|comment|memo|メモ|感想|ノート)\s*[:：]\s*(.+)$")

_CHAT_WORDS = frozenset(w for phrase in (*lx.GREETINGS, *lx.THANKS, *lx.BYES, *lx.HELP) if phrase.isascii() for w in phrase.split())
_ORDINAL = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "一": 0, "二": 1, "三": 2, "四": 3, "五": 4}
_BUDGET = re.compile(
    r"(?:[¥￥]\s*(\d[\d,]*)(?!\d))|(\d[\d,]*)\s*(?:yen|円|jpy)|(\d+(?:\.\d)?)\s*(?:k|千)\s*(?:yen|円)?(?![a-z])|(\d+(?:\.\d)?)\s*万\s*円?"
)
_DOLLARS = re.compile(r"\$\s*(\d+)|(\d+)\s*(?:dollars|bucks|usd)")


# -- the lexicon matcher ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str  # flavour | direction | food | grade | prefecture
    value: Any
    start: int
    end: int


class Understanding:
    """Reads one message in context; built once per process (the regexes and the catalog search)."""

    def __init__(self, search: CatalogSearch) -> None:
        self.search = search
        self.knowledge = KnowledgeRouter.default(search)  # knowledge questions (issue #20), see understand()
        entries: list[tuple[str, str, Any]] = []
        entries += [(w, "flavour", v) for w, v in lx.FLAVOURS.items()]
        entries += [(w, "flavour", ({"f5": 1}, None)) for w in ("甘くない", "甘すぎない", "甘過ぎない", "not too sweet", "not sweet")]
        entries += [(w, "flavour", ({"f5": -1}, None)) for w in ("辛くない", "辛すぎない", "not too dry", "not dry")]
        entries += [(w, "flavour", ({"f6": 1}, None)) for w in ("重くない", "重すぎない", "くどくない", "not too heavy", "not heavy", "not too rich")]
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

    def _ja_directions(self, s: str) -> list[_Hit]:
        out = []
        for marker in lx.JA_MORE:
            for m in re.finditer(re.escape(marker), s):
                window = s[m.end() : m.end() + 8]
                for word, direction in sorted(lx.DIRECTIONS_JA.items(), key=lambda kv: -len(kv[0])):
                    if word in window:
                        out.append(_Hit("direction", direction, m.start(), m.end() + window.index(word) + len(word)))
                        break
        # 「辛めで」「甘めの」「軽めに」 after a reference are comparatives too
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

    @staticmethod
    def budget(s: str) -> dict[str, Any]:
        m = _BUDGET.search(s)
        if m:
            if m.group(1) or m.group(2):
                amount = int((m.group(1) or m.group(2)).replace(",", ""))
            elif m.group(3):
                amount = int(float(m.group(3)) * 1000)
            else:
                amount = int(float(m.group(4)) * 10000)
            if amount >= 100:
                return {"budget_yen": amount}
        d = _DOLLARS.search(s)
        if d:
            return {"budget_usd": int(d.group(1) or d.group(2))}
        if PRICE_WORDS.search(s):
            return {"budget": "low"}
        return {}

    @staticmethod
    def reference(s: str, shown: tuple[int, ...]) -> int | None:
        """The brand id a "that one" / 「それ」 / "the second" points at, among the sakes shown last."""
        if not shown:
            return None
        for m in REF.finditer(s):
            word = m.group(0)
            idx = 0
            digit = re.search(r"\d", word)
            if digit:
                idx = int(digit.group(0)) - 1
            else:
                for k, v in _ORDINAL.items():
                    if k in word:
                        idx = v
                        break
                if "last" in word:
                    idx = len(shown) - 1
            if 0 <= idx < len(shown):
                return shown[idx]
        return None

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
            h for h in self._hits(s) + self._ja_directions(s)
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
        brand_ids = self.brands("".join(blanked))
        ref = self.reference(blanked_s, ctx.shown)
        subject = brand_ids[0] if brand_ids else ref

        want: dict[str, int] = {}
        tags: list[str] = []
        directions: list[str] = []
        foods: list[str] = []
        grade = prefecture = None
        for h in sorted(hits, key=lambda h: h.start):
            if h.kind == "flavour":
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

        # Tastings and the wishlist: the user's own records.
        named = brand_ids[0] if brand_ids else None  # edits and deletes act on the last tasting unless a sake is named
        if has(DELETE):
            if has(WISH):
                return Intent("wishlist_remove", _only(brand_id=subject), lang)
            return Intent("delete_tasting", _only(brand_id=named), lang)
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
        if has(ANOTHER) and ctx.last_tool in ("recommend", "pair_food", "search_catalog") and not (brand_ids or foods or hits):
            args = dict(ctx.last_args)
            args["exclude"] = sorted(set(args.get("exclude", [])) | set(ctx.shown))
            return Intent(ctx.last_tool, args, lang)
        base = brand_ids[0] if brand_ids else (ref if ref is not None else (ctx.shown[0] if ctx.shown else None))
        if directions and base is not None and (brand_ids or ref is not None or ctx.shown):
            return Intent("recommend", {"mode": "like_but", "brand_id": base, "direction": directions[0], **filters}, lang)
        if foods:
            args = {"food": foods[0], **filters}
            if want:
                args["want"] = want
            return Intent("pair_food", args, lang)
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
        if (want or tags) and not brand_ids:
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
        if ref is not None and (has(DETAILS) or has(SHOW)):
            return Intent("sake_details", {"brand_id": ref}, lang)
        if has(RECOMMEND) and not has(QUESTION) or re.search(r"(?<![a-z])(sake|nihonshu)(?![a-z])|日本酒|お酒|地酒", s) and has(RECOMMEND):
            return Intent("recommend", {"mode": "popular"}, lang)
        if chat:
            return Intent("chat", {}, lang, chat=chat)
        if _looks_like_a_name(s):
            return Intent("search_catalog", {"query": raw[:200]}, lang)
        return Intent("chat", {}, lang, chat="offtopic" if _sentence(s) else "unclear")


def _only(**kwargs: Any) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


def _notes(raw: str) -> str | None:
    m = NOTES.search(unicodedata.normalize("NFKC", raw))
    return m.group(1).strip()[:500] if m else None


def _looks_like_a_name(s: str) -> bool:
    """A short message of no known words: most likely a sake name the catalog does not know."""
    words = re.findall(r"[a-z]+", s)
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", s):
        return len(s) <= 12 and not re.search(r"[?？。]|ですか|ますか", s)
    if any(w in lx.STOPWORDS for w in words) or "?" in s:
        return False
    return 1 <= len(words) <= 3 or len(s) > 200 and len(words) <= 3


def _sentence(s: str) -> bool:
    return len(re.findall(r"[a-z]+", s)) >= 3 or "?" in s or "？" in s or len(s) >= 8
