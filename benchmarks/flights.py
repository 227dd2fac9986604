"""Group flights in simulation: does the least-satisfied member do better than with popular picks?

Usage: python benchmarks/flights.py [--scenario mixed|themed|stock|all] [--groups 300] [--seeds 1,2,3] [--aside 11,12]

The simulation is the recommender quality benchmark's (benchmarks/recommender_quality.py):
- every member has a hidden taste: the chart of a random charted brand plus noise (sd 0.3);
- their true liking of a sake is 5·exp(-d²/2·1.2²) of its chart's distance to that taste,
  and what they rate is that plus noise (sd 0.6), clipped and rounded to halves;
- a group has 3 to 5 members; one in four is neutral (no survey, no history: `None`); the
  others have rated 3 to 15 charted sakes (met as in life, ∝ 0.2 + popularity), and the
  profile is learned from those noisy ratings exactly as the product learns it;
- a flight has 3 to 5 sakes, poured from a pool that depends on the scenario:
  mixed: the whole catalog or (one group in three) a stock of 30 ranked, charted brands;
  themed: a theme narrows the catalog as a starter's words do ("Niigata", "dry", 「新潟の辛口」):
    a prefecture with at least 20 charted brands, a flavor word (dry, sweet, fruity, light, rich),
    or both, read by core.flights.words.theme_request;
  stock: a restaurant's stock of 15 to 25 ranked, charted brands.
  Every method pours from the same brands: for a theme, those the theme lets choose_flight use
  (its own eligibility rule), so the baselines honour the theme too.
A member's satisfaction with a flight is their true expected liking averaged over its sakes
(noise-free: the noise averages out over many groups). Methods:
  (a) popularity: the n best-ranked sakes;
  (b) average member: the recommender's own "for me" picks for the members' mean taste;
  (c) choose_flight.
Figures: the least-satisfied member's satisfaction and the group average, averaged over the
groups; the ratios of (c) to (a) (target: least-satisfied >= 1.15x, average >= 1x); the
flights' spread on light↔rich and sweet↔dry, and the share of flights that meet choose_flight's
spread rule (BODY_SPREAD and DRY_SPREAD, both at once); choose_flight's time. The tuning seeds and the
seeds kept aside (never looked at while tuning) are reported separately, per scenario.
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
from core.flights.group import BODY_SPREAD, DRY_SPREAD, _body, _eligible, choose_flight  # noqa: E402
from core.flights.words import theme_request  # noqa: E402
from core.profile import TasteProfiles, TasteVector  # noqa: E402
from core.recommender import RecRequest, Recommender  # noqa: E402
from core.tasting_records import Rated  # noqa: E402

NEUTRAL_SHARE = 0.25
STOCK_SHARE = 1 / 3
STOCK_SIZE = 30
RESTAURANT_STOCK = (15, 25)  # the stock scenario: a restaurant's 15 to 25 items
THEME_PREFECTURE_MIN = 20  # charted brands a prefecture needs to be a theme
THEME_WORDS = ("dry", "sweet", "fruity", "light", "rich")
METHODS = ("popularity", "average member", "choose_flight")
SCENARIOS = ("mixed", "themed", "stock")


def true_liking(space: FlavorSpace, rows: np.ndarray, taste: np.ndarray) -> np.ndarray:
    d2 = ((space.chart_z[rows] - taste) ** 2).mean(axis=1)
    return 5 * np.exp(-d2 / (2 * WIDTH**2))


def theme_places(catalog: Catalog, space: FlavorSpace) -> list[str]:
    """Prefectures with enough charted brands to pour a themed flight from, by name."""
    counts = np.bincount(space.prefecture[space.charted], minlength=max(catalog.prefectures, default=0) + 1)
    return sorted(name for pid, name in catalog.prefectures.items() if pid < len(counts) and counts[pid] >= THEME_PREFECTURE_MIN)


def themed_pool(rng: np.random.Generator, catalog: Catalog, space: FlavorSpace, places: list[str], n: int) -> tuple[np.ndarray, RecRequest]:
    """A theme as a starter would say it (a prefecture, a flavor word, or both) and the rows it lets a flight use."""
    kind = int(rng.integers(0, 3))
    words = [str(rng.choice(places))] if kind != 1 else []
    if kind != 0:
        words.append(str(rng.choice(THEME_WORDS)))
    found = theme_request(" ".join(words), catalog.prefectures)
    assert found is not None, words
    req = found[0]
    rows, _ = _eligible(space, catalog, n, None, req, set())
    return rows, req


def run_seed(seed: int, groups: int, catalog: Catalog, space: FlavorSpace, profiles: TasteProfiles, rec: Recommender,
             scenario: str = "mixed") -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    charted = np.flatnonzero(space.charted)
    ranked = np.flatnonzero(space.charted & np.array([b.rank is not None or b.area_rank is not None for b in space.brands]))
    places = theme_places(catalog, space)
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
        req: RecRequest | None = None
        candidates: list[int] | None = None
        if scenario == "themed":
            pool, req = themed_pool(rng, catalog, space, places, n)
        elif scenario == "stock":
            pool = rng.choice(ranked, size=int(rng.integers(RESTAURANT_STOCK[0], RESTAURANT_STOCK[1] + 1)), replace=False)
        else:
            pool = rng.choice(ranked, size=STOCK_SIZE, replace=False) if rng.random() < STOCK_SHARE else charted
        pool_ids = [int(space.ids[i]) for i in pool]
        if scenario != "themed":
            candidates = pool_ids
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
        picks = choose_flight(space, catalog, members, n, candidates=candidates, req=req)
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
    ap.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="mixed")
    args = ap.parse_args()
    t0 = time.perf_counter()
    catalog, space, profiles, rec = world()
    print(f"flights: {args.groups} simulated groups per seed; catalog {len(space.brands)} brands ({int(space.charted.sum())} charted)")
    for scenario in SCENARIOS if args.scenario == "all" else (args.scenario,):
        print(f"\n== scenario {scenario}")
        tuning = [run_seed(int(s), args.groups, catalog, space, profiles, rec, scenario) for s in args.seeds.split(",") if s]
        report(f"{scenario}, tuning seeds {args.seeds}", tuning)
        if args.aside:
            aside = [run_seed(int(s), args.groups, catalog, space, profiles, rec, scenario) for s in args.aside.split(",") if s]
            report(f"{scenario}, seeds kept aside {args.aside}", aside)
    print(f"\nelapsed {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
