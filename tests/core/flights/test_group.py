from __future__ import annotations

import numpy as np
import pytest

from core.catalog import Catalog
from core.errors import SenseiError
from core.flavor_space import AXES, FlavorSpace
from core.flights.group import BODY_SPREAD, DRY_SPREAD, FlightPick, _body, choose_flight, notice_for, predicted_liking
from core.flights.notice_texts import NOTICE_TEXTS
from core.profile import TasteVector
from core.recommender import RecRequest

DASSAI, HAKKAISAN, JUYONDAI = 887, 380, 144


@pytest.fixture(scope="module")
def space(catalog: Catalog) -> FlavorSpace:
    return FlavorSpace.of(catalog)


def taste(z: np.ndarray, confidence: float = 5.0) -> TasteVector:
    return TasteVector(np.asarray(z, dtype=float), confidence, 8, 3.2, None, (), ())


def at(space: FlavorSpace, **axes: float) -> TasteVector:
    """A taste at the given standardised axis values (others at the catalog centre)."""
    return taste(np.array([axes.get(a, 0.0) for a in AXES]))


def sweet_rich(space: FlavorSpace) -> TasteVector:
    return at(space, f2=1.2, f3=1.0, f5=-1.2, f6=-1.0)


def dry_light(space: FlavorSpace) -> TasteVector:
    return at(space, f1=0.8, f3=-1.0, f5=1.2, f6=1.0)


def check_notice(space: FlavorSpace, picks: list[FlightPick]) -> None:
    """Every line must be a true comparison on this flight's charts, in a key both languages have."""
    charts = {p.brand_id: space.brands[space.row(p.brand_id)].chart for p in picks}  # type: ignore[index]
    by_name = {space.brands[space.row(p.brand_id)].name: p.brand_id for p in picks}  # type: ignore[index]
    for p in picks:
        assert p.notice in NOTICE_TEXTS
        for text in NOTICE_TEXTS[p.notice]:
            assert text.format(**p.notice_args)
        parts = p.notice.split(".")
        if parts[2] not in AXES:
            continue
        k = AXES.index(parts[2])
        mine = charts[p.brand_id][k]
        others = [c[k] for b, c in charts.items() if b != p.brand_id]
        if parts[3] == "most":
            assert mine > max(others)
            assert charts[by_name[p.notice_args["other"]]][k] < mine
        elif parts[3] == "least":
            assert mine < min(others)
            assert charts[by_name[p.notice_args["other"]]][k] > mine
        else:
            assert charts[by_name[p.notice_args["lower"]]][k] < mine < charts[by_name[p.notice_args["higher"]]][k]


# -- bad input first ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 2, 6])
def test_a_flight_has_three_to_five_sakes(space: FlavorSpace, catalog: Catalog, n: int) -> None:
    with pytest.raises(ValueError):
        choose_flight(space, catalog, [None, None], n)


def test_an_unknown_prefecture_is_an_error_with_a_code(space: FlavorSpace, catalog: Catalog) -> None:
    with pytest.raises(SenseiError):
        choose_flight(space, catalog, [None], 3, req=RecRequest(prefecture="Atlantis"))


def test_no_candidate_no_flight(space: FlavorSpace, catalog: Catalog) -> None:
    assert choose_flight(space, catalog, [None], 3, candidates=[99_999_999]) == []


def test_fewer_charted_candidates_than_asked_gives_what_there_is(space: FlavorSpace, catalog: Catalog) -> None:
    uncharted = next(b.id for b in space.brands if b.chart is None)
    picks = choose_flight(space, catalog, [None], 4, candidates=[DASSAI, HAKKAISAN, uncharted])
    assert sorted(p.brand_id for p in picks) == sorted([DASSAI, HAKKAISAN])
    assert [p.position for p in picks] == [0, 1]
    check_notice(space, picks)


# -- the flight ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 4, 5])
def test_flight_is_charted_ranked_distinct_and_in_tasting_order(space: FlavorSpace, catalog: Catalog, n: int) -> None:
    picks = choose_flight(space, catalog, [sweet_rich(space), dry_light(space), None], n)
    assert len(picks) == n
    assert [p.position for p in picks] == list(range(n))
    brands = [space.brands[space.row(p.brand_id)] for p in picks]  # type: ignore[index]
    assert all(b.chart is not None and (b.rank is not None or b.area_rank is not None) for b in brands)
    assert len({b.brewery_id for b in brands}) == n and len({b.name for b in brands}) == n
    warm = [any(t in ("燗酒", "熱燗") for t in b.tags[:8]) for b in brands]
    order = _body(np.array([space.chart_z[space.row(p.brand_id)] for p in picks])) + np.array(warm, dtype=float)  # type: ignore[index]
    assert list(order) == sorted(order)  # light/cold first, rich/warm last
    check_notice(space, picks)


def test_the_flight_shows_a_difference(space: FlavorSpace, catalog: Catalog) -> None:
    for members in ([None, None, None], [sweet_rich(space)] * 3, [dry_light(space), dry_light(space)]):
        picks = choose_flight(space, catalog, members, 4)
        z = np.array([space.chart_z[space.row(p.brand_id)] for p in picks])  # type: ignore[index]
        assert np.ptp(_body(z)) >= BODY_SPREAD and np.ptp(z[:, 4]) >= DRY_SPREAD


