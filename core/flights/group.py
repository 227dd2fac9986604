"""Picks for a group tasting (飲み比べ): sakes that every member can enjoy and that differ from each other.

A flight is judged by the member who enjoys it least, so the choice maximises the
least-satisfied member's predicted rating of the flight rather than the average: picking for
the average member leaves whoever sits far from it with nothing. The group average is added
with equal weight (TIE): a member's taste is learned from a few noisy ratings, so the lowest
*predicted* member is often not the lowest true one, and in benchmarks/flights.py the blend
serves the truly least-satisfied member better than the minimum alone (tuning seeds:
2.47 against 2.43 at TIE 0.25, average 3.41 against 3.38).
A flight of near-copies teaches nothing, so the picks must also spread on the two axes people
taste first, light↔rich and sweet↔dry; a flight short of that spread pays for it in the score.

Predicted liking falls with the distance between a member's taste and the sake's chart, as in
benchmarks/recommender_quality.py. A member with neither survey nor history is neutral: their
liking is what an unknown drinker's would be on average over the catalog's tastes. A member
known only a little is a blend of their own taste and that neutral one, by their confidence.

Only charted brands that Sakenowa ranks take part (the chart is what the notes compare, and a
ranked brand is one enough people drank to trust it); when a restaurant's stock or a theme
leaves fewer than the flight needs, any charted brand will do. The notes compare each sake's
own chart with the other picks, so every line is true of this flight.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from core.catalog.model import Catalog
from core.constraints import hard_constraints, satisfy
from core.flavor_space import AXES, FlavorSpace
from core.profile import TasteVector
from core.recommender import theme_mask
from core.request import RecRequest
from core.styles import StyleIndex

MIN_FLIGHT, MAX_FLIGHT = 3, 5
WIDTH = 1.2  # liking = 5·exp(-d²/2·WIDTH²), d² the mean squared distance in catalog standard deviations
TRUST = 1.0  # confidence at which a member's own taste and the neutral guess count equally
TIE = 1.0  # weight of the group average beside the least-satisfied member (see the module doc)
BODY_SPREAD = 1.2  # the flight must span this much on light↔rich (f3 − f6, in standard deviations) ...
DRY_SPREAD = 0.8  # ... and this much on sweet↔dry (f5)
SHORTFALL = 10.0  # rating points lost per standard deviation of missing spread: in effect a must, where reachable
POOL = 100  # best brands for the group kept for the search
STARTS = 8  # greedy starts from the group's best brands (and one from each end of both axes)
WARM_TAGS = ("燗酒", "熱燗")  # drinkers say it is good warm: served after the cold ones
WARM_STEP = 1.0  # in body units: a warm-friendly sake moves this far towards the end of the order
THEME_BONUS = 1.5  # rating points for each given-up word of a theme a sake still meets (half for a default)
MARGIN = 0.03  # on the chart's 0..1 scale: smaller differences are not claimed


@dataclass(frozen=True, slots=True)
class FlightPick:
    brand_id: int
    position: int  # tasting order, 0 first: light/cold to rich/warm
    notice: str  # catalog key (core/flights/notice_texts.py) of what to notice
    notice_args: dict[str, str] = field(default_factory=dict)


def choose_flight(
    space: FlavorSpace,
    catalog: Catalog,
    members: Sequence[TasteVector | None],
    n: int,
    *,
    candidates: Sequence[int] | None = None,
    req: RecRequest | None = None,
    exclude: set[int] = set(),  # noqa: B006  # read only
) -> list[FlightPick]:
    """n sakes (3..5) for these members, in tasting order; fewer only when fewer brands qualify.

    `candidates` is a restaurant's stock or any list to choose among; `req` a theme (prefecture,
    grade, styles, flavor wants; its mode is ignored). Raises SenseiError for an unknown prefecture.
    """
    if not MIN_FLIGHT <= n <= MAX_FLIGHT:
        raise ValueError(f"a flight has {MIN_FLIGHT} to {MAX_FLIGHT} sakes, not {n}")
    rows, fit = _eligible(space, catalog, n, candidates, req, exclude)
    if len(rows) == 0:
        return []
    liking = predicted_liking(space, members, rows) + THEME_BONUS * fit  # members x rows
    chosen = _search(space, rows, liking, n)
    return _ordered_picks(space, rows[chosen])


# -- who may take part --------------------------------------------------------------------------


def _eligible(
    space: FlavorSpace, catalog: Catalog, n: int, candidates: Sequence[int] | None, req: RecRequest | None, exclude: set[int],
) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the brands the flight may use (charted, allowed by stock and theme, ranked if
    enough are), and per row how much of what the theme had to give up it still meets."""
    base = space.charted.copy()
    fit = np.zeros(len(space.brands))
    if candidates is not None:
        stock = np.zeros(len(space.brands), dtype=bool)
        stock[space.rows(list(candidates))] = True
        base &= stock
    if exclude:
        base[space.rows(list(exclude))] = False
    if req is not None:
        theme_filter = theme_mask(space, catalog, req)
        if theme_filter is not None:
            base &= theme_filter
        # flavor wants filter (judged on the chart), opt-in styles stay out unless asked, as for a
        # flavor request. What leaves fewer than n is given up in the recommender's order (the
        # implicit defaults first, then the theme's words from the last), so a small stock still
        # pours a whole flight; prefecture and grade are the theme itself and are never given up.
        theme = replace(req, mode="flavor", among=None)
        kept = hard_constraints(theme, StyleIndex.of(space, space.brands))
        order = [c for c in kept if c.implicit] + [c for c in reversed(kept) if not c.implicit]
        themed, _ = satisfy(base, kept)
        dropped = []
        while themed.sum() < n and order:
            dropped.append(order.pop(0))
            kept.remove(dropped[-1])
            themed, _ = satisfy(base, kept)
        base = themed
        for c in dropped:  # what was given up still ranks: the theme's words fully, the defaults half
            fit += c.mask * (0.5 if c.implicit else 1.0)
    ranked = base & np.array([b.rank is not None or b.area_rank is not None for b in space.brands])
    rows = np.flatnonzero(ranked if ranked.sum() >= n else base)
    # one brand per brewery and per name: a flight of one brewery's labels is not a comparison
    seen_brewery: set[int] = set()
    seen_name: set[str] = set()
    keep = []
    for r in rows[np.argsort(-space.popularity[rows], kind="stable")]:
        b = space.brands[r]
        if (b.brewery and b.brewery_id in seen_brewery) or b.name in seen_name:
            continue
        seen_brewery.add(b.brewery_id)
        seen_name.add(b.name)
        keep.append(r)
    rows = np.array(sorted(keep), dtype=np.int64)
    return rows, fit[rows]



