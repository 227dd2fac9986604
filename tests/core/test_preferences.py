from __future__ import annotations

import pytest

from core.db import Database
from core.errors import Code, SenseiError
from core.preferences import SURVEY, Preferences
from tests.fakes.clock import FakeClock
from tests.fakes.users import principal


@pytest.fixture
def prefs(db: Database) -> Preferences:
    return Preferences(db, FakeClock())


async def test_unknown_question_or_answer_is_refused_and_nothing_stored(db: Database, prefs: Preferences) -> None:
    me = await principal(db)
    with pytest.raises(SenseiError) as e:
        await prefs.answer(me, "colour", "red")
    assert e.value.code is Code.PREFERENCES_NOT_FOUND
    with pytest.raises(SenseiError):
        await prefs.answer(me, "sweetness", "salty")
    assert await prefs.get(me) is None


def test_survey_shape() -> None:
    assert 5 <= len(SURVEY) <= 7
    ids = [q.id for q in SURVEY]
    assert len(set(ids)) == len(ids)
    for q in SURVEY:
        assert q.en and q.ja and 2 <= len(q.options) <= 6
        assert len({o.id for o in q.options}) == len(q.options)
        for a in q.actions("ja"):
            assert a.id.startswith(f"survey:{q.id}:") and len(a.id) <= 64 and a.label
    assert {"sweetness", "body", "aroma", "temperature", "food", "adventure"} <= set(ids)


async def test_answering_walks_through_the_survey(db: Database, prefs: Preferences) -> None:
    me = await principal(db)
    assert (await prefs.next_question(me)).id == SURVEY[0].id  # type: ignore[union-attr]
    nxt = await prefs.answer(me, "sweetness", "dry")
    assert nxt is not None and nxt.id == "body"
    await prefs.answer(me, "body", "light")
    survey = await prefs.get(me)
    assert survey is not None and not survey.complete
    assert survey.axis_wants["f5"] > 0 and survey.axis_wants["f6"] > 0 and survey.axis_wants["f3"] < 0
    assert "辛口" in survey.tags
    for q in SURVEY[2:]:
        last = await prefs.answer(me, q.id, q.options[0].id)
    assert last is None
    survey = await prefs.get(me)
    assert survey is not None and survey.complete and survey.temperature == "chilled" and survey.food_family == "sashimi"
    assert survey.adventurousness == "classic"


async def test_changing_an_answer_and_isolation(db: Database, prefs: Preferences) -> None:
    me = await principal(db)
    other = await principal(db, "bob")
    await prefs.answer(me, "sweetness", "dry")
    await prefs.answer(me, "sweetness", "sweet")
    survey = await prefs.get(me)
    assert survey is not None and survey.answers == {"sweetness": "sweet"} and survey.axis_wants["f5"] < 0
    assert await prefs.get(other) is None
    await prefs.reset(me)
    assert await prefs.get(me) is None


async def test_not_sure_answers_say_nothing_about_taste(db: Database, prefs: Preferences) -> None:
    me = await principal(db)
    for q in ("sweetness", "body", "aroma"):
        await prefs.answer(me, q, "unsure")
    survey = await prefs.get(me)
    assert survey is not None and not survey.has_taste
