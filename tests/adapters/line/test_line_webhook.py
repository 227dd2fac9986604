"""`POST /line/webhook` end to end: real line-bot-sdk clients, fake LINE APIs, the real core."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from core.actions import SurveyStart, Unknown
from core.db.identity_tables import User, Workspace
from core.texts import t
from tests.adapters.line.conftest import GROUP, PAYLOADS, SECRET, USER, Line, event
from tests.fakes.line import sign

REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"


def _types(messages: list[dict]) -> list[str]:
    return [m["type"] for m in messages]


async def test_text_is_answered_with_the_reply_token(line: Line) -> None:
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭ってどんなお酒?")
    r = await line.post(ev)
    assert r.status == 200
    [reply] = line.replies()
    assert reply["replyToken"] == ev["replyToken"]
    messages = reply["messages"]
    assert messages[0]["type"] == "text" and "獺祭" in messages[0]["text"]
    flex = next(m for m in messages if m["type"] == "flex")
    bubble = flex["contents"]["contents"][0]
    assert bubble["body"]["contents"][0]["text"] == "獺祭"
    assert bubble["hero"]["url"].startswith("https://sensei.example/media/flavor/")
    datas = json.dumps(messages, ensure_ascii=False)  # the core's buttons, once each (on the card or as quick replies)
    assert datas.count('"data": "log:') == datas.count('"data": "similar:') == datas.count('"data": "wish:') == 1
    assert line.pushes() == []
    # The reply's hero image is served by the same server.
    path = bubble["hero"]["url"].removeprefix("https://sensei.example")
    got = await line.client.get(path)
    assert got.status == 200 and got.content_type == "image/png"


async def test_image_is_downloaded_identified_and_answered_with_flex(line: Line) -> None:
    ev = event("webhook_message_image_set_two_images.json", source={"type": "user", "userId": USER})
    message_id = ev["message"]["id"]
    r = await line.post(ev)
    assert r.status == 200
    loading = line.fake.sent("/v2/bot/chat/loading/start")
    assert [c.body["chatId"] for c in loading] == [USER]
    assert [c.path for c in line.fake.sent(f"/v2/bot/message/{message_id}/content")] == [f"/v2/bot/message/{message_id}/content"]
    assert line.brain.images == [line.fake.image]
    # The loading animation started before the photo was fetched.
    paths = [c.path for c in line.fake.calls]
    assert paths.index("/v2/bot/chat/loading/start") < paths.index(f"/v2/bot/message/{message_id}/content")
    [reply] = line.replies()
    assert _types(reply["messages"]) == ["text", "flex", "image"]
    image = reply["messages"][2]
    assert image["originalContentUrl"].startswith("https://sensei.example/media/")
    got = await line.client.get(image["originalContentUrl"].removeprefix("https://sensei.example"))
    assert got.status == 200 and (await got.read()).startswith(b"\x89PNG")


async def test_an_image_line_no_longer_has_gets_a_coded_answer(line: Line) -> None:
    ev = event("webhook_message_image_set_two_images.json", source={"type": "user", "userId": USER}, message__id="gone-1")
    await line.post(ev)
    [reply] = line.replies()
    assert reply["messages"][0]["text"].startswith("その画像を読み取れませんでした")


async def test_postback_rating_is_saved(line: Line) -> None:
    ev = event("event_postback.json", source={"type": "user", "userId": USER}, postback={"data": "rate:887:4"})
    await line.post(ev)
    assert line.brain.ratings == {(USER, 887): 4.0}
    [reply] = line.replies()
    assert "★4" in reply["messages"][0]["text"]


async def test_log_postback_offers_star_quick_replies(line: Line) -> None:
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭"))
    await line.post(event("event_postback.json", source={"type": "user", "userId": USER}, postback={"data": "log:887"}))
    reply = line.replies()[-1]
    items = reply["messages"][-1]["quickReply"]["items"]
    assert [i["action"]["data"] for i in items] == [f"rate:887:{n}" for n in range(1, 6)]  # 1 to 5, as the core orders them
    assert items[4]["action"]["label"] == "★5"


async def test_foreign_postback_data_gets_a_clear_answer(line: Line) -> None:
    r = await line.post(event("event_postback.json", source={"type": "user", "userId": USER}))  # action=buyItem&…
    assert r.status == 200 and isinstance(line.brain.turns[0].message.action, Unknown)
    [reply] = line.replies()
    assert reply["messages"][0]["text"] == t("turn.invalid_button", "ja")  # someone never seen, no profile language: Japanese


async def test_follow_greets_in_the_profile_language_and_offers_the_survey(line: Line) -> None:
    line.fake.languages[USER] = "en"
    await line.post(event("webhook_follow.json", source={"type": "user", "userId": USER}))
    [reply] = line.replies()
    first = reply["messages"][0]["text"]
    assert first.startswith("Thanks for adding me!") and "友だち" not in first
    assert line.brain.turns[0].message.action == SurveyStart() and line.brain.turns[0].lang == "en"
    items = reply["messages"][-1]["quickReply"]["items"]
    assert [i["action"]["data"] for i in items] == ["survey:sweetness:dry", "survey:sweetness:sweet"]


async def test_without_a_profile_language_follow_and_stickers_are_answered_in_both(line: Line) -> None:
    await line.post(event("event_message_sticker.json", source={"type": "user", "userId": USER}))  # someone new
    assert "スタンプありがとうございます" in line.replies()[-1]["messages"][0]["text"]
    assert "Thanks for the sticker!" in line.replies()[-1]["messages"][0]["text"]
    await line.post(event("webhook_follow.json", source={"type": "user", "userId": USER}))
    first = line.replies()[-1]["messages"][0]["text"]
    assert first.startswith("友だち追加ありがとうございます") and "Thanks for adding me!" in first
    line.fake.languages[USER] = "ja"
    await line.post(event("event_message_sticker.json", source={"type": "user", "userId": USER}))
    assert line.replies()[-1]["messages"][0]["text"] == t("event.sticker", "ja")


async def test_a_sticker_and_a_postback_follow_the_language_the_user_last_wrote_in(line: Line) -> None:
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="tell me about dassai"))
    await line.post(event("event_message_sticker.json", source={"type": "user", "userId": USER}))
    assert line.replies()[-1]["messages"][0]["text"] == t("event.sticker", "en")  # no profile language: the last one
    await line.post(event("event_postback.json", source={"type": "user", "userId": USER}, postback={"data": "log:887"}))
    assert line.brain.turns[-1].lang == "en"  # a postback has no words: the language the user last wrote in, not a guess


async def test_a_sticker_is_answered_by_the_core_with_what_to_do_next(line: Line) -> None:
    """A friendly answer in the user's language, and quick actions (the adapter answered with words alone)."""
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭について教えて"))
    await line.post(event("event_message_sticker.json", source={"type": "user", "userId": USER}))
    last = line.replies()[-1]["messages"][-1]
    assert last["text"] == t("event.sticker", "ja")
    items = last["quickReply"]["items"]
    assert [i["action"]["data"] for i in items] == ["survey:start", "cmd:history", "cmd:help"]
    assert [i["action"]["label"] for i in items] == [t("command.survey", "ja"), t("command.history", "ja"), t("command.help", "ja")]


