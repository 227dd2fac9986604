"""Conversation scripts with the offline model: the tools each turn calls, the cards and buttons it shows."""

from __future__ import annotations

from core.actions import Explain
from core.db import Database
from tests.core.agent.conftest import BLURRY_PHOTO, DASSAI_PHOTO, Chat


def ids(reply) -> list[int]:  # type: ignore[no-untyped-def]
    return [c.brand_id for c in reply.cards]


def action_ids(reply) -> list[str]:  # type: ignore[no-untyped-def]
    """Every action the reply offers (cards' buttons and stars, then the reply's own)."""
    return [a.id for a in reply.buttons()]


async def test_english_script(chat: Chat) -> None:
    r = await chat.say("hi")
    assert r.tools == [] and r.error is None and r.lang == "en" and "Sake Sensei" in r.text

    r = await chat.say("tell me about 獺祭")
    assert r.tools == ["sake_details"] and ids(r) == [887] and "旭酒造" in r.text
    assert action_ids(r)[:3] == ["log:887", "similar:887", "wish:887"]
    assert [b.label for b in r.cards[0].actions] == ["Log it", "Similar", "Wishlist"]  # on the card, once
    assert all(isinstance(b.action, Explain) for b in r.actions)  # reply-level: only what explains the label figures
    assert r.images and r.images[0].png.startswith(b"\x89PNG") and "獺祭" in r.images[0].alt

    r = await chat.say("recommend a dry sake from Niigata")
    assert r.tools == ["recommend"] and r.error is None and 1 <= len(r.cards) <= 5
    assert all(c.prefecture == "新潟県" for c in r.cards) and all(c.reason for c in r.cards)

    r = await chat.say("what sake goes with sushi?")
    assert r.tools == ["pair_food"] and r.cards and r.error is None

    r = await chat.say("log kubota 4.5 stars")
    assert r.tools == ["log_tasting"] and ids(r) == [431] and "★4.5" in r.text

    r = await chat.say("show my tasting history")
    assert r.tools == ["tasting_history"] and "久保田" in r.text

    r = await chat.say("my stats")
    assert r.tools == ["tasting_stats"] and "4.50" in r.text

    r = await chat.say("what can you do?")
    assert r.tools == [] and "さけのわデータを利用しています" in r.text and "https://sakenowa.com" in r.text

    r = await chat.say("what's the weather in Tokyo tomorrow?")
    assert r.tools == [] and r.error is None and "sake" in r.text.lower()

    r = await chat.say("thanks!")
    assert r.tools == [] and "welcome" in r.text.lower()


async def test_japanese_script(chat: Chat) -> None:
    r = await chat.say("こんにちは")
    assert r.lang == "ja" and r.tools == [] and "Sake Sensei" in r.text

    r = await chat.say("獺祭について教えて")
    assert r.lang == "ja" and r.tools == ["sake_details"] and ids(r) == [887] and "フレーバー" in r.text

    r = await chat.say("フルーティなお酒が飲みたい")
    assert r.tools == ["recommend"] and r.cards and r.error is None

    r = await chat.say("寿司に合う日本酒")
    assert r.tools == ["pair_food"] and r.cards and "刺身" in r.text or "寿司" in r.text

    r = await chat.say("八海山を飲んだ。星4")
    assert r.tools == ["log_tasting"] and ids(r) == [380] and "記録しました" in r.text

    r = await chat.say("私の好みの傾向は?")
    assert r.tools == ["taste_profile"] and r.images and r.images[0].png.startswith(b"\x89PNG")

    r = await chat.say("明日の天気はどうですか?")
    assert r.tools == [] and "日本酒" in r.text

    r = await chat.say("何ができるの?")
    assert "さけのわデータを利用しています" in r.text


async def test_follow_ups_across_turns(chat: Chat) -> None:
    first = await chat.say("recommend a dry sake")
    assert first.tools == ["recommend"]
    shown = ids(first)

    again = await chat.say("another one")
    assert again.tools == ["recommend"] and not set(ids(again)) & set(shown)

    lighter = await chat.say("something lighter")  # edits the request: still dry, now light too, nothing shown again
    assert lighter.tools == ["recommend"] and not set(ids(lighter)) & (set(shown) | set(ids(again)))
    assert all("Drier and lighter" in c.reason for c in lighter.cards)

    logged = await chat.say("log that one, 4 stars")
    assert logged.tools == ["log_tasting"] and ids(logged) == [ids(lighter)[0]]
    history = await chat.brain.services.tastings.page(await _principal(chat))
    assert [(t.brand_id, t.rating) for t in history] == [(ids(lighter)[0], 4.0)]

    ja = await chat.say("それをもう少し辛口で")
    assert ja.tools == ["recommend"] and ja.lang == "ja" and ja.cards
    assert "ドライ" in ja.text or "辛" in ja.text


