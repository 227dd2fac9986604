"""Reply → LINE messages: snapshots, LINE's limits, and the SDK's models accept every message."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest

from adapters.line.render import MAX_MESSAGES, MAX_TEXT, render, split_text, utf16_len
from core import actions
from core.controls import card_buttons, note_form, rating
from core.messages import Button, Card, Reply, ReplyImage

SNAPSHOTS = Path(__file__).parent / "snapshots"


def flavor_url(brand_id: int, lang: str) -> str | None:
    return None if brand_id == 2 else f"https://sensei.example/media/flavor/{brand_id}-{lang}.png"


def card(brand_id: int = 887, **kw: Any) -> Card:
    base: dict[str, Any] = {
        "brand_id": brand_id, "name": "獺祭", "name_romaji": "dassai", "brewery": "旭酒造", "prefecture": "山口県",
        "flavor": {"f1": 0.61, "f2": 0.42, "f3": 0.21, "f4": 0.33, "f5": 0.28, "f6": 0.37}, "tags": ["フルーティ", "華やか"],
        "score": 0.87, "reason": "華やかな香りが好みに合います。",
    }
    base.update(kw)
    return Card(**base)


def snapshot(name: str, value: Any) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(), f"{path.name} changed; rerun with UPDATE_SNAPSHOTS=1 if intended"


def _without_sdk_defaults(value: Any) -> Any:
    """The SDK adds `"animated": false` to Flex images; that is LINE's default, not a change."""
    if isinstance(value, dict):
        return {k: _without_sdk_defaults(v) for k, v in value.items() if not (k == "animated" and v is False)}
    if isinstance(value, list):
        return [_without_sdk_defaults(v) for v in value]
    return value


def sdk_round_trip(messages: list[dict[str, Any]]) -> None:
    """The SDK's request models take the messages unchanged (nothing dropped or renamed)."""
    request = ReplyMessageRequest.from_dict({"replyToken": "t", "messages": messages})
    assert _without_sdk_defaults(json.loads(request.to_json())["messages"]) == messages
    PushMessageRequest.from_dict({"to": "U1", "messages": messages})


def test_cards_become_a_flex_carousel_snapshot() -> None:
    rated = card(actions=card_buttons(887, "ja"), rating=rating(887, "ja"))
    reply = Reply(
        text="おすすめはこちらです。", lang="ja",
        cards=[rated, card(2, name="無名", name_romaji="", flavor=None, tags=[], reason=None, certain=False)],
        actions=[Button(actions.SurveyStart(), "好み診断")],
    )
    messages = render(reply, flavor_url=flavor_url)
    snapshot("cards_ja", messages)
    sdk_round_trip(messages)
    bubbles = messages[1]["contents"]["contents"]
    assert bubbles[0]["hero"]["url"] == "https://sensei.example/media/flavor/887-ja.png"
    assert "hero" not in bubbles[1]  # no chart, no picture: never an invented one
    assert "footer" not in bubbles[1]  # the core gave that card no buttons: none are added
    footer = json.dumps(bubbles[0]["footer"], ensure_ascii=False)
    assert [footer.count(f'"data": "{x}:887"') for x in ("log", "similar", "wish")] == [1, 1, 1]
    assert "rate:" not in footer  # one rated card: its stars are the quick replies, 1 to 5, then the reply's own
    items = [i["action"] for i in messages[-1]["quickReply"]["items"]]
    assert [(a["data"], a["label"]) for a in items] == [(f"rate:887:{n}", f"★{n}") for n in range(1, 6)] + [("survey:start", "好み診断")]


def test_several_rated_cards_keep_their_stars_on_their_bubbles() -> None:
    cards = [card(b, rating=rating(b, "en")) for b in (1, 2)]
    messages = render(Reply(text="Rate them", lang="en", cards=cards), flavor_url=flavor_url)
    assert "quickReply" not in messages[-1]
    for b, bubble in zip((1, 2), messages[1]["contents"]["contents"], strict=True):
        footer = json.dumps(bubble["footer"], ensure_ascii=False)
        assert [footer.count(f'"data": "rate:{b}:{n}"') for n in range(1, 6)] == [1] * 5 and "Rate it" in footer
    sdk_round_trip(messages)


def test_a_form_is_a_short_prompt_with_its_required_choice_as_quick_replies() -> None:
    messages = render(Reply(text="", lang="en", form=note_form(887, "獺祭", "en")), flavor_url=flavor_url)
    assert messages[0]["text"] == "Tasting note\n獺祭\nRating:"
    items = [i["action"] for i in messages[0]["quickReply"]["items"]]
    assert [(a["label"], a["data"]) for a in items] == [(f"{n}★", f"note:887?rating={n}") for n in range(1, 6)]
    sdk_round_trip(messages)


def test_english_labels_and_images_snapshot() -> None:
    reply = Reply(text="Here is your taste profile.", lang="en", cards=[card(actions=card_buttons(887, "en"))],
                  images=[ReplyImage(b"png", "profile")])
    messages = render(reply, flavor_url=flavor_url, image_urls=["https://sensei.example/media/abc.png"])
    snapshot("cards_en_image", messages)
    sdk_round_trip(messages)
    assert [m["type"] for m in messages] == ["text", "flex", "image"]


def test_long_text_is_split_within_5000_and_5_messages() -> None:
    para = "獺祭は山口県の旭酒造が造るお酒です。" * 100 + "\n\n"
    text = para * 30  # ~54,000 characters
    messages = render(Reply(text=text, lang="ja", cards=[card()]), flavor_url=flavor_url)
    assert len(messages) == MAX_MESSAGES
    assert messages[-1]["type"] == "flex"  # the cards survive; the text is what gets cut
    texts = [m["text"] for m in messages if m["type"] == "text"]
    assert all(utf16_len(t) <= MAX_TEXT for t in texts)
    assert texts[-1].endswith("…")
    sdk_round_trip(messages)


def test_splitting_counts_utf16_like_line_and_prefers_line_breaks() -> None:
    emoji = "🍶" * 3000  # 6,000 UTF-16 units
    pieces = split_text(emoji)
    assert [utf16_len(p) for p in pieces] == [5000, 1000]
    text = "a" * 4000 + "\n" + "b" * 4000
    assert split_text(text) == ["a" * 4000, "b" * 4000]
    assert split_text("") == []


def test_limits_on_carousel_quick_replies_and_labels() -> None:
    many = [card(i) for i in range(1, 20)]
    answers = [Button(actions.SurveyAnswer(f"q{i}", "answer"), f"とても長い選択肢のラベル{i}です。とても長い") for i in range(20)]
    messages = render(Reply(text="x", lang="ja", cards=many, actions=answers), flavor_url=flavor_url)
    flex = messages[1]
    assert len(flex["contents"]["contents"]) == 12
    assert len(flex["altText"]) <= 400
    items = messages[-1]["quickReply"]["items"]
    assert len(items) == 13 and all(len(i["action"]["label"]) <= 20 for i in items)
    assert [i["action"]["data"] for i in items] == [f"survey:q{i}:answer" for i in range(13)]  # the core's order decides
    sdk_round_trip(messages)


def test_an_empty_reply_sends_nothing_and_a_bare_card_reply_still_works() -> None:
    assert render(Reply(text="", lang="en"), flavor_url=flavor_url) == []
    messages = render(Reply(text="", lang="en", cards=[card()]), flavor_url=flavor_url)
    assert [m["type"] for m in messages] == ["flex"]

