"""Reading the sommelier's questions about named sakes: two compared, or how to serve one.

"which is drier, hakkaisan or kubota?" used to be read as "like 八海山 but drier" picks, and "what
temperature for dassai?" as its brand card; these matchers claim such messages first (rows in
intent_table.INTENTS). The words are intent_words' COMPARE, WHICH and SERVE; the axis asked about is
the lexicon's comparative ("drier", 「辛口」).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.agent import intent_words as w
from core.agent import lexicon as lx
from core.catalog.normalize import fold_name, fold_romaji

if TYPE_CHECKING:
    from core.agent.reading import Intent, Reading

# the lexicon's flavour wants read as the axis of a comparison: 「どっちが辛口?」 wants f5 up
_WANT_AXIS = {("f5", 1): "drier", ("f5", -1): "sweeter", ("f6", 1): "lighter", ("f3", 1): "richer", ("f1", 1): "more_aromatic"}
_NOT_A_QUESTION = (w.LOG, w.DRANK, w.WISH, w.DELETE, w.EDIT, w.SIMILAR)  # a turn that logs or edits is not asking


def in_text_order(r: Reading, brand_ids: list[int] | None = None) -> list[int]:
    """The brands named, in the order written, one per name: "hanaabi" also reads as 花火 and 玉川 names two
    breweries; the catalog search ranked the one meant first, so a later brand at the same place is dropped."""
    search = r.knowledge.search
    brand_ids = list(r.brand_ids if brand_ids is None else brand_ids)
    if search is None or len(brand_ids) < 2:
        return brand_ids
    place: dict[int, int] = {}
    for rank, bid in enumerate(brand_ids):
        at = written_at(r, bid)
        place[bid] = at if at is not None else 10_000 + rank
    out: list[int] = []
    for bid in sorted(brand_ids, key=lambda b: place[b]):  # stable: at one place, the better-ranked brand comes first
        if bid not in out and all(place[o] != place[bid] for o in out):
            out.append(bid)
    return out


def written_at(r: Reading, brand_id: int) -> int | None:
    """Where the brand's name is written in the message; None when the search only guessed it (a typo, a
    near name: "atsukan" is not 丿貫)."""
    b = r.knowledge.search.catalog.get(brand_id) if r.knowledge.search is not None else None
    if b is None:
        return None
    ja, ro = fold_name(r.s), fold_romaji(r.s)
    hits = [ja.find(fold_name(n)) for n in (b.name, b.reading) if n]
    hits += [ro.find(fold_romaji(n)) for n in (b.romaji, *b.aliases) if n and len(fold_romaji(n)) >= 3]
    return min((h for h in hits if h >= 0), default=None)


def _asking(r: Reading) -> bool:
    return r.rating is None and not r.foods and not any(r.has(group) for group in _NOT_A_QUESTION)


def compared_axis(r: Reading) -> str | None:
    """The axis asked about ("drier", "sweeter", "lighter", "richer", "more_aromatic"), or None for "how do they differ"."""
    if r.directions:
        return r.directions[0]
    for (axis, sign), direction in _WANT_AXIS.items():
        if r.want.get(axis) == sign:
            return direction
    if not r.s.isascii():
        for word, direction in sorted(lx.DIRECTIONS_JA.items(), key=lambda kv: -len(kv[0])):
            if word in r.s:
                return direction
    return None


def compare(r: Reading) -> Intent | None:
    """"A vs B", "which is drier, A or B", 「AとBの違い」「AとBどっちが辛口?」: two sakes named (or one and a shown one)."""
    if not (w.COMPARE.search(r.s) or w.WHICH.search(r.s)) or not _asking(r):
        return None
    ids = in_text_order(r)
    if len(ids) == 1 and not r.s.isascii() and r.knowledge.search is not None:
        # 「久保田より獺祭のほうが辛口?」: the comparative 「より…辛口」 was read (and blanked) as a direction, name and all
        named = [m.brand.id for m in r.knowledge.search.find_in_text(r.s) if m.score >= 1.0 and m.matched_on == "name"]
        ids = in_text_order(r, ids + [b for b in named if b not in ids])
    if len(ids) == 1 and r.ref is not None and r.ref != ids[0]:
        ids.append(r.ref)  # "compare it with kubota"
    if len(ids) < 2:
        return None
    args: dict[str, object] = {"brand_ids": ids[:2]}
    if (axis := compared_axis(r)) is not None:
        args["axis"] = axis
    return r.intent("compare_sakes", args)


def serving(r: Reading) -> Intent | None:
    """"what temperature for X", "X warm or cold?", 「Xは冷やと燗どっちがいい?」: one sake named (or shown) and a serving word."""
    if not w.SERVE.search(r.s) or not _asking(r) or r.directions:
        return None
    ids = in_text_order(r)
    if ids and written_at(r, ids[0]) is None and (known := r.knowledge.read(r.raw)) is not None and known.kind == "entry":
        return None  # "what temperature is atsukan?": a term of the knowledge base, not a guessed brand
    subject = ids[0] if ids else r.ref
    return r.intent("serving_temperature", {"brand_id": subject}) if subject is not None else None
