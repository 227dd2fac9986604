"""How well sakes the drinker names suit a dish: "dassai or kubota for tempura?", "is kubota good with oden?".

The drinker already has the bottles in mind, so the answer ranks those and says how each stands among all
sakes for that dish ("top 12 %"), the same score the pairing recommendations rank by
(core.pairing.Pairing.scores): a verdict, not a new list, unless the one they named is a poor match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.catalog.model import BrandInfo
from core.flavor_space import FlavorSpace
from core.pairing import FoodFamily, Pairing
from core.styles import top_percent

GOOD, FAIR = 30, 60  # top percent up to which a match is good, then fair; beyond, poor
EVEN = 5  # top percents this close: "about equally"


@dataclass(frozen=True, slots=True)
class Fit:
    brand: BrandInfo
    top: int | None  # top N % of the charted sakes for this dish; None when the brand has no flavor data

    @property
    def verdict(self) -> str:
        if self.top is None:
            return "unknown"
        return "good" if self.top <= GOOD else "fair" if self.top <= FAIR else "poor"


def fits(pairing: Pairing, family: FoodFamily, brands: list[BrandInfo], space: FlavorSpace) -> list[Fit]:
    """The named brands, best match first (those without flavor data last, in the order named)."""
    scores = pairing.scores(family, space)
    reference = np.sort(scores[space.charted])
    out = []
    for brand in brands:
        row = space.row(brand.id)
        if row is None or not space.placed[row]:
            out.append(Fit(brand, None))
            continue
        out.append(Fit(brand, top_percent(reference, float(scores[row]))))
    return sorted(out, key=lambda f: f.top if f.top is not None else 101)
