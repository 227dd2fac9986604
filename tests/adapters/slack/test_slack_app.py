"""End to end: signed requests into `sake-sensei serve`'s app, answers through the fake Web API."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

import pytest

from core.actions import Command, Log, SurveyAnswer, pack, unpack
from core.controls import note_form
from core.messages import Button, Card, Message, Reply, ReplyImage, StateKey
from tests.adapters.slack.conftest import TOKEN, Harness, ScriptedBrain, event_body, payload
from tests.fakes.slack import FakeSlack


async def test_url_verification(make_harness) -> None:
    h: Harness = await make_harness()
    r = await h.post(payload("event_url_verification.json"))
    assert r.status == 200
    assert "challenge" in await r.text()


async def test_dm_answered_with_a_sake_card(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness()
    r = await h.post(event_body("event_message_im.json", text="tell me about 獺祭"))
    assert r.status == 200
    calls = await fake.wait_for("chat.postMessage")
    call = calls[0]
    assert call.token == TOKEN and call.args["channel"] == "D111" and not call.args.get("thread_ts")
    blocks = call.args["blocks"]
    text = str(blocks)
    assert "獺祭" in text and "旭酒造" in text and "▰" in text
    values = [el.get("value") for b in blocks if b["type"] == "actions" for el in b["elements"]]
    assert any(v and v.startswith("log:") for v in values) and any(v and v.startswith("wish:") for v in values)


async def test_retry_and_duplicate_are_handled_once(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    body = event_body("event_message_im.json", text="hello there")
    first = await h.post(body)
    retry = await h.post(body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    dup = await h.post(body)
    assert (first.status, retry.status, dup.status) == (200, 200, 200)
    await h.settle()
    await asyncio.sleep(0.1)
    assert len(brain.turns) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_duplicate_across_two_server_processes(make_harness, fake: FakeSlack) -> None:
    """Two servers on one database (two processes behind a load balancer): one answer."""
    brain_a, brain_b = ScriptedBrain(), ScriptedBrain()
    a: Harness = await make_harness(brain_a)
    b: Harness = await make_harness(brain_b)
    body = event_body("event_message_im.json", text="hello there")
    ra, rb = await asyncio.gather(a.post(body), b.post(body, headers={"X-Slack-Retry-Num": "1"}))
    assert ra.status == rb.status == 200
    await a.settle()
    await b.settle()
    assert len(brain_a.turns) + len(brain_b.turns) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_forged_and_stale_signatures_get_401_and_ss007_without_the_body(make_harness, caplog: pytest.LogCaptureFixture) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    secret_text = "my-private-words-in-the-body"
    body = event_body("event_message_im.json", text=secret_text)
    caplog.set_level(logging.DEBUG)
    forged = await h.post(body, secret="not-the-secret")
    stale = await h.post(body, timestamp=int(time.time()) - 600)
    unsigned = await h.client.post("/slack/events", data=b"{}", headers={"Content-Type": "application/json"})
    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    await asyncio.sleep(0.05)
    assert brain.turns == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged.count("SS-007") >= 3
    assert secret_text not in logged


async def test_bots_and_own_messages_are_ignored(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    own = event_body("event_message_im.json", user="UBOT111", text="my own answer")
    for body in (payload("event_message_im_from_bot.json"), payload("event_message_bot_message_classic.json"),
                 payload("event_message_from_other_app_bot.json"), own):
        r = await h.post(body)
        assert r.status == 200
    await h.settle()
    assert brain.turns == []
    assert fake.calls_to("chat.postMessage") == []


async def test_rate_limited_post_is_retried_after_retry_after(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness(ScriptedBrain())
    fake.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    await h.post(event_body("event_message_im.json", text="hello"))
    calls = await fake.wait_for("chat.postMessage", 2)
    assert time.monotonic() - started >= 0.9
    assert calls[1].args["text"] == "you said: hello"


async def test_other_api_failure_is_logged_and_user_gets_an_apology(make_harness, fake: FakeSlack, caplog) -> None:
    h: Harness = await make_harness(ScriptedBrain())
    fake.fail("chat.postMessage", status=200, error="invalid_blocks", retry_after=None)
    caplog.set_level(logging.ERROR)
    await h.post(event_body("event_message_im.json", text="hello"))
    calls = await fake.wait_for("chat.postMessage", 2)
    assert "Sorry" in calls[1].args["text"]
    assert any("invalid_blocks" in r.getMessage() for r in caplog.records)


async def test_slow_answer_shows_a_placeholder_then_updates_it(make_harness, fake: FakeSlack) -> None:
    async def slow(turn):
        await asyncio.sleep(0.6)
        return Reply(text="here you are", lang="en")

    h: Harness = await make_harness(ScriptedBrain(slow), placeholder_after=0.1)
    r = await h.post(event_body("event_message_im.json", text="hello"))
    assert r.status == 200
    placeholder = (await fake.wait_for("chat.postMessage"))[0]
    assert "Thinking" in placeholder.args["text"]
    update = (await fake.wait_for("chat.update"))[0]
    assert update.args["text"] == "here you are" and update.args["channel"] == "D111"
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_fast_answer_has_no_placeholder(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness(ScriptedBrain(), placeholder_after=1.0)
    await h.post(event_body("event_message_im.json", text="hello"))
    await fake.wait_for("chat.postMessage")
    await h.settle()
    assert len(fake.calls_to("chat.postMessage")) == 1 and fake.calls_to("chat.update") == []


async def test_ack_is_fast_even_when_the_answer_is_slow(make_harness) -> None:
    async def slow(turn):
        await asyncio.sleep(2)
        return Reply(text="late", lang="en")

    h: Harness = await make_harness(ScriptedBrain(slow))
    started = time.monotonic()
    r = await h.post(event_body("event_message_im.json", text="hello"))
    assert r.status == 200 and time.monotonic() - started < 0.5


# ---- slash commands ----------------------------------------------------------------------

from urllib.parse import parse_qsl, urlencode  # noqa: E402


def command(fake: FakeSlack, text: str, rid: str = "r1") -> str:
    fields = dict(parse_qsl(payload("command_slash_hello_world.txt")))
    fields.update(command="/sake", text=text, response_url=fake.response_url(rid), trigger_id=f"trig-{rid}")
    return urlencode(fields)


FORM = "application/x-www-form-urlencoded"


async def test_sake_help_answers_at_once(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    for text in ("help", ""):
        r = await h.post(command(fake, text), content_type=FORM)
        assert r.status == 200
        body = await r.json()
        assert body["response_type"] == "ephemeral" and "/sake rec" in body["text"]
    assert brain.turns == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("rec dry and light", "recommend dry and light"),
        ("rec", "recommend"),
        ("log 獺祭 4.5 lovely and fruity", "log 獺祭 4.5 lovely and fruity"),
        ("what goes with tempura?", "what goes with tempura?"),
    ],
)
async def test_sake_subcommands_become_turns_answered_through_response_url(make_harness, fake: FakeSlack, text: str, expected: str) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    r = await h.post(command(fake, text), content_type=FORM)
    assert r.status == 200
    responses = await fake.wait_responses(1)
    assert brain.turns[0].message.text == expected
    assert brain.turns[0].message.key.workspace == "T111" and brain.turns[0].message.key.user == "W111"
    assert responses[0]["text"] == f"you said: {expected}" and responses[0]["response_type"] == "ephemeral"


@pytest.mark.parametrize("name", ["history", "profile", "wishlist", "stats"])
async def test_sake_commands_reach_the_core_as_typed_commands(make_harness, fake: FakeSlack, name: str) -> None:
    """Never English text for the understanding to read again (and so never answered in English to a Japanese user)."""
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    r = await h.post(command(fake, name), content_type=FORM)
    assert r.status == 200
    responses = await fake.wait_responses(1)
    assert brain.turns[0].message.action == Command(name) and brain.turns[0].message.text == ""
    assert responses[0]["text"] == f"you said: cmd:{name}" and responses[0]["response_type"] == "ephemeral"


async def test_sake_log_without_a_rating_is_refused_with_ss006(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    r = await h.post(command(fake, "log dassai was delicious"), content_type=FORM)
    body = await r.json()
    assert "SS-006" in body["text"] and "/sake log <sake> <rating" in body["text"]
    r = await h.post(command(fake, "log 獺祭 おいしい", "r2"), content_type=FORM)
    body = await r.json()
    assert "SS-006" in body["text"] and "/sake log <銘柄> <評価" in body["text"]
    assert brain.turns == []


async def test_sake_survey_opens_a_modal_and_fills_it(make_harness, fake: FakeSlack) -> None:
    def survey(turn):
        if turn.message.action == unpack("survey:start"):
            return Reply(text="Q1: sweet or dry?", lang="en",
                         actions=[Button(SurveyAnswer("sweetness", "sweet"), "Sweet"), Button(SurveyAnswer("sweetness", "dry"), "Dry")])
        return Reply(text="Thanks! Profile saved.", lang="en")

    brain = ScriptedBrain(survey)
    h: Harness = await make_harness(brain)
    r = await h.post(command(fake, "survey"), content_type=FORM)
    assert r.status == 200
    opened = (await fake.wait_for("views.open"))[0]
    assert opened.args["trigger_id"] == "trig-r1" and opened.args["view"]["type"] == "modal"
    updated = (await fake.wait_for("views.update"))[0]
    buttons = [el for b in updated.args["view"]["blocks"] if b["type"] == "actions" for el in b["elements"]]
    assert [b["value"] for b in buttons] == ["survey:sweetness:sweet", "survey:sweetness:dry"]
    # the user answers inside the modal: the modal moves on
    click = {
        **payload("interactive_block_actions.json"),
        "container": {"type": "view", "view_id": updated.args["view_id"]},
        "view": {**updated.args["view"], "id": updated.args["view_id"], "type": "modal"},
        "actions": [{**buttons[1], "type": "button", "block_id": "x", "action_ts": "1596530385.1"}],
    }
    click.pop("channel")
    from tests.fakes.slack import interactive

    r = await h.post(interactive(click), content_type=FORM)
    assert r.status == 200
    second = (await fake.wait_for("views.update", 2))[1]
    assert "Thanks" in str(second.args["view"]["blocks"])
    assert brain.turns[1].message.action == unpack("survey:sweetness:dry")


# ---- buttons, selects and modals ----------------------------------------------------------

from tests.fakes.slack import interactive  # noqa: E402


def block_action(value: str, *, kind: str = "button", channel: str = "C111", thread_ts: str | None = None,
                 ephemeral: bool = False, label: str = "Log it", response_url: str | None = None) -> dict:
    body = payload("interactive_block_actions.json")
    body["container"] = {"type": "message", "message_ts": "1700000001.000100", "channel_id": channel, "is_ephemeral": ephemeral}
    body["channel"] = {"id": channel, "name": "sake"}
    body["message"] = {"ts": "1700000001.000100", "text": "card", **({"thread_ts": thread_ts} if thread_ts else {})}
    if response_url:
        body["response_url"] = response_url
    action = {"action_id": "ss:" + value, "block_id": "b", "action_ts": f"{time.time():.6f}", "type": kind}
    if kind == "static_select":
        action["selected_option"] = {"text": {"type": "plain_text", "text": "4"}, "value": value}
    else:
        action.update(value=value, text={"type": "plain_text", "text": label})
    body["actions"] = [action]
    return body


async def test_rating_by_button_and_by_select_reach_the_core(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain(lambda turn: Reply(text=f"Saved {pack(turn.message.action)}", lang="en"))
    h: Harness = await make_harness(brain)
    r = await h.post(interactive(block_action("rate:1234:4")), content_type=FORM)
    assert r.status == 200
    r = await h.post(interactive(block_action("rate:1234:4.5", kind="static_select", thread_ts="1699.1")), content_type=FORM)
    assert r.status == 200
    calls = await fake.wait_for("chat.postMessage", 2)
    # Two conversations (the channel and a thread), so no order between them is promised.
    turns = {pack(t.message.action): t for t in brain.turns}
    assert sorted(turns) == ["rate:1234:4", "rate:1234:4.5"] and len(brain.turns) == 2
    assert {c.args["text"] for c in calls} == {"Saved rate:1234:4", "Saved rate:1234:4.5"}
    threaded = [c for c in calls if c.args.get("thread_ts") == "1699.1"]
    assert len(threaded) == 1 and turns["rate:1234:4.5"].message.key.channel == "C111/1699.1"


async def test_button_in_an_ephemeral_message_answers_through_its_response_url(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness(ScriptedBrain())
    await h.post(interactive(block_action("similar:1234", ephemeral=True, response_url=fake.response_url("e1"))), content_type=FORM)
    responses = await fake.wait_responses(1)
    assert responses[0]["rid"] == "e1" and responses[0]["text"] == "you said: similar:1234"


async def test_log_with_notes_opens_the_cores_note_form_and_submit_reaches_the_core(make_harness, fake: FakeSlack, catalog) -> None:
    brain = ScriptedBrain(lambda turn: Reply(text="Logged.", lang=turn.lang))
    h: Harness = await make_harness(brain)
    dassai = next(b for b in catalog.brands.values() if b.name == "獺祭")
    # The user writes in Japanese; the button's label (English here) says nothing about their language.
    await h.core.sensei.handle(Message(key=StateKey("slack", "T111", "C111", "W111"), text="獺祭について教えて"))
    r = await h.post(interactive(block_action(f"note:{dassai.id}", thread_ts="1699.5", label="Log with notes")), content_type=FORM)
    assert r.status == 200
    opened = (await fake.wait_for("views.open"))[0]
    view = opened.args["view"]
    form = note_form(dassai.id, dassai.name, "ja")
    assert view["callback_id"] == "ss_note" and "獺祭" in str(view["blocks"])
    assert view["title"]["text"] == form.title and view["submit"]["text"] == form.submit.label  # Japanese, from the core's form
    assert [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"] == [f.label for f in form.fields]
    assert len(brain.turns) == 1  # opening the form is not a turn
    submission = payload("interactive_view_submission.json")
    submission["view"].update(
        callback_id="ss_note", private_metadata=view["private_metadata"], id="V777", hash="h1",
        state={"values": {
            "rating": {"rating": {"type": "static_select", "selected_option": {"value": "4.5"}}},
            "notes": {"notes": {"type": "plain_text_input", "value": "melon, clean finish"}},
            "temperature": {"temperature": {"type": "static_select", "selected_option": {"value": "冷酒"}}},
            "food": {"food": {"type": "plain_text_input", "value": None}},
        }},
    )
    r = await h.post(interactive(submission), content_type=FORM)
    assert r.status == 200 and (await r.text()) == ""  # an empty 200 closes the modal
    call = (await fake.wait_for("chat.postMessage"))[0]
    turn = brain.turns[1]
    assert turn.message.action == unpack(f"note:{dassai.id}") and turn.lang == "ja"
    assert turn.message.action_values == {"rating": "4.5", "notes": "melon, clean finish", "temperature": "冷酒"}
    assert call.args["channel"] == "C111" and call.args["thread_ts"] == "1699.5" and call.args["text"] == "Logged."


async def test_log_it_is_a_turn_not_a_modal(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    await h.post(interactive(block_action("log:887")), content_type=FORM)
    await fake.wait_for("chat.postMessage")
    assert brain.turns[0].message.action == Log(887) and not fake.calls_to("views.open")


async def test_note_submit_without_a_rating_is_refused_in_the_modal(make_harness) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    submission = payload("interactive_view_submission.json")
    submission["view"].update(callback_id="ss_note", private_metadata='{"brand_id": 5}', state={"values": {}})
    r = await h.post(interactive(submission), content_type=FORM)
    assert r.status == 200 and (await r.json())["response_action"] == "errors"
    assert brain.turns == []


# ---- App Home -------------------------------------------------------------------------------


async def test_app_home_is_published_with_profile_history_and_wishlist(make_harness, fake: FakeSlack) -> None:
    card = Card(brand_id=1, name="獺祭", name_romaji="dassai", brewery="旭酒造", prefecture="山口県",
                flavor={"f1": 0.6, "f2": 0.4, "f3": 0.2, "f4": 0.3, "f5": 0.3, "f6": 0.4}, tags=["フルーティ"])

    def answer(turn):  # the sections are typed commands, not English text
        if turn.message.action == Command("profile"):
            return Reply(text="You like floral sakes.", lang="en", images=[ReplyImage(png=b"\x89PNG fake", alt="taste profile chart")])
        return Reply(text=f"Your {turn.message.action.name}:", lang="en", cards=[card])

    brain = ScriptedBrain(answer)
    h: Harness = await make_harness(brain)
    r = await h.post(payload("event_app_home_opened_home_tab.json"))
    assert r.status == 200
    published = (await fake.wait_for("views.publish"))[0]
    assert published.args["user_id"] == "W222"
    view = published.args["view"]
    assert view["type"] == "home"
    text = str(view["blocks"])
    assert "You like floral" in text and "Your history" in text and "Your wishlist" in text and "獺祭" in text
    image = [b for b in view["blocks"] if b["type"] == "image"]
    uploaded = fake.calls_to("files.getUploadURLExternal")[0]
    assert (
        image and image[0]["slack_file"]["id"] in fake.uploads and "channel_id" not in fake.calls_to("files.completeUploadExternal")[0].args
    )
    assert uploaded.args["filename"] == "taste-profile.png"
    assert fake.uploads and list(fake.uploads.values())[0] == b"\x89PNG fake"
    # the messages tab is not the home tab: nothing is published
    r = await h.post(payload("event_app_home_opened_messages_tab.json") | {"event_id": "Ev-messages"})
    await h.settle()
    assert len(fake.calls_to("views.publish")) == 1


# ---- photos and pictures ---------------------------------------------------------------------


async def test_label_photo_is_downloaded_with_the_bot_token_and_identified(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain(lambda turn: Reply(text=f"{len(turn.message.images)} photo(s)", lang="en"))
    h: Harness = await make_harness(brain)
    fake.files["T111-F111/download/label.png"] = b"\x89PNG label bytes"
    body = payload("event_message_channel_with_file.json")
    body["event"].update(channel_type="im", channel="D111", text="what is this?")
    body["event"]["files"][0]["url_private_download"] = fake.file_url("T111-F111/download/label.png")
    r = await h.post(body)
    assert r.status == 200
    call = (await fake.wait_for("chat.postMessage"))[0]
    assert call.args["text"] == "1 photo(s)"
    assert brain.images == [b"\x89PNG label bytes"]
    download = fake.calls_to("file")[0]
    assert download.token == TOKEN


async def test_oversized_photo_gets_ss005(make_harness, fake: FakeSlack) -> None:
    h: Harness = await make_harness()  # the real core: the brain reads the image and fails with a code
    body = payload("event_message_channel_with_file.json")
    body["event"].update(channel_type="im", channel="D111", text="")
    body["event"]["files"][0]["size"] = 50 * 1024 * 1024
    body["event"]["files"][0]["url_private_download"] = fake.file_url("big.png")
    async def reads(turn):
        await turn.message.images[0].read()
        return Reply(text="unreachable", lang="en")

    h.core.sensei.brain = ScriptedBrain(reads)
    await h.post(body)
    call = (await fake.wait_for("chat.postMessage"))[0]
    assert "SS-005" in str(call.args["blocks"]) and "larger than" in call.args["text"]
    assert fake.calls_to("file") == []  # never downloaded


async def test_reply_pictures_are_uploaded_with_the_external_upload_api(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain(lambda turn: Reply(text="Your chart", lang="en", images=[ReplyImage(png=b"\x89PNG chart", alt="flavor chart")]))
    h: Harness = await make_harness(brain)
    await h.post(event_body("event_message_im.json", text="show my chart"))
    complete = (await fake.wait_for("files.completeUploadExternal"))[0]
    assert fake.calls_to("files.getUploadURLExternal")[0].args["length"] == str(len(b"\x89PNG chart"))
    assert complete.args["channel_id"] == "D111"
    assert list(fake.uploads.values()) == [b"\x89PNG chart"]


# ---- every captured payload -------------------------------------------------------------------

from pathlib import Path  # noqa: E402

PAYLOAD_FILES = sorted(p.name for p in (Path(__file__).parent / "payloads").iterdir()
                       if not p.name.startswith("socket_mode_") and p.name != "interactive_block_actions.form.txt")


@pytest.mark.parametrize("name", PAYLOAD_FILES)
async def test_every_captured_payload_gets_a_2xx_and_never_crashes(make_harness, fake: FakeSlack, name: str, caplog) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    raw = payload(name)
    if name.endswith(".txt"):
        body, ctype = raw, FORM
    elif name.startswith("interactive_"):
        body, ctype = interactive(raw), FORM
    else:
        body, ctype = raw, "application/json"
    caplog.set_level(logging.ERROR)
    r = await h.post(body, content_type=ctype)
    assert 200 <= r.status < 300, (name, r.status, await r.text())
    await h.settle()
    assert not [rec for rec in caplog.records if rec.exc_info], [rec.getMessage() for rec in caplog.records]


async def test_block_actions_wire_form_as_published(make_harness) -> None:
    h: Harness = await make_harness(ScriptedBrain())
    r = await h.post(payload("interactive_block_actions.form.txt"), content_type=FORM)
    assert r.status == 200


# ---- channels and threads ------------------------------------------------------------------------


async def test_mention_is_answered_in_a_thread_and_follow_ups_continue_there(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    mention = payload("event_app_mention.json")
    mention["event"].update(text="<@UBOT111> something dry please", channel="C111", ts="1700.0001", user="W222")
    mention["event_id"] = "Ev-mention"
    mention["team_id"] = "T111"
    r = await h.post(mention)
    assert r.status == 200
    first = (await fake.wait_for("chat.postMessage"))[0]
    assert first.args["channel"] == "C111" and first.args["thread_ts"] == "1700.0001"
    assert brain.turns[0].message.text == "something dry please"
    # the same message also arrives as message.channels: not answered twice
    await h.post(
        event_body("event_message_channel.json", text="<@UBOT111> something dry please", channel="C111", ts="1700.0001")
        | {"event_id": "Ev-copy", "team_id": "T111"}
    )
    # a follow-up in that thread, without a mention
    await h.post(event_body("event_message_channel.json", text="and something sweeter?", channel="C111", ts="1700.0005",
                            thread_ts="1700.0001", user="W222") | {"event_id": "Ev-follow", "team_id": "T111"})
    second = (await fake.wait_for("chat.postMessage", 2))[1]
    assert second.args["thread_ts"] == "1700.0001"
    assert brain.turns[1].message.key == brain.turns[0].message.key  # the same conversation
    # chatter in another thread is not for the bot
    await h.post(event_body("event_message_channel.json", text="lunch?", channel="C111", ts="1800.2", thread_ts="1800.1")
                 | {"event_id": "Ev-other", "team_id": "T111"})
    await h.settle()
    assert len(brain.turns) == 2


async def test_dm_thread_reply_continues_in_the_thread(make_harness, fake: FakeSlack) -> None:
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    await h.post(payload("event_message_im_thread_reply.json"))
    call = (await fake.wait_for("chat.postMessage"))[0]
    assert call.args["channel"] == "D111" and call.args["thread_ts"] == "1726133698.626339"
    assert brain.turns[0].message.key.channel == "D111/1726133698.626339"


async def test_in_a_backlog_a_fast_turn_is_answered_without_a_placeholder(make_harness, fake: FakeSlack) -> None:
    """One turn slot: the second event waits behind a slow one longer than the placeholder
    threshold; once it runs, its fast answer is posted directly (no placeholder + update)."""
    async def answer(turn):
        if "slow" in turn.message.text:
            await asyncio.sleep(0.8)
        return Reply(text="done " + turn.message.text, lang="en")

    h: Harness = await make_harness(ScriptedBrain(answer), placeholder_after=0.3)
    h.bot.options = __import__("dataclasses").replace(h.bot.options, max_turns=1)
    h.bot._turns = asyncio.Semaphore(1)
    await h.post(event_body("event_message_im.json", text="slow one") | {"event_id": "Ev-slow"})
    await h.post(event_body("event_message_im.json", text="fast one", channel="D222") | {"event_id": "Ev-fast"})
    await fake.wait_for("chat.update")
    await fake.wait_for("chat.postMessage", 2)
    await h.settle()
    posts = fake.calls_to("chat.postMessage")
    assert [p.args["text"] for p in posts] == ["Thinking… :sake:", "done fast one"]
    assert fake.calls_to("chat.update")[0].args["text"] == "done slow one"


# ---- answers the core decides for Slack (issue #18) ------------------------------------------------


async def test_sake_log_usage_is_the_cores_answer_in_the_users_language(make_harness, fake: FakeSlack) -> None:
    """`/sake log` says nothing of its language: the core answers in the one the user last wrote in
    (the adapter answered English, guessed from the word "log")."""
    brain = ScriptedBrain()
    h: Harness = await make_harness(brain)
    fields = dict(parse_qsl(command(fake, "log")))
    key = StateKey("slack", fields["team_id"], fields["channel_id"], fields["user_id"])
    await h.core.sensei.identity.resolve(key, language="ja")
    body = await (await h.post(command(fake, "log"), content_type=FORM)).json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith(":warning: `SS-006`") and "/sake log <銘柄> <評価" in body["text"]
    assert "`SS-006`" in str(body["blocks"]) and brain.turns == []


async def test_home_tab_is_one_core_answer_kept_until_slack_takes_it(make_harness, fake: FakeSlack) -> None:
    """The page is the core's home reply: published through the turn pipeline, so a publish Slack refuses
    for now is sent again from the kept reply, without asking the core for its sections a second time."""
    def answer(turn):
        if turn.message.action == Command("profile"):
            return Reply(text="You like floral sakes.", lang="ja", images=[ReplyImage(png=b"\x89PNG fake", alt="chart")])
        return Reply(text=f"Your {turn.message.action.name}", lang="ja")

    brain = ScriptedBrain(answer)
    h: Harness = await make_harness(brain)
    fake.fail("views.publish", status=500, error="internal_error", retry_after=None, times=1)
    body = payload("event_app_home_opened_home_tab.json")
    await h.post(body)
    published = await fake.wait_for("views.publish", count=2)
    await h.settle()
    view = published[-1].args["view"]
    assert view["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Sake Sensei 🍶", "emoji": True}}
    assert "Your history" in str(view["blocks"]) and "Your wishlist" in str(view["blocks"])
    assert [t.message.action for t in brain.turns] == [Command("profile"), Command("history"), Command("wishlist")]
    assert await h.core.inbox.take_undelivered("slack", body["event_id"], older_than=timedelta(0)) is None  # recorded as delivered
