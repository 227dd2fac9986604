"""The judgment suite: does every pick meet every hard constraint of the request?

Each item of benchmarks/data/judgment.jsonl (and, reported separately, judgment_keptaside.jsonl and
judgment_keptaside2.jsonl, each written before the change it measures and never tuned on) is one
conversation, English or Japanese, with machine-checkable constraints on every card of the last reply:

  min / max        {axis: "median" | number}: the brand's chart value against the catalog median
  prefecture       the brand's prefecture
  grade            the brand makes a product of that grade
  present / absent styles (below), judged from the catalog here, independently of the recommender
  drier_than       a brand name: the card's dry axis (f5) is higher
  not              brand names that must not be picked
  charted          the brand has a Sakenowa flavor chart (flavor requests are never answered from guesses)

A reply without any card fails every constraint of its item (counted as "answered: no").

    python benchmarks/judgment.py [--verbose] [--data PATH ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.offline_chat import OfflineChat
from core.catalog import Catalog
from core.catalog.model import BrandInfo

DATA = ROOT / "benchmarks" / "data"
AXES = ("f1", "f2", "f3", "f4", "f5", "f6")

# Styles as this benchmark judges them (brand level: what the brand is known for, not every side product).
_SPARKLING_NAME = re.compile(r"スパークリング|発泡|sparkling|ぷちぷち|プチプチ|ピチピチ|しゅわ|シュワ|泡")
_CLOUDY_NAME = re.compile(r"にごり|濁|どぶろ|ドブロ|おりがらみ|オリガラミ|滓")


def styles_of(b: BrandInfo) -> set[str]:
    out: set[str] = set()
    top = set(b.tags[:6])
    names = [p.name for p in b.products]
    if _SPARKLING_NAME.search(b.name) or top & {"ピチピチ", "プチプチ", "シャンパン", "ラムネ"} or (b.tags[:1] == ("ガス",)):
        out.add("sparkling")
    if "sparkling" in out or "ガス" in b.tags[:5]:
        out.add("fizzy")
    if _CLOUDY_NAME.search(b.name) or top & {"カルピス", "ヤクルト", "ミルク"}:
        out.add("cloudy")
    if (b.chart is not None and b.chart[4] < 0.15) or top & {"ジュース", "砂糖", "カルピス"}:
        out.add("very_sweet")
    if re.search(r"古酒|熟成|秘蔵", b.name) or top & {"紹興酒", "カラメル", "キャラメル"} or any(re.search(r"古酒|熟成", n) for n in names):
        out.add("aged")
    if any(re.search(r"生酒|本生|生原酒|しぼりたて|無濾過生|生々", n) for n in [b.name, *names]):
        out.add("namazake")
    if any("原酒" in n for n in [b.name, *names]):
        out.add("genshu")
    if any(re.search(r"生酛|生もと|きもと|山廃|山卸", n) for n in [b.name, *names]):
        out.add("kimoto")
    return out


class Checker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        charts = np.array([b.chart for b in catalog.brands.values() if b.chart is not None])
        self.median = dict(zip(AXES, np.median(charts, axis=0).tolist()))
        self.by_name: dict[str, BrandInfo] = {}
        for b in sorted(catalog.brands.values(), key=lambda b: (b.rank or 10**6, b.id)):
            self.by_name.setdefault(b.name, b)

    def violations(self, b: BrandInfo, checks: dict[str, Any]) -> list[str]:
        bad = []
        if checks.get("charted") and b.chart is None:
            bad.append("uncharted")
        for side in ("min", "max"):
            for axis, value in checks.get(side, {}).items():
                limit = self.median[axis] if value == "median" else float(value)
                if b.chart is None:
                    bad.append(f"{side} {axis}: no chart")
                    continue
                v = b.chart[AXES.index(axis)]
                if (side == "min" and v < limit) or (side == "max" and v > limit):
                    bad.append(f"{side} {axis} {v:.2f} vs {limit:.2f}")
        if (pref := checks.get("prefecture")) and b.prefecture != pref:
            bad.append(f"prefecture {b.prefecture}")
        if (grade := checks.get("grade")) and grade not in b.grades:
            bad.append(f"grade {grade} not made")
        styles = styles_of(b)
        for s in checks.get("present", []):
            if s not in styles:
                bad.append(f"not {s}")
        for s in checks.get("absent", []):
            if s in styles:
                bad.append(f"is {s}")
        if ref := checks.get("drier_than"):
            r = self.by_name[ref]
            if b.chart is None or r.chart is None or b.chart[4] <= r.chart[4]:
                bad.append(f"not drier than {ref}")
        for name in checks.get("not", []):
            if b.name == name:
                bad.append(f"is {name}")
        return bad


async def run(paths: list[Path], verbose: bool) -> None:
    chat = await OfflineChat().open()
    assert chat.catalog is not None
    checker = Checker(chat.catalog)
    print("catalog medians: " + ", ".join(f"{a} {v:.3f}" for a, v in checker.median.items()))
    try:
        for path in paths:
            items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
            picks = ok_picks = answered = clean_items = 0
            by_lang: dict[str, list[int]] = {}
            misses: dict[str, int] = {}
            t0 = time.perf_counter()
            for it in items:
                reply = (await chat.conversation(it["turns"], it.get("lang")))[-1]
                cards = reply.cards
                item_ok = bool(cards)
                answered += bool(cards)
                for c in cards:
                    b = chat.catalog.get(c.brand_id)
                    assert b is not None
                    bad = checker.violations(b, it["checks"])
                    picks += 1
                    ok_picks += not bad
                    item_ok &= not bad
                    for v in bad:
                        kind = " ".join(v.split(" ")[:2])
                        misses[kind] = misses.get(kind, 0) + 1
                    if bad and verbose:
                        print(f"  {it['id']} {' / '.join(it['turns'])!r}: {b.name} ({b.prefecture}) {'; '.join(bad)}")
                if not cards and verbose:
                    print(f"  {it['id']} {' / '.join(it['turns'])!r}: no cards: {reply.text[:120]!r}")
                clean_items += item_ok
                slot = by_lang.setdefault(it.get("lang", "en"), [0, 0])
                slot[0] += item_ok
                slot[1] += 1
            n = len(items)
            print(f"== {path.name}: {n} requests, {time.perf_counter() - t0:.1f} s")
            print(f"  picks meeting every hard constraint: {ok_picks}/{picks} = {100 * ok_picks / max(picks, 1):.1f}%")
            print(f"  requests answered with picks: {answered}/{n} = {100 * answered / n:.1f}%")
            print(f"  requests whose every pick meets every constraint (and has picks): {clean_items}/{n} = {100 * clean_items / n:.1f}%")
            print("  violations: " + ", ".join(f"{k} {v}" for k, v in sorted(misses.items(), key=lambda kv: -kv[1])))
            print("  by language: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_lang.items())))
    finally:
        await chat.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--verbose", "-v", action="store_true")
    default = [DATA / "judgment.jsonl", DATA / "judgment_keptaside.jsonl", DATA / "judgment_keptaside2.jsonl"]
    p.add_argument("--data", type=Path, nargs="+", default=default)
    a = p.parse_args()
    asyncio.run(run(a.data, a.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