async def test_a_follow_from_someone_nothing_is_known_of_is_a_short_greeting_in_both_and_the_survey_button(line: Line) -> None:
    """No profile language, never heard: not the survey's first question in a guessed Japanese."""
    await line.post(event("event_follow.json", source={"type": "user", "userId": USER}))
    [reply] = line.replies()
    text = reply["messages"][0]["text"]
    assert text.startswith(t("event.greeting_short", "ja")) and t("event.greeting_short", "en") in text
    items = reply["messages"][-1]["quickReply"]["items"]
    assert [i["action"]["data"] for i in items] == ["survey:start"] and line.brain.turns == []
    # the user writes: from then on the core knows their language, and a sticker says so
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="what is junmai?"))
    await line.post(event("event_message_sticker.json", source={"type": "user", "userId": USER}))
    assert line.replies()[-1]["messages"][-1]["text"] == t("event.sticker", "en")


async def test_a_join_is_answered_by_the_core_in_both_languages(line: Line) -> None:
    await line.post(event("event_join.json", source={"type": "group", "groupId": GROUP}))
    [reply] = line.replies()
    assert reply["messages"][0]["text"] == f"{t('event.joined', 'ja')}\n\n{t('event.joined', 'en')}"


async def test_unfollow_stops_pushes_until_followed_again(line: Line) -> None:
    assert line.core.reachability is not None
    await line.post(event("webhook_unfollow.json", source={"type": "user", "userId": USER}))
    assert not await line.core.reachability.can_push("line", USER)
    # A turn still in flight when the user blocked the bot: its reply token fails, and no push follows.
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    line.fake.expire_token(ev["replyToken"])
    await line.post(ev)
    assert line.pushes() == [] and line.fake.attempts(PUSH) == []
    await line.post(event("webhook_follow_unblocked.json", source={"type": "user", "userId": USER}))
    assert await line.core.reachability.can_push("line", USER)


