"""render(): Reply → Discord message, compared with committed snapshots (SNAPSHOT_UPDATE=1 rewrites them)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.render import CONTENT_MAX, render
from adapters.discord.turns import DiscordTurns
from core.messages import Action, Card, Reply, ReplyImage

SNAPSHOTS = Path(__file__).parent / "snapshots"
PNG = b"\x89PNG\r\n\x1a\n" + b"fake-png-body"

DASSAI = Card(1, "獺祭", "dassai", "旭酒造", "山口県", {"f1": 0.61, "f2": 0.42, "f3": 0.21, "f4": 0.33, "f5": 0.28, "f6": 0.37},
              ["フルーティ", "華やか"], score=0.87, reason="Floral and light, like the ones you rated highest.")
NO_CHART = Card(2, "高砂", "takasago", "富士高砂酒造", "静岡県", None, ["辛口"], score=0.5, reason="ラベルのタグからの推測です。", certain=False)
KUBOTA = Card(3, "久保田", "kubota", "朝日酒造", "新潟県", {"f1": 0.3, "f2": 0.3, "f3": 0.3, "f4": 0.5, "f5": 0.6, "f6": 0.6}, ["辛口"], score=0.8)


def check(name: str, snapshot: dict[str, Any]) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("SNAPSHOT_UPDATE") == "1":
        path.write_text(text)
    if not path.exists():
        pytest.fail(f"missing snapshot {path.name} (SNAPSHOT_UPDATE=1 writes it)")
    assert json.loads(path.read_text()) == json.loads(text), f"render output changed; see {path}"


def card_actions(card: Card) -> list[Action]:
    return [Action(f"log:{card.brand_id}", "Log it", "primary"), Action(f"similar:{card.brand_id}", "Similar"),
            Action(f"wish:{card.brand_id}", "Wishlist")]


async def test_a_card_with_its_chart_and_buttons() -> None:
    out = render(Reply(text="Try this one:", cards=[DASSAI], actions=card_actions(DASSAI)), charts={1: PNG})
    check("card_en", out.snapshot())
    assert out.embeds[0].image.url == "attachment://chart-1.png"
    assert [f.filename for f in out.files()] == ["chart-1.png"]


async def test_a_card_without_a_flavor_chart_never_gets_one() -> None:
    out = render(Reply(text="こちらはいかが?", lang="ja", cards=[NO_CHART]), charts={2: PNG})  # even if one were offered
    check("card_ja_no_chart", out.snapshot())
    assert out.attachments == [] and out.embeds[0].image.url is None
    assert "フレーバーチャートはありません" in out.embeds[0].fields[1].value


async def test_turns_draw_charts_only_for_cards_that_have_one() -> None:
    drawn: list[tuple[float, ...]] = []

    def chart(values: tuple[float, ...], lang: str, title: str) -> bytes:
        drawn.append(values)
        return PNG

    charts = await DiscordTurns(sensei=None, chart=chart).charts(Reply(text="", cards=[DASSAI, NO_CHART]))  # type: ignore[arg-type]
    assert list(charts) == [1] and drawn == [(0.61, 0.42, 0.21, 0.33, 0.28, 0.37)]


async def test_an_error_shows_its_code_under_the_sentence() -> None:
    out = render(Reply(text="I couldn't find that sake in the catalog.", error={"code": "SS-002", "message": "..."}))
    check("error", out.snapshot())
    assert out.content.endswith("\n-# SS-002") and out.view is None


async def test_long_text_moves_into_an_embed() -> None:
    out = render(Reply(text="酒" * (CONTENT_MAX + 10)))
    assert out.content == "" and len(out.embeds[0].description or "") == CONTENT_MAX + 10


async def test_several_cards_get_named_buttons_one_row_per_sake() -> None:
    out = render(Reply(text="Two for you", cards=[DASSAI, KUBOTA], actions=card_actions(DASSAI) + card_actions(KUBOTA)),
                 charts={1: PNG, 3: PNG})
    check("two_cards", out.snapshot())
    rows = out.snapshot()["components"]
    assert [[c["label"] for c in row["components"]] for row in rows] == [
        ["Log it · 獺祭", "Similar · 獺祭", "Wishlist · 獺祭"], ["Log it · 久保田", "Similar · 久保田", "Wishlist · 久保田"]]


async def test_ratings_become_one_select_and_long_surveys_a_select() -> None:
    rate = [Action(f"rate:1:{s}", f"{s}★") for s in ("5", "4.5", "4")]
    short = [Action(f"survey:sweet:{a}", a) for a in ("yes", "no")]
    long = [Action(f"survey:region:{i}", f"Region {i}") for i in range(7)]
    out = render(Reply(text="How was it?", actions=rate + short + long))
    check("selects", out.snapshot())
    rows = out.snapshot()["components"]
    assert rows[0]["components"][0]["custom_id"] == "sel:rate:1"
    assert [o["value"] for o in rows[0]["components"][0]["options"]] == ["5", "4.5", "4"]
    assert rows[1]["components"][0]["custom_id"] == "sel:survey:region" and len(rows[1]["components"][0]["options"]) == 7
    assert [c["custom_id"] for c in rows[2]["components"]] == ["btn:survey:sweet:yes", "btn:survey:sweet:no"]


async def test_no_more_than_five_rows_of_components() -> None:
    actions = [Action(f"pick:{i}", f"Candidate {i}") for i in range(40)]
    rows = render(Reply(text="Which one?", actions=actions)).snapshot()["components"]
    assert len(rows) == 5 and sum(len(r["components"]) for r in rows) <= 25


async def test_reply_images_are_attached_with_their_alt_text() -> None:
    out = render(Reply(text="Your taste profile", images=[ReplyImage(PNG, "Radar chart of your taste")]))
    assert [(a.filename, a.description) for a in out.attachments] == [("image-1.png", "Radar chart of your taste")]
