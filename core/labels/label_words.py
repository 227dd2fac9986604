"""The words of a sake label as the matcher looks them up: catalog names folded into keys, and the small print.

Small print (grades, kinds of sake, units, brewery suffixes) is what a label carries besides the
brand; a brand name found only inside it counts for less (core.labels.matcher).
"""

from __future__ import annotations

import re
import unicodedata

from core.catalog import BrandInfo
from core.catalog.normalize import fold_name, fold_name_loose, fold_romaji


# Small print that is not a brand name: grades, kinds of sake, units. Brand names found only
# inside these count for less (a brand called 純 is not on every 純米 label).
SMALL_PRINT = (
    "純米大吟醸", "純米吟醸", "特別純米", "特別本醸造", "大吟醸", "本醸造", "吟醸", "純米", "普通酒", "清酒", "日本酒",
    "生酛", "山廃", "生原酒", "原酒", "生酒", "生詰", "生貯蔵", "ひやおろし", "しぼりたて", "にごり酒", "にごり", "どぶろく",
    "無濾過", "火入れ", "要冷蔵", "精米歩合", "アルコール分", "原材料名", "米麹", "国産米", "製造年月", "製造者", "杜氏",
    "酒造好適米", "山田錦", "五百万石", "雄町", "美山錦", "日本酒度", "酸度", "720ml", "1800ml", "300ml", "500ml",
)
UNITS = re.compile(r"\d+(?:\.\d+)?(?:ml|l|度|%|ｍｌ)|\d{3,4}")
MAKER = re.compile(r"(製造者|製造元|醸造元|蔵元|醸造)")
COMPANY = re.compile(r"(株式会社|合資会社|合名会社|有限会社|\(株\)|\(有\)|\(資\))")
BREWERY_SUFFIX = re.compile(r"(酒造店|酒造場|酒造|醸造元|醸造場|醸造|本店|商店|本家|酒蔵)$")

# English words that happen to be a brand's romaji or name: not a brand when alone in a sentence.
ENGLISH = frozenset(
    "the and for with from this that sake rice wine made japan japanese product alcohol brewery brewed premium "
    "pure dry sweet water ice lorem ipsum dolor sit amet".split()
)


def masked_share(text: str, masked: tuple[tuple[int, int], ...]) -> float:
    """How much of a line's text is small print (grades, units, brewery names): 0..1."""
    covered = {k for s, e in masked for k in range(s, e)}
    return len(covered) / max(1, len(text))


def brand_keys(b: BrandInfo) -> list[tuple[str, str]]:
    keys = [(fold_name(b.name), "name"), (fold_name_loose(b.name), "name")]
    parts = re.split(r"[\s　]+", unicodedata.normalize("NFKC", b.name).strip())
    if len(parts) > 1 and len(fold_name(parts[0])) >= 2 and parts[0] not in SMALL_PRINT:
        keys.append((fold_name(parts[0]), "part"))  # 北照 of "北照 うすにごり本生" (not 吟醸 of "吟醸 かぐや姫")
    if b.reading and len(b.reading) >= 3:
        keys.append((fold_name(b.reading), "reading"))
    for r in (b.romaji, *b.aliases):
        k = fold_romaji(r or "")
        if len(k) >= 4:
            keys.append((k, "romaji"))
    return [(k, kind) for k, kind in dict.fromkeys(keys) if k]


def brewery_keys(name: str) -> tuple[str, ...]:
    if not name:
        return ()
    full = fold_name(COMPANY.sub("", unicodedata.normalize("NFKC", name)))
    keys = [full] if len(full) >= 2 else []
    core = BREWERY_SUFFIX.sub("", full)
    if core != full and len(core) >= 3:
        keys.append(core)
    return tuple(dict.fromkeys(keys))
