"""End to end: the real discord.py client against the fake Discord gateway and REST API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io

import discord
import pytest
from PIL import Image as PILImage

from core.actions import Command, Note, Pick, Rate, unpack
from core.controls import card_buttons, rating
from core.messages import Button, Reply
from core.sensei import Turn
from core.texts import t
from tests.adapters.discord.conftest import ScriptedBrain, running_bot, with_brain
from tests.fakes.discord import APP_ID, BOT_ID, BOT_USER, CHANNEL_ID, DM_CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord


def _brand(core, name: str):  # type: ignore[no-untyped-def]
    return core.search.search(name, limit=1)[0].brand


def recommend(core):  # type: ignore[no-untyped-def]
    """A recommendation reply as the agent gives one: cards with charts, and their buttons."""
    dassai, kubota = _brand(core, "獺祭"), _brand(core, "久保田")

    def answer(turn: Turn) -> Reply:
        cards = [dassai.card(score=0.91, reason="Floral and light, as you like."), kubota.card(score=0.8, reason="Dry and clean.")]
        for c in cards:
            c.actions = card_buttons(c.brand_id, turn.lang)
        return Reply(text="Two sakes for you:", lang=turn.lang, cards=cards, tools=["recommend"])

    return answer


async def test_dm_about_a_sake_gets_an_embed_with_its_flavor_chart(fake: FakeDiscord, core) -> None:
    async with running_bot(fake, core):
        await fake.dispatch("MESSAGE_CREATE", fake.message("tell me about dassai"))
        [sent] = await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
    assert fake.calls_to("POST", rf"/channels/{DM_CHANNEL_ID}/typing"), "typing indicator while the core works"
    embed = sent.payload["embeds"][0]
    assert embed["title"] == "獺祭 (dassai)"
    [(name, png)] = sent.files.items()
    assert png.startswith(b"\x89PNG") and embed["image"]["url"] == f"attachment://{name}"
    assert "獺祭" in sent.payload["content"]


async def test_dm_recommendation_has_cards_and_persistent_buttons(fake: FakeDiscord, core) -> None:
    brain = ScriptedBrain(recommend(core))
    async with running_bot(fake, core, sensei=with_brain(core, brain)):
        await fake.dispatch("MESSAGE_CREATE", fake.message("something floral and light please"))
        [sent] = await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
    [turn] = brain.turns
    assert turn.message.text == "something floral and light please"
    assert (turn.message.key.platform, turn.message.key.workspace, turn.message.key.user) == ("discord", "dm", USER_ID)
    assert [e["title"] for e in sent.payload["embeds"]] == ["獺祭 (dassai)", "久保田 (kubota)"]
    rows = sent.payload["components"]
    assert len(rows) == 2  # one row of buttons per sake, named by a greyed button with the sake's name
    ids = [c["custom_id"] for row in rows for c in row["components"]]
    dassai = _brand(core, "獺祭").id
    assert ids[:4] == [f"name-{dassai}", f"log:{dassai}", f"similar:{dassai}", f"wish:{dassai}"]
    assert [c["label"] for c in rows[0]["components"]] == ["獺祭", "Log it", "Similar", "Wishlist"]
    assert rows[0]["components"][0]["disabled"] is True


async def test_a_mention_in_a_server_is_answered_in_the_channel_as_a_reply(fake: FakeDiscord, core) -> None:
    brain = ScriptedBrain(recommend(core))
    async with running_bot(fake, core, sensei=with_brain(core, brain)) as client:
        assert client.get_guild(int(GUILD_ID)) is not None
        await fake.dispatch("MESSAGE_CREATE", fake.message("hello everyone", guild=True))  # not for the bot
        mention = fake.message(f"<@{BOT_ID}> a dry sake?", guild=True, mentions=[BOT_USER])
        await fake.dispatch("MESSAGE_CREATE", mention)
        [sent] = await fake.wait_call("POST", rf"/channels/{CHANNEL_ID}/messages")
    [turn] = brain.turns
    assert turn.message.text == "a dry sake?"
    assert turn.message.key.workspace == GUILD_ID and turn.message.event_id == mention["id"]
    assert str(sent.payload["message_reference"]["message_id"]) == mention["id"]
    assert sent.payload["allowed_mentions"]["parse"] == []


async def test_a_redelivered_message_is_answered_once(fake: FakeDiscord, core) -> None:
    async with running_bot(fake, core):
        msg = fake.message("kubota")
        await fake.dispatch("MESSAGE_CREATE", msg)
        await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
        await fake.dispatch("MESSAGE_CREATE", msg)
        await fake.dispatch("MESSAGE_CREATE", fake.message("dassai"))
        await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages", n=2)
        await asyncio.sleep(0.2)
    assert len(fake.calls_to("POST", rf"/channels/{DM_CHANNEL_ID}/messages")) == 2


async def test_an_attached_label_photo_reaches_the_core_and_the_answer_is_an_embed(fake: FakeDiscord, core) -> None:
    buf = io.BytesIO()
    PILImage.new("RGB", (64, 48), (250, 240, 220)).save(buf, format="PNG")
    photo = buf.getvalue()
    dassai = _brand(core, "獺祭")
    brain = ScriptedBrain(lambda turn: Reply(text="This label reads 獺祭.", cards=[dassai.card(score=0.93)],
                                             actions=[Button(Pick(dassai.id), "That's it")], tools=["identify_label"]))
    async with running_bot(fake, core, sensei=with_brain(core, brain)):
        attachment = fake.attachment("label.png", photo)
        text_file = fake.attachment("notes.txt", b"not an image", content_type="text/plain")
        await fake.dispatch("MESSAGE_CREATE", fake.message("", attachments=[attachment, text_file]))
        [sent] = await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
    assert brain.image_bytes == [photo], "the image attachment (only) is read from Discord's CDN"
    assert brain.turns[0].message.images[0].filename == "label.png"
    assert sent.payload["embeds"][0]["title"].startswith("獺祭")
    assert sent.payload["components"][0]["components"][0]["custom_id"] == f"pick:{dassai.id}"
    assert fake.calls_to("POST", rf"/channels/{DM_CHANNEL_ID}/typing")


async def test_a_button_of_an_earlier_message_still_works_after_a_restart(fake: FakeDiscord, core) -> None:
    brain = ScriptedBrain(recommend(core))
    sensei = with_brain(core, brain)
    async with running_bot(fake, core, sensei=sensei):
        await fake.dispatch("MESSAGE_CREATE", fake.message("recommend me something", guild=True, mentions=[BOT_USER]))
        await fake.wait_call("POST", rf"/channels/{CHANNEL_ID}/messages")
    message = fake.sent[-1]
    dassai = _brand(core, "獺祭").id
    brain.answer = lambda turn: Reply(text="Added 獺祭 to your wishlist.", lang=turn.lang)
    async with running_bot(fake, core, sensei=sensei):  # a new process: nothing remembered but the custom_id
        click = fake.interaction(3, {"custom_id": f"wish:{dassai}", "component_type": 2}, message=message)
        await fake.dispatch("INTERACTION_CREATE", click)
        [callback] = await fake.wait_call("POST", rf"/interactions/{click['id']}/{click['token']}/callback")
        [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{click['token']}")
    assert callback.payload["type"] == 5 and callback.payload["data"]["flags"] & 64, "deferred, ephemeral: a wishlist is personal"
    assert brain.turns[-1].message.action == unpack(f"wish:{dassai}")
    assert brain.turns[-1].message.event_id == click["id"]
    assert follow.payload["content"] == "Added 獺祭 to your wishlist." and follow.payload["flags"] & 64


async def test_rating_stars_and_tasting_note_modal(fake: FakeDiscord, core) -> None:
    dassai = _brand(core, "獺祭")
    card = dassai.card()
    card.actions, card.rating = [Button(Note(dassai.id), t("button.note", "en"))], rating(dassai.id, "en")
    brain = ScriptedBrain(lambda turn: Reply(text="How was it?", lang=turn.lang, cards=[card]))
    async with running_bot(fake, core, sensei=with_brain(core, brain)):
        await fake.dispatch("MESSAGE_CREATE", fake.message("I drank dassai"))
        await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
        message = fake.sent[-1]
        notes_row, stars = message["components"]
        assert [b["custom_id"] for b in stars["components"]] == [f"rate:{dassai.id}:{n}" for n in range(1, 6)]
        assert [b["label"] for b in stars["components"]] == [f"{n}★" for n in range(1, 6)]

        brain.answer = lambda turn: Reply(text="Saved: 獺祭 ★4", lang=turn.lang)
        star = stars["components"][3]
        choose = fake.interaction(3, {"custom_id": star["custom_id"], "component_type": 2}, message=message, guild=False)
        await fake.dispatch("INTERACTION_CREATE", choose)
        await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{choose['token']}")
        assert brain.turns[-1].message.action == Rate(dassai.id, 4)

        # "Log with notes" opens the core's tasting-note form at once (a modal cannot follow a deferral).
        note_id = notes_row["components"][0]["custom_id"]
        log_it = fake.interaction(3, {"custom_id": note_id, "component_type": 2}, message=message, guild=False, locale="ja")
        await fake.dispatch("INTERACTION_CREATE", log_it)
        [opened] = await fake.wait_call("POST", rf"/interactions/{log_it['id']}/{log_it['token']}/callback")
        assert opened.payload["type"] == 9
        modal = opened.payload["data"]
        assert modal["custom_id"] == f"note:{dassai.id}" and modal["title"] == f"テイスティング記録: {dassai.name}"
        labels = [c["label"] for c in modal["components"]]
        assert labels == ["評価", "メモ", "温度", "料理"]
        [rating_select] = [c["component"] for c in modal["components"] if c["component"]["custom_id"] == "rating"]
        assert [o["value"] for o in rating_select["options"]] == ["1", "2", "3", "4", "5"]

        brain.answer = lambda turn: Reply(text="記録しました。", lang=turn.lang)
        submit = fake.interaction(5, {"custom_id": modal["custom_id"], "components": [
            {"type": 18, "id": 1, "component": {"type": 3, "id": 2, "custom_id": "rating", "values": ["4"]}},
            {"type": 18, "id": 3, "component": {"type": 4, "id": 4, "custom_id": "notes", "value": "メロンの香り"}},
            {"type": 18, "id": 5, "component": {"type": 3, "id": 6, "custom_id": "temperature", "values": ["冷酒"]}},
            {"type": 18, "id": 7, "component": {"type": 4, "id": 8, "custom_id": "food", "value": ""}},
        ]}, guild=False, locale="ja")
        await fake.dispatch("INTERACTION_CREATE", submit)
        [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{submit['token']}")
    note = brain.turns[-1].message
    assert note.action == Note(dassai.id)
    assert note.action_values == {"rating": "4", "notes": "メロンの香り", "temperature": "冷酒"}
    assert note.lang == "ja" and follow.payload["content"] == "記録しました。"


async def test_slash_commands_are_synced_with_japanese_names_and_answered(fake: FakeDiscord, core) -> None:
    brain = ScriptedBrain(recommend(core))
    async with running_bot(fake, core, sensei=with_brain(core, brain)):
        [sync] = await fake.wait_call("PUT", rf"/applications/{APP_ID}/commands")
        [sake] = sync.json
        assert sake["name"] == "sake" and sake["name_localizations"]["ja"] == "日本酒"
        subs = {o["name"]: o for o in sake["options"]}
        assert set(subs) == {"rec", "log", "history", "profile", "wishlist", "survey", "flight"}
        assert subs["rec"]["name_localizations"]["ja"] == "おすすめ"
        assert subs["log"]["options"][0]["autocomplete"] is True
        flight = {o["name"]: o for o in subs["flight"]["options"]}  # /sake flight size:4 theme:niigata
        assert flight["size"]["name_localizations"]["ja"] == "本数" and [c["value"] for c in flight["size"]["choices"]] == [3, 4, 5]
        assert flight["theme"]["type"] == 3 and not flight["theme"].get("required")

        command = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [
            {"name": "rec", "type": 1, "options": [{"name": "request", "type": 3, "value": "dry, for sashimi"}]}]})
        await fake.dispatch("INTERACTION_CREATE", command)
        [callback] = await fake.wait_call("POST", rf"/interactions/{command['id']}/{command['token']}/callback")
        [follow] = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{command['token']}")
        assert callback.payload["type"] == 5 and not (callback.payload.get("data") or {}).get("flags"), "a recommendation is public"
        assert brain.turns[-1].message.text == "Recommend a sake: dry, for sashimi"
        assert [e["title"] for e in follow.payload["embeds"]] == ["獺祭 (dassai)", "久保田 (kubota)"]
        assert len(follow.files) == 2  # both have a flavor chart

        history = fake.interaction(2, {"id": "1", "name": "sake", "type": 1, "options": [{"name": "history", "type": 1}]}, locale="ja")
        await fake.dispatch("INTERACTION_CREATE", history)
        [callback] = await fake.wait_call("POST", rf"/interactions/{history['id']}/{history['token']}/callback")
        await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{history['token']}")
        assert callback.payload["data"]["flags"] & 64, "personal data is ephemeral in a server"
        assert brain.turns[-1].message.action == Command("history") and brain.turns[-1].message.text == ""

        auto = fake.interaction(4, {"id": "1", "name": "sake", "type": 1, "options": [
            {"name": "log", "type": 1, "options": [{"name": "sake", "type": 3, "value": "dass", "focused": True}]}]})
        await fake.dispatch("INTERACTION_CREATE", auto)
        [callback] = await fake.wait_call("POST", rf"/interactions/{auto['id']}/{auto['token']}/callback")
        assert callback.payload["type"] == 8
        assert str(_brand(core, "獺祭").id) in [c["value"] for c in callback.payload["data"]["choices"]]


async def test_a_rate_limited_send_is_retried_by_discord_py(fake: FakeDiscord, core) -> None:
    fake.fail_next(rf"POST /channels/{DM_CHANNEL_ID}/messages", times=1, retry_after=0.2)
    async with running_bot(fake, core):
        await fake.dispatch("MESSAGE_CREATE", fake.message("dassai"))
        calls = await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages", n=2)
    assert len(calls) == 2 and calls[1].payload["embeds"], "answered after the 429"


async def test_a_failing_core_gets_a_short_apology(fake: FakeDiscord, core, caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        limiter = None

        async def handle(self, message, *, admitted=False):  # type: ignore[no-untyped-def]
            raise RuntimeError("database on fire")

    async with running_bot(fake, core, sensei=Broken()):  # type: ignore[arg-type]
        await fake.dispatch("MESSAGE_CREATE", fake.message("dassai"))
        [sent] = await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
    assert sent.payload["content"].startswith("Sorry, something went wrong")
    assert "discord turn failed" in caplog.text


async def test_sharded_client_connects_every_shard_and_answers_once(core) -> None:
    fake = await FakeDiscord(shards=2).start()
    try:
        async with running_bot(fake, core, shards="auto") as client:
            assert isinstance(client, discord.AutoShardedClient) and client.shard_count == 2
            assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
            assert fake.calls_to("GET", "/gateway/bot")
            await fake.dispatch("MESSAGE_CREATE", fake.message("dassai"))
            await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
            await fake.dispatch("MESSAGE_CREATE", fake.message(f"<@{BOT_ID}> kubota", guild=True, mentions=[BOT_USER]))
            await fake.wait_call("POST", rf"/channels/{CHANNEL_ID}/messages")
    finally:
        await fake.stop()


async def test_without_message_content_the_log_says_so_and_intents_leave_it_out(
    fake: FakeDiscord, core, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    async with running_bot(fake, core):
        pass
    assert not int(fake.identifies[0]["intents"]) & (1 << 15)
    assert "Message Content intent is off" in caplog.text
    async with running_bot(fake, core, message_content=True):
        pass
    assert int(fake.identifies[-1]["intents"]) & (1 << 15)


async def test_with_message_content_a_reply_to_the_bot_continues_the_conversation(fake: FakeDiscord, core) -> None:
    async with running_bot(fake, core, message_content=True):
        first = fake.message(f"<@{BOT_ID}> dassai", guild=True, mentions=[BOT_USER])
        await fake.dispatch("MESSAGE_CREATE", first)
        await fake.wait_call("POST", rf"/channels/{CHANNEL_ID}/messages")
        bot_message = fake.sent[-1]
        follow_up = fake.message("and kubota?", guild=True, message_reference={"message_id": bot_message["id"], "channel_id": CHANNEL_ID,
                                                                                "guild_id": GUILD_ID},
                                 referenced_message=bot_message)
        await fake.dispatch("MESSAGE_CREATE", follow_up)
        calls = await fake.wait_call("POST", rf"/channels/{CHANNEL_ID}/messages", n=2)
    assert calls[1].payload["embeds"][0]["title"].startswith("久保田")


async def test_privileged_intent_refused_stops_the_client_with_a_clear_error(fake: FakeDiscord, core) -> None:
    fake.close_code = 4014
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_bot(fake, core, message_content=True):
            pass


async def test_one_conversation_is_answered_in_order(fake: FakeDiscord, core) -> None:
    order: list[str] = []

    class Slow:
        async def reply(self, turn: Turn) -> Reply:
            if turn.message.text == "first":
                await asyncio.sleep(0.3)
            order.append(turn.message.text)
            return Reply(text=turn.message.text)

    async with running_bot(fake, core, sensei=with_brain(core, Slow())):
        await fake.dispatch("MESSAGE_CREATE", fake.message("first"))
        await fake.dispatch("MESSAGE_CREATE", fake.message("second"))
        calls = await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages", n=2)
    assert order == ["first", "second"] and [c.payload["content"] for c in calls] == ["first", "second"]


async def test_refused_command_registration_is_logged_and_the_bot_keeps_answering(fake: FakeDiscord, core,
                                                                                caplog: pytest.LogCaptureFixture) -> None:
    fake.refuse_commands = True
    async with running_bot(fake, core):
        await fake.dispatch("MESSAGE_CREATE", fake.message("dassai"))
        await fake.wait_call("POST", rf"/channels/{DM_CHANNEL_ID}/messages")
    assert "could not register the slash commands (403 50001)" in caplog.text
