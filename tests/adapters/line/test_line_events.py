"""LINE events → Work: who, where, and whether the bot is addressed."""

from __future__ import annotations

import pytest

from adapters.line.events import addressed_text, translate
from core.actions import Note, PlatformEvent, Unknown, unpack
from tests.adapters.line.conftest import GROUP, USER, event, payload


def test_text_from_a_user() -> None:
    w = translate(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭"))
    assert w.kind == "message" and w.message is not None
    assert str(w.message.key) == f"line:direct:{USER}:{USER}"
    assert w.message.text == "獺祭" and w.message.lang is None  # LINE sends no language: the words decide
    assert w.event_id and w.message.event_id == w.event_id and w.reply_token


def test_room_is_a_workspace_too() -> None:
    src = {"type": "room", "roomId": "Rroom", "userId": USER}
    w = translate(event("event_message_text_room.json", source=src, message__text="sensei dassai"))
    assert w.kind == "message" and w.message is not None
    assert (w.message.key.workspace, w.message.key.channel) == ("Rroom", "Rroom") and w.message.text == "dassai"
    assert w.source is not None and w.source.to == "Rroom"


@pytest.mark.parametrize(
    "text, mention, expected",
    [
        ("先生 獺祭", None, "獺祭"),
        ("先生、おすすめは?", None, "おすすめは?"),
        ("Sensei: what is kubota?", None, "what is kubota?"),
        ("@Sake Sensei 久保田", None, "久保田"),
        ("@Bot 八海山は?", [{"index": 0, "length": 4, "type": "user", "isSelf": True}], "八海山は?"),
        ("@Cony 八海山は?", [{"index": 0, "length": 5, "type": "user", "isSelf": False}], None),
        ("@All hello", [{"index": 0, "length": 4, "type": "all"}], None),
        ("今日の先生はだれ?", None, None),
    ],
)
def test_addressing_in_groups(text: str, mention: list | None, expected: str | None) -> None:
    msg = {"type": "text", "text": text}
    if mention is not None:
        msg["mention"] = {"mentionees": mention}
    assert addressed_text(msg) == expected


def test_group_fixture_with_someone_elses_mention_is_ignored() -> None:
    ev = payload("webhook_message_text_group_emojis_mention.json")["events"][0]
    assert translate(ev).kind == "ignore"


def test_postbacks_become_typed_actions_and_foreign_data_unknown() -> None:
    src = {"type": "user", "userId": USER}
    for data in ("rate:887:4", "rate:887:4.5", "log:887", "similar:1", "wish:2", "pick:3", "survey:start", "survey:sweetness:dry",
                 "cmd:history", "note:887"):
        w = translate(event("event_postback.json", source=src, postback={"data": data}))
        assert w.kind == "postback" and w.message is not None and w.message.action == unpack(data)
    # data we never issued reaches the core as Unknown, which answers "that button is no longer valid"
    for data in ("action=buyItem&itemId=123123", "rate:887:9", "log:abc", "", "drop table"):
        w = translate(event("event_postback.json", source=src, postback={"data": data}))
        assert w.kind == "postback" and w.message is not None and isinstance(w.message.action, Unknown)
    # a form's choice (the tasting note's rating) carries its value after the action
    w = translate(event("event_postback.json", source=src, postback={"data": "note:887?rating=4"}))
    assert w.message is not None and w.message.action == Note(887) and w.message.action_values == {"rating": "4"}


def test_follow_unfollow_join_and_standby() -> None:
    src = {"type": "user", "userId": USER}
    follow = translate(event("webhook_follow.json", source=src))
    assert follow.kind == "follow" and follow.message is not None and follow.message.action == PlatformEvent("follow")
    assert follow.message.lang is None  # the core decides what to say to someone nothing is known of
    assert translate(event("webhook_unfollow.json", source=src)).kind == "unfollow"
    join = translate(event("event_join.json", source={"type": "group", "groupId": GROUP}))
    assert join.kind == "join" and join.message is not None and join.message.action == PlatformEvent("join")
    sticker = translate(event("event_message_sticker.json", source=src))
    assert sticker.message is not None and sticker.message.action == PlatformEvent("sticker")
    standby = event("event_message_text.json", source=src, mode="standby")
    assert translate(standby).kind == "ignore"


def test_images_only_in_one_to_one_chats_and_external_images_by_url() -> None:
    room = translate(payload("event_message_image_room.json")["events"][0])
    assert room.kind == "ignore"
    w = translate(event("event_message_image_room.json", source={"type": "user", "userId": USER}))
    assert w.kind == "image" and w.message is not None and len(w.message.images) == 1


async def test_image_fetch_goes_through_the_given_fetcher() -> None:
    asked: list[str] = []

    async def fetch(ref: str) -> bytes:
        asked.append(ref)
        return b"\xff\xd8data"

    line_image = event("webhook_message_image_set_two_images.json", source={"type": "user", "userId": USER})
    w = translate(line_image, fetch_image=fetch)
    assert w.message is not None and await w.message.images[0].read() == b"\xff\xd8data"
    external = event("event_message_image_room.json", source={"type": "user", "userId": USER})
    w2 = translate(external, fetch_image=fetch)
    assert w2.message is not None
    await w2.message.images[0].read()
    assert asked == [line_image["message"]["id"], "url:" + external["message"]["contentProvider"]["originalContentUrl"]]


def test_odd_input_is_ignored_not_fatal() -> None:
    for ev in ({}, {"type": "message"}, {"type": "message", "source": {"type": "user"}}, {"type": "message", "source": "x"},
               {"type": "message", "source": {"type": "user", "userId": USER}, "message": "x"}, {"type": None, "source": None}):
        assert translate(ev).kind == "ignore"  # type: ignore[arg-type]
    assert translate([]).kind == "ignore"  # type: ignore[arg-type]


def test_events_without_webhook_event_id_dedup_on_the_message_id() -> None:
    ev = payload("event_message_text_mention.json")["events"][0]
    assert translate(ev).event_id == "message:325708"
