"""Knowledge questions: top-1 accuracy of the offline routing and retrieval, and answer latency (issue #20).

Runs benchmarks/data/knowledge_questions.jsonl (the tuning set, 167 questions) and
knowledge_questions_keptaside.jsonl (73 questions written before any code and never tuned on; see
knowledge_questions.md) through core.knowledge: each question must come out as its labelled entry
(the first entry for a difference question), as a brand lookup ("what is 獺祭") or as an unknown term.
Latency is one full offline answer: routing, then the answer text with its catalog examples.

    python benchmarks/knowledge.py [--verbose]

Honesty note: the kept-aside set was scored once, after the retrieval was tuned on the tuning set
(100.0%, 167/167) and before any change informed by it: 90.4% (66/73; en 43/48, ja 23/25), below
the 95% target. Its misses: 「日本酒度がマイナスだとどうなる?」, "who is the toji", "what is sake aged
in cedar barrels", "what is kyokai number 7", "...what's a masu" (read as ochoko), 「日本酒は
グルテンフリー?」, "sake pairing with cheese" (no question form). A second kept-aside set
(knowledge_questions_keptaside2.jsonl, 69 questions) was then written and committed, and only then
general fixes were made (keywords for casks and ageing, "kyokai number N", "who is", Japanese
questions ending in ? or asking どうなる); scored once after them: 95.7% (66/69; en 54/57, ja 12/12).
The first set's later figure (98.6%) is no longer held out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.agent_eval import load_catalog
from core.catalog import CatalogSearch
from core.knowledge.answer import entry_answer, unknown_answer
from core.knowledge.base import load_base
from core.knowledge.routing import KnowledgeRouter

SETS = (
    ("tuning", "knowledge_questions.jsonl"),
    ("kept aside", "knowledge_questions_keptaside.jsonl"),
    ("kept aside 2", "knowledge_questions_keptaside2.jsonl"),
)


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    catalog = await load_catalog()
    base = load_base()
    router = KnowledgeRouter.default(CatalogSearch(catalog))
    timings: list[float] = []
    for name, filename in SETS:
        rows = load(ROOT / "benchmarks" / "data" / filename)
        right = {"en": 0, "ja": 0}
        total = {"en": 0, "ja": 0}
        for row in rows:
            t0 = time.perf_counter()
            got = router.read(row["text"])
            if got is not None and got.kind == "entry":
                entry_answer(base, list(got.entries), row["lang"], catalog)
            elif got is not None and got.kind == "unknown":
                unknown_answer(base, got.term, list(got.closest), row["lang"])
            timings.append((time.perf_counter() - t0) * 1000)
            answer = None if got is None else got.kind if got.kind != "entry" else got.entries[0]
            total[row["lang"]] += 1
            if answer == row["expect"]:
                right[row["lang"]] += 1
            elif args.verbose:
                print(f"  MISS [{name}] {row['text']!r}: expected {row['expect']}, got {answer}")
        n, k = sum(total.values()), sum(right.values())
        langs = ", ".join(f"{lang} {right[lang]}/{total[lang]}" for lang in ("en", "ja"))
        print(f"{name:12s} top-1 accuracy {100 * k / n:5.1f}% ({k}/{n}; {langs})")
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * len(timings)) - 1)]
    print(f"answer latency over {len(timings)} questions: p50 {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms, max "
          f"{timings[-1]:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
