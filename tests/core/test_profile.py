from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from core.catalog import Catalog
from core.db import Database
from core.preferences import Preferences, Survey
from core.profile import TasteProfiles
from core.tasting import TastingLog
from core.tasting_input import TastingInput
from core.tasting_records import Rated
from tests.fakes.clock import FakeClock
from tests.fakes.users import principal

JUYONDAI, ARAMASA, KOSHINO_KANBAI, HAKKAISAN, KUBOTA, DASSAI = 144, 109, 384, 380, 431, 887
F5 = 4  # index of the dry axis


@pytest.fixture
def services(db: Database, catalog: Catalog) -> tuple[TastingLog, Preferences, TasteProfiles]:
    clock = FakeClock()
    log = TastingLog(db, catalog, clock)
    prefs = Preferences(db, clock)
    return log, prefs, TasteProfiles(db, catalog, log, prefs)


def _uncharted_with_tags(catalog: Catalog) -> int:
    return next(b.id for b in catalog.brands.values() if b.chart is None and len(b.tags) >= 3)


async def test_no_data_no_profile(db: Database, services) -> None:  # type: ignore[no-untyped-def]
    log, prefs, profiles = services
    me = await principal(db)
    assert await profiles.vector(me) is None
    assert await profiles.chart_png(me) is None
    assert "survey" in await profiles.summary(me, "en")
    assert "アンケート" in await profiles.summary(me, "ja")
    # ratings without a rating value or of unknown free-text sakes teach nothing
    await log.add(me, TastingInput(brand_id=DASSAI))
    await log.add(me, TastingInput(free_text_name="somebody's homebrew", rating=5))
    assert await profiles.vector(me) is None


async def test_survey_alone_gives_a_profile(db: Database, services) -> None:  # type: ignore[no-untyped-def]
    _, prefs, profiles = services
    me = await principal(db)
    await prefs.answer(me, "sweetness", "dry")
    await prefs.answer(me, "body", "light")
    v = await profiles.vector(me)
    assert v is not None and v.ratings_used == 0
    assert v.z[F5] > 0.3 and v.z[5] > 0.3 and v.z[2] < 0  # dry, light, not rich
    assert "dry" in profiles.words(v, "en") and "light" in profiles.words(v, "en")


def test_ratings_are_weighted_by_distance_from_the_users_own_mean(catalog: Catalog) -> None:
    profiles = TasteProfiles(None, catalog, None, None)  # type: ignore[arg-type]
    d = date(2026, 11, 1)
    generous = [Rated(1, JUYONDAI, 5.0, None, d), Rated(2, ARAMASA, 5.0, None, d), Rated(3, KOSHINO_KANBAI, 4.0, None, d)]
    v = profiles.learn(generous, None)
    assert v is not None
    by_name = {a.name: a.weight for a in v.anchors}
    assert by_name["越乃寒梅"] < 0 < by_name["十四代"]  # a 4 from someone who gives 5s is a mild no
    # the same 4 from a stingy rater is a yes
    stingy = [Rated(1, JUYONDAI, 2.0, None, d), Rated(2, ARAMASA, 2.0, None, d), Rated(3, KOSHINO_KANBAI, 4.0, None, d)]
    w = profiles.learn(stingy, None)
    assert w is not None and {a.name: a.weight for a in w.anchors}["越乃寒梅"] > 0
    # liking the dry classic and disliking the sweet, floral ones moves the profile towards dry
    assert w.z[F5] > 0 > v.z[F5]


def test_a_single_rating_already_counts(catalog: Catalog) -> None:
    profiles = TasteProfiles(None, catalog, None, None)  # type: ignore[arg-type]
    v = profiles.learn([Rated(1, KOSHINO_KANBAI, 4.5, None, date(2026, 11, 1))], None)
    assert v is not None and v.anchors[0].weight > 0 and v.z[F5] > 0


def test_own_impression_beats_the_catalog_chart(catalog: Catalog) -> None:
    profiles = TasteProfiles(None, catalog, None, None)  # type: ignore[arg-type]
    d = date(2026, 11, 1)
    plain = profiles.learn([Rated(1, DASSAI, 5.0, None, d)], None)
    mine = profiles.learn([Rated(1, DASSAI, 5.0, {"f5": 0.9}, d)], None)
    assert plain is not None and mine is not None
    assert mine.z[F5] > plain.z[F5] + 1
    free = profiles.learn([Rated(2, None, 5.0, {a: 0.5 for a in ("f1", "f2", "f3", "f4", "f5", "f6")}, d, "Brooklyn Kura")], None)
    assert free is not None and free.anchors[0].name == "Brooklyn Kura"


def test_uncharted_brand_teaches_less(catalog: Catalog) -> None:
    profiles = TasteProfiles(None, catalog, None, None)  # type: ignore[arg-type]
    d = date(2026, 11, 1)
    uncharted = _uncharted_with_tags(catalog)
    v = profiles.learn([Rated(1, uncharted, 5.0, None, d), Rated(2, DASSAI, 5.0, None, d)], None)
    assert v is not None
    weights = {a.brand.id: a.weight for a in v.anchors if a.brand}
    assert 0 < weights[uncharted] < weights[DASSAI]


def test_survey_is_outweighed_by_history(catalog: Catalog) -> None:
    profiles = TasteProfiles(None, catalog, None, None)  # type: ignore[arg-type]
    sweet = Survey({"sweetness": "sweet"}, FakeClock()())
    d = date(2026, 11, 1)
    dry_likes = [Rated(i, b, 5.0, None, d) for i, b in enumerate((KOSHINO_KANBAI, HAKKAISAN, KUBOTA))]
    dry_likes += [Rated(9, JUYONDAI, 1.0, None, d), Rated(10, ARAMASA, 1.0, None, d)]
    only_survey = profiles.learn([], sweet)
    both = profiles.learn(dry_likes, sweet)
    assert only_survey is not None and only_survey.z[F5] < 0
    assert both is not None and both.z[F5] > 0


async def test_summary_and_chart(db: Database, services, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    log, _, profiles = services
    me = await principal(db)
    for bid, r in ((KOSHINO_KANBAI, 4.5), (HAKKAISAN, 4.5), (KUBOTA, 4), (JUYONDAI, 2), (ARAMASA, 2)):
        await log.add(me, TastingInput(brand_id=bid, rating=r))
    en = await profiles.summary(me, "en")
    ja = await profiles.summary(me, "ja")
    assert "Niigata" in en and "dry" in en and "5 ratings" in en
    assert "新潟県" in ja and "辛口" in ja
    png = await profiles.chart_png(me, lang="ja")
    assert png is not None and png.startswith(b"\x89PNG")
    over = await profiles.chart_png(me, overlay_brand_id=DASSAI)
    assert over is not None and over != png
    # a brand without a flavor chart is never drawn: the picture is the profile alone
    alone = await profiles.chart_png(me, lang="en")
    assert await profiles.chart_png(me, overlay_brand_id=_uncharted_with_tags(catalog), lang="en") == alone
    v = await profiles.vector(me)
    assert v is not None and all(0 <= x <= 1 for x in v.chart(profiles.space)) and not np.isnan(v.z).any()
