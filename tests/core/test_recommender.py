from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.catalog import Catalog
from core.db import Database
from core.errors import Code, SenseiError
from core.flavor_space import FlavorSpace
from core.identity import Principal
from core.pairing import Pairing
from core.preferences import Preferences
from core.profile import TasteProfiles
from core.recommender import NEAR, NeedsPreferences, RecRequest, Recommender
from core.tasting import TastingLog
from core.tasting_input import TastingInput
from tests.fakes.clock import FakeClock
from tests.fakes.users import principal

JUYONDAI, ARAMASA, KOSHINO_KANBAI, HAKKAISAN, KUBOTA, DASSAI, NABESHIMA = 144, 109, 384, 380, 431, 887, 975


@pytest.fixture
def rec(db: Database, catalog: Catalog) -> Recommender:
    clock = FakeClock()
    log = TastingLog(db, catalog, clock)
    prefs = Preferences(db, clock)
    return Recommender(catalog, log, prefs, TasteProfiles(db, catalog, log, prefs), Pairing(catalog))


async def _rated(rec: Recommender, db: Database, ratings: dict[int, float]) -> Principal:
    me = await principal(db)
    for bid, r in ratings.items():
        await rec.tasting.add(me, TastingInput(brand_id=bid, rating=r))
    return me


# -- bad input first ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("req", "code"),
    [
        (RecRequest(mode="telepathy"), Code.RECOMMENDATION_FAILED),
        (RecRequest(mode="similar", brand_id=99_999_999), Code.UNKNOWN_SAKE),
        (RecRequest(mode="similar"), Code.UNKNOWN_SAKE),
        (RecRequest(mode="like_but", brand_id=DASSAI, direction="weirder"), Code.RECOMMENDATION_FAILED),
        (RecRequest(mode="food", food="a bicycle"), Code.RECOMMENDATION_FAILED),
        (RecRequest(mode="food"), Code.RECOMMENDATION_FAILED),
        (RecRequest(mode="flavor"), Code.RECOMMENDATION_FAILED),
        (RecRequest(mode="popular", among=[99_999_998, 99_999_999]), Code.UNKNOWN_SAKE),
        (RecRequest(mode="popular", prefecture="Atlantis"), Code.RECOMMENDATION_FAILED),
    ],
)
async def test_bad_requests_answer_with_a_code(db: Database, rec: Recommender, req: RecRequest, code: Code) -> None:
    me = await principal(db)
    with pytest.raises(SenseiError) as e:
        await rec.recommend(me, req, "en")
    assert e.value.code is code
    assert e.value.message("en")


async def test_for_me_without_survey_or_history_is_ss001_with_popular_picks(db: Database, rec: Recommender) -> None:
    me = await principal(db)
    with pytest.raises(NeedsPreferences) as e:
        await rec.recommend(me, RecRequest(mode="for_me"), "ja")
    err = e.value
    assert err.code is Code.PREFERENCES_NOT_FOUND and err.as_dict("ja")["code"] == "SS-001"
    assert len(err.fallback) == 5
    for r in err.fallback:
        assert r.rank_note and (r.brand.rank is not None or r.brand.area_rank is not None)
        assert "位" in r.reason
        assert "rank" in r.card().as_dict() or "area_rank" in r.card().as_dict()
    ranks = [r.brand.rank for r in err.fallback]
    assert ranks == sorted(ranks)  # shown in rank order
    ids = [a.id for a in err.actions("ja")]
    assert ids[0] == "survey:start" and any(i.startswith("survey:sweetness:") for i in ids)


async def test_a_not_sure_survey_is_still_no_preferences(db: Database, rec: Recommender) -> None:
    me = await principal(db)
    for q in ("sweetness", "body", "aroma"):
        await rec.preferences.answer(me, q, "unsure")
    with pytest.raises(NeedsPreferences):
        await rec.recommend(me, RecRequest(), "en")


# -- modes ---------------------------------------------------------------------------------------


