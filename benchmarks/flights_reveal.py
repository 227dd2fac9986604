"""The reveal of a flight: how long the results picture takes to draw (target < 300 ms).

Usage: python benchmarks/flights_reveal.py [--runs 30]

The largest flight there is (5 sakes, drawn for 8 members, every cell rated, Japanese names
and member names) in both languages; the picture is drawn `runs` times after one warm-up (the
fonts load once per process) and the median and worst times are reported, with the PNG's size.
The summary's time is reported too, as the rest of the reveal.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.recommender_quality import load  # noqa: E402
from core.flights import reveal  # noqa: E402
from core.flights.state import Flight, FlightSake, Member  # noqa: E402

TARGET_MS = 300.0


def biggest_flight(brand_ids: list[int], members: int = 8) -> Flight:
    people = tuple(Member(i + 1, f"U{i + 1:08d}", name) for i, name in enumerate(
        ["さくら", "Kenji", "ゆうこ", "Alexandra", "たけし", "Marie", "はると", "Jun"][:members]))
    ratings = {(m.user_id, b): float(1 + (m.user_id * 7 + i * 3) % 9 / 2) for m in people for i, b in enumerate(brand_ids)}
    return Flight(1, 1, "C", 1, "closed", len(brand_ids), None, "ja", datetime.now(timezone.utc), "all_rated",
                  tuple(FlightSake(b, i, "flight.notice.nearest", {"other": "x"}) for i, b in enumerate(brand_ids)), people, ratings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    catalog = asyncio.run(load())
    brands = [b.id for b in sorted(catalog.brands.values(), key=lambda b: (b.rank or 10_000, b.id))[:5]]
    flight = biggest_flight(brands)
    res = reveal.results(flight)
    for lang in ("ja", "en"):
        reveal.picture(res, catalog, lang)  # warm-up: fonts
        times, png = [], b""
        for _ in range(args.runs):
            t0 = time.perf_counter()
            png = reveal.picture(res, catalog, lang)
            times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        reveal.summary(reveal.results(flight), catalog, lang)
        summary_ms = (time.perf_counter() - t0) * 1000
        verdict = "ok" if max(times) < TARGET_MS else "TOO SLOW"
        print(f"{lang}: picture median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms over {args.runs} runs "
              f"({len(png) / 1024:.0f} KiB, 5 sakes x {len(flight.members)} members); summary {summary_ms:.2f} ms  [{verdict}, target < "
              f"{TARGET_MS:.0f} ms]")


if __name__ == "__main__":
    main()
