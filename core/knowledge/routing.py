"""Whether a chat message is a knowledge question, and about which entries.

Kept apart from the offline understanding (core/agent/understanding.py calls `KnowledgeRouter.read`
once, before any recommendation) so that the understanding's own rules stay as they are.

The order of the checks is the point:
1. no question form ("what is", "difference between", 「とは」, 「って何」, 「違い」, 「何度」...) or a
   request for a sake ("recommend", "a good junmai", 「おすすめ」) or about the user's own records: not ours;
2. an entry named by an alias wins ("what is kimoto", even though a brand 古都 looks like it);
3. a catalog brand named exactly stays a brand lookup ("what is 獺祭", "tell me about dassai");
4. a misspelt entry name ("yamahi") is an entry; a short "what is X" of anything else is an unknown
   term: "not in my notes", with the closest entries, and never a brand guessed by a fuzzy match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from core.catalog import CatalogSearch
from core.catalog.normalize import fold_name, fold_romaji
from core.knowledge.base import KnowledgeBase, load_base
from core.knowledge.matching import Hit, Matcher, default_matcher, normalize

Kind = Literal["entry", "brand", "unknown"]

# Question forms. "Definition" forms ask what one term is: a term we do not hold there is an unknown term.
_EN_DEFINE = re.compile(
    r"^(?:so |ok |and |but |hey |please |sensei,? )*(?:what(?:'s| is| are| was|s)|what does|define|explain|meaning of|"
    r"what's the meaning of|what is the meaning of|do you know what|could you explain(?: what)?|can you explain(?: what)?)\s+(.+)$"
)
_EN_MEAN = re.compile(r"^(.+?)\s+(?:meaning|mean|means|definition)\s*\??$")
_EN_FORMS = re.compile(
    r"(?<![a-z])(?:what|whats|who (?:is|are|was|makes)|why|how (?:do|does|did|long|many|much|should|is|are|to|can|hot|cold|warm)|"
    r"difference|differences|vs|versus|compared? to|is sake|does sake|is there|are there|can i|can you|should i|when is|when do|"
    r"which (?:is|temperature|glass|cup)|"
    r"explain|meaning|define|tell me about|is it ok|is it okay|do i need|does it)(?![a-z])"
    r"|^(?:is|are) (?!there |it |this |that )"  # "is nigori sweet?": a yes-no question about a term
)
_JA_FORMS = re.compile(
    r"とは|って何|ってなに|ってなん|って\?|って？|何度|なんど|違い|ちがい|意味|どういう|どうやって|どのくらい|どれくらい|何日|方法|仕方|"
    r"読み方|見方|つけ方|付け方|温め方|飲み方|特徴|なぜ|どうして|について|は\?|は？|ですか|いつ|太る|入ってる|入っている|合う\?|合う？|もつ\?|もつ？|"
    r"どうなる|何が違う|[^\x00-\x7f][?？]$|何のこと|なんのこと|どんな味|どんなお酒|どんな酒"
)
_JA_DEFINE = re.compile(r"^(.{1,14}?)(?:とは|って何|ってなに|ってなん|って\?|って？|の意味|は何|はなに|ってどういう意味|とはなんですか)")
_DIFFERENCE = re.compile(
    r"(?<![a-z])(?:difference|differences|differ|vs|versus|compare|compared|comparison)(?![a-z])|違い|ちがい|比較|比べ"
)

# A request for a sake, or about the user's own records: the recommender's and the tastings' business.
_REQUEST = re.compile(
    r"(?<![a-z])(?:recommend\w*|suggest\w*|give me|i want|i'd like|id like|looking for|for me|my|mine|i've|ive|i had|i have|i drank|"
    r"did i|have i|do i like|log|rate|rating|wishlist|similar|like dassai|buy|order|where can i|price|cost|cheap\w*)(?![a-z])"
    r"|おすすめ|オススメ|お勧め|お薦め|勧めて|すすめて|飲みたい|選んで|探して|欲しい|ほしい|私|僕|俺|自分|記録|履歴|買い|値段|価格"
)
_GOOD_SAKE = re.compile(
    r"(?<![a-z])(?:a |an |some )?(?:good|best|nice|great|top|popular|favou?rite|tasty|decent)\s+(?:\w+\s+){0,2}?"
    r"(?:sake|sakes|nihonshu|junmai|ginjo|daiginjo|honjozo|one|ones|brand|brands|bottle|bottles|option|options|choice|pick)(?![a-z])"
)
_DEICTIC = re.compile(r"(?<![a-z])(?:this|that|it|these|those)(?![a-z])|これ|それ|あれ|この|その")
_FILLER = re.compile(
    r"(?<![a-z])(?:a|an|the|is|are|of|on|in|for|to|do|does|i|you|what|whats|mean|means|meaning|sake|nihonshu|please|exactly|actually|"
    r"really|kind|type|called|term|word)(?![a-z])|[?？!！。、,.\"'「」『』()（）]"
)
# "Is there one...?", "...が好き", "...に合う": asking for a sake, which the recommender and the pairing answer,
# unless the question is about the principles ("how do I pair", 「合わせ方」).
_SAKE_WANTED = re.compile(
    r"ある\?|ある？|あるかな|ありますか|ない\?|ない？|何かある|なにかある|好き|飲むなら|どれ"
    # "is there a dry sake from niigata?", "are there sweet sakes from kyoto?" (not "is there low alcohol sake?", a term)
    r"|(?<![a-z])(?:is|are) there (?:(?:a|an|any|some) (?:\w+ ){0,3}?(?:sake|sakes|one|ones|nihonshu|bottle|bottles)"
    r"|(?:\w+ ){0,3}?sakes)(?![a-z])"
)
_PAIR_REQUEST = re.compile(
    r"に合う|と合う|に合わせ|と一緒に|(?<![a-z])(?:goes?|going) (?:well )?with|pairs? (?:well )?with|to drink with|to have with|with my"
)
_PAIR_PRINCIPLE = re.compile(
    r"(?<![a-z])(?:principles?|in general|generally|how do i pair|how to pair|rules?)(?![a-z])|合わせ方|コツ|基本|原則"
)
# Soft signs that a short "what is X?" is not a term at all ("what would I like?", "what do people like best?").
_NOT_A_TERM = re.compile(
    r"(?<![a-z])(?:i|me|we|you|people|popular|best|like|would|should|could|can|now|today|who|where|when|capital)(?![a-z])"
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a knowledge question asks: entries (the first is the answer; two for a difference), a brand, or an unknown term."""

    kind: Kind
    entries: tuple[str, ...] = ()
    term: str = ""  # the unknown term, as written
    difference: bool = False
    closest: tuple[str, ...] = field(default=())  # for an unknown term

    def args(self) -> dict[str, Any]:
        """The explain tool's arguments for this reading."""
        if self.kind == "entry":
            return {"entry_ids": list(self.entries)}
        return {"topic": self.term}