# -- how much each member would like each brand ----------------------------------------------------


def _liking(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """5·exp(-d²/2W²) for every pair of rows of a (k x 6) and b (m x 6)."""
    # |x-y|² = |x|² + |y|² - 2x·y: a k x m matrix, never k x m x 6 (the neutral drinker is 1,355²)
    d2 = np.maximum((a * a).sum(axis=1)[:, None] + (b * b).sum(axis=1)[None, :] - 2 * a @ b.T, 0.0) / a.shape[1]
    return 5.0 * np.exp(-d2 / (2 * WIDTH**2))


_NEUTRAL: "weakref.WeakKeyDictionary[FlavorSpace, np.ndarray]" = weakref.WeakKeyDictionary()
_NEUTRAL_LOCK = threading.Lock()


def neutral_liking(space: FlavorSpace) -> np.ndarray:
    """Per brand, an unknown drinker's expected liking: the average over the tastes the charts span."""
    with _NEUTRAL_LOCK:
        out = _NEUTRAL.get(space)
        if out is None:
            tastes = space.chart_z[space.charted]
            out = np.zeros(len(space.brands))
            out[space.charted] = _liking(space.chart_z[space.charted], tastes).mean(axis=1)
            _NEUTRAL[space] = out
    return out


def predicted_liking(space: FlavorSpace, members: Sequence[TasteVector | None], rows: np.ndarray) -> np.ndarray:
    """members x rows: each member's predicted rating (0..5) of each brand."""
    neutral = neutral_liking(space)[rows]
    out = np.empty((len(members), len(rows)))
    for k, m in enumerate(members):
        if m is None:
            out[k] = neutral
            continue
        trust = m.confidence / (m.confidence + TRUST)
        out[k] = trust * _liking(space.chart_z[rows], m.z[None, :])[:, 0] + (1 - trust) * neutral
    return out


# -- the search ----------------------------------------------------------------------------------


def _body(z: np.ndarray) -> np.ndarray:
    """Light (−) to rich (+): the heavy axis minus the light one, which the charts show run opposite."""
    return (z[..., 2] - z[..., 5]) / 2


def _search(space: FlavorSpace, rows: np.ndarray, liking: np.ndarray, n: int) -> np.ndarray:
    """Positions in `rows` of the chosen flight: from several starts, a greedy build and then single
    swaps until none helps; the best flight found wins. One start is not enough: the spread rule
    makes the score jump, and a flight grown from the group's single favourite can get stuck."""
    n = min(n, len(rows))
    value = liking.min(axis=0) + TIE * liking.mean(axis=0)
    pool = np.argsort(-value, kind="stable")[:POOL]
    # the pool also keeps the group's best at each end of both axes, so the spread is always reachable
    z = space.chart_z[rows]
    ends = []
    for axis in (_body(z), z[:, 4]):
        for sign in (1, -1):
            end = np.argsort(-sign * axis, kind="stable")[: max(POOL // 3, n)]
            ends.append(end[np.argsort(-value[end], kind="stable")][:5])
    pool = np.array(list(dict.fromkeys(int(p) for p in np.concatenate([pool, *ends]))), dtype=np.int64)
    lk, body, dry = liking[:, pool], _body(z[pool]), z[pool, 4]

    def with_each(base: list[int]) -> np.ndarray:
        """The score of base + [p] for every p of the pool (pool positions), at once: the least-satisfied
        member's mean liking, the average as a tie-break, minus what the spread lacks."""
        total = lk[:, base].sum(axis=1)[:, None] + lk
        per_member = total / (len(base) + 1)
        out = per_member.min(axis=0) + TIE * per_member.mean(axis=0)
        if base:
            b_span = np.maximum(body[base].max(), body) - np.minimum(body[base].min(), body)
            d_span = np.maximum(dry[base].max(), dry) - np.minimum(dry[base].min(), dry)
            short = np.maximum(0.0, BODY_SPREAD - b_span) + np.maximum(0.0, DRY_SPREAD - d_span)
        else:
            short = np.full(len(pool), BODY_SPREAD + DRY_SPREAD)
        out = out - SHORTFALL * short
        out[base] = -np.inf
        return out

    starts = list(dict.fromkeys([*range(min(STARTS, len(pool))), *(int(np.flatnonzero(pool == e[0])[0]) for e in ends)]))
    best: tuple[float, list[int]] = (-np.inf, [])
    for first in starts:
        chosen = [first]
        while len(chosen) < n:
            chosen.append(int(np.argmax(with_each(chosen))))
        current = float(with_each(chosen[:-1])[chosen[-1]])
        for _ in range(4 * n):  # swaps: the best replacement of each pick in turn, while it helps
            improved = False
            for i in range(n):
                rest = chosen[:i] + chosen[i + 1 :]
                trial = with_each(rest)
                trial[chosen[i]] = -np.inf
                j = int(np.argmax(trial))
                if trial[j] > current + 1e-9:
                    chosen, current, improved = [*rest[:i], j, *rest[i:]], float(trial[j]), True
            if not improved:
                break
        if current > best[0]:
            best = (current, chosen)
    return pool[np.array(best[1], dtype=np.int64)]


# -- order and notes -------------------------------------------------------------------------------


def _ordered_picks(space: FlavorSpace, rows: np.ndarray) -> list[FlightPick]:
    z = space.chart_z[rows]
    warm = np.array([any(t in WARM_TAGS for t in space.brands[r].tags[:8]) for r in rows], dtype=float)
    order = np.argsort(_body(z) + WARM_STEP * warm, kind="stable")
    rows = rows[order]
    charts = np.array([space.brands[r].chart for r in rows], dtype=np.float64)
    names = [space.brands[r].name for r in rows]
    out = []
    for i, r in enumerate(rows):
        key, args = notice_for(i, charts, names, space.std)
        out.append(FlightPick(int(space.ids[r]), i, key, args))
    return out


def notice_for(i: int, charts: np.ndarray, names: list[str], std: np.ndarray) -> tuple[str, dict[str, str]]:
    """What to notice in sake i against the others: where it is the most or least of the flight, else
    where it sits between two of them, else its nearest neighbour. Only differences over MARGIN count."""
    others = [j for j in range(len(charts)) if j != i]
    if not others:
        return "flight.notice.alone", {}
    best: tuple[float, str, dict[str, str]] | None = None
    for k, axis in enumerate(AXES):
        v = charts[i, k]
        col = charts[others, k]
        hi, lo = others[int(np.argmax(col))], others[int(np.argmin(col))]
        for gap, word, other in ((v - charts[hi, k], "most", hi), (charts[lo, k] - v, "least", lo)):
            if gap >= MARGIN and (best is None or gap / std[k] > best[0]):
                best = (gap / std[k], f"flight.notice.{axis}.{word}", {"other": names[other]})
    if best is not None:
        return best[1], best[2]
    for k, axis in enumerate(AXES):
        v = charts[i, k]
        below = [j for j in others if charts[j, k] <= v - MARGIN]
        above = [j for j in others if charts[j, k] >= v + MARGIN]
        if below and above:
            lower = max(below, key=lambda j: charts[j, k])
            higher = min(above, key=lambda j: charts[j, k])
            gap = min(v - charts[lower, k], charts[higher, k] - v) / std[k]
            if best is None or gap > best[0]:
                best = (gap, f"flight.notice.{axis}.between", {"lower": names[lower], "higher": names[higher]})
    if best is not None:
        return best[1], best[2]
    nearest = min(others, key=lambda j: float((((charts[j] - charts[i]) / std) ** 2).sum()))
    return "flight.notice.nearest", {"other": names[nearest]}