async def test_an_invalid_reply_token_falls_back_to_a_push_with_a_retry_key(line: Line) -> None:
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    line.fake.expire_token(ev["replyToken"])
    await line.post(ev)
    assert line.replies() == [] and len(line.fake.attempts(REPLY)) == 1
    [push] = line.pushes()
    assert push.body["to"] == USER and push.headers.get("X-Line-Retry-Key")
    assert "獺祭" in push.body["messages"][0]["text"]


async def test_a_stale_redelivered_token_is_not_tried(line: Line) -> None:
    ev = event("event_message_text_redelivery.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    ev["deliveryContext"] = {"isRedelivery": True}
    ev["timestamp"] = int((line.clock.now - 120) * 1000)  # sent two minutes ago: its token is dead
    await line.post(ev)
    assert line.fake.attempts(REPLY) == []
    [push] = line.pushes()
    assert push.body["to"] == USER


async def test_a_redelivered_event_is_handled_once(line: Line) -> None:
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    again = dict(ev, deliveryContext={"isRedelivery": True})
    r1 = await line.post(ev)
    r2 = await line.post(again)
    r3 = await line.post(ev, again)  # both copies in one body, too
    assert (r1.status, r2.status, r3.status) == (200, 200, 200)
    assert len(line.brain.turns) == 1
    assert len(line.replies()) == 1 and line.pushes() == []
    assert await line.core.inbox.status("line", ev["webhookEventId"]) == "done"


async def test_simultaneous_duplicates_in_one_body_are_handled_once(line: Line) -> None:
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    await line.post(ev, dict(ev))
    assert len(line.brain.turns) == 1 and len(line.replies()) == 1


async def test_forged_signature_is_401_and_nothing_is_logged_of_the_body(line: Line, caplog: pytest.LogCaptureFixture) -> None:
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="secret-body-text")
    raw = json.dumps({"destination": "U", "events": [ev]}).encode()
    caplog.set_level(logging.DEBUG)
    for bad in (sign("not-the-secret", raw), "", "%%%notbase64"):
        r = await line.post(body=raw, signature=bad)
        assert r.status == 401
        body = await r.json()
        assert body["error"]["code"] == "SS-007"
    assert line.brain.turns == [] and line.fake.calls == []
    assert "SS-007" in caplog.text
    assert "secret-body-text" not in caplog.text and SECRET not in caplog.text


async def test_a_signed_body_that_is_not_a_webhook_is_400(line: Line) -> None:
    for raw in (b"not json", b"[1,2]", b'{"events": 3}'):
        r = await line.post(body=raw)
        assert r.status == 400