def test_balances_the_member_far_from_the_others(space: FlavorSpace, catalog: Catalog) -> None:
    """Two dry-light drinkers and one sweet-rich one: the flight for the majority's taste leaves the third with less."""
    members = [dry_light(space), dry_light(space), sweet_rich(space)]
    picks = choose_flight(space, catalog, members, 4)
    for_majority = choose_flight(space, catalog, [dry_light(space)], 4)
    rows = space.rows([p.brand_id for p in picks])
    majority_rows = space.rows([p.brand_id for p in for_majority])
    ours = predicted_liking(space, members, rows).mean(axis=1)
    theirs = predicted_liking(space, members, majority_rows).mean(axis=1)
    assert ours.min() > theirs.min()
    assert ours[2] > theirs[2]  # the sweet-rich drinker is the one who gains


def test_neutral_members_do_not_pull_the_flight(space: FlavorSpace, catalog: Catalog) -> None:
    alone = choose_flight(space, catalog, [sweet_rich(space)], 3)
    assert choose_flight(space, catalog, [sweet_rich(space)], 3) == alone  # deterministic
    with_strangers = choose_flight(space, catalog, [sweet_rich(space), None, None], 3)
    picks_z = np.array([space.chart_z[space.row(p.brand_id)] for p in with_strangers])  # type: ignore[index]
    alone_z = np.array([space.chart_z[space.row(p.brand_id)] for p in alone])  # type: ignore[index]
    # strangers move the flight towards the centre, never past the sweet-rich drinker's side
    assert abs(picks_z.mean(axis=0)).sum() <= abs(alone_z.mean(axis=0)).sum() + 1e-9


def test_stock_and_exclusions(space: FlavorSpace, catalog: Catalog) -> None:
    stock = [b.id for b in space.brands if b.chart is not None and b.rank is not None][:12]
    picks = choose_flight(space, catalog, [None, dry_light(space)], 5, candidates=stock, exclude={stock[0], stock[1]})
    assert len(picks) == 5
    assert {p.brand_id for p in picks} <= set(stock) - {stock[0], stock[1]}
    check_notice(space, picks)


@pytest.mark.parametrize(
    ("req", "check"),
    [
        (RecRequest(prefecture="新潟"), lambda b, sp: b.prefecture == "新潟県"),
        (RecRequest(grade="純米吟醸"), lambda b, sp: "純米吟醸" in b.grades),
        (RecRequest(want={"f5": 1.0}), lambda b, sp: b.chart[4] >= np.median([x.chart[4] for x in sp.brands if x.chart])),
    ],
)
def test_themes_filter_as_the_recommender_does(space: FlavorSpace, catalog: Catalog, req: RecRequest, check) -> None:  # type: ignore[no-untyped-def]
    picks = choose_flight(space, catalog, [None, sweet_rich(space)], 3, req=req)
    assert len(picks) == 3
    for p in picks:
        assert check(space.brands[space.row(p.brand_id)], space)  # type: ignore[index]
    check_notice(space, picks)


def test_notices_claim_only_what_the_charts_show() -> None:
    std = np.full(6, 0.1)
    names = ["A", "B", "C"]
    # B sits between A and C on dryness and is extreme nowhere: "between", with A below and C above
    charts = np.array([[0.5, 0.5, 0.5, 0.5, 0.2, 0.5], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5, 0.8, 0.5]])
    assert notice_for(1, charts, names, std) == ("flight.notice.f5.between", {"lower": "A", "higher": "C"})
    assert notice_for(2, charts, names, std) == ("flight.notice.f5.most", {"other": "B"})
    assert notice_for(0, charts, names, std) == ("flight.notice.f5.least", {"other": "B"})
    # differences under the margin are not claimed: only "nearest" is left to say
    close = np.array([[0.5] * 6, [0.51] * 6, [0.49] * 6])
    key, args = notice_for(0, close, names, std)
    assert key == "flight.notice.nearest" and args["other"] in ("B", "C")
    assert notice_for(0, close[:1], names[:1], std) == ("flight.notice.alone", {})


def test_a_theme_the_stock_cannot_fill_is_given_up_only_as_far_as_needed(space: FlavorSpace, catalog: Catalog) -> None:
    """Two dry sakes in a stock of mostly sweet ones, and a dry flight of three: both dry ones are poured, plus one more."""
    ranked = [b for b in space.brands if b.chart is not None and b.rank is not None]
    median = np.median([b.chart[4] for b in space.brands if b.chart is not None])  # type: ignore[index]
    dry = [b.id for b in ranked if b.chart[4] >= median + 0.1][:2]  # type: ignore[index]
    sweet = [b.id for b in ranked if b.chart[4] <= median - 0.1][:6]  # type: ignore[index]
    picks = choose_flight(space, catalog, [None, None, None], 3, candidates=dry + sweet, req=RecRequest(want={"f5": 1.0}))
    assert len(picks) == 3
    assert set(dry) <= {p.brand_id for p in picks}
    # with room enough, the theme holds
    picks = choose_flight(space, catalog, [None, None, None], 3, candidates=dry + sweet, req=RecRequest(want={"f5": -1.0}))
    assert {p.brand_id for p in picks} <= set(sweet)
