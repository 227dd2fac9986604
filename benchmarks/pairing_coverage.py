"""Pairing coverage: dishes that are not in the food table still get sakes, with a reason.

benchmarks/data/pairing_coverage.jsonl lists dishes (English and Japanese) that the pairing
table of the day it was written did not recognise (`Pairing.family_for` returned None). Each is
asked as a new user ("what sake goes with X?" / 「Xに合う日本酒は?」). A dish is covered when the
reply pairs (the pair_food tool ran), shows at least one card, and every card has a reason.

    python benchmarks/pairing_coverage.py [--verbose]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.offline_chat import OfflineChat

DATA = ROOT / "benchmarks" / "data" / "pairing_coverage.jsonl"


def question(dish: str, lang: str) -> str:
    return f"{dish}に合う日本酒は?" if lang == "ja" else f"what sake goes with {dish}?"


async def run(path: Path, verbose: bool) -> None:
    items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    chat = await OfflineChat().open()
    covered = 0
    by_lang: dict[str, list[int]] = {}
    t0 = time.perf_counter()
    try:
        for it in items:
            reply = (await chat.conversation([question(it["dish"], it["lang"])], it["lang"]))[-1]
            ok = "pair_food" in reply.tools and bool(reply.cards) and all((c.reason or "").strip() for c in reply.cards)
            covered += ok
            slot = by_lang.setdefault(it["lang"], [0, 0])
            slot[0] += ok
            slot[1] += 1
            if verbose and not ok:
                print(f"  {it['id']} {it['dish']!r}: tools {reply.tools} cards {len(reply.cards)}: {reply.text[:100]!r}")
    finally:
        await chat.close()
    n = len(items)
    print(f"pairing coverage: {covered}/{n} = {100 * covered / n:.1f}% of dishes outside the table get picks with a reason "
          f"({time.perf_counter() - t0:.1f} s)")
    print("  by language: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_lang.items())))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--verbose", "-v", action="store_true")
    p.add_argument("--data", type=Path, default=DATA)
    a = p.parse_args()
    asyncio.run(run(a.data, a.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