async def test_buttons_call_the_same_tools(chat: Chat) -> None:
    r = await chat.say("kubota")
    assert "log:431" in action_ids(r)
    r = await chat.press("log:431")
    assert r.tools == ["log_tasting"] and [f"rate:431:{n}" for n in range(1, 6)] == [a for a in action_ids(r) if a.startswith("rate:")]
    assert "log:431" not in action_ids(r) and r.cards[0].rating is not None  # logged: stars on its card, no second Log it
    r = await chat.press("log:431")  # a second tap does not log twice
    r = await chat.press("rate:431:4.5")
    assert r.tools == ["log_tasting"] and "★4.5" in r.text
    tastings = await chat.brain.services.tastings.page(await _principal(chat))
    assert [(t.brand_id, t.rating) for t in tastings] == [(431, 4.5)]

    r = await chat.press("similar:887")
    assert r.tools == ["recommend"] and r.cards and 887 not in ids(r)
    r = await chat.press("wish:887")
    assert r.tools == ["wishlist_add"] and "wishlist" in r.text
    form = await chat.press("note:887")  # "Log with notes": the form, nothing stored yet
    assert form.form is not None and form.form.submit.id == "note:887" and "獺祭" in form.text
    assert [f.name for f in form.form.fields] == ["rating", "notes", "temperature", "food"]
    assert len(await chat.brain.services.tastings.page(await _principal(chat))) == 1
    r = await chat.press("note:887", {"rating": "4", "notes": "pear and rice", "temperature": "冷酒"})
    assert r.tools == ["log_tasting"] and r.error is None
    t = (await chat.brain.services.tastings.page(await _principal(chat)))[0]
    assert (t.brand_id, t.rating, t.notes, t.temperature) == (887, 4.0, "pear and rice", "chilled")  # 冷酒, normalised by the tasting log

    r = await chat.press("survey:start")
    assert r.tools == ["survey"] and any(a.startswith("survey:sweetness:") for a in action_ids(r))
    r = await chat.press("survey:sweetness:dry")
    assert r.tools == ["survey"] and not any(a.startswith("survey:sweetness:") for a in action_ids(r))

    for bad in ("rate:abc", "log:", "bogus:1", "rate:887:9", "survey:nope:x"):
        r = await chat.press(bad)
        assert r.error is not None and r.error["code"] in ("SS-001", "SS-002", "SS-006"), bad


async def test_label_photos(chat: Chat) -> None:
    r = await chat.say("", images=[DASSAI_PHOTO])
    assert r.tools == ["identify_label"] and ids(r) == [887] and "rate:887:5" in action_ids(r) and "similar:887" in action_ids(r)
    assert r.images and "獺祭" in r.images[0].alt
    r = await chat.press("rate:887:4")
    assert r.tools == ["log_tasting"] and "★4" in r.text
    again = await chat.say("", images=[DASSAI_PHOTO])  # the same photo again: no one-tap rating, a warning instead
    assert ids(again) == [887] and not any(a.startswith("rate:") for a in action_ids(again)) and "before" in again.text
    r = await chat.say("what is this?", images=[BLURRY_PHOTO])
    assert r.tools == ["identify_label"] and [a for a in action_ids(r) if a.startswith("pick:")] == ["pick:887", "pick:431", "pick:380"]
    r = await chat.press("pick:431")
    assert r.tools == ["sake_details"] and ids(r) == [431]
    r = await chat.say("", images=[b"not an image at all"])
    assert r.error is not None and r.error["code"] == "SS-005"


async def test_unknown_sake_is_ss002_with_closest(chat: Chat) -> None:
    r = await chat.say("qwzxv plonk")
    assert r.error is not None and r.error["code"] == "SS-002" and r.tools == ["search_catalog"]
    r = await chat.say("tell me about dassaj")
    assert ids(r)[:1] == [887]


async def test_for_me_without_data_offers_survey(chat: Chat) -> None:
    r = await chat.say("recommend something for me")
    assert r.error is not None and r.error["code"] == "SS-001"
    assert r.cards and "survey:start" in action_ids(r)


async def _principal(chat: Chat):  # type: ignore[no-untyped-def]
    return await chat.sensei.identity.resolve(chat.key)


async def test_replies_never_fail_on_odd_text(chat: Chat, db: Database) -> None:
    for text in ["", "   ", "★★★★★", "4/5", "x" * 5000, "🍶🍶🍶", "'; DROP TABLE users; --", "それ", "another one", "undo"]:
        r = await chat.say(text)
        assert r.text, text
        assert r.error is None or r.error["code"] in ("SS-001", "SS-002", "SS-004"), (text, r.error)


async def test_commands_are_answered_as_typed_actions(chat: Chat) -> None:
    """Slash commands, rich-menu taps and shortcuts reach the brain as Command(...), never as English text."""
    expected = {"history": "tasting_history", "profile": "taste_profile", "wishlist": "wishlist_show",
                "survey": "survey", "stats": "tasting_stats"}
    for name, tool in expected.items():
        r = await chat.press(f"cmd:{name}")
        assert r.tools == [tool], name
    r = await chat.press("cmd:profile")  # no survey yet: the friendly prompt carries the survey button
    assert r.error is None and "survey" in r.text and action_ids(r) == ["survey:start"]  # an invitation, not SS-001
    r = await chat.press("cmd:help")
    assert r.error is None and r.text and r.tools == []
