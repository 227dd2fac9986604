"""What the user sees for a label: a card and one-tap ratings, "which one?", or tips."""

from __future__ import annotations

from datetime import UTC, datetime

from core.actions import Log, Note, Rate, Similar, Wish
from core.catalog import Catalog
from core.errors import Code, SenseiError
from core.labels.matcher import Candidate
from core.labels.reader import LabelResult
from core.labels.reply import label_reply
from core.labels.seen import SeenPhoto


def _result(catalog: Catalog, *pairs: tuple[int, float]) -> LabelResult:
    return LabelResult([Candidate(catalog.brands[bid], conf, conf) for bid, conf in pairs], "獺祭\n旭酒造", 300, None, "0" * 16)


def test_confident_card_chart_and_one_tap_ratings(catalog: Catalog) -> None:
    drawn = []

    def chart(brand, lang):  # type: ignore[no-untyped-def]
        drawn.append((brand.id, lang))
        return b"\x89PNG fake"

    reply = label_reply(_result(catalog, (887, 0.95), (72254, 0.01)), lang="en", chart=chart)
    assert reply.error is None and "獺祭" in reply.text and "旭酒造" in reply.text
    assert [c.brand_id for c in reply.cards] == [887] and reply.cards[0].score == 0.95
    card = reply.cards[0]
    assert reply.actions == []  # everything is about this sake: on its card
    assert card.rating is not None and [b.action for b in card.rating.options] == [Rate(887, n) for n in (1, 2, 3, 4, 5)]
    assert all(b.style is None for b in card.rating.options)  # nothing pre-selected
    assert [b.action for b in card.actions] == [Note(887), Similar(887), Wish(887)]
    assert card.actions[0].label == "Log with notes"
    if catalog.brands[887].chart is not None:
        assert drawn == [(887, "en")] and reply.images[0].png.startswith(b"\x89PNG") and "獺祭" in reply.images[0].alt


def test_unsure_offers_top_three(catalog: Catalog) -> None:
    takasago = sorted(b.id for b in catalog.brands.values() if b.name == "高砂")
    reply = label_reply(_result(catalog, *[(bid, 0.3) for bid in takasago]), lang="ja")
    assert reply.cards == [] and "どれ" in reply.text
    assert [a.id for a in reply.actions] == [f"pick:{bid}" for bid in takasago[:3]]
    assert all("高砂 (" in a.label for a in reply.actions)  # the brewery tells them apart


def test_photo_sent_twice_is_not_one_tap_logged(catalog: Catalog) -> None:
    seen = SeenPhoto(887, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), 1)
    reply = label_reply(_result(catalog, (887, 0.95)), lang="en", seen=seen, seen_brand=catalog.brands[887])
    assert "2026-11-20" in reply.text and "before" in reply.text
    assert reply.actions == [] and reply.cards[0].rating is None  # no one-tap stars on a photo sent before
    assert [b.action for b in reply.cards[0].actions] == [Log(887), Similar(887), Wish(887)]
    assert reply.cards[0].actions[0].label == "Log it again"


def test_nothing_readable_gives_tips(catalog: Catalog) -> None:
    err = SenseiError(Code.IMAGE_UNREADABLE, "I found no label text in this photo.")
    reply = label_reply(LabelResult([], "", 200, err), lang="en")
    assert reply.error == {"code": "SS-005", "message": err.message("en")}
    assert "fill the frame" in reply.text and "glare" in reply.text
    ja = label_reply(LabelResult([], "", 200, err), lang="ja")
    assert "ラベル" in ja.text and ja.error is not None and ja.error["code"] == "SS-005"


def test_text_but_no_sake_is_ss002_and_says_what_was_read(catalog: Catalog) -> None:
    err = SenseiError(Code.UNKNOWN_SAKE, "The label text matches no sake in the catalog.")
    reply = label_reply(LabelResult([], "Lorem ipsum", 200, err), lang="en")
    assert reply.error is not None and reply.error["code"] == "SS-002" and "Lorem ipsum" in reply.text