class KnowledgeRouter:
    def __init__(self, base: KnowledgeBase, search: CatalogSearch | None, matcher: Matcher | None = None) -> None:
        self.base = base
        self.search = search
        self.matcher = matcher or Matcher(base)

    @classmethod
    def default(cls, search: CatalogSearch | None) -> KnowledgeRouter:
        """The router over the shipped base, sharing its index with every other user in the process."""
        return cls(load_base(), search, default_matcher())

    def read(self, text: str) -> Reading | None:
        """The knowledge question in this message, or None when it is not one (recommendations, logging, chat)."""
        s = re.sub(r"\s+", " ", normalize(text)).strip()
        if not s or len(s) > 300:
            return None
        asks = bool(_EN_FORMS.search(s) or _JA_FORMS.search(s))
        if not asks or _REQUEST.search(s) or _GOOD_SAKE.search(s) or _SAKE_WANTED.search(s):
            return None
        if _PAIR_REQUEST.search(s) and not _PAIR_PRINCIPLE.search(s):
            return None
        if self._about_sake_itself(s):
            return Reading("entry", ("what-is-sake",)) if "what-is-sake" in self.base else None
        hits = self.matcher.hits(s)
        strong = [h for h in hits if h.strong]
        brand = self._brand(s, strong)
        if brand:
            return Reading("brand")
        if strong:
            return self._entries(s, strong)
        if _DEICTIC.search(s):
            return None  # "what is this label?": a photo's business, named entries aside
        subject = self._subject(s)
        if subject is None:
            return self._entries(s, hits) if hits and not _DEICTIC.search(s) else None
        if hits:
            return self._entries(s, hits)
        typo = self.matcher.fuzzy(subject)
        if typo is not None:
            return Reading("entry", (typo,))
        if _DEICTIC.search(subject) or _NOT_A_TERM.search(subject) or not self._term_like(s, subject):
            return None  # "what is this?" is the label reader's; "what would I like?" the recommender's
        return Reading("unknown", term=subject, closest=tuple(self.matcher.closest(subject)))

    @staticmethod
    def _about_sake_itself(s: str) -> bool:
        """ "what is sake?", 「日本酒とは」: sake itself, a word every other question contains too."""
        m = _EN_DEFINE.match(s)
        if m:
            return re.sub(r"[^a-z ]", "", m.group(1)).strip() in (
                "sake", "nihonshu", "japanese sake", "seishu", "sake exactly", "sake actually"
            )
        m = _JA_DEFINE.match(s)
        return bool(m) and m.group(1).strip() in ("日本酒", "お酒", "清酒", "さけ", "酒")

    def lookup(self, text: str) -> Reading:
        """The entries a term or question names, without asking whether it is a question (the explain tool's
        `topic` from a language model, "kimoto"): entries, a typo's entry, or an unknown term."""
        s = re.sub(r"\s+", " ", normalize(text)).strip()[:300]
        if self._about_sake_itself(s) or s in ("sake", "nihonshu", "日本酒"):
            return Reading("entry", ("what-is-sake",))
        hits = self.matcher.hits(s)
        if hits:
            return self._entries(s, hits)
        subject = self._subject(s) or s
        typo = self.matcher.fuzzy(subject)
        if typo is not None:
            return Reading("entry", (typo,))
        return Reading("unknown", term=subject[:60], closest=tuple(self.matcher.closest(subject)))

    def _entries(self, s: str, hits: list[Hit]) -> Reading:
        ids = list(dict.fromkeys(h.entry_id for h in hits))
        difference = bool(_DIFFERENCE.search(s)) and len(ids) >= 2
        return Reading("entry", tuple(ids[:2] if difference else ids[:1]), difference=difference)

    def _subject(self, s: str) -> str | None:
        """The term a definition question asks about ("what is a kioke" -> "kioke"); None for other questions."""
        m = _EN_DEFINE.match(s) or _EN_MEAN.match(s)
        if m:
            rest = _FILLER.sub(" ", m.group(1))
            rest = re.sub(r"\b(?:like|in japanese|on a label|on the label|on labels|in sake)\b", " ", rest)
            words = rest.split()
            return " ".join(words) if 1 <= len(words) <= 3 else None
        m = _JA_DEFINE.match(s)
        if m:
            subject = re.sub(r"^(?:日本酒の|お酒の|酒の)", "", m.group(1)).strip(" 　、。")
            return subject or None
        return None

    @staticmethod
    def _term_like(s: str, subject: str) -> bool:
        """One word ("kioke"), or two in a question about sake ("blorpt sake"); in Japanese a short noun (「甑」)."""
        if subject.isascii():
            words = subject.split()
            about_sake = re.search(r"(?<![a-z])(?:sake|nihonshu|brewing|brewery)(?![a-z])", s) is not None
            return len(words) == 1 and len(words[0]) >= 3 or len(words) == 2 and about_sake
        return len(subject) <= 8 and not re.search(r"[がをにでへ]|から|まで|ない|した|する", subject)

    def _brand(self, s: str, strong: list[Hit]) -> bool:
        """A catalog brand is named exactly, and by a longer name than any entry named here."""
        if self.search is None:
            return False
        longest_entry = max(
            (len(fold_romaji(s[h.start : h.end]) if s[h.start : h.end].isascii() else fold_name(s[h.start : h.end])) for h in strong),
            default=0,
        )
        for m in self.search.find_in_text(s):
            if m.score < 1.0 or m.matched_on not in ("name", "reading", "romaji"):
                continue
            b = m.brand
            japanese = m.matched_on != "romaji"
            names = [fold_name(b.name), fold_name(b.reading)] if japanese else [fold_romaji(b.romaji), *map(fold_romaji, b.aliases)]
            names = [n for n in names if n and (n in fold_name(s) if japanese else n in fold_romaji(s))]
            if names and max(len(n) for n in names) > longest_entry:
                return True
        return False
