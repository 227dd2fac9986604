"""The reveal from a stored flight alone: favourite, split, best matches, the silent members, the picture."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from PIL import Image

from core.catalog import Catalog
from core.flights import reveal
from core.flights.state import Flight, FlightSake, Member


def flight(ratings: dict[tuple[int, int], float], members: int = 3, lang: str = "en", how: str = "all_rated") -> Flight:
    people = tuple(Member(i, f"U{i}", name) for i, name in enumerate(["Aki", "Ben", "Chie", "Dan"][:members], start=1))
    sakes = tuple(FlightSake(b, i, "flight.notice.nearest", {"other": "x"}) for i, b in enumerate((887, 431, 380)))
    return Flight(7, 1, "C", 1, "closed", 3, None, lang, datetime(2026, 12, 5, tzinfo=timezone.utc), how, sakes, people, ratings)


def test_favourite_split_and_best_matches() -> None:
    f = flight({(1, 887): 4, (1, 431): 5, (1, 380): 2, (2, 887): 4, (2, 431): 1, (2, 380): 3, (3, 887): 4.5, (3, 431): 3})
    res = reveal.results(f)
    assert res.favourite == 887 and res.averages[887] == 4.166666666666667
    assert res.split == 431  # 5 against 1
    assert res.best == {1: 431, 2: 887, 3: 887}
    assert res.silent == ()


def test_members_who_never_rated_are_named_and_not_counted(catalog: Catalog) -> None:
    f = flight({(1, 887): 3, (2, 887): 3}, members=4)
    res = reveal.results(f)
    assert res.split is None  # nobody disagreed
    assert [m.name for m in res.silent] == ["Chie", "Dan"]
    text = reveal.summary(res, catalog, "en")
    assert "No ratings from Chie, Dan" in text and "Group favourite: 獺祭 (3.0★" in text


def test_nobody_rated_and_timeout(catalog: Catalog) -> None:
    text = reveal.summary(reveal.results(flight({}, how="timeout")), catalog, "ja")
    assert "1日" in text and "評価がなかった" in text


def test_the_picture_has_a_row_per_sake_and_a_column_per_member(catalog: Catalog) -> None:
    few = Image.open(io.BytesIO(reveal.picture(reveal.results(flight({(1, 887): 4}, members=2)), catalog, "en")))
    many = Image.open(io.BytesIO(reveal.picture(reveal.results(flight({(1, 887): 4}, members=4)), catalog, "ja")))
    assert few.format == "PNG" and many.format == "PNG"
    assert many.width > few.width >= 620 and many.height == few.height
