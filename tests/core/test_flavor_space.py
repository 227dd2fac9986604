from __future__ import annotations

import dataclasses

import numpy as np

from core.catalog import Catalog
from core.flavor_space import FlavorSpace


def test_charted_brands_keep_their_chart_and_others_are_flagged(catalog: Catalog) -> None:
    space = FlavorSpace.of(catalog)
    assert FlavorSpace.of(catalog) is space  # built once per catalog
    assert int(space.charted.sum()) == sum(1 for b in catalog.brands.values() if b.chart is not None)
    dassai = space.row(887)
    assert dassai is not None and space.certain[dassai]
    assert np.allclose(space.unz(space.position[dassai]), catalog.brands[887].chart, atol=1e-6)
    no_data = [space.row(b.id) for b in catalog.brands.values() if b.chart is None and not b.tags and not b.products]
    assert no_data and not space.placed[no_data].any()
    assert not space.certain[~space.charted].any()


def test_tag_estimate_predicts_held_out_charts(catalog: Catalog) -> None:
    """The estimate for uncharted brands is better than guessing the average (R² > 0.3 on held-out charts)."""
    brands = sorted(catalog.brands.values(), key=lambda b: b.id)
    rng = np.random.default_rng(0)
    charted = [b.id for b in brands if b.chart is not None and len(b.tags) >= 3]
    held = set(rng.choice(charted, size=200, replace=False).tolist())
    space = FlavorSpace([dataclasses.replace(b, chart=None) if b.id in held else b for b in brands])
    full = FlavorSpace.of(catalog)
    rows = [space.row(i) for i in held]
    pred, true = space.position[rows], full.chart_z[rows]
    r2 = 1 - ((pred - true) ** 2).sum() / ((true - true.mean(axis=0)) ** 2).sum()
    assert r2 > 0.3, r2


def test_fast_paths_equal_the_plain_computation(catalog: Catalog) -> None:
    space = FlavorSpace.of(catalog)
    t = np.array([0.5, -0.2, 0.1, 0.0, 1.0, -0.7])
    w = np.array([1.0, 0.25, 0.25, 0.25, 1.0, 0.5])
    assert np.allclose(space.sq_distance(t, w), ((space.position - t) ** 2 * w).sum(axis=1), atol=1e-3)
    assert np.allclose(space.sq_distance(t), ((space.position - t) ** 2).sum(axis=1), atol=1e-3)
    tags = ("辛口", "フルーティ", "not a tag")
    rows = np.array([0, 5, space.row(887), space.row(144), len(space.brands) - 1])
    assert np.allclose(space.tag_scores_for(rows, tags), space.tag_scores(tags)[rows])
    assert space.tag_scores_for(rows, ("nothing",)).sum() == 0


def test_linear_score_is_the_documented_formula(catalog: Catalog) -> None:
    space = FlavorSpace.of(catalog)
    t = np.array([0.3, 0.1, -0.5, 0.2, 0.9, 0.4])
    w = np.array([1.0, 1.0, 0.25, 0.25, 1.0, 1.0])
    d = np.array([0, 0, 0, 0, 1.0, 0.5])
    got = space.linear(along=d, target=t, weights=w, uncertain=0.6, popularity=0.35)
    want = space.position @ d - ((space.position - t) ** 2 * w).sum(axis=1) / w.sum() - 0.6 * ~space.certain + 0.35 * space.popularity
    assert np.allclose(got[space.placed], want[space.placed], atol=1e-4)
    assert (got[~space.placed] < -1e8).all()