async def test_for_me_from_survey(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await principal(db)
    await rec.preferences.answer(me, "sweetness", "dry")
    await rec.preferences.answer(me, "body", "light")
    recs = await rec.recommend(me, RecRequest(limit=5), "en")
    assert len(recs) == 5
    space = FlavorSpace.of(catalog)
    z = np.array([space.position[space.row(r.brand.id)] for r in recs])
    assert z[:, 4].mean() > 0.3 and z[:, 5].mean() > 0  # dry and light
    assert all("survey" in r.reason for r in recs)


async def test_for_me_learns_from_ratings_and_explains_with_them(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await _rated(rec, db, {JUYONDAI: 4.5, ARAMASA: 4.5, NABESHIMA: 4, KOSHINO_KANBAI: 1.5, HAKKAISAN: 2})
    recs = await rec.recommend(me, RecRequest(limit=5), "en")
    assert len(recs) == 5
    logged = {JUYONDAI, ARAMASA, NABESHIMA, KOSHINO_KANBAI, HAKKAISAN}
    assert not logged & {r.brand.id for r in recs}  # logged sakes are left out
    assert all(r.reason.startswith("You rated ") for r in recs if r.certain)
    assert any(name in recs[0].reason for name in ("十四代", "新政", "鍋島"))
    space = FlavorSpace.of(catalog)
    f1 = np.mean([space.position[space.row(r.brand.id)][0] for r in recs])
    assert f1 > 0.3  # the floral side, like the liked ones
    again = await rec.recommend(me, RecRequest(limit=20, include_logged=True), "en")
    assert logged & {r.brand.id for r in again}
    ja = await rec.recommend(me, RecRequest(limit=3), "ja")
    assert all("評価" in r.reason or "チャート" in r.reason for r in ja)


async def test_results_are_diverse(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await principal(db)
    space = FlavorSpace.of(catalog)
    for req in (RecRequest(mode="similar", brand_id=DASSAI, limit=8), RecRequest(mode="flavor", want={"f5": 1}, limit=8)):
        recs = await rec.recommend(me, req, "en")
        breweries = [r.brand.brewery_id for r in recs]
        assert len(set(breweries)) == len(breweries)
        pos = [space.position[space.row(r.brand.id)] for r in recs]
        closest = min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(pos, 2))
        assert closest > NEAR / 3, closest


async def test_similar_and_like_but(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await _rated(rec, db, {DASSAI: 4})
    similar = await rec.recommend(me, RecRequest(mode="similar", brand_id=DASSAI, include_logged=True), "en")
    assert DASSAI not in {r.brand.id for r in similar}
    assert all("獺祭" in r.reason for r in similar)
    assert any("You rated 獺祭 4" in r.reason for r in similar)
    dassai = catalog.get(DASSAI)
    assert dassai is not None and dassai.chart is not None
    for direction, axis, sign in (("drier", 4, 1), ("sweeter", 4, -1), ("lighter", 5, 1), ("richer", 2, 1), ("more_aromatic", 0, 1)):
        recs = await rec.recommend(me, RecRequest(mode="like_but", brand_id=DASSAI, direction=direction, limit=5), "en")
        assert recs, direction
        for r in recs:
            if r.certain:
                assert r.brand.chart is not None
                assert sign * (r.brand.chart[axis] - dassai.chart[axis]) > 0, (direction, r.brand.name)
            assert "獺祭" in r.reason


async def test_flavor_words(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await principal(db)
    recs = await rec.recommend(me, RecRequest(mode="flavor", want={"f5": 1, "f6": 1}), "en")
    space = FlavorSpace.of(catalog)
    for r in recs:
        z = space.position[space.row(r.brand.id)]
        assert z[4] > 0 and z[5] > 0
    assert all("Drier and lighter" in r.reason for r in recs)
    tagged = await rec.recommend(me, RecRequest(mode="flavor", want={"f1": 1}, tags=["メロン"]), "en")
    assert sum("メロン" in r.brand.tags for r in tagged) >= 3


async def test_food(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await principal(db)
    space = FlavorSpace.of(catalog)
    tempura = await rec.recommend(me, RecRequest(mode="food", food="shrimp tempura"), "en")
    dessert = await rec.recommend(me, RecRequest(mode="food", food="チョコレートケーキ"), "ja")
    dry = lambda recs: np.mean([space.position[space.row(r.brand.id)][4] for r in recs])  # noqa: E731
    assert dry(tempura) > 0.5 > -0.5 > dry(dessert)
    assert all("oil" in r.reason for r in tempura)
    assert all("デザート" in r.reason for r in dessert)


async def test_filters(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await _rated(rec, db, {DASSAI: 4.5})
    niigata = await rec.recommend(me, RecRequest(prefecture="Niigata", limit=10), "en")
    assert niigata and all(r.brand.prefecture == "新潟県" for r in niigata)
    graded = await rec.recommend(me, RecRequest(grade="junmai daiginjo", limit=10), "en")
    assert graded and all("純米大吟醸" in r.brand.grades for r in graded)
    excluded = await rec.recommend(me, RecRequest(mode="popular", exclude=[ARAMASA], limit=5), "en")
    assert ARAMASA not in {r.brand.id for r in excluded}


async def test_menu_constraint_and_uncharted_brands(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await _rated(rec, db, {KOSHINO_KANBAI: 5, JUYONDAI: 1})
    uncharted = [b.id for b in catalog.brands.values() if b.chart is None and len(b.tags) >= 3][:6]
    menu = uncharted + [KUBOTA, DASSAI]
    recs = await rec.recommend(me, RecRequest(among=menu, limit=8), "en")
    assert {r.brand.id for r in recs} <= set(menu) and len(recs) == len(menu)
    for r in recs:
        card = r.card().as_dict()
        if r.brand.chart is None:
            assert r.certain is False and r.card().certain is False
            assert card["flavor"] is None  # never invented
            assert "No flavor chart" in r.reason
        else:
            assert r.certain and card["flavor"] is not None
    # a chart is worth more than an estimate: with equal taste, charted brands come first
    assert recs[0].certain
    ja = await rec.recommend(me, RecRequest(among=uncharted, limit=3), "ja")
    assert all("フレーバーチャートがない" in r.reason for r in ja)


async def test_popular_has_ranks_and_filters(db: Database, rec: Recommender) -> None:
    me = await principal(db)
    top = await rec.recommend(me, RecRequest(mode="popular", limit=5), "en")
    assert [r.brand.rank for r in top] == sorted(r.brand.rank for r in top)  # type: ignore[type-var]
    assert all(r.rank_note and r.rank_note.startswith("#") for r in top)
    local = await rec.recommend(me, RecRequest(mode="popular", prefecture="秋田", limit=5), "ja")
    assert all(r.brand.prefecture == "秋田県" and "位" in r.reason for r in local)


async def test_card_shape(db: Database, rec: Recommender) -> None:
    me = await principal(db)
    r = (await rec.recommend(me, RecRequest(mode="similar", brand_id=DASSAI, limit=1), "en"))[0]
    card = r.card().as_dict()
    assert {"brand_id", "name", "name_romaji", "brewery", "prefecture", "flavor", "tags", "score", "reason"} <= set(card)
    assert 0 <= card["score"] <= 1 and card["reason"]


def test_two_stage_pool_equals_brute_force(rec: Recommender, catalog: Catalog) -> None:
    """Tags are scored only for brands that can still reach the pool; the pool must be the same as scoring all."""
    space = FlavorSpace.of(catalog)
    rng = np.random.default_rng(5)
    for _ in range(5):
        dense = space.linear(target=rng.normal(0, 1, 6), uncertain=0.6, popularity=1.0)
        mask = rng.random(len(space.brands)) > 0.1
        blocked = space.rows([887, 144])
        terms = [(("辛口", "キレ"), 0.3, 3.0), (("フルーティ",), 0.08, 3.0)]
        full = dense + sum(w * np.minimum(space.tag_scores(t), cap) for t, w, cap in terms)
        full[~(mask & space.placed)] = -np.inf
        full[blocked] = -np.inf
        top, scores = rec._top(dense.copy(), mask, blocked, terms)
        expected = np.argsort(-full, kind="stable")[: len(top)]
        assert np.allclose(scores, full[top])
        assert np.allclose(np.sort(scores), np.sort(full[expected]))  # same pool (up to exact ties)


async def test_a_menu_of_unknown_flavor_is_still_ranked(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await principal(db)
    blank = [b.id for b in catalog.brands.values() if b.chart is None and not b.tags and not b.products][:4]
    recs = await rec.recommend(me, RecRequest(mode="similar", brand_id=DASSAI, among=blank, limit=4), "en")
    assert {r.brand.id for r in recs} == set(blank)
    assert all(not r.certain and "No flavor data" in r.reason and r.card().flavor is None for r in recs)
    # outside a menu, a sake we know nothing about is never suggested
    anywhere = await rec.recommend(me, RecRequest(mode="flavor", want={"f5": 1}, limit=20), "en")
    assert all(FlavorSpace.of(catalog).placed[FlavorSpace.of(catalog).row(r.brand.id)] for r in anywhere)


async def test_like_an_uncharted_sake_is_marked_less_certain(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await principal(db)
    anchor = next(b for b in catalog.brands.values() if b.chart is None and len(b.tags) >= 4)
    recs = await rec.recommend(me, RecRequest(mode="similar", brand_id=anchor.id), "en")
    assert recs and all(not r.certain and "no flavor chart" in r.reason for r in recs)


async def test_no_preferences_on_a_menu_still_ranks_the_whole_menu(db: Database, rec: Recommender, catalog: Catalog) -> None:
    me = await principal(db)
    await rec.preferences.answer(me, "sweetness", "unsure")
    unranked = [b.id for b in catalog.brands.values() if b.rank is None and b.area_rank is None][:3]
    with pytest.raises(NeedsPreferences) as e:
        await rec.recommend(me, RecRequest(among=unranked + [ARAMASA], limit=5), "en")
    picks = e.value.fallback
    assert [r.brand.id for r in picks][0] == ARAMASA and {r.brand.id for r in picks} == set(unranked + [ARAMASA])
    assert all(r.rank_note is None and "not ranked" in r.reason for r in picks[1:])
    assert e.value.question.id == "body"  # the next unanswered question, not the one already answered
