"""Reply → Block Kit: snapshots of the shapes, and Slack's limits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from adapters.slack import render
from core import controls
from core.actions import Similar, SurveyStart, Wish
from core.messages import Button, Card, Reply, ReplyImage
from core.texts import t

SNAPSHOTS = Path(__file__).parent / "snapshots"

def dassai(lang: str = "en") -> Card:
    return controls.with_buttons(Card(
        brand_id=1234, name="獺祭", name_romaji="dassai", brewery="旭酒造", prefecture="山口県",
        flavor={"f1": 0.61, "f2": 0.42, "f3": 0.21, "f4": 0.33, "f5": 0.28, "f6": 0.37}, tags=["フルーティ", "華やか"],
        score=0.87, reason="Floral and light, as you like."), lang)


DASSAI = dassai()
NO_CHART = Card(brand_id=99, name="謎の酒", name_romaji="nazo", brewery="", prefecture="秋田県", flavor=None, tags=[])


def snapshot(name: str, value: object) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text()


def test_recommendation_message() -> None:
    reply = Reply(text="Here are two sakes for a **dry** evening <3", lang="en", cards=[DASSAI, NO_CHART],
                  actions=[Button(SurveyStart(), "Take the taste survey", "primary")])
    snapshot("recommendation_en", render.reply_blocks(reply))


def test_japanese_card() -> None:
    card = dassai("ja")
    card.rating = controls.rating(1234, "ja")
    snapshot("card_ja", render.reply_blocks(Reply(text="おすすめです", lang="ja", cards=[card])))


def test_a_card_shows_only_what_the_core_gave_it() -> None:
    bare = render.reply_blocks(Reply(text="", cards=[NO_CHART]))  # no buttons from the core: none drawn
    assert not [b for b in bare if b["type"] == "actions"]
    blocks = render.reply_blocks(Reply(text="", cards=[DASSAI]))
    assert [el["value"] for b in blocks if b["type"] == "actions" for el in b["elements"]] == ["log:1234", "similar:1234", "wish:1234"]


def test_error_reply_shows_the_code_with_its_sentence() -> None:
    reply = Reply(text="I couldn't find that sake in the catalog. Closest matches: 獺祭", lang="en",
                  error={"code": "SS-002", "message": "I couldn't find that sake in the catalog. Closest matches: 獺祭"})
    blocks = render.reply_blocks(reply)
    snapshot("error_en", blocks)
    assert len(blocks) == 1 and "`SS-002`" in blocks[0]["elements"][0]["text"]


def test_modals_and_home() -> None:
    snapshot("note_modal_en", render.form_modal(controls.note_form(1234, "獺祭", "en"), "en", {"target": {"channel": "C1"}}))
    snapshot("survey_modal_loading_ja", render.reply_modal(None, lang="ja", metadata={}))
    profile = Reply(text="Your profile", lang="en", images=[ReplyImage(png=b"png", alt="taste profile")])
    home = Reply(text=t("home.intro", "en"), lang="en", title=t("home.title", "en"),
                 sections=[profile, Reply(text="History", lang="en", cards=[DASSAI])])
    home = render.home_view(home, chart_file_id="F1")
    snapshot("home_en", home)


def test_bars() -> None:
    assert render.bar(0.0) == "▱▱▱▱▱" and render.bar(0.61) == "▰▰▰▱▱" and render.bar(1.0) == "▰▰▰▰▰" and render.bar(1.7) == "▰▰▰▰▰"


def test_long_text_is_split_into_sections_within_slack_limits() -> None:
    text = "\n".join(f"line {i} " + "x" * 80 for i in range(200))
    blocks = render.reply_blocks(Reply(text=text))
    assert len(blocks) > 1 and all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert "".join(b["text"]["text"] for b in blocks).replace("\n", "") == text.replace("\n", "")


def test_many_cards_stay_under_fifty_blocks_and_action_ids_are_unique() -> None:
    cards = [Card(brand_id=i, name=f"酒{i}", name_romaji="", brewery="b", prefecture="p", flavor=None, tags=["t"]) for i in range(30)]
    reply = Reply(text="many", cards=[controls.with_buttons(c, "en") for c in cards],
                  actions=[Button(Similar(1), "Similar"), Button(Similar(1), "Again")])
    blocks = render.reply_blocks(reply)
    assert len(blocks) <= 50
    assert blocks[-1]["type"] == "actions"  # the core's own buttons are never cut
    for block in blocks:
        if block["type"] == "actions":
            ids = [el["action_id"] for el in block["elements"]]
            assert len(ids) == len(set(ids))
    ids = [el["action_id"] for b in blocks if b["type"] == "actions" for el in b["elements"]]
    assert len(ids) == len(set(ids))
    assert all(el["action_id"].startswith("ss:") for b in blocks if b["type"] == "actions" for el in b["elements"])


def test_text_is_escaped_and_fallback_exists() -> None:
    blocks = render.reply_blocks(Reply(text="<!channel> & <@U1>"))
    assert blocks[0]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert render.fallback_text(Reply(text="", cards=[DASSAI])) == "獺祭"


def test_images_are_not_blocks() -> None:
    # pictures are uploaded as files, not as image blocks (which need a public URL)
    blocks = render.reply_blocks(Reply(text="chart", images=[ReplyImage(png=b"x", alt="a")]))
    assert [b["type"] for b in blocks] == ["section"]


@pytest.mark.parametrize("label", ["x" * 200, ""])
def test_button_text_limits(label: str) -> None:
    b = render.button(Button(Wish(1), label))
    assert 1 <= len(b["text"]["text"]) <= 75 and b["value"] == "wish:1"
