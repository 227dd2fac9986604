"""The recommender: content-based on Sakenowa flavor charts, tags, rankings and product specs.

Every request scores the whole catalog at once (numpy over the cached FlavorSpace), masks
out what it must not suggest, then picks a diverse few (maximal marginal relevance: no five
near-copies, no two from one brewery) and explains each one with the user's own data.

Modes: for_me · similar · like_but (drier/sweeter/lighter/richer/more_aromatic/calmer) ·
flavor (free words: "dry and light") · food · popular. Filters: prefecture, grade, a list of
brands to choose among (a restaurant's menu), exclusions; what the user logged is left out
unless asked.

Brands without a flavor chart are ranked from an estimate made of their tags and specs; they
come back with `certain=False`, their reason says so, and no chart is ever shown for them.

"for_me" for a user with neither survey nor ratings raises `NeedsPreferences` (SS-001),
which carries popular picks (`.fallback`) and the first survey question, so the caller can
offer the survey and still show something.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace

import numpy as np

from core.actions import SurveyStart
from core.catalog.model import BrandInfo, Catalog
from core.catalog.prefectures import resolve as resolve_prefecture
from core.constraints import hard_constraints, satisfy
from core.errors import Code, SenseiError
from core.flavor_space import AXES, DIRECTIONS, UNPLACED, FlavorSpace, axis_vector
from core.identity import Principal
from core.messages import Button, Card
from core.pairing import TAG_WEIGHT, FoodFamily, Pairing
from core.preferences import SURVEY, Preferences, Question
from core.profile import TasteProfiles, TasteVector
from core.recommend_reasons import explain, no_data, rank_note, unlike_note
from core.request import RecRequest, describe_request
from core.styles import StyleIndex
from core.tasting import TastingLog
from core.tasting_input import normalize_grade
from core.texts import t

__all__ = ["MODES", "NeedsPreferences", "RecRequest", "Recommendation", "Recommender", "as_cards", "describe_request"]

log = logging.getLogger(__name__)

MODES = ("for_me", "similar", "like_but", "flavor", "food", "popular")
MAX_LIMIT = 20
POOL = 60  # candidates considered for diversity
UNCERTAIN_PENALTY = 0.6  # in squared standard deviations: an estimate must be clearly better to beat a chart
DIVERSITY = 0.35  # weight of "too close to one already picked" against relevance (both 0..1)
NEAR = 0.6  # two brands closer than this (std units, over six axes) count as near-copies
LIKE_BUT_STEP = 0.9  # how far "drier" moves the target (std units)
LIKE_BUT_MIN = 0.25  # a "drier" suggestion must be at least this much drier than the original
EASY_TO_FIND = 1.5  # popularity bonus for beginners and "cheaper?" (about the spread of a flavor match)
SUPPORT_WEIGHT = 0.6  # flavor and food requests: bonus for a brand in a ranking with many tags (FlavorSpace.support)
EXTREME_WEIGHT = 0.5  # ... and penalty per squared std unit beyond 1.5 on any axis (FlavorSpace.extremeness)
UNLIKE_WEIGHT = 1.5  # "not X": how hard X's neighbourhood is ranked down (about the spread of a flavor match)
UNLIKE_RADIUS = 1.2  # std units over six axes: brands this close to X count as "like X"
# against mean squared distance (std units); chosen with benchmarks/recommender_quality.py
POPULARITY_WEIGHT = {"classic": 1.5, "some": 1.0, "adventurous": 0.15}


@dataclass(frozen=True, slots=True)
class Recommendation:
    brand: BrandInfo
    score: float  # 0..1, higher is better within one answer
    reason: str  # in the user's language, tied to their own data where there is some
    certain: bool  # False: no flavor chart, ranked from tags and specs
    rank_note: str | None = None  # popular picks: "#3 on Sakenowa" (never a bare score)
    relaxed: tuple[str, ...] = ()  # the constraints given up because nothing met them all (see core.constraints)
    personal: bool = False  # ranked against this user's own taste: only then is the score a "% match"

    def card(self) -> Card:
        card = self.brand.card(score=self.score, reason=self.reason, certain=self.certain)
        card.personal = self.personal
        if self.brand.rank is not None:
            card.extra["rank"] = self.brand.rank
        elif self.brand.area_rank is not None:
            card.extra["area_rank"] = self.brand.area_rank
        return card


class NeedsPreferences(SenseiError):
    """SS-001 for "for_me" without survey or history; carries popular picks and the survey's first question."""

    def __init__(self, fallback: list[Recommendation], question: Question, detail: str | None = None) -> None:
        super().__init__(Code.PREFERENCES_NOT_FOUND, detail)
        self.fallback = fallback
        self.question = question

    def actions(self, lang: str) -> list[Button]:
        start = Button(SurveyStart(), t("button.survey_take", lang), "primary")
        return [start, *self.question.actions(lang)]


