"""Recommendation quality on simulated users, beside a popularity baseline and random, in one run.

Usage: python benchmarks/recommender_quality.py [--users 600] [--seed 7]

No real ratings exist here, so the users are simulated; the catalog is the real one.
- Each user has a hidden taste: the flavor chart of a random charted brand, plus noise
  (standardised axes, sd 0.3).
- Their true liking of a sake falls with the distance between its chart and that taste:
  rating = 5·exp(-d²/2s²) (d² = mean squared distance over the six standardised axes,
  s = 1.2, so about one charted sake in five rates 4 or more) plus rating noise (sd 0.6),
  clipped and rounded to halves.
- Each user drinks 60 distinct charted sakes. The first n (5, 10, 20) are the ratings the
  recommender sees; sakes 21-60 are held out, and those the user rated 4 or more are the
  liked set (the same set for every n).
- Every method ranks the whole catalog (3,167 brands, charted or not) minus the n rated;
  hit rate at 5 = some liked held-out sake in the top 5; NDCG at 10 with binary relevance.

Two ways of meeting sakes:
- "uniform": any charted sake is as likely to be drunk as any other;
- "popular-biased": sakes are met with probability ∝ 0.2 + popularity (Sakenowa ranking),
  as in life, where well-known sakes are easier to find. This favours the popularity
  baseline. Its "oracle" row knows each user's hidden taste and the meeting odds: a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.catalog import Catalog  # noqa: E402
from core.catalog.loader import load_catalog  # noqa: E402
from core.db import Database  # noqa: E402
from core.flavor_space import FlavorSpace  # noqa: E402
from core.pairing import Pairing  # noqa: E402
from core.profile import TasteProfiles  # noqa: E402
from core.recommender import RecRequest, Recommender  # noqa: E402
from core.tasting_records import Rated  # noqa: E402

POOL = 60
HELD_OUT_FROM = 20
STEPS = (5, 10, 20)
TASTE_SD = 0.3
RATING_NOISE = 0.6
WIDTH = 1.2  # s in 5·exp(-d²/2s²): about one charted sake in five rates 4 or more


async def load() -> Catalog:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{tmp}/q.db")
        await db.upgrade()
        await load_catalog(db)
        catalog = await Catalog.from_db(db)
        await db.dispose()
    return catalog


def world() -> tuple[Catalog, FlavorSpace, TasteProfiles, Recommender]:
    """The catalog and the pure parts of the recommender the simulations use (no database after loading)."""
    catalog = asyncio.run(load())
    space = FlavorSpace.of(catalog)
    profiles = TasteProfiles(None, catalog, None, None)  # type: ignore[arg-type]  # learn() is pure
    rec = Recommender(catalog, None, None, profiles, Pairing(catalog), space)  # type: ignore[arg-type]  # rank() is pure
    return catalog, space, profiles, rec


def rating(d2: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    """d2: mean squared distance over the six standardised axes."""
    r = 5 * np.exp(-d2 / (2 * WIDTH**2))
    if rng is not None:
        r = r + rng.normal(0, RATING_NOISE, size=r.shape)
    return np.clip(np.round(r * 2) / 2, 0, 5)


def ndcg10(ranked: list[int], liked: set[int]) -> float:
    dcg = sum(1 / math.log2(k + 2) for k, b in enumerate(ranked[:10]) if b in liked)
    ideal = sum(1 / math.log2(k + 2) for k in range(min(10, len(liked))))
    return dcg / ideal if ideal else 0.0


def oracle(space: FlavorSpace, taste: np.ndarray, meet_prior: np.ndarray | None, seen: set[int]) -> list[int]:
    """Knows the hidden taste (and the meeting odds): the most a recommender could do."""
    mu = 5 * np.exp(-((space.chart_z - taste) ** 2).mean(axis=1) / (2 * WIDTH**2))
    p_like = 0.5 * (1 - _erf((3.75 - mu) / (RATING_NOISE * math.sqrt(2))))
    score = np.log(p_like + 1e-12) + (meet_prior if meet_prior is not None else 0)
    score[~space.charted] = -np.inf
    order = np.argsort(-score)
    return [int(space.ids[i]) for i in order[:40] if int(space.ids[i]) not in seen][:10]


_erf = np.vectorize(math.erf)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    t0 = time.perf_counter()
    catalog, space, profiles, rec = world()
    charted = np.flatnonzero(space.charted)
    pop_order = np.argsort(-space.popularity, kind="stable")
    print(f"recommender quality: {args.users} simulated users per meeting model (seed {args.seed}); "
          f"catalog {len(space.brands)} brands ({int(space.charted.sum())} charted)")
    ratios = {}
    for model in ("uniform", "popular-biased"):
        rng = np.random.default_rng(args.seed)
        meet_p = np.ones(len(charted)) if model == "uniform" else 0.2 + space.popularity[charted]
        meet_p = meet_p / meet_p.sum()
        prior = None if model == "uniform" else np.log(0.2 + space.popularity)
        methods = ("recommender", "popularity", "random", "oracle")
        results: dict[tuple[str, int], list[tuple[float, float]]] = {}
        skipped = 0
        liked_sizes = []
        for _u in range(args.users):
            taste = space.chart_z[rng.choice(charted)] + rng.normal(0, TASTE_SD, 6)
            pool = rng.choice(charted, size=POOL, replace=False, p=meet_p)
            ratings = rating(((space.chart_z[pool] - taste) ** 2).mean(axis=1), rng)
            liked = {int(space.ids[i]) for i, r in zip(pool[HELD_OUT_FROM:], ratings[HELD_OUT_FROM:]) if r >= 4}
            if not liked:
                skipped += 1
                continue
            liked_sizes.append(len(liked))
            for n in STEPS:
                seen_ids = {int(space.ids[i]) for i in pool[:n]}
                rated = [Rated(k, int(space.ids[i]), float(r), None, None) for k, (i, r) in enumerate(zip(pool[:n], ratings[:n]))]  # type: ignore[arg-type]
                vector = profiles.learn(rated, None)
                if vector is None:  # every rating exactly at the prior: the product shows popular picks
                    ours = [r.brand.id for r in rec.rank(RecRequest(mode="popular", limit=10), None, seen_ids)]
                else:
                    ours = [r.brand.id for r in rec.rank(RecRequest(mode="for_me", limit=10), vector, seen_ids)]
                popular = [int(space.ids[i]) for i in pop_order[: 10 + n] if int(space.ids[i]) not in seen_ids][:10]
                candidates = np.setdiff1d(space.ids, list(seen_ids))
                random_pick = [int(b) for b in rng.choice(candidates, size=10, replace=False)]
                best = oracle(space, taste, prior, seen_ids)
                for method, ranked in zip(methods, (ours, popular, random_pick, best)):
                    hit = float(any(b in liked for b in ranked[:5]))
                    results.setdefault((method, n), []).append((hit, ndcg10(ranked, liked)))
        print(f"\nmeeting model {model!r}: {args.users - skipped} users ({skipped} with no liked held-out sake skipped); "
              f"median liked held-out sakes per user {int(np.median(liked_sizes))} of {POOL - HELD_OUT_FROM}")
        print(f"{'ratings':>8} {'method':<12} {'hit@5':>7} {'ndcg@10':>8}")
        for n in STEPS:
            for method in methods:
                vals = np.array(results[(method, n)])
                print(f"{n:>8} {method:<12} {vals[:, 0].mean():>7.3f} {vals[:, 1].mean():>8.3f}")
        ours = np.array(results[("recommender", 10)])[:, 0].mean()
        pop = np.array(results[("popularity", 10)])[:, 0].mean()
        ratios[model] = ours / pop if pop else float("inf")
        print(f"at 10 ratings: recommender hit@5 / popularity hit@5 = {ratios[model]:.2f}x (target >= 2x)")
    print(f"\nelapsed {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
