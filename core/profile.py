"""A user's taste profile: a point on the six flavor axes, learned from ratings and the survey.

Ratings count by how far each is from the user's own average (a 4 from someone who gives
everything 4.5 is a mild "no"). The average is shrunk towards 3 so that a first rating
already says something. Liked sakes pull the profile towards them; disliked ones push it
away. Where the user wrote their own impression of the axes, it beats the catalog chart.
The survey counts as about one and a half strong ratings, so history soon dominates it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import numpy as np

from core.catalog.model import BrandInfo, Catalog
from core.catalog.prefectures import display_name
from core.charts import flavor_chart_png
from core.flavor_space import AXES, FlavorSpace, axis_vector
from core.identity import Principal
from core.preferences import Preferences, Survey
from core.tasting import TastingLog
from core.tasting_records import Rated
from core.texts import t

PRIOR_MEAN = 3.0  # a rating of 3 says "fine", neither liked nor disliked
PRIOR_WEIGHT = 1.0  # how many pseudo-ratings of PRIOR_MEAN shrink the user's own average
SURVEY_WEIGHT = 1.5  # the survey counts like this much rating weight
SURVEY_SCALE = 0.8  # one "dry" answer = 0.8 standard deviations towards dry
PUSH_AWAY = 0.5  # how far disliked sakes push the profile away from them
ESTIMATE_WEIGHT = 0.5  # a brand known only from tags teaches less than one with a chart
HISTORY_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Anchor:
    """A rated sake the profile learned from, with its weight (+ liked, - disliked)."""

    brand: BrandInfo | None
    name: str
    rating: float
    weight: float
    z: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class TasteVector:
    z: np.ndarray  # standardised position on the six axes (0 = the catalog average)
    confidence: float  # total weight behind it (rating weight + survey)
    ratings_used: int
    user_mean: float | None
    survey: Survey | None
    anchors: tuple[Anchor, ...]  # most telling first
    tags: tuple[str, ...]  # flavor tags the user seems to like (from liked sakes and the survey)

    def chart(self, space: FlavorSpace) -> tuple[float, ...]:
        """The profile drawn on the chart scale (0..1), for pictures and words, never as a brand's chart."""
        return tuple(float(round(v, 3)) for v in space.unz(self.z))

    @property
    def from_history(self) -> bool:
        return self.ratings_used > 0


