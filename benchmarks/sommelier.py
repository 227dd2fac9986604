"""The sommelier's two questions and one term: comparing two sakes, serving one, and umami.

Each item of benchmarks/data/sommelier.jsonl (tuning) and sommelier_keptaside.jsonl (written before
the work and never tuned on) is one message from a new user, with what a right answer has:

  tool       the tool the reading chooses (core.agent.understanding), or the kind of chat answer
  brands     (compare) both sakes come back as cards
  winner     (compare) the first line names this sake before the other one: "X is drier than Y"
  no_chart   (compare) a line names this sake and says it has no flavor chart ("chart" / 「チャート」)
  brand      (serving) the answer names the sake
  names      (serving) the answer says one of these temperature names, with a figure in °C
  entry      (explain) the knowledge entry the question is read as

An item passes when the tool is right and every fact holds. Each set is scored separately.

    python benchmarks/sommelier.py [--verbose] [--data PATH ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.offline_chat import OfflineChat  # noqa: E402
from core.agent.understanding import Understanding  # noqa: E402
from core.catalog import CatalogSearch  # noqa: E402
from core.messages import Reply  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
DEGREES = re.compile(r"\d+\s*(?:°C|℃|度)")


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def reply_tool(reply: Reply) -> str:
    return reply.tools[0] if reply.tools else "chat"


def fact_misses(expect: dict[str, Any], reply: Reply, read_args: dict[str, Any], names: dict[int, str]) -> list[str]:
    """What the answer lacks, fact by fact (empty: every fact holds)."""
    misses = []
    text = reply.text
    first = text.strip().splitlines()[0] if text.strip() else ""
    carded = {names.get(c.brand_id, "") for c in reply.cards}
    for b in expect.get("brands", []):
        if b not in carded:
            misses.append(f"no card for {b}")
    if (winner := expect.get("winner")) is not None:
        other = next(b for b in expect["brands"] if b != winner)
        i, j = first.find(winner), first.find(other)
        if i < 0 or (0 <= j < i):
            misses.append(f"first line does not name {winner} first: {first[:100]!r}")
    if (missing := expect.get("no_chart")) is not None:
        if not any(missing in line and re.search(r"chart|チャート", line) for line in text.splitlines()):
            misses.append(f"does not say {missing} has no chart")
    if (brand := expect.get("brand")) is not None and brand not in text:
        misses.append(f"does not name {brand}")
    if expect.get("names"):
        if not any(n in text for n in expect["names"]):
            misses.append(f"none of {expect['names']} said")
        if not DEGREES.search(text):
            misses.append("no temperature in °C")
    if (entry := expect.get("entry")) is not None and entry not in (read_args.get("entry_ids") or []):
        misses.append(f"read as entries {read_args.get('entry_ids')}, not {entry}")
    return misses


async def run(paths: list[Path], verbose: bool) -> None:
    chat = await OfflineChat().open()
    assert chat.catalog is not None
    understanding = Understanding(CatalogSearch(chat.catalog))
    names = {b.id: b.name for b in chat.catalog.brands.values()}
    try:
        for path in paths:
            items = load(path)
            routed = passed = 0
            for it in items:
                expect = it["expect"]
                intent = understanding.understand(it["text"], lang=it.get("lang"))
                reply = (await chat.conversation([it["text"]], it.get("lang")))[-1]
                tool = reply_tool(reply) if reply.tools else intent.tool
                ok_tool = tool == expect["tool"]
                misses = [] if not ok_tool else fact_misses(expect, reply, intent.args, names)
                routed += ok_tool
                passed += ok_tool and not misses
                if verbose and (not ok_tool or misses):
                    why = f"tool {tool}, wanted {expect['tool']}" if not ok_tool else "; ".join(misses)
                    print(f"  {it['id']} {it['text']!r}: {why}\n      {reply.text[:160]!r}")
            n = len(items)
            print(f"{path.name}: {n} items   tool right {routed / n:6.1%} ({routed}/{n})   "
                  f"all facts right {passed / n:6.1%} ({passed}/{n})")
    finally:
        await chat.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--data", type=Path, nargs="*")
    a = ap.parse_args()
    paths = a.data or [DATA / "sommelier.jsonl", DATA / "sommelier_keptaside.jsonl"]
    asyncio.run(run(paths, a.verbose))


if __name__ == "__main__":
    main()
