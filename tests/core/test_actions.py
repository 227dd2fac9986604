"""Typed actions: every type packs into a string every platform can carry and unpacks to itself;
anything else is refused with InvalidAction (never another exception)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import actions
from core.actions import (
    COMMANDS,
    MAX_PACKED,
    Command,
    Explain,
    FlightEnd,
    FlightJoin,
    FlightRate,
    InvalidAction,
    Log,
    MenuAdd,
    MenuRemove,
    Note,
    Pick,
    Rate,
    Similar,
    Stock,
    SurveyAnswer,
    SurveyStart,
    Unknown,
    Unwish,
    Wish,
    pack,
    read,
    unpack,
)
from core.messages import Button, Card, Form, FormField, RatingControl, Reply

brand_ids = st.integers(min_value=1, max_value=999_999_999)
ids = st.from_regex(r"[a-z0-9_\-]{1,40}", fullmatch=True)
stars = st.integers(min_value=1, max_value=10).map(lambda n: n / 2)

every_action = st.one_of(
    st.builds(Log, brand_ids), st.builds(Rate, brand_ids, stars), st.builds(Similar, brand_ids), st.builds(Wish, brand_ids),
    st.builds(Unwish, brand_ids), st.builds(Pick, brand_ids), st.builds(Note, brand_ids), st.just(SurveyStart()),
    st.builds(SurveyAnswer, ids, ids), st.builds(Explain, ids), st.builds(MenuAdd, brand_ids),
    st.builds(MenuRemove, brand_ids, st.booleans()),
    st.builds(Stock, brand_ids, st.booleans()), st.sampled_from([Command(c) for c in COMMANDS]),  # type: ignore[arg-type]
    st.builds(FlightJoin, brand_ids), st.builds(FlightRate, brand_ids, brand_ids, stars), st.builds(FlightEnd, brand_ids),
)


@given(every_action)
def test_every_action_round_trips_within_every_platform_limit(action: actions.UserAction) -> None:
    packed = pack(action)
    assert unpack(packed) == action
    assert len(packed) <= MAX_PACKED  # Discord custom_id: 100 characters
    assert len(packed.encode()) <= 300  # LINE postback data: 300 bytes


@pytest.mark.parametrize("packed, expected", [
    ("log:887", Log(887)), ("rate:887:4", Rate(887, 4.0)), ("rate:887:4.5", Rate(887, 4.5)), ("similar:887", Similar(887)),
    ("wish:887", Wish(887)), ("pick:12", Pick(12)), ("note:887", Note(887)), ("survey:start", SurveyStart()),
    ("survey:sweetness:dry", SurveyAnswer("sweetness", "dry")), ("cmd:profile", Command("profile")),
    ("cmd:flight", Command("flight")), ("fjoin:7", FlightJoin(7)), ("frate:7:887:4", FlightRate(7, 887, 4.0)), ("fend:7", FlightEnd(7)),
])
def test_buttons_already_sent_keep_working(packed: str, expected: actions.UserAction) -> None:
    """The string form is the one earlier releases put on buttons that users can still tap."""
    assert unpack(packed) == expected


@pytest.mark.parametrize("tampered", [
    "", "log", "log:", "log:0", "log:-1", "log:abc", "log:1:2", "rate:887", "rate:887:0", "rate:887:6", "rate:887:4.2",
    "rate:887:nan", "rate:887:inf", "rate:887:-1", "survey:Bad Id:x", "survey:a:b:c", "cmd:drop", "stock:1:2", "explain:",
    "delete:887", "log:1234567890", "menurm:12:no", "menurm:12:yes:1", "x" * 500, "log:８８７", "log:887\n",
    "fjoin:", "fjoin:0", "frate:7:887", "frate:7:887:6", "frate:0:887:4", "frate:7:887:4:1", "fend:x", "fend:1:2",
])
def test_tampered_or_unknown_strings_are_refused(tampered: str) -> None:
    with pytest.raises(InvalidAction):
        unpack(tampered)
    assert read(tampered) == Unknown(tampered[:MAX_PACKED])


@given(st.text(max_size=200))
def test_no_string_raises_anything_but_invalid_action(text: str) -> None:
    try:
        action = unpack(text)
    except InvalidAction:
        return
    assert unpack(pack(action)) == action


def test_a_submitted_note_keeps_only_sane_values() -> None:
    note = Note(887).with_values({"rating": "4.5", "notes": "melon" * 1000, "temperature": "", "food": None})
    assert note.rating == 4.5 and len(note.notes or "") == 2000 and note.temperature is None and note.food is None
    assert Note(887).with_values({"rating": "99"}).rating is None


def test_a_reply_with_typed_buttons_survives_the_inbox() -> None:
    card = Card(887, "獺祭", "dassai", "旭酒造", "山口県", None, [], actions=[Button(Log(887), "Log it", "primary")],
                rating=RatingControl(887, "Rate it", [Button(Rate(887, n), f"{n}★") for n in range(1, 6)]))
    form = Form("Tasting note", Button(Note(887), "Save"), [FormField("rating", "Rating", "choice", [("1", "1★")], optional=False)])
    reply = Reply(text="x", cards=[card], actions=[Button(SurveyStart(), "Take the survey")], form=form)
    assert Reply.from_json(reply.to_json()) == reply


def test_a_reply_kept_by_the_previous_release_still_reads() -> None:
    old = ('{"text":"x","lang":"en","cards":[],"images":[],"actions":[{"id":"log:887","label":"Log it","style":"primary"}],'
           '"tools":[],"error":null,"files":[]}')
    assert Reply.from_json(old).actions == [Button(Log(887), "Log it", "primary")]
