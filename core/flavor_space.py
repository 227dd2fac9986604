"""The catalog as matrices, built once per catalog: what makes per-request recommendation vectorised.

Every brand gets a row of six flavor values. Brands with a Sakenowa chart use it (certain).
Brands without one (57%) get a position *estimated* from their flavor tags and product specs
by a ridge regression fitted on the charted brands; it is used only to rank them, flagged
uncertain, and never shown or returned as a chart. Brands with neither tags nor specs have
no position at all and are left out of taste-based modes.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np

from core.catalog.model import FLAVOR_AXES, BrandInfo, Catalog

AXES = tuple(a for a, _, _ in FLAVOR_AXES)
RIDGE = 3.0  # regularisation of the tags -> flavor estimate (chosen by held-out R², see benchmarks)
_GINJO = ("大吟醸", "吟醸")  # grades whose names predict aroma
UNPLACED = 1e9  # score offset for brands with no position: never picked while anything else is left


@dataclass(frozen=True, slots=True)
class Direction:
    """A named move on the flavor axes ("drier"), in catalog standard deviations."""

    id: str
    axes: dict[str, float]
    en: str
    ja: str


# like_but directions; the axis weights follow the axis correlations in the catalog
# (light goes with floral and against rich; dry goes against mellow).
DIRECTIONS: dict[str, Direction] = {
    "drier": Direction("drier", {"f5": 1.0, "f2": -0.3}, "drier", "よりドライ"),
    "sweeter": Direction("sweeter", {"f5": -1.0, "f2": 0.3}, "sweeter", "より甘口"),
    "lighter": Direction("lighter", {"f6": 1.0, "f3": -0.8}, "lighter", "より軽快"),
    "richer": Direction("richer", {"f3": 1.0, "f2": 0.6, "f6": -0.8}, "richer", "より濃厚"),
    "more_aromatic": Direction("more_aromatic", {"f1": 1.0, "f4": -0.5}, "more aromatic", "より華やか"),
    "calmer": Direction("calmer", {"f4": 1.0, "f1": -0.6}, "calmer", "より穏やか"),
}


def axis_vector(axes: dict[str, float]) -> np.ndarray:
    return np.array([float(axes.get(a, 0.0)) for a in AXES], dtype=np.float64)


class FlavorSpace:
    """Read-only matrices over one catalog. Build with `FlavorSpace.of(catalog)` (cached)."""

    _cache: "weakref.WeakKeyDictionary[Catalog, FlavorSpace]" = weakref.WeakKeyDictionary()
    _lock = threading.Lock()

    def __init__(self, brands: list[BrandInfo], tag_names: list[str] | None = None) -> None:
        self.brands = brands
        n = len(brands)
        self.ids = np.array([b.id for b in brands], dtype=np.int64)
        self.index: dict[int, int] = {b.id: i for i, b in enumerate(brands)}
        charts = np.full((n, 6), np.nan)
        for i, b in enumerate(brands):
            if b.chart is not None:
                charts[i] = b.chart
        self.charted = ~np.isnan(charts[:, 0])
        if self.charted.sum() < 10:
            raise ValueError("a flavor space needs at least ten charted brands")
        self.mean = charts[self.charted].mean(axis=0)
        self.std = charts[self.charted].std(axis=0) + 1e-6
        # tags
        names = tag_names or sorted({t for b in brands for t in b.tags})
        self.tag_ids: dict[str, int] = {t: i for i, t in enumerate(names)}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for i, b in enumerate(brands):
            for pos, t in enumerate(b.tags):
                if (j := self.tag_ids.get(t)) is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append(1.0 / (1.0 + pos / 6.0))  # Sakenowa lists tags by relevance
        self._tag_rows = np.array(rows, dtype=np.int64)
        self._tag_cols = np.array(cols, dtype=np.int64)
        self._tag_vals = np.array(vals, dtype=np.float64)
        self._brand_start = np.searchsorted(self._tag_rows, np.arange(n + 1))  # entries are in brand order
        order = np.argsort(self._tag_cols, kind="stable")
        self._by_tag_rows, self._by_tag_vals = self._tag_rows[order], self._tag_vals[order]
        self._tag_start = np.searchsorted(self._tag_cols[order], np.arange(len(self.tag_ids) + 1))
        self.has_tags = np.bincount(self._tag_rows, minlength=n) > 0 if rows else np.zeros(n, dtype=bool)
        # specs: mean SMV (日本酒度, + = drier), acidity, share of ginjo-class products
        spec = np.zeros((n, 3))
        has_spec = np.zeros(n, dtype=bool)
        for i, b in enumerate(brands):
            smv = [p.smv for p in b.products if p.smv is not None]
            acid = [p.acidity for p in b.products if p.acidity is not None]
            if smv or acid:
                has_spec[i] = True
                spec[i, 0] = (np.mean(smv) - 3.0) / 4.0 if smv else 0.0
                spec[i, 1] = (np.mean(acid) - 1.4) / 0.3 if acid else 0.0
                grades = [p.grade or "" for p in b.products]
                spec[i, 2] = sum(any(g.endswith(x) for x in _GINJO) for g in grades) / max(1, len(grades))
        self.has_spec = has_spec
        self.chart_z = np.where(self.charted[:, None], (np.nan_to_num(charts) - self.mean) / self.std, 0.0)
        self.position = self._estimate(spec)  # standardised flavor position of every brand (N x 6)
        self.certain = self.charted.copy()
        self.uncertain = (~self.charted).astype(np.float64)
        self._sq = self.position**2
        self.placed = self.charted | self.has_tags | self.has_spec  # has a position at all
        # popularity prior from Sakenowa rankings, in [0, 1]
        pop = np.zeros(n)
        for i, b in enumerate(brands):
            if b.rank is not None:
                pop[i] = 0.6 + 0.4 * (101 - b.rank) / 100
            elif b.area_rank is not None:
                pop[i] = 0.45 / (1 + (b.area_rank - 1) / 4)
            if b.chart is not None:
                pop[i] += 0.05  # enough Sakenowa check-ins to draw a chart
        self.popularity = pop
        # how well a brand's character is known (in a ranking, many tags: 0..1), and how far out it sits
        # (squared std units beyond 1.5 on each axis): general requests prefer the first and avoid the second
        n_tags = np.bincount(self._tag_rows, minlength=n) if rows else np.zeros(n)
        ranked = np.array([b.rank is not None or b.area_rank is not None for b in brands], dtype=np.float64)
        self.support = 0.5 * ranked + 0.5 * np.minimum(n_tags, 10) / 10
        self.extremeness = np.where(self.charted, (np.maximum(np.abs(self.chart_z) - 1.5, 0.0) ** 2).sum(axis=1), 0.0)
        # Design matrices, so that a request's whole score is one matrix-vector product (float32:
        # half the memory traffic; einsum, not BLAS: a threaded gemv is slower than one core when
        # the CPU is shared). Unweighted distances need |x|² only; weighted ones need x² per axis.
        #   design_u: [position (6) | |position|² | uncertain | popularity | unplaced]
        #   design_w: [position (6) | position² (6) | uncertain | popularity | unplaced]
        tail = [self.uncertain, pop, (~self.placed).astype(np.float64)]
        self.design_u = np.ascontiguousarray(np.column_stack([self.position, self._sq.sum(axis=1), *tail]), dtype=np.float32)
        self.design_w = np.ascontiguousarray(np.column_stack([self.position, self._sq, *tail]), dtype=np.float32)
        self.prefecture = np.array([b.prefecture_id for b in brands], dtype=np.int64)
        self.brewery = np.array([b.brewery_id for b in brands], dtype=np.int64)
        self._by_name: dict[str, list[int]] = {}
        for i, b in enumerate(brands):
            self._by_name.setdefault(b.name, []).append(i)
        self._grade_masks: dict[str, np.ndarray] = {}
        for i, b in enumerate(brands):
            for g in b.grades:
                self._grade_masks.setdefault(g, np.zeros(n, dtype=bool))[i] = True

    # -- building --------------------------------------------------------------------------

    def _tag_matrix_dot(self, w: np.ndarray) -> np.ndarray:
        """(N x T sparse tags) @ w (T x k) without materialising the dense matrix."""
        n = len(self.brands)
        out = np.zeros((n, w.shape[1]))
        if len(self._tag_rows):
            for k in range(w.shape[1]):
                out[:, k] = np.bincount(self._tag_rows, weights=self._tag_vals * w[self._tag_cols, k], minlength=n)
        return out

    def _features(self, spec: np.ndarray, idx: np.ndarray) -> np.ndarray:
        t = len(self.tag_ids)
        x = np.zeros((len(idx), t + 3))
        pos = {int(i): k for k, i in enumerate(idx)}
        sel = np.isin(self._tag_rows, idx)
        for r, c, v in zip(self._tag_rows[sel], self._tag_cols[sel], self._tag_vals[sel]):
            x[pos[int(r)], c] = v
        x[:, t:] = spec[idx]
        return x

    def _estimate(self, spec: np.ndarray) -> np.ndarray:
        """Charted brands keep their chart; others get ridge(tags + specs) -> standardised chart."""
        charted_idx = np.flatnonzero(self.charted)
        x = self._features(spec, charted_idx)
        y = self.chart_z[charted_idx]
        a = x.T @ x + RIDGE * np.eye(x.shape[1])
        self._ridge = np.linalg.solve(a, x.T @ y)  # (T+3) x 6
        t = len(self.tag_ids)
        est = self._tag_matrix_dot(self._ridge[:t]) + spec @ self._ridge[t:]
        return np.where(self.charted[:, None], self.chart_z, est)

    @classmethod
    def of(cls, catalog: Catalog) -> "FlavorSpace":
        with cls._lock:
            space = cls._cache.get(catalog)
            if space is None:
                space = cls(sorted(catalog.brands.values(), key=lambda b: b.id), sorted(set(catalog.tags.values())))
                cls._cache[catalog] = space
        return space

    # -- queries ---------------------------------------------------------------------------

    def z(self, chart: tuple[float, ...] | list[float] | np.ndarray) -> np.ndarray:
        return (np.asarray(chart, dtype=np.float64) - self.mean) / self.std

    def unz(self, z: np.ndarray) -> np.ndarray:
        return np.clip(np.asarray(z) * self.std + self.mean, 0.0, 1.0)

    def row(self, brand_id: int) -> int | None:
        return self.index.get(brand_id)

    def tag_scores(self, tags: list[str] | tuple[str, ...]) -> np.ndarray:
        """Per brand, how strongly it carries any of these tags (0..~1.5)."""
        w = np.zeros(len(self.tag_ids))
        for t in tags:
            if (j := self.tag_ids.get(t)) is not None:
                w[j] = 1.0
        if not w.any() or not len(self._tag_rows):
            return np.zeros(len(self.brands))
        # only the entries of the wanted tags (an inverted index): cheap even on a huge catalog
        parts = [slice(self._tag_start[j], self._tag_start[j + 1]) for j in np.flatnonzero(w)]
        rows = np.concatenate([self._by_tag_rows[p] for p in parts])
        vals = np.concatenate([self._by_tag_vals[p] for p in parts])
        return np.bincount(rows, weights=vals, minlength=len(self.brands))

    def sq_distance(self, target: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Σ_k w_k (x_k - t_k)² for every brand (float32 precision), as Σ w x² - 2 Σ w t x + Σ w t²."""
        return self.linear(target=target, weights=weights, unplaced=0.0) * -self._scale(weights)

    @staticmethod
    def _scale(weights: np.ndarray | None) -> float:
        return 6.0 if weights is None else max(float(np.sum(weights)), 1e-9)

    def linear(
        self, *, along: np.ndarray | None = None, target: np.ndarray | None = None, weights: np.ndarray | None = None,
        uncertain: float = 0.0, popularity: float = 0.0, unplaced: float = UNPLACED,
    ) -> np.ndarray:
        """One pass over a design matrix:
        along·x - Σw(x-t)²/Σw - uncertain·[no chart] + popularity·pop - unplaced·[no position]."""
        unweighted = weights is None or bool(np.all(np.asarray(weights) == 1.0))
        design = self.design_u if unweighted else self.design_w
        coef = np.zeros(design.shape[1])
        const = 0.0
        if along is not None:
            coef[:6] += along
        if target is not None:
            t = np.asarray(target, dtype=np.float64)
            w = np.ones(6) if weights is None else np.asarray(weights, dtype=np.float64)
            scale = self._scale(weights)
            coef[:6] += 2 * w * t / scale
            if unweighted:
                coef[6] = -1.0 / scale
            else:
                coef[6:12] = -w / scale
            const -= float((w * t * t).sum()) / scale
        coef[-3] = -uncertain
        coef[-2] = popularity
        coef[-1] = -unplaced
        out = np.einsum("ij,j->i", design, coef.astype(np.float32))
        out += np.float32(const)
        return out

    def tag_scores_for(self, rows: np.ndarray, tags: "list[str] | tuple[str, ...]") -> np.ndarray:
        """tag_scores restricted to some rows: for the few candidates left after a first cut."""
        w = np.zeros(len(self.tag_ids))
        for t in tags:
            if (j := self.tag_ids.get(t)) is not None:
                w[j] = 1.0
        if not w.any() or len(rows) == 0:
            return np.zeros(len(rows))
        starts, ends = self._brand_start[rows], self._brand_start[rows + 1]
        lens = ends - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(len(rows))
        owner = np.repeat(np.arange(len(rows)), lens)
        entry = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens) + np.repeat(starts, lens)
        return np.bincount(owner, weights=w[self._tag_cols[entry]] * self._tag_vals[entry], minlength=len(rows))

    def rows(self, brand_ids: "list[int] | set[int]") -> np.ndarray:
        """Row numbers of the given brand ids (unknown ids skipped)."""
        return np.fromiter((r for b in brand_ids if (r := self.index.get(b)) is not None), dtype=np.int64)

    def same_name_rows(self, name: str) -> list[int]:
        return self._by_name.get(name, [])

    def grade_mask(self, grade: str) -> np.ndarray:
        return self._grade_masks.get(grade, np.zeros(len(self.brands), dtype=bool))