class TasteProfiles:
    def __init__(self, db: object, catalog: Catalog, tasting: TastingLog, preferences: Preferences) -> None:
        self.db = db
        self.catalog = catalog
        self.tasting = tasting
        self.preferences = preferences
        self.space = FlavorSpace.of(catalog)

    async def vector(self, principal: Principal) -> TasteVector | None:
        """The user's taste, or None when neither ratings nor survey say anything about it."""
        rated, survey = await asyncio.gather(self.tasting.ratings(principal, limit=HISTORY_LIMIT), self.preferences.get(principal))
        return self.learn(rated, survey)

    def learn(self, rated: list[Rated], survey: Survey | None) -> TasteVector | None:
        """Pure: the profile from ratings and survey (the benchmarks call this directly)."""
        space = self.space
        points: list[tuple[Rated, BrandInfo | None, np.ndarray, float]] = []
        for r in rated:
            brand = self.catalog.get(r.brand_id) if r.brand_id is not None else None
            row = space.row(brand.id) if brand is not None else None
            trust = 1.0
            if row is not None and space.placed[row]:
                z = space.position[row].copy()
                if not space.certain[row]:
                    trust = ESTIMATE_WEIGHT
            elif r.impression:
                z = np.zeros(6)
            else:
                continue
            if r.impression:  # the user's own reading of the axes wins where given
                own = space.z([r.impression.get(a, np.nan) for a in AXES])
                z = np.where(np.isnan(own), z, own)
                trust = max(trust, 1.0 if len(r.impression) >= 3 else trust)
            points.append((r, brand, z, trust))
        n = len(points)
        user_mean = None
        anchors: list[Anchor] = []
        z_hist = np.zeros(6)
        weight_total = 0.0
        if n:
            ratings = np.array([p[0].rating for p in points])
            user_mean = float((ratings.sum() + PRIOR_WEIGHT * PRIOR_MEAN) / (n + PRIOR_WEIGHT))
            w = (ratings - user_mean) * np.array([p[3] for p in points])
            zs = np.stack([p[2] for p in points])
            pos, neg = w > 0, w < 0
            wp, wn = w[pos].sum(), -w[neg].sum()
            like = (w[pos, None] * zs[pos]).sum(0) / wp if wp > 0 else np.zeros(6)
            dislike = (-w[neg, None] * zs[neg]).sum(0) / wn if wn > 0 else np.zeros(6)
            if wp > 0 and wn > 0:
                z_hist = like + PUSH_AWAY * (like - dislike) * wn / (wp + wn)
            elif wp > 0:
                z_hist = like
            elif wn > 0:
                z_hist = -PUSH_AWAY * dislike
            weight_total = float(np.abs(w).sum())
            order = np.argsort(-np.abs(w))
            anchors = [
                Anchor(points[i][1], _name(points[i][0], points[i][1]), points[i][0].rating, float(w[i]), points[i][2])
                for i in order
                if w[i] != 0
            ]
        survey_z = np.zeros(6)
        survey_weight = 0.0
        if survey is not None and survey.axis_wants:
            survey_z = axis_vector(survey.axis_wants) * SURVEY_SCALE
            survey_weight = SURVEY_WEIGHT
        if weight_total == 0 and survey_weight == 0:
            return None
        z = (weight_total * z_hist + survey_weight * survey_z) / (weight_total + survey_weight)
        liked_tags: dict[str, float] = {}
        for a in anchors:
            if a.weight > 0 and a.brand is not None:
                for pos_i, t in enumerate(a.brand.tags[:8]):
                    liked_tags[t] = liked_tags.get(t, 0.0) + a.weight / (1 + pos_i / 4)
        tags = tuple(t for t, _ in sorted(liked_tags.items(), key=lambda kv: -kv[1])[:8])
        if survey is not None:
            tags = tuple(dict.fromkeys(tags + survey.tags))
        return TasteVector(z, weight_total + survey_weight, n, user_mean, survey, tuple(anchors), tags)

    # -- words and pictures ------------------------------------------------------------------

    def words(self, vector: TasteVector, lang: str, top: int = 2) -> list[str]:
        """The profile's strongest traits as words: ["aromatic", "light"]."""
        order = np.argsort(-np.abs(vector.z))
        out: list[str] = []
        meanings: set[str] = set()
        for i in order:
            v = float(vector.z[i])
            if abs(v) < 0.25:
                break
            key = (AXES[i], v > 0)
            meaning = _SAME.get(key, f"{key}")
            if meaning in meanings:  # "light" and "light-bodied" say one thing
                continue
            meanings.add(meaning)
            out.append(t(f"taste_trait.{AXES[i]}{'+' if v > 0 else '-'}", lang))
            if len(out) == top:
                break
        return out

    async def summary(self, principal: Principal, lang: str = "en") -> str:
        """"You like aromatic, light sakes; your favourite prefecture so far is 新潟県." (or Japanese)."""
        vector = await self.vector(principal)
        stats = await self.tasting.stats(principal)
        pref = display_name(stats.favourite_prefecture, self.catalog.prefectures, lang) if stats.favourite_prefecture else None
        if vector is None:
            return t("taste.unknown", lang) + (t("taste.unknown_pref", lang, pref=pref) if pref else "")
        words = self.words(vector, lang)
        n = vector.ratings_used
        survey = t("taste.and_survey", lang) if vector.survey else ""
        basis = t("taste.from_ratings" if n != 1 else "taste.from_rating", lang, n=n) + survey if n else t("taste.from_survey", lang)
        taste = t("taste.likes", lang, words=("・" if lang == "ja" else ", ").join(words)) if words else t("taste.balanced", lang)
        text = t("taste.sentence", lang, taste=taste, basis=basis)
        if pref:
            text += t("taste.pref", lang, pref=pref)
        best = next((a for a in vector.anchors if a.weight > 0 and a.brand is not None), None)
        if best:
            text += t("taste.top", lang, name=best.name, rating=best.rating)
        return text

    async def chart_png(self, principal: Principal, overlay_brand_id: int | None = None, lang: str = "en") -> bytes | None:
        """A radar of the user's profile; with a brand that has a chart, the brand drawn over it.

        None when there is no profile yet. A brand without a flavor chart is not drawn (never invented).
        """
        vector = await self.vector(principal)
        if vector is None:
            return None
        mine = vector.chart(self.space)
        you = t("profile.chart_title", lang)
        brand = self.catalog.get(overlay_brand_id) if overlay_brand_id is not None else None
        if brand is not None and brand.chart is not None:
            title = t("taste.vs", lang, brand=brand.name)
            return flavor_chart_png(brand.chart, overlay=mine, lang=lang, title=title, legend=(brand.name, you))
        return flavor_chart_png(mine, lang=lang, title=you)


def _name(r: Rated, brand: BrandInfo | None) -> str:
    if brand is not None:
        return brand.name
    return r.free_text_name or (f"#{r.brand_id}" if r.brand_id is not None else "?")


_SAME = {("f6", True): "light", ("f3", False): "light", ("f6", False): "full", ("f3", True): "full"}