class Recommender:
    def __init__(
        self,
        catalog: Catalog,
        tasting: TastingLog,
        preferences: Preferences,
        profiles: TasteProfiles,
        pairing: Pairing | None = None,
        space: FlavorSpace | None = None,
    ) -> None:
        self.catalog = catalog
        self.tasting = tasting
        self.preferences = preferences
        self.profiles = profiles
        self.pairing = pairing or Pairing(catalog)
        self.space = space or FlavorSpace.of(catalog)

    async def recommend(self, principal: Principal, req: RecRequest, lang: str = "en") -> list[Recommendation]:
        """Recommendations for one request; SenseiError with a code when it cannot (see module doc)."""
        if req.mode not in MODES:
            raise SenseiError(Code.RECOMMENDATION_FAILED, f"Unknown mode {req.mode!r}; use one of {', '.join(MODES)}.")
        if req.liked is not None:
            req = await self._liked(principal, req, lang)
        needs_profile = req.mode in ("for_me", "food", "flavor", "similar", "like_but")
        vector, logged = await asyncio.gather(  # independent reads: let them overlap
            self.profiles.vector(principal) if needs_profile else _none(),
            _empty() if req.include_logged else self.tasting.logged_brand_ids(principal),
        )
        if req.mode == "for_me" and vector is None and not req.anchors:
            fallback = self.rank(RecRequest(mode="popular", prefecture=req.prefecture, grade=req.grade, among=req.among,
                                            exclude=req.exclude, limit=req.limit), None, logged, lang)
            raise NeedsPreferences(fallback, await self.preferences.next_question(principal) or SURVEY[0])
        try:
            return self.rank(req, vector, logged, lang)
        except SenseiError:
            raise
        except Exception as e:  # a bug must not take the conversation down
            log.exception("recommendation failed", extra={"mode": req.mode})
            raise SenseiError(Code.RECOMMENDATION_FAILED) from e

    async def _liked(self, principal: Principal, req: RecRequest, lang: str) -> RecRequest:
        """"Like the ones I rated 5": the request with the user's own tastings rated that or more as its anchors."""
        assert req.liked is not None
        rated = await self.tasting.ratings(principal)
        sp = self.space
        ids = [r.brand_id for r in rated if r.brand_id is not None and r.rating >= req.liked]
        ids = [b for b in dict.fromkeys(ids) if (row := sp.row(b)) is not None and sp.placed[row]]
        if not ids:
            raise SenseiError(Code.RECOMMENDATION_FAILED, t("rec.no_liked", lang, stars=req.liked))
        return replace(req, anchors=ids[:50])

    # -- the pure, vectorised part -------------------------------------------------------------

    def rank(self, req: RecRequest, vector: TasteVector | None, logged: set[int], lang: str = "en") -> list[Recommendation]:
        """Score every brand for the request, mask, diversify, explain. No I/O: benchmarks call it directly."""
        sp = self.space
        limit = max(1, min(MAX_LIMIT, int(req.limit)))
        filt = theme_mask(self.space, self.catalog, req)  # None when nothing but exclusions applies: the common, fast case
        blocked = set(req.exclude) | logged | set(req.anchors) | set(req.unlike)
        refused = [b for b in (self.catalog.get(x) for x in req.unlike) if b is not None]
        for b in refused:  # "not dassai": another brewery's 獺祭 is not an answer either
            blocked |= {int(sp.ids[r]) for r in sp.same_name_rows(b.name)}
        anchor: BrandInfo | None = None
        family: FoodFamily | None = None
        target: np.ndarray | None = None
        axes_w = np.ones(6)
        if req.mode in ("similar", "like_but"):
            anchor = self._brand(req.brand_id)
            row = sp.row(anchor.id)
            if row is None or not sp.placed[row]:
                raise SenseiError(Code.RECOMMENDATION_FAILED, no_data(anchor, lang))
            # the same name from another brewery is a different sake, but not a useful suggestion
            blocked |= {int(sp.ids[r]) for r in sp.same_name_rows(anchor.name)} | {anchor.id}

        # dense: one float per brand from one pass over the design matrix; tag terms are added in
        # a second stage to the few brands that can still reach the top (see _top).
        tag_terms: list[tuple[tuple[str, ...], float, float]] = []  # (tags, weight, cap)
        if req.mode == "popular":
            # on a menu every listed sake is ranked (unranked ones last); elsewhere only ranked ones
            dense = sp.popularity.copy() if req.among is not None else np.where(sp.popularity > 0, sp.popularity, -np.inf)
        elif req.mode == "food":
            family = self.pairing.profile_for(req.food or "")
            if family is None:
                known = ", ".join(f.name(lang) for f in self.pairing.families[:6])
                raise SenseiError(Code.RECOMMENDATION_FAILED, t("dish.unknown", lang, food=req.food, known=known))
            d = family.direction
            dense = sp.linear(along=d / (float(np.linalg.norm(d)) or 1.0), uncertain=UNCERTAIN_PENALTY * 0.5)
            tag_terms.append((self.pairing.tags_for(family), TAG_WEIGHT, 3.0))
            if vector is not None:  # among good pairings, lean towards the user's taste
                dense += 0.35 * np.exp(-sp.sq_distance(vector.z) / 12)
        else:
            target, axes_w = self._target(req, vector, anchor)
            pop = 0.15
            if req.mode == "for_me" and vector is not None:
                pop = POPULARITY_WEIGHT[vector.survey.adventurousness if vector.survey else "some"]
                if vector.tags:
                    tag_terms.append((vector.tags, 0.08, 3.0))
            dense = sp.linear(target=target, weights=axes_w, uncertain=UNCERTAIN_PENALTY, popularity=pop)
            if req.mode == "like_but" and anchor is not None and req.direction in DIRECTIONS:
                d = axis_vector(DIRECTIONS[req.direction].axes)
                d = d / np.linalg.norm(d)
                origin = sp.position[sp.row(anchor.id)]  # type: ignore[index]
                k = int(np.argmax(np.abs(d)))  # "drier" must at least be drier, whatever else changes
                moved = (np.einsum("ij,j->i", sp.position, d) - origin @ d >= LIKE_BUT_MIN) & (
                    np.sign(d[k]) * (sp.position[:, k] - origin[k]) >= LIKE_BUT_MIN / 2
                )
                filt = moved if filt is None else filt & moved
        if req.mode in ("flavor", "food") and req.among is None:
            # a general request is answered with sakes whose character is well known, not obscure extremes (#19 item 3)
            dense = dense + SUPPORT_WEIGHT * sp.support - EXTREME_WEIGHT * sp.extremeness
        for b in refused:  # ... and neither is its neighbourhood: rank down what tastes like it
            row = sp.row(b.id)
            if row is not None and sp.placed[row]:
                dense = dense - UNLIKE_WEIGHT * np.exp(-sp.sq_distance(sp.position[row]) / (2 * UNLIKE_RADIUS**2))
        if req.tags:
            tag_terms.append((tuple(req.tags), 0.3, 3.0))
        if req.beginner and req.mode == "popular" and req.among is None:
            # approachable and easy to find, not the rarest: known (ranked), widely made (many products), near the middle
            reach = StyleIndex.of(sp, sp.brands).reach
            dense = np.where(sp.popularity > 0, 0.6 * sp.popularity + reach - 0.08 * (sp.position**2).sum(axis=1), -np.inf)
        elif (req.beginner or req.easy_to_find) and req.mode != "popular":
            dense = dense + EASY_TO_FIND * sp.popularity  # ranked brands are the ones shops stock
        if req.temperature:
            temp = {"warm": ("燗酒", "熱燗"), "hot": ("熱燗",), "chilled": ("冷酒",), "room": ("常温",)}.get(req.temperature, ())
            tag_terms.append((temp, 0.3, 2.0))
        relaxed: tuple[str, ...] = ()
        constraints = hard_constraints(req, StyleIndex.of(sp, sp.brands), family.id if family else None)
        if constraints:
            base = np.ones(len(sp.brands), dtype=bool) if filt is None else filt.copy()
            base[sp.rows(blocked)] = False
            filt, dropped = satisfy(base, constraints)
            relaxed = tuple(c.words(lang) for c in dropped)
        top, scores = self._top(dense, filt, sp.rows(blocked), tag_terms, allow_unplaced=req.among is not None)
        picked = self._diverse(top, scores, limit)
        if req.mode == "popular":  # a ranking reads best in rank order
            picked.sort(key=lambda j: -scores[j])
        out = []
        for j in picked:
            i = int(top[j])
            brand = sp.brands[i]
            # "like X" is only as sure as X's own position: an estimated anchor makes every answer uncertain
            certain = bool(sp.certain[i]) and (anchor is None or anchor.chart is not None)
            if req.mode == "popular":
                display = float(sp.popularity[i])
            elif req.mode == "food":
                display = float(1 / (1 + np.exp(-scores[j])))
            elif not sp.placed[i]:
                display = 0.0
            else:
                assert target is not None
                d2 = float(((sp.position[i] - target) ** 2 * axes_w).sum() / max(float(axes_w.sum()), 1e-9))
                display = float(np.exp(-d2 / 2))
            reason = explain(sp, self.pairing, self.profiles, req, brand, i, vector, anchor, family, lang)
            if refused and (away := unlike_note(sp, refused[0], i, lang)):
                reason = f"{reason} {away}".strip()
            note = rank_note(brand, lang) if req.mode == "popular" else None
            personal = req.mode == "for_me" and vector is not None
            out.append(Recommendation(brand, float(np.clip(display, 0.0, 1.0)), reason, certain, note, relaxed, personal))
        return out

    def _top(
        self, dense: np.ndarray, filt: np.ndarray | None, blocked: np.ndarray,
        tag_terms: list[tuple[tuple[str, ...], float, float]], *, allow_unplaced: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best POOL brands (row numbers, best first) and their full scores. `dense` is modified.

        Exact: a brand whose dense score plus the largest possible tag bonus cannot reach the
        POOL-th best dense score cannot be in the pool, so tags are only scored for the rest.
        """
        sp = self.space
        if filt is not None:
            dense[~filt] = -np.inf
        if len(blocked):
            dense[blocked] = -np.inf
        floor = -np.inf if allow_unplaced else -UNPLACED / 2  # brands with no position only for menus
        k = min(POOL, len(dense))
        part = np.argpartition(dense, len(dense) - k)[len(dense) - k :]
        kth = float(dense[part].min())
        if tag_terms:
            reach = sum(weight * cap for _, weight, cap in tag_terms)
            rows = np.flatnonzero(dense >= kth - reach) if kth > floor else np.flatnonzero(dense > floor)
            vals = dense[rows]
            wide = len(rows) * 8 > len(dense)  # many contenders: the inverted index over all brands is cheaper
            for tags, weight, cap in tag_terms:
                bonus = sp.tag_scores(tags)[rows] if wide else sp.tag_scores_for(rows, tags)
                vals = vals + weight * np.minimum(bonus, cap)
            if len(rows) > k:
                best = np.argpartition(-vals, k - 1)[:k]
                rows, vals = rows[best], vals[best]
        else:
            rows, vals = part, dense[part]
        keep = vals > floor
        rows, vals = rows[keep], vals[keep]
        order = np.argsort(-vals, kind="stable")
        return rows[order], vals[order]

    def _brand(self, brand_id: int | None) -> BrandInfo:
        brand = self.catalog.get(brand_id) if brand_id is not None else None
        if brand is None:
            raise SenseiError(Code.UNKNOWN_SAKE, f"No sake with id {brand_id}." if brand_id is not None else "Which sake?")
        return brand

    def _target(self, req: RecRequest, vector: TasteVector | None, anchor: BrandInfo | None) -> tuple[np.ndarray, np.ndarray]:
        """Where on the axes to look, and how much each axis counts."""
        sp = self.space
        weights = np.ones(6)
        mine = self._anchor_point(req)  # "like the ones I rated 5"
        if req.mode == "for_me":
            if mine is not None:
                return mine, weights
            assert vector is not None
            return vector.z, weights
        if req.mode in ("similar", "like_but"):
            assert anchor is not None
            base = sp.position[sp.row(anchor.id)].copy()  # type: ignore[index]
            if req.mode == "like_but":
                if req.direction not in DIRECTIONS:
                    raise SenseiError(
                        Code.RECOMMENDATION_FAILED, f"Unknown direction {req.direction!r}; use one of {', '.join(DIRECTIONS)}."
                    )
                d = axis_vector(DIRECTIONS[req.direction].axes)
                base = base + LIKE_BUT_STEP * d / np.linalg.norm(d)
            return base, weights
        if req.mode == "flavor":
            want = {a: float(v) for a, v in req.want.items() if a in AXES and v}
            if not want and not req.tags and not req.styles and not req.avoid:
                raise SenseiError(Code.RECOMMENDATION_FAILED, "Tell me what flavor you want (dry, sweet, light, rich, aromatic, calm).")
            base = mine if mine is not None else vector.z.copy() if vector is not None else np.zeros(6)
            weights = np.full(6, 0.25 if vector is not None or mine is not None else 0.0)
            for a, v in want.items():
                i = AXES.index(a)
                base[i] = np.sign(v) * 1.0
                weights[i] = 1.0
            if not want:
                weights = np.full(6, 0.25)
            return base, weights
        raise AssertionError(req.mode)

    def _anchor_point(self, req: RecRequest) -> np.ndarray | None:
        """The mean flavor position of the request's anchors (the user's best-rated tastings), None without any."""
        rows = [r for r in (self.space.row(b) for b in req.anchors) if r is not None and self.space.placed[r]]
        return self.space.position[rows].mean(axis=0) if rows else None

    def _diverse(self, top: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
        """Maximal marginal relevance over the pool: no near-copies, no brewery twice. Returns pool positions."""
        if len(top) == 0:
            return []
        sp = self.space
        spread = float(scores.max() - scores.min()) or 1.0
        rel = (scores - scores.min()) / spread
        pos = sp.position[top]
        brewery = sp.brewery[top]
        chosen: list[int] = []
        max_sim = np.zeros(len(top))
        for _ in range(min(limit, len(top))):
            value = rel - DIVERSITY * max_sim
            if chosen:
                value[chosen] = -np.inf
            j = int(np.argmax(value))
            chosen.append(j)
            sim = np.exp(-((pos - pos[j]) ** 2).sum(axis=1) / (2 * NEAR**2))
            sim = np.where(brewery == brewery[j], 1.0, sim)
            max_sim = np.maximum(max_sim, sim)
        return chosen

    # -- reasons ------------------------------------------------------------------------------

def theme_mask(space: FlavorSpace, catalog: Catalog, req: RecRequest) -> np.ndarray | None:
    """Menu, prefecture and grade as one boolean mask; None when there are none. Flights read a
    theme the same way (core.flights.group)."""
    mask: np.ndarray | None = None
    if req.among is not None:
        menu = [b for b in req.among if catalog.get(b) is not None]
        if not menu:
            raise SenseiError(Code.UNKNOWN_SAKE, "None of those sakes is in the catalog.")
        mask = np.zeros(len(space.brands), dtype=bool)
        mask[space.rows(menu)] = True
    if req.prefecture:
        area = resolve_prefecture(req.prefecture, catalog.prefectures)
        if area is None:
            raise SenseiError(Code.RECOMMENDATION_FAILED, f"{req.prefecture!r} is not a prefecture I know.")
        mask = (space.prefecture == area) if mask is None else mask & (space.prefecture == area)
    if req.grade:
        graded = space.grade_mask(normalize_grade(req.grade) or "")
        mask = graded if mask is None else mask & graded
    return mask


async def _none() -> None:
    return None


async def _empty() -> set[int]:
    return set()


def as_cards(recs: list[Recommendation]) -> list[Card]:
    return [r.card() for r in recs]
