"""benchmarks/flights.py's scenarios: a theme narrows every method's pool as the starter's words do,
and a restaurant's stock has 15 to 25 items."""

from __future__ import annotations

import numpy as np

from benchmarks.flights import RESTAURANT_STOCK, theme_places, themed_pool
from core.catalog import Catalog
from core.catalog.prefectures import resolve
from core.flavor_space import FlavorSpace


def test_a_theme_narrows_the_pool(catalog: Catalog) -> None:
    space = FlavorSpace.of(catalog)
    places = theme_places(catalog, space)
    assert places
    rng = np.random.default_rng(5)
    seen = set()
    for _ in range(12):
        rows, req = themed_pool(rng, catalog, space, places, 3)
        assert 0 < len(rows) < int(space.charted.sum())
        if req.prefecture:
            assert set(space.prefecture[rows]) == {resolve(req.prefecture, catalog.prefectures)}
        seen.add((bool(req.prefecture), bool(req.want)))
    assert len(seen) == 3  # a prefecture, a flavor word, both
    assert RESTAURANT_STOCK == (15, 25)
