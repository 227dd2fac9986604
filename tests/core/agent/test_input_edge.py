"""Input at the edge (issue #21): invalid code points and misread ratings never half-save a turn."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.agent.ratings import parse_rating
from core.db import Database
from core.db.tasting_tables import TastingRow
from core.errors import SenseiError
from core.input_text import clean_text
from tests.core.agent.conftest import Chat


async def tastings(db: Database) -> list[TastingRow]:
    async with db.session() as s:
        return list((await s.scalars(select(TastingRow))).all())


async def count(db: Database) -> int:
    async with db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(TastingRow)) or 0)


@pytest.mark.parametrize("text", ["log kubota 4 stars\ud800", "log \udfffkubota 4 stars", "log kubota\ufdd0 4 stars\U0010ffff",
                                  "log kubota 4 stars\ufffe"])
async def test_invalid_code_points_never_half_save(chat: Chat, db: Database, text: str) -> None:
    """Old code: the tasting was saved, then the memory write failed (SS-003 "try again"): a retry logged it twice."""
    r = await chat.say(text)
    assert r.error is None, r.error
    assert r.tools == ["log_tasting"]
    rows = await tastings(db)
    assert len(rows) == 1 and rows[0].brand_id == 431 and rows[0].rating == 4
    again = await chat.say("show my tasting history")
    assert again.error is None


def test_clean_text_drops_surrogates_and_noncharacters() -> None:
    assert clean_text("a\ud800b\udc00c\ufdd0d\ufffee\U0001fffff") == "abcdef"
    assert clean_text("dry\x00\x07 sake\u202e\r\n") == "dry sake\u202e"
    assert clean_text("🍶 辛口") == "🍶 辛口"  # real characters stay
    assert clean_text("x" * 10_000) == "x" * 4000


@pytest.mark.parametrize("text", ["-1 stars", "NaN stars", "99 stars", "log dassai -1 stars", "log dassai nan stars",
                                  "log dassai 99 stars", "log dassai 6 stars", "星-2", "log dassai −3 stars", "inf stars",
                                  "log dassai 5.5 stars"])
def test_out_of_range_ratings_are_refused_not_clamped(text: str) -> None:
    with pytest.raises(SenseiError) as e:
        parse_rating(text)
    assert e.value.code.value == "SS-006"
    assert "0 to 5" in e.value.message("en") and "0〜5" in e.value.message("ja")


@pytest.mark.parametrize(("text", "stars"), [("4 stars", 4.0), ("log dassai 4.5 stars", 4.5), ("five stars", 5.0),
                                             ("banana stars", None), ("3000円", None), ("top 5", None),
                                             ("2020/10/01", None), ("a star", 1.0), ("★★★", 3.0), ("0 stars", 0.0)])
def test_ratings_need_word_boundaries(text: str, stars: float | None) -> None:
    rating = parse_rating(text)
    assert (rating.stars if rating else None) == stars


@pytest.mark.parametrize("text", ["log dassai -1 stars", "log dassai NaN stars", "log dassai 99 stars"])
async def test_a_bad_rating_answers_ss006_and_saves_nothing(chat: Chat, db: Database, text: str) -> None:
    """Old code: -1 and NaN were saved as ★1, 99 as a tasting without a rating."""
    r = await chat.say(text)
    assert r.error is not None and r.error["code"] == "SS-006", (r.text, r.error)
    assert "0 to 5" in r.text
    assert await count(db) == 0
