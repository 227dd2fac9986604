"""Group flights in simulation: does the least-satisfied member do better than with popular picks?

Usage: python benchmarks/flights.py [--groups 300] [--seeds 1,2,3] [--aside 11,12]

The simulation is the recommender quality benchmark's (benchmarks/recommender_quality.py):
- every member has a hidden taste: the chart of a random charted brand plus noise (sd 0.3);
- their true liking of a sake is 5·exp(-d²/2·1.2²) of its chart's distance to that taste,
  and what they rate is that plus noise (sd 0.6), clipped and rounded to halves;
- a group has 3 to 5 members; one in four is neutral (no survey, no history: `None`); the
  others have rated 3 to 15 charted sakes (met as in life, ∝ 0.2 + popularity), and the
  profile is learned from those noisy ratings exactly as the product learns it;
- a flight has 3 to 5 sakes, from the whole catalog or (one group in three) from a stock of
  30 ranked, charted brands, as in a restaurant.
A member's satisfaction with a flight is their true expected liking averaged over its sakes
(noise-free: the noise averages out over many groups). Methods:
  (a) popularity: the n best-ranked sakes;
  (b) average member: the recommender's own "for me" picks for the members' mean taste;
  (c) choose_flight.
Figures: the least-satisfied member's satisfaction and the group average, averaged over the
groups; the ratios of (c) to (a) (target: least-satisfied >= 1.15x, average >= 1x); the
flights' spread on light↔rich and sweet↔dry, and the share of flights that meet choose_flight's
spread rule (BODY_SPREAD and DRY_SPREAD, both at once); choose_flight's time. The tuning seeds and the
seeds kept aside (never looked at while tuning) are reported separately.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.recommender_quality import RATING_NOISE, TASTE_SD, WIDTH, world  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.flavor_space import FlavorSpace  # noqa: E402
from core.flights.group import BODY_SPREAD, DRY_SPREAD, _body, choose_flight  # noqa: E402
from core.profile import TasteProfiles, TasteVector  # noqa: E402
from core.recommender import RecRequest, Recommender  # noqa: E402
from core.tasting_records import Rated  # noqa: E402

NEUTRAL_SHARE = 0.25
STOCK_SHARE = 1 / 3
STOCK_SIZE = 30
METHODS = ("popularity", "average member", "choose_flight")


def true_liking(space: FlavorSpace, rows: np.ndarray, taste: np.ndarray) -> np.ndarray:
    d2 = ((space.chart_z[rows] - taste) ** 2).mean(axis=1)
    return 5 * np.exp(-d2 / (2 * WIDTH**2))


def run_seed(seed: int, groups: int, catalog: Catalog, space: FlavorSpace, profiles: TasteProfiles, rec: Recommender) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    charted = np.flatnonzero(space.charted)
    ranked = np.flatnonzero(space.charted & np.array([b.rank is not None or b.area_rank is not None for b in space.brands]))
    meet = 0.2 + space.popularity[charted]
    meet = meet / meet.sum()
    out: dict[str, list[tuple[float, float, float, float, float]]] = {m: [] for m in METHODS}
    timings: list[float] = []
    for _g in range(groups):
        size = int(rng.integers(3, 6))
        n = int(rng.integers(3, 6))
        tastes = [space.chart_z[rng.choice(charted)] + rng.normal(0, TASTE_SD, 6) for _ in range(size)]
        members: list[TasteVector | None] = []
        for taste in tastes:
            if rng.random() < NEUTRAL_SHARE:
                members.append(None)
                continue
            k = int(rng.integers(3, 16))
            met = rng.choice(charted, size=k, replace=False, p=meet)
            r = np.clip(np.round((true_liking(space, met, taste) + rng.normal(0, RATING_NOISE, k)) * 2) / 2, 0, 5)
            rated = [Rated(j, int(space.ids[i]), float(x), None, None) for j, (i, x) in enumerate(zip(met, r))]  # type: ignore[arg-type]
            members.append(profiles.learn(rated, None))
        pool = rng.choice(ranked, size=STOCK_SIZE, replace=False) if rng.random() < STOCK_SHARE else charted
        pool_ids = [int(space.ids[i]) for i in pool]
        # (a) popularity among what may be poured
        popular = pool[np.argsort(-space.popularity[pool], kind="stable")[:n]]
        # (b) the recommender's picks for the members' mean taste (neutral members at the catalog centre)
        known = [m for m in members if m is not None]
        mean_z = np.mean([m.z if m is not None else np.zeros(6) for m in members], axis=0)
        avg = TasteVector(mean_z, sum(m.confidence for m in known) or 1.0, 1, None, None, (), ())
        recs = rec.rank(RecRequest(mode="for_me", among=pool_ids, limit=n), avg, set())
        average = space.rows([r.brand.id for r in recs])
        # (c)
        t0 = time.perf_counter()
        picks = choose_flight(space, catalog, members, n, candidates=pool_ids)
        timings.append(time.perf_counter() - t0)
        ours = space.rows([p.brand_id for p in picks])
        for method, rows in zip(METHODS, (popular, average, ours)):
            sat = np.array([true_liking(space, rows, taste).mean() for taste in tastes])
            z = space.chart_z[rows]
            body, dry = _body(z), z[:, 4]
            spans = (float(body.max() - body.min()), float(dry.max() - dry.min()))
            met = float(spans[0] >= BODY_SPREAD - 1e-9 and spans[1] >= DRY_SPREAD - 1e-9)
            out[method].append((float(sat.min()), float(sat.mean()), *spans, met))
    res = {m: np.array(v) for m, v in out.items()}
    res["time"] = np.array(timings)
    return res


def report(title: str, parts: list[dict[str, np.ndarray]]) -> None:
    res = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    print(f"\n{title}: {len(res['time'])} groups")
    print(f"{'method':<16} {'least-satisfied':>15} {'group average':>13} {'body spread':>11} {'dry spread':>10} {'spread met':>10}")
    for m in METHODS:
        v = res[m].mean(axis=0)
        print(f"{m:<16} {v[0]:>15.3f} {v[1]:>13.3f} {v[2]:>11.2f} {v[3]:>10.2f} {v[4]:>10.0%}")
    a, b, c = (res[m].mean(axis=0) for m in METHODS)
    print(f"choose_flight / popularity: least-satisfied {c[0] / a[0]:.3f}x (target >= 1.15), average {c[1] / a[1]:.3f}x (target >= 1)")
    print(f"choose_flight / average member: least-satisfied {c[0] / b[0]:.3f}x, average {c[1] / b[1]:.3f}x")
    t = res["time"] * 1000
    print(f"choose_flight time: median {np.median(t):.1f} ms, p95 {np.percentile(t, 95):.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=300)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--aside", default="11,12")
    args = ap.parse_args()
    t0 = time.perf_counter()
    catalog, space, profiles, rec = world()
    print(f"flights: {args.groups} simulated groups per seed; catalog {len(space.brands)} brands ({int(space.charted.sum())} charted)")
    tuning = [run_seed(int(s), args.groups, catalog, space, profiles, rec) for s in args.seeds.split(",") if s]
    report(f"tuning seeds {args.seeds}", tuning)
    if args.aside:
        aside = [run_seed(int(s), args.groups, catalog, space, profiles, rec) for s in args.aside.split(",") if s]
        report(f"seeds kept aside {args.aside}", aside)
    print(f"\nelapsed {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