async def test_group_is_the_workspace_and_the_bot_answers_only_when_addressed(line: Line) -> None:
    src = {"type": "group", "groupId": GROUP, "userId": USER}
    await line.post(event("event_message_text_group.json", source=src, message__text="今日の仕込みは?"))
    assert line.replies() == [] and line.brain.turns == []
    await line.post(event("event_message_text_group.json", source=src, message__text="先生、獺祭ってどんなお酒?"))
    mention = {"mentionees": [{"index": 0, "length": 12, "type": "user", "userId": "Ubot", "isSelf": True}]}
    await line.post(event("event_message_text_group.json", source=src, message__text="@Sake Sensei 久保田", message__mention=mention))
    assert [t.message.text for t in line.brain.turns] == ["獺祭ってどんなお酒?", "久保田"]
    assert len(line.replies()) == 2
    key = line.brain.turns[0].message.key
    assert (key.workspace, key.channel, key.user) == (GROUP, GROUP, USER)
    async with line.core.db.session() as s:
        ws = await s.scalar(select(Workspace).where(Workspace.platform == "line", Workspace.external_id == GROUP))
        assert ws is not None
        users = (await s.scalars(select(User).where(User.workspace_id == ws.id))).all()
        assert [u.external_id for u in users] == [USER]


async def test_a_one_to_one_chat_lives_in_the_direct_workspace(line: Line) -> None:
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="hello"))
    key = line.brain.turns[0].message.key
    assert (key.platform, key.workspace, key.channel, key.user) == ("line", "direct", USER, USER)


async def test_sticker_gets_a_kind_answer_once(line: Line) -> None:
    ev = event("event_message_sticker.json", source={"type": "user", "userId": USER})
    await line.post(ev)
    await line.post(ev)
    [reply] = line.replies()
    assert "スタンプ" in reply["messages"][0]["text"]
    assert line.brain.turns == []


async def test_429_and_5xx_are_retried_with_backoff(line: Line) -> None:
    line.fake.fail(REPLY, 429, 500)
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭"))
    assert [c.status for c in line.fake.attempts(REPLY)] == [429, 500, 200]
    assert line.sleeps == [1.0, 1.0]  # Retry-After: 1 first, then the backoff's second step
    assert line.pushes() == []


async def test_push_retries_keep_the_retry_key_and_409_means_delivered(line: Line) -> None:
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    line.fake.expire_token(ev["replyToken"])
    line.fake.fail(PUSH, 503)
    await line.post(ev)
    attempts = line.fake.attempts(PUSH)
    assert [c.status for c in attempts] == [503, 200]
    keys = {c.headers["X-Line-Retry-Key"] for c in attempts}
    assert len(keys) == 1
    # The same push again (a worker re-running the job) is refused with 409 and counted as sent.
    job = {"event": ev, "received_at": line.clock.now - 3600}
    await line.core.inbox.finish("line", ev["webhookEventId"])
    from adapters.line.events import translate

    await line.bot._send(translate(ev), [{"type": "text", "text": "again"}], job)
    assert [c.status for c in line.fake.attempts(PUSH)] == [503, 200, 409]


async def test_reply_that_keeps_failing_falls_back_to_push(line: Line) -> None:
    line.fake.fail(REPLY, 500, 500, 500, 500)
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭"))
    assert len(line.fake.attempts(REPLY)) == 4
    assert len(line.pushes()) == 1


ALL_FIXTURES = sorted(p.name for p in PAYLOADS.glob("*.json") if p.name.startswith(("webhook_", "event_")))


@pytest.mark.parametrize("name", ALL_FIXTURES)
async def test_every_line_event_type_gets_200_and_never_crashes(line: Line, name: str, caplog: pytest.LogCaptureFixture) -> None:
    raw = (PAYLOADS / name).read_bytes()
    caplog.set_level(logging.WARNING)
    r = await line.post(body=raw)
    assert r.status == 200
    failures = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert failures == [], [rec.getMessage() for rec in failures]
    # Whatever was answered went out within LINE's limits (the fake answers 400 otherwise).
    assert all(c.status < 400 for c in line.fake.calls if c.path in (REPLY, PUSH)), [c.body for c in line.fake.calls]


