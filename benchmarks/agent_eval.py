"""Held-out evaluation of the offline model's reading of chat messages.

Runs every labelled utterance of benchmarks/data/agent_eval.jsonl (English and Japanese, typos,
mixed scripts, follow-ups with their conversation context) through core.agent.understanding and
prints intent accuracy (the right tool, or the right kind of chat answer) and argument accuracy
(among the right intents: every labelled argument right, and no brand or rating invented).
A keyword baseline (the foundation's "a brand name means details, else help") is measured in the
same run, so the figure has something to be compared with.

    python benchmarks/agent_eval.py [--verbose] [--data PATH ...]   (default: every benchmarks/data/agent_eval*.jsonl, and all together)

Honesty note: the rules were developed against agent_eval.jsonl (200 utterances), so its figure
is a training figure. agent_eval_holdout.jsonl (62 utterances) was written afterwards and scored
once before any change: intent 93.5% (58/62), arguments 94.4% (51/54). The four misses were then
fixed in general ways (plurals are not typos, single-kanji names before a particle, request words
are not names, "tasting log"), so later figures on it are no longer held out either.
agent_eval_holdout2.jsonl (54 utterances, harder and more colloquial) was written after that and
scored once before any change: intent 88.9% (48/54), arguments 86.7% (39/45). Generic fixes
followed (かに inside ほかに is not crab, 重め, bare numbers after "make that", "based on my taste",
edits act on the last tasting). Two of its labels are arguable and were left as written:
"can you help me with my python code" (labelled help; the model says it only does sake) and
"juyondai vs jikon" (labelled 十四代; the model describes the more popular 而今).
agent_eval_holdout3.jsonl (12 utterances: a flavor word beside a named sake, "like hakkaisan but sweet",
「八海山みたいで甘口」) was written before the change and scored once: intent 83.3% (10/12), arguments
33.3% (4/12); after reading such a word as the direction away from the named sake: 12/12 and 12/12.
agent_eval_holdout4.jsonl (8 utterances: sakes named with a dish, "dassai or kubota for tempura?", "is kubota
good with oden?") was written before pair_food learned `among`: intent 8/8, arguments 2/8 (the named sakes were
dropped); after, arguments 7/8 (the miss is the order of "hakkaisan or dassai", which the answer re-ranks anyway).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.agent.understanding import Context, Intent, Understanding  # noqa: E402
from core.catalog import Catalog, CatalogSearch  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "agent_eval.jsonl"
STRICT_EXTRA = ("brand_id", "rating")  # never invented when the label has none


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def load_catalog() -> Catalog:
    from core.catalog.loader import load_catalog as load_rows
    from core.db import Database

    url = os.environ.get("DATABASE_URL")
    tmp = None
    if not url:
        tmp = tempfile.mkdtemp()
        url = f"sqlite+aiosqlite:///{tmp}/eval.db"
    db = Database(url)
    try:
        await db.upgrade()
        await load_rows(db)
        return await Catalog.from_db(db)
    finally:
        await db.dispose()


def args_match(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    for key, want in expected.items():
        have = got.get(key)
        if key == "tags":
            if not set(want) <= set(have or []):
                return False
        elif key == "exclude":
            if sorted(want) != sorted(have or []):
                return False
        elif isinstance(want, float) or isinstance(have, float):
            if have is None or abs(float(want) - float(have)) > 1e-9:
                return False
        elif want != have:
            return False
    return all(k in expected or k not in got for k in STRICT_EXTRA)


def intent_match(expected: dict[str, Any], got: Intent) -> bool:
    if expected["tool"] != got.tool:
        return False
    return expected["tool"] != "chat" or expected.get("chat") == got.chat


def baseline(search: CatalogSearch, text: str) -> Intent:
    """What the foundation's catalog brain did: a named brand gets its details, anything else the help text."""
    found = search.find_in_text(text) if text else []
    if found:
        return Intent("sake_details", {"brand_id": found[0].brand.id}, "en")
    return Intent("chat", {}, "en", chat="help")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    p.add_argument("--data", type=Path, nargs="+", default=sorted(DATA.parent.glob("agent_eval*.jsonl")))
    a = p.parse_args()
    catalog = asyncio.run(load_catalog())
    search = CatalogSearch(catalog)
    nlu = Understanding(search)
    sets = [(path.name, load(path)) for path in a.data]
    if len(sets) > 1:
        sets.append(("all", [item for _, items in sets for item in items]))
    for name, items in sets:
        print(f"== {name}")
        evaluate(items, nlu, search, verbose=a.verbose and name != "all")
    return 0


def evaluate(items: list[dict[str, Any]], nlu: Understanding, search: CatalogSearch, *, verbose: bool) -> None:

    results = {"model": [0, 0, 0, 0.0], "baseline": [0, 0, 0, 0.0]}  # intents ok, args ok, args labelled, seconds
    by_lang: dict[str, list[int]] = {}
    for item in items:
        ctx = Context(
            **{**item.get("context", {}), "shown": tuple(item.get("context", {}).get("shown", ()))}, has_image=item.get("has_image", False)
        )
        expected = item["expect"]
        for name in results:
            t0 = time.perf_counter()
            got = nlu.understand(item["text"], ctx) if name == "model" else baseline(search, item["text"])
            results[name][3] += time.perf_counter() - t0
            ok_intent = intent_match(expected, got)
            ok_args = ok_intent and args_match(expected.get("args", {}), got.args)
            results[name][0] += ok_intent
            if "args" in expected and expected["tool"] != "chat":
                results[name][2] += 1
                results[name][1] += ok_args
            if name == "model":
                lang = got.lang
                by_lang.setdefault(lang, [0, 0])
                by_lang[lang][0] += ok_intent
                by_lang[lang][1] += 1
                if verbose and not (ok_intent and ok_args):
                    print(f"MISS {item['text']!r}\n   expected {expected}\n   got      {got.as_dict()}")
    n = len(items)
    print(f"utterances: {n} ({', '.join(f'{k}: {v[1]}' for k, v in sorted(by_lang.items()))})")
    for name, (ok_i, ok_a, labelled, secs) in results.items():
        print(
            f"{name:9s} intent accuracy {ok_i / n:6.1%} ({ok_i}/{n})   argument accuracy {ok_a / max(labelled, 1):6.1%} ({ok_a}/{labelled})"
            f"   {secs / n * 1000:.2f} ms/utterance"
        )
    for lang, (ok, total) in sorted(by_lang.items()):
        print(f"  model intent accuracy [{lang}] {ok / total:6.1%} ({ok}/{total})")


if __name__ == "__main__":
    raise SystemExit(main())
