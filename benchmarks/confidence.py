"""Confidence of general picks: are flavor and food requests answered by well-supported brands?

A sommelier names sakes whose character is well known, not obscure extremes. For a fixed set of
general requests (flavor words, dishes, places; English and Japanese), through the real offline
turn, this prints the share of picks that are

  ranked      in Sakenowa's overall or area ranking (known, stocked)
  charted     backed by a Sakenowa flavor chart (every flavor request must be: 100 %)
  tagged      with at least 5 Sakenowa flavor tags
  extreme     further than 2 standard deviations from the catalog centre on some axis

    python benchmarks/confidence.py [--verbose]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.offline_chat import OfflineChat  # noqa: E402
from core.flavor_space import FlavorSpace  # noqa: E402

FLAVOR = [
    "a dry sake", "something sweet", "a light sake", "a rich sake", "fruity sake please", "a floral sake", "something mellow",
    "a smooth, calm sake", "dry and light", "rich but not sweet", "fruity and light, nothing fizzy", "an aromatic dry sake",
    "辛口のお酒", "甘口のお酒", "軽快なお酒", "濃厚なお酒", "フルーティなお酒", "華やかなお酒", "まろやかなお酒", "すっきり辛口",
    "a dry sake from niigata", "fruity sake from yamaguchi", "秋田の辛口", "新潟の淡麗辛口", "a junmai ginjo that is fruity",
    "something acidic", "a fresh, juicy sake", "a sake that isn't sweet", "甘くないお酒", "重くないお酒",
]
FOOD = ["sake for sashimi", "something for tempura", "what goes with yakitori?", "sake for cheese", "刺身に合うお酒",
        "焼き鳥に合う日本酒", "天ぷらに合うお酒", "what sake goes with grilled mackerel?", "ramen", "sake for steak"]


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    chat = await OfflineChat().open()
    try:
        assert chat.catalog is not None
        sp = FlavorSpace.of(chat.catalog)
        for name, requests in (("flavor", FLAVOR), ("food", FOOD)):
            t0 = time.perf_counter()
            ranked = charted = tagged = extreme = total = 0
            for text in requests:
                (reply,) = await chat.conversation([text])
                for card in reply.cards:
                    b = chat.catalog.brands[card.brand_id]
                    row = sp.row(b.id)
                    total += 1
                    ranked += b.rank is not None or b.area_rank is not None
                    charted += b.chart is not None
                    tagged += len(b.tags) >= 5
                    extreme += bool(row is not None and sp.charted[row] and np.abs(sp.chart_z[row]).max() > 2.0)
                if args.verbose:
                    print(f"  {text!r}: " + ", ".join(c.name for c in reply.cards))
            pct = lambda k: f"{100 * k / max(total, 1):5.1f}% ({k}/{total})"  # noqa: E731
            print(f"== {name}: {len(requests)} requests, {total} picks, {time.perf_counter() - t0:.1f} s")
            print(f"  ranked {pct(ranked)}   charted {pct(charted)}   tagged 5+ {pct(tagged)}   extreme >2σ {pct(extreme)}")
    finally:
        await chat.close()


if __name__ == "__main__":
    asyncio.run(main())