def test_fixture_set_covers_the_shared_payloads() -> None:
    shared = Path("/work/shared/payloads/line")
    if shared.is_dir():
        assert {p.name for p in shared.glob("*.json")} <= set(ALL_FIXTURES)
    assert len(ALL_FIXTURES) >= 80


async def test_readyz_shows_line_enabled(line: Line) -> None:
    body = await (await line.client.get("/readyz")).json()
    assert body["platforms"]["line"] == "enabled"


async def test_without_line_secrets_the_route_is_404(db_url: str) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.config import Settings
    from bot.server import make_app
    from bot.wiring import build_core

    core = await build_core(Settings.from_env({"DATABASE_URL": db_url, "LINE_CHANNEL_SECRET": SECRET}))  # no token
    try:
        async with TestClient(TestServer(make_app(core))) as client:
            r = await client.post("/line/webhook", data=b"{}", headers={"X-Line-Signature": sign(SECRET, b"{}")})
            assert r.status == 404
            assert (await (await client.get("/readyz")).json())["platforms"]["line"] == "disabled"
    finally:
        await core.close()


async def test_the_webhook_answers_before_the_work_is_done(line: Line) -> None:
    """200 comes back while the turn is still running (LINE wants an answer within seconds)."""
    import asyncio

    gate = asyncio.Event()
    original = line.brain.reply

    async def slow(turn):  # type: ignore[no-untyped-def]
        await gate.wait()
        return await original(turn)

    line.brain.reply = slow  # type: ignore[method-assign]
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    raw = json.dumps({"destination": "U", "events": [ev]}).encode()
    r = await line.client.post("/line/webhook", data=raw, headers={"X-Line-Signature": sign(SECRET, raw)})
    assert r.status == 200 and line.replies() == []
    gate.set()
    await line.settle()
    assert len(line.replies()) == 1


async def test_without_an_https_base_url_no_picture_is_sent(line: Line) -> None:
    line.core.media.base_url = "http://localhost:8080"  # LINE refuses any message with an http image URL
    ev = event("webhook_message_image_set_two_images.json", source={"type": "user", "userId": USER})
    await line.post(ev)
    [reply] = line.replies()
    assert _types(reply["messages"]) == ["text", "flex"]
    assert "hero" not in reply["messages"][1]["contents"]["contents"][0]


async def test_a_rich_reply_line_refuses_still_reaches_the_user_as_text(line: Line) -> None:
    line.fake.refused_types.add("flex")
    ev = event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭")
    await line.post(ev)
    assert [c.status for c in line.fake.attempts(REPLY)] == [400]
    assert [c.status for c in line.fake.attempts(PUSH)] == [400, 200]
    [push] = line.pushes()
    assert _types(push.body["messages"]) == ["text"] and "獺祭" in push.body["messages"][0]["text"]
    keys = [c.headers["X-Line-Retry-Key"] for c in line.fake.attempts(PUSH)]
    assert keys[0] != keys[1]


async def test_a_turn_that_outlives_the_reply_token_is_pushed(line: Line) -> None:
    """The token is aged from when the webhook arrived: a slow turn (an LLM, OCR) ends with a push."""
    times = iter([line.clock.now])  # the webhook's receive time; every later reading is 2 minutes on

    line.bot.clock = lambda: next(times, line.clock.now + 120)
    await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭"))
    assert line.fake.attempts(REPLY) == []
    assert len(line.pushes()) == 1


async def test_while_shutting_down_the_webhook_asks_for_redelivery(line: Line) -> None:
    line.core.jobs.closed = True  # type: ignore[attr-defined]
    r = await line.post(event("event_message_text.json", source={"type": "user", "userId": USER}, message__text="獺祭"))
    assert r.status == 503
    line.core.jobs.closed = False  # type: ignore[attr-defined]
