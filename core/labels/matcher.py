"""OCR boxes → ranked catalog brands with a calibrated confidence.

How a person reads a sake label: the brand is the biggest text, usually near the middle;
the small print (grade, brewery, prefecture, volume, alcohol) confirms it, and tells apart
brands that share a name (高砂 is made by four breweries). The matcher does the same
over the whole catalog (3,167 brands):

1. every box's text is folded (full/half width, kana, old kanji) and weighted by its
   character size relative to the largest text and by how central it is;
2. brand names are looked up as whole boxes, inside boxes, across two neighbouring boxes
   (a tategaki name split in two columns), and fuzzily for names of three characters or
   more (one misread character); names found only inside small print (a brewery name such
   as 富士高砂酒造, a word such as にごり酒) count for less;
3. the brewery, prefecture and grade printed on the label add to the brands they belong
   to, a different prefecture counts against, and a brewery found with no brand name
   proposes that brewery's brands;
4. a logistic model over (best score, margin to the runner-up, brewery seen), times each
   brand's share among brands the evidence cannot tell apart, turns the scores into a
   confidence that behaves like a probability; its coefficients were fitted with
   `benchmarks/label_accuracy.py --calibrate` on generated labels of a seed (11) disjoint
   from the benchmark's (5). Generated labels are easier than real photos: re-fit on
   labelled real photos when there are some.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from rapidfuzz import fuzz, process

from core.catalog import BrandInfo, Catalog
from core.catalog.normalize import fold_name, fold_name_loose, fold_romaji, is_ascii
from core.labels.box_chains import chains
from core.labels.label_words import BREWERY_SUFFIX, ENGLISH, MAKER, SMALL_PRINT, UNITS, brand_keys, brewery_keys, masked_share
from core.labels.ocr_text import OcrBox

# Confidence model (logistic): fitted by benchmarks/label_accuracy.py --calibrate --seed 11
# (the benchmark reports on seed 5); SHARE_TEMPERATURE spreads it over near-ties.
SHARE_TEMPERATURE = 0.05
# What a printed prefecture other than the brand's takes off its score.
OTHER_PREFECTURE = 0.3
# A name only nearly spelt by a line of small print counts for this share (see LabelMatcher._names).
SMALL_PRINT_FUZZY = 0.35
CALIBRATION = {"bias": -0.376, "top": 2.815, "margin": 2.198, "brewery": -0.143}


@dataclass(frozen=True, slots=True)
class Candidate:
    brand: BrandInfo
    confidence: float  # 0..1, calibrated: about this share of candidates at this level are right
    score: float  # the raw evidence score behind it
    evidence: tuple[str, ...] = ()  # "name:高砂", "brewery:富士高砂酒造", "prefecture:静岡県", "vision"
    features: tuple[float, float, float] = (0.0, 0.0, 0.0)  # what the confidence model reads: score, margin, brewery


@dataclass(slots=True)
class _Evidence:
    name: float = 0.0
    name_via: str = ""
    second: float = 0.0
    brewery: float = 0.0
    prefecture: float = 0.0
    other_prefecture: bool = False
    grade: float = 0.0
    vision: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        s = self.name + 0.15 * self.second + 0.35 * self.brewery + 0.15 * self.prefecture + 0.05 * self.grade
        if self.other_prefecture and not self.prefecture:
            s -= OTHER_PREFECTURE
        if self.vision:
            s += 0.9  # beats a bare OCR name, loses to a name the small print confirms
        return s


@dataclass(frozen=True, slots=True)
class _Line:
    raw: str  # NFKC, as read
    text: str  # folded
    weight: float
    size: float  # relative char size 0..1
    masked: tuple[tuple[int, int], ...]  # spans of small print within `text`
    context: int  # length of the longest text this line is part of (itself, or a chain of boxes)


class LabelMatcher:
    """Built once per catalog (about 0.2 s); `match` is pure CPU and takes milliseconds."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._keys: dict[str, list[tuple[int, str]]] = {}  # folded key -> [(brand id, kind)]
        for b in catalog.brands.values():
            for key, kind in brand_keys(b):
                ids = self._keys.setdefault(key, [])
                if all(bid != b.id for bid, _ in ids):
                    ids.append((b.id, kind))
        self._max_key = max(len(k) for k in self._keys)
        self._fuzzy_keys = [k for k, ids in self._keys.items() if len(k) >= 3 and any(kind == "name" for _, kind in ids)]
        self._breweries: dict[str, list[int]] = {}  # folded brewery name -> brand ids
        self._brewery_keys: dict[int, tuple[str, ...]] = {}
        for b in catalog.brands.values():
            keys = brewery_keys(b.brewery)
            self._brewery_keys[b.brewery_id] = keys
            for k in keys:
                self._breweries.setdefault(k, []).append(b.id)
        self._brewery_list = sorted(self._breweries, key=len, reverse=True)
        self._prefectures = {pid: fold_name(name) for pid, name in catalog.prefectures.items() if pid and name}
        self._small_print = sorted({fold_name(w) for w in SMALL_PRINT}, key=len, reverse=True)
        self._small_set = frozenset(self._small_print)

    # -- public ----------------------------------------------------------------------------

    def match(
        self, boxes: list[OcrBox] | tuple[OcrBox, ...], width: int, height: int, *, limit: int = 5, vision: str | None = None
    ) -> list[Candidate]:
        lines = self._lines(boxes, width, height)
        if not lines and not vision:
            return []
        full = "".join(line.text for line in lines)
        ev: dict[int, _Evidence] = {}
        self._names(lines, ev)
        found_breweries = self._find_breweries(lines, full)
        for key, strength in found_breweries.items():
            for bid in self._breweries[key]:
                e = ev.setdefault(bid, _Evidence())
                if strength > e.brewery:
                    e.brewery = strength
                    e.notes.append(f"brewery:{key}")
        # The printed brewery narrows the catalog to a few brands: among them, a partly read
        # name is enough (鯛 for 鯛より, 別据 for 別格).
        # Not from a line that is mostly small print: 笑四季酒造 names the brewery, not its brand 笑四季.
        big = [line for line in lines if line.size >= 0.5 and masked_share(line.text, line.masked) < 0.5][:4]
        for bid, e in ev.items():
            if e.brewery >= 0.6 and e.name < 0.5:
                name = fold_name(self.catalog.brands[bid].name)
                for line in big:
                    r = fuzz.ratio(line.text, name) / 100
                    if r >= 0.4 and 0.8 * r * line.weight > e.name:
                        e.name, e.name_via = 0.8 * r * line.weight, f"≈{line.text}"
        if vision:
            for bid in self._vision_ids(vision):
                e = ev.setdefault(bid, _Evidence())
                e.vision = True
                e.notes.append("vision")
        if not ev:
            return []
        prefs_seen = {
            pid
            for pid, name in self._prefectures.items()
            if name and (name in full or (len(name) > 2 and name[:-1] in full and name[-1] in "県府都"))
        }
        for bid, e in ev.items():
            b = self.catalog.brands[bid]
            if b.prefecture_id in prefs_seen:
                e.prefecture = 1.0
                e.notes.append(f"prefecture:{b.prefecture}")
            elif prefs_seen:
                e.other_prefecture = True
            for grade in b.grades:
                if fold_name(grade) in full:
                    e.grade = 1.0
                    break
            if not e.brewery:
                # A brand found by name whose brewery is printed in a slightly misread form.
                for key in self._brewery_keys.get(b.brewery_id, ()):
                    if 4 <= len(key) <= len(full) and fuzz.partial_ratio(key, full) >= 80:
                        e.brewery = 0.6
                        e.notes.append(f"brewery~{key}")
                        break
        # Brands whose names fold to the same key (會津 / 会津, 角ノ井 / 角の井, まると / マルト: separate
        # catalog entries of one brewery or prefecture) tie on the evidence; the one spelled as printed goes first.
        # A line that is the name beats the name inside a line (会津 in 会津酒造謹醸).
        whole = {line.raw.strip() for line in lines}
        printed = "".join(line.raw for line in lines)

        def spelled(bid: int) -> int:
            name = unicodedata.normalize("NFKC", self.catalog.brands[bid].name)
            return 2 if name in whole else 1 if name in printed else 0

        ranked = sorted(ev.items(), key=lambda kv: (-round(kv[1].total, 9), -spelled(kv[0]), kv[0]))
        if not ranked:
            return []
        top = ranked[0][1].total
        runner = ranked[1][1].total if len(ranked) > 1 else 0.0
        # Brands that the evidence cannot tell apart share the probability: four equal 高砂 are 1/4 each at most.
        weights = [math.exp((e.total - top) / SHARE_TEMPERATURE) for _, e in ranked[:20]]
        out = []
        for i, (bid, e) in enumerate(ranked[:limit]):
            margin = (e.total - runner) if i == 0 else (e.total - top)
            feats = (min(e.total, 1.6), max(-1.0, min(margin, 1.0)), e.brewery)
            conf = _calibrated(*feats) * weights[i] / sum(weights)
            notes = ([f"name:{e.name_via}"] if e.name_via else []) + e.notes
            out.append(Candidate(self.catalog.brands[bid], round(conf, 3), round(e.total, 4), tuple(dict.fromkeys(notes)), feats))
        return out

    # -- steps -----------------------------------------------------------------------------

    def _lines(self, boxes: list[OcrBox] | tuple[OcrBox, ...], width: int, height: int) -> list[_Line]:
        boxes = [b for b in boxes if b.text.strip() and b.score >= 0.3]
        if not boxes:
            return []
        biggest = max(b.char_size for b in boxes) or 1.0
        cx, cy = width / 2, height / 2
        diag = math.hypot(width, height) / 2 or 1.0
        # Boxes that continue one another (a tategaki name cut into pieces, spaced letters) are read
        # together too; each piece then counts as part of the longer text.
        context = [0] * len(boxes)
        merged: list[OcrBox] = []
        for chain in chains(boxes):
            parts = [boxes[i] for i in chain]
            joined = "".join(fold_name(unicodedata.normalize("NFKC", b.text)) for b in parts)
            for i in chain:
                context[i] = max(context[i], len(joined))
            xs = [x for b in parts for x, _ in b.quad]
            ys = [y for b in parts for _, y in b.quad]
            quad = ((min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys)))
            merged.append(OcrBox("".join(b.text for b in parts), min(b.score for b in parts), quad))
        lines = []
        for k, b in enumerate([*boxes, *merged]):
            text = fold_name(unicodedata.normalize("NFKC", b.text))
            if not text:
                continue
            size = min(1.0, b.char_size / biggest)
            x, y = b.center
            central = 1.0 - 0.3 * min(1.0, math.hypot(x - cx, y - cy) / diag)
            weight = (size**1.5) * central * (0.5 + 0.5 * b.score)
            ctx = max(len(text), context[k] if k < len(boxes) else 0)
            lines.append(_Line(unicodedata.normalize("NFKC", b.text), text, weight, size, self._mask(text), ctx))
        lines.sort(key=lambda line: -line.weight)
        return lines

    def _mask(self, text: str) -> tuple[tuple[int, int], ...]:
        spans: list[tuple[int, int]] = []
        for word in self._small_print:
            start = text.find(word)
            while start >= 0:
                spans.append((start, start + len(word)))
                start = text.find(word, start + 1)
        for m in UNITS.finditer(text):
            spans.append(m.span())
        for key in self._brewery_list:
            if len(key) >= 3 and BREWERY_SUFFIX.search(key):
                start = text.find(key)
                if start >= 0:
                    spans.append((start, start + len(key)))
        return tuple(spans)

    def _names(self, lines: list[_Line], ev: dict[int, _Evidence]) -> None:
        hits: dict[int, list[tuple[float, str, str]]] = {}

        def add(bid: int, q: float, via: str, kind: str = "name") -> None:
            hits.setdefault(bid, []).append((q, via, kind))

        latin = [line for line in lines if is_ascii(line.raw)]
        for line in latin:
            self._latin_names(line, add)
        texts = [(ln.text, ln.weight, ln.masked, ln.context) for ln in lines if ln not in latin]
        for text, weight, masked, context in texts:
            n = len(text)
            seen_here: set[int] = set()
            for i in range(n):
                for j in range(i + 1, min(n, i + self._max_key) + 1):
                    for bid, kind in self._keys.get(text[i:j], ()):
                        length = j - i
                        if length == 1 and n > 1:
                            continue  # a one-character name counts only as a whole line (作, 梵)
                        # inside small print (純 in 純米) or inside a longer brewery name (高砂 in 富士高砂酒造)
                        inside_small = any(s <= i and j <= e and (e - s > j - i or text[s:e] in self._small_set) for s, e in masked)
                        # How much of the line the name explains (small print around it does not count against it).
                        rest = max(n, context) - sum(e - s for s, e in masked if e <= i or s >= j)
                        q = 2 * length / (length + max(rest, length))
                        if kind == "reading":
                            q *= 0.6 if length >= 3 else 0.0
                        elif kind == "romaji":
                            q *= 0.9 if length >= 4 else 0.0
                        elif kind == "part":
                            q *= 0.75
                        if inside_small:
                            q *= 0.35
                        if q > 0:
                            add(bid, q * weight, text[i:j], kind)
                            seen_here.add(bid)
            if n >= 2:
                # A line that is all small print (純米大吟醸) is close to names made of small print
                # (大学生の純米大吟醸) without being one: what it nearly spells counts for less.
                generic = SMALL_PRINT_FUZZY if masked_share(text, masked) >= 1.0 else 1.0
                # A misread or missing character: 醸し入九平次, 越後平(野), 田む(ら).
                for key, r, _ in process.extract(text, self._fuzzy_keys, scorer=fuzz.ratio, limit=5, score_cutoff=66 if n >= 3 else 79):
                    if key == text:
                        continue
                    q = 0.95 * r / 100 * (0.75 if n < 3 else 1.0) * generic
                    for bid, kind in self._keys[key]:
                        if kind == "name" and bid not in seen_here:
                            add(bid, q * weight, f"~{key}")
                if n >= 5:
                    for key, r, _ in process.extract(text, self._fuzzy_keys, scorer=fuzz.partial_ratio, limit=5, score_cutoff=75):
                        if len(key) < 3 or len(key) > n or key in text:
                            continue  # only a name inside the line; a line inside a long name is generic (純米大吟醸)
                        q = (0.55 + 0.35 * min(1.0, len(key) / n)) * (r / 100) ** 3 * generic
                        for bid, kind in self._keys[key]:
                            if kind == "name" and bid not in seen_here:
                                add(bid, q * weight, f"~{key}")
        for bid, found in hits.items():
            found.sort(reverse=True)
            e = ev.setdefault(bid, _Evidence())
            e.name, e.name_via, _ = found[0]
            # A second sighting of the name; the first word of a name read whole is the same sighting
            # (ささのは of ささのは さらさら would otherwise lift it above its twin ささのはさらさら).
            e.second = next((q for q, _, kind in found[1:] if kind != "part"), 0.0)

    def _latin_names(self, line: _Line, add: Callable[[int, float, str], None]) -> None:
        """Romaji or English on a label (DASSAI, Wakanami Sparkling): whole words only, never inside a word."""
        words = re.findall(r"[A-Za-z0-9]+", line.raw)
        whole = fold_name(line.raw)
        if len(words) == 1 and len(whole) < 3:  # a short name (Fu., Yu) only as a line of its own
            for bid, kind in self._keys.get(whole, ()):
                if kind == "name":
                    add(bid, line.weight, whole)
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if n == 1 and (len(gram[0]) < 3 or (len(words) > 1 and gram[0].lower() in ENGLISH)):
                    continue
                q = 1.0 if n == len(words) else 0.55 + 0.45 * n / len(words)
                for key in {fold_romaji("".join(gram)), fold_name(" ".join(gram))}:
                    for bid, kind in self._keys.get(key, ()):
                        if kind in ("name", "romaji", "part") and len(key) >= 3:
                            add(bid, q * (0.9 if kind == "romaji" else 1.0) * line.weight, key)

    def _find_breweries(self, lines: list[_Line], full: str) -> dict[str, float]:
        out: dict[str, float] = {}
        covered: list[tuple[int, int]] = []
        # Two-character brewery names (角星, 春鹿) only where a label names its maker: "製造者 角星", or alone.
        for line in lines:
            m = MAKER.search(line.text)
            tail = line.text[m.end() :] if m else line.text
            for key in (tail[:2], tail) if m else (tail,):
                if len(key) == 2 and key in self._breweries:
                    out[key] = 0.8
        for key in self._brewery_list:
            if len(key) < 3:
                continue
            start = full.find(key)
            if start < 0:
                continue
            end = start + len(key)
            if any(s <= start and end <= e for s, e in covered):
                continue  # 高砂酒造 inside 富士高砂酒造 is the longer name
            strength = 1.0 if BREWERY_SUFFIX.search(key) or len(key) >= 4 else 0.6 if len(key) >= 3 else 0.0
            if strength:
                out[key] = strength
                covered.append((start, end))
        return out

    def _vision_ids(self, name: str) -> list[int]:
        """Brands a vision model named, only when the name is in the catalog (exactly, after folding)."""
        name = unicodedata.normalize("NFKC", name).strip()[:64]
        ids: list[int] = []
        for key in {fold_name(name), fold_name_loose(name), fold_romaji(name)}:
            for bid, kind in self._keys.get(key, ()):
                if kind in ("name", "romaji") and bid not in ids:
                    ids.append(bid)
        return ids


def _calibrated(total: float, margin: float, brewery: float) -> float:
    c = CALIBRATION
    z = c["bias"] + c["top"] * total + c["margin"] * margin + c["brewery"] * brewery
    return 1.0 / (1.0 + math.exp(-z))
