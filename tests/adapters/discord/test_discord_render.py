"""render(): Reply → Discord message, compared with committed snapshots (SNAPSHOT_UPDATE=1 rewrites them)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.render import CONTENT_MAX, render
from adapters.discord.turns import DiscordTurns
from core import actions
from core.controls import card_buttons, note_form, rating
from core.messages import Button, Card, Reply, ReplyImage

SNAPSHOTS = Path(__file__).parent / "snapshots"
PNG = b"\x89PNG\r\n\x1a\n" + b"fake-png-body"

DASSAI = Card(1, "獺祭", "dassai", "旭酒造", "山口県", {"f1": 0.61, "f2": 0.42, "f3": 0.21, "f4": 0.33, "f5": 0.28, "f6": 0.37},
              ["フルーティ", "華やか"], score=0.87, reason="Floral and light, like the ones you rated highest.")
NO_CHART = Card(2, "高砂", "takasago", "富士高砂酒造", "静岡県", None, ["辛口"], score=0.5, reason="ラベルのタグからの推測です。",
                certain=False)
KUBOTA = Card(3, "久保田", "kubota", "朝日酒造", "新潟県", {"f1": 0.3, "f2": 0.3, "f3": 0.3, "f4": 0.5, "f5": 0.6, "f6": 0.6}, ["辛口"],
              score=0.8)


def check(name: str, snapshot: dict[str, Any]) -> None:
    path = SNAPSHOTS / f"{name}.json"
    text = json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("SNAPSHOT_UPDATE") == "1":
        path.write_text(text)
    if not path.exists():
        pytest.fail(f"missing snapshot {path.name} (SNAPSHOT_UPDATE=1 writes it)")
    assert json.loads(path.read_text()) == json.loads(text), f"render output changed; see {path}"


def with_buttons(card: Card, lang: str = "en", rated: bool = False) -> Card:
    return Card(**{**{f: getattr(card, f) for f in card.__slots__}, "actions": card_buttons(card.brand_id, lang),
                   "rating": rating(card.brand_id, lang) if rated else None})


async def test_a_card_with_its_chart_and_buttons() -> None:
    out = render(Reply(text="Try this one:", cards=[with_buttons(DASSAI)]), charts={1: PNG})
    check("card_en", out.snapshot())
    assert out.embeds[0].image.url == "attachment://chart-1.png"
    assert [f.filename for f in out.files()] == ["chart-1.png"]


async def test_a_card_without_a_flavor_chart_never_gets_one() -> None:
    out = render(Reply(text="こちらはいかが?", lang="ja", cards=[NO_CHART]), charts={2: PNG})  # even if one were offered
    check("card_ja_no_chart", out.snapshot())
    assert out.attachments == [] and out.embeds[0].image.url is None
    assert "フレーバーチャートはまだありません" in out.embeds[0].fields[1].value
    assert out.view is None  # the core gave no buttons: none are added


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


async def test_several_cards_get_a_row_each_named_by_a_greyed_button() -> None:
    out = render(Reply(text="Two for you", cards=[with_buttons(DASSAI), with_buttons(KUBOTA)]), charts={1: PNG, 3: PNG})
    check("two_cards", out.snapshot())
    rows = out.snapshot()["components"]
    assert [[c["label"] for c in row["components"]] for row in rows] == [
        ["獺祭", "Log it", "Similar", "Wishlist"], ["久保田", "Log it", "Similar", "Wishlist"]]
    assert [c.get("disabled", False) for c in rows[0]["components"]] == [True, False, False, False]


async def test_stars_in_their_own_row_then_the_reply_buttons_then_the_form() -> None:
    answers = [Button(actions.SurveyAnswer("sweet", a), a) for a in ("yes", "no")]
    reply = Reply(text="How was it?", cards=[with_buttons(DASSAI, rated=True)], actions=answers, form=note_form(1, "獺祭", "en"))
    out = render(reply)
    check("selects", out.snapshot())
    rows = [[(c["custom_id"], c["label"]) for c in row["components"]] for row in out.snapshot()["components"]]
    assert rows == [[("log:1", "Log it"), ("similar:1", "Similar"), ("wish:1", "Wishlist")],
                    [(f"rate:1:{n}", f"{n}★") for n in range(1, 6)],
                    [("survey:sweet:yes", "yes"), ("survey:sweet:no", "no"), ("note:1", "Tasting note")]]


async def test_no_more_than_five_rows_of_components_the_core_order_decides() -> None:
    picks = [Button(actions.Pick(i), f"Candidate {i}") for i in range(1, 41)]
    rows = render(Reply(text="Which one?", actions=picks)).snapshot()["components"]
    assert len(rows) == 5 and [c["custom_id"] for r in rows for c in r["components"]] == [f"pick:{i}" for i in range(1, 26)]


async def test_reply_images_are_attached_with_their_alt_text() -> None:
    out = render(Reply(text="Your taste profile", images=[ReplyImage(PNG, "Radar chart of your taste")]))
    assert [(a.filename, a.description) for a in out.attachments] == [("image-1.png", "Radar chart of your taste")]


def test_a_flight_of_five_fits_in_five_rows_with_a_star_select_per_sake(catalog) -> None:  # type: ignore[no-untyped-def]
    """Two rows per sake (its name, its stars) would need ten: each sake's stars become one select,
    named in its placeholder; Join and End, a sixth row, go in a second message."""
    from core.messages import RatingControl

    cards = []
    brands = [b for b in catalog.brands.values() if b.chart is not None][:5]
    for b in brands:
        card = b.card()
        card.rating = RatingControl(b.id, "0 of 3 have rated", [Button(actions.FlightRate(7, b.id, n), f"{n}★") for n in range(1, 6)])
        cards.append(card)
    reply = Reply(text="A flight of 5", cards=cards,
                  actions=[Button(actions.FlightJoin(7), "Join the flight", "primary"), Button(actions.FlightEnd(7), "End the flight")])
    rows = render(reply).snapshot()["components"]
    assert len(rows) == 5
    selects = [r["components"][0] for r in rows]
    assert [s["custom_id"] for s in selects] == [f"sel:frate:7:{b.id}" for b in brands]
    assert [o["value"] for o in selects[0]["options"]] == ["1", "2", "3", "4", "5"]
    assert selects[0]["placeholder"].startswith(brands[0].name)
    from adapters.discord.components import action_of

    assert action_of(selects[2]["custom_id"], ["4"]) == actions.FlightRate(7, brands[2].id, 4.0)
    from adapters.discord.render import render_messages

    first, second = render_messages(reply)
    assert first.snapshot()["components"] == rows and second.content == "" and not second.embeds
    assert [c["custom_id"] for r in second.snapshot()["components"] for c in r["components"]] == ["fjoin:7", "fend:7"]
