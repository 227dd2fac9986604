"""The matcher over the whole catalog, fed recorded OCR boxes (no OCR runs here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.catalog import Catalog
from core.labels.matcher import LabelMatcher
from core.labels.ocr_text import OcrBox

RECORDED = json.loads((Path(__file__).parent / "data" / "recorded_ocr.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matcher(catalog: Catalog) -> LabelMatcher:
    return LabelMatcher(catalog)


def _box(text: str, x: float, y: float, w: float, h: float, score: float = 0.98) -> OcrBox:
    return OcrBox(text, score, ((x, y), (x + w, y), (x + w, y + h), (x, y + h)))


def _recorded(name: str) -> tuple[list[OcrBox], int, int]:
    case = RECORDED[name]
    return [OcrBox.from_dict(b) for b in case["boxes"]], case["width"], case["height"]


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_labels_top1(matcher: LabelMatcher, name: str) -> None:
    case = RECORDED[name]
    boxes, w, h = _recorded(name)
    found = matcher.match(boxes, w, h)
    top = found[0].brand
    assert (top.name, top.brewery) == (case["brand"], case["brewery"]), [(c.brand.label(), c.confidence) for c in found]


def test_takasago_brewery_decides_among_four(matcher: LabelMatcher, catalog: Catalog) -> None:
    takasago = [b for b in catalog.brands.values() if b.name == "高砂"]
    assert len(takasago) == 4
    for brand in takasago:
        boxes = [_box("高砂", 300, 150, 300, 160), _box("純米吟醸", 350, 400, 200, 40)]
        if brand.brewery:
            boxes.append(_box(brand.brewery, 320, 460, 260, 32))
        boxes.append(_box(brand.prefecture, 380, 510, 120, 32))
        found = matcher.match(boxes, 900, 1200)
        assert found[0].brand.id == brand.id
        assert found[0].confidence >= 0.8
        assert any(e.startswith("brewery") for e in found[0].evidence)


def test_shared_name_without_small_print_is_unsure(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("高砂", 300, 150, 300, 160)], 900, 1200)
    assert {c.brand.name for c in found[:4]} == {"高砂"}
    assert found[0].confidence < 0.5  # four equal brands: none can be the one


def test_prefecture_alone_tips_a_shared_name(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("高砂", 300, 150, 300, 160), _box("佐賀県", 380, 500, 120, 30)], 900, 1200)
    assert found[0].brand.prefecture == "佐賀県"


def test_big_text_beats_small_print(matcher: LabelMatcher) -> None:
    # 久保田 in big letters; 朝日酒造 (its brewery) small; a small 十四代 (say, an ad) counts less.
    boxes = [_box("久保田", 250, 100, 400, 150), _box("朝日酒造株式会社", 300, 600, 300, 30), _box("十四代", 50, 1100, 60, 20)]
    found = matcher.match(boxes, 900, 1200)
    assert found[0].brand.name == "久保田"
    assert found[0].confidence > 0.8


def test_one_misread_character(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("醸し入九平次", 300, 100, 120, 700)], 900, 1200)
    assert found[0].brand.name == "醸し人九平次"


def test_old_kanji_folds(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("黑龍", 300, 100, 300, 160), _box("黒龍酒造", 300, 500, 200, 30)], 900, 1200)
    assert found[0].brand.name == "黒龍"


def test_name_split_across_two_columns(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("獺", 400, 200, 160, 160), _box("祭", 400, 400, 160, 160), _box("旭酒造", 200, 300, 40, 120)], 900, 1200)
    assert found[0].brand.name == "獺祭"


def test_one_character_name_only_as_a_whole_line(matcher: LabelMatcher) -> None:
    alone = matcher.match([_box("梵", 350, 150, 200, 200)], 900, 1200)
    assert alone and alone[0].brand.name == "梵"
    inside = matcher.match([_box("純米吟醸", 350, 150, 300, 80)], 900, 1200)
    assert all(c.brand.name != "純" for c in inside)


def test_romaji_on_the_label(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("DASSAI", 250, 150, 400, 120), _box("純米大吟醸45", 300, 400, 300, 40)], 900, 1200)
    assert found[0].brand.name == "獺祭"


def test_no_text_no_candidates(matcher: LabelMatcher) -> None:
    assert matcher.match([], 900, 1200) == []
    assert matcher.match([_box("   ", 0, 0, 10, 10)], 900, 1200) == []


def test_text_that_names_no_sake(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("Hello world, this is a cat", 100, 100, 600, 60)], 900, 1200)
    assert not found or found[0].confidence < 0.5


def test_vision_name_counts_only_when_in_catalog(matcher: LabelMatcher) -> None:
    boxes = [_box("高砂", 300, 150, 300, 160)]
    with_vision = matcher.match(boxes, 900, 1200, vision="新政")
    assert with_vision[0].brand.name == "新政" and "vision" in with_vision[0].evidence
    confirmed = boxes + [_box("富士高砂酒造", 320, 460, 260, 32)]
    assert matcher.match(confirmed, 900, 1200, vision="新政")[0].brand.name == "高砂"  # the printed brewery outweighs the model
    made_up = matcher.match(boxes, 900, 1200, vision="Château Margaux")
    assert made_up[0].brand.name == "高砂"
    assert all("vision" not in c.evidence for c in made_up)


def test_vision_agreeing_with_ocr_raises_confidence(matcher: LabelMatcher) -> None:
    boxes = [_box("十四代", 300, 150, 300, 160)]
    plain = matcher.match(boxes, 900, 1200)[0]
    agreed = matcher.match(boxes, 900, 1200, vision="juyondai")[0]
    assert agreed.brand.id == plain.brand.id and agreed.confidence > plain.confidence


def test_confidence_is_monotonic_in_evidence(matcher: LabelMatcher) -> None:
    name_only = matcher.match([_box("新政", 300, 150, 300, 160)], 900, 1200)[0]
    confirmed = matcher.match(
        [_box("新政", 300, 150, 300, 160), _box("新政酒造", 300, 500, 200, 30), _box("秋田県", 300, 560, 120, 30)], 900, 1200
    )[0]
    assert name_only.brand.id == confirmed.brand.id
    assert 0 < name_only.confidence < confirmed.confidence <= 1


def test_small_print_that_nearly_spells_a_name_is_not_a_confident_answer(matcher: LabelMatcher) -> None:
    """A label whose brand was not read: its grade line nearly spells 大学生の純米大吟醸 (宮城県), and the
    printed prefecture (香川県) says otherwise. That is no card; a misread brand name still is one."""
    grade_only = [_box("純米大吟醸", 300, 150, 300, 60), _box("香川県の地酒", 300, 500, 200, 30), _box("300ml", 300, 560, 120, 30)]
    found = matcher.match(grade_only, 900, 1200)
    assert not found or found[0].confidence < 0.5, [(c.brand.label(), c.confidence) for c in found]
    misread = matcher.match([_box("醸し入九平次", 300, 100, 120, 700), _box("純米大吟醸", 500, 150, 40, 200)], 900, 1200)
    assert misread[0].brand.name == "醸し人九平次" and misread[0].confidence >= 0.8


def test_a_printed_prefecture_that_contradicts_the_brand_asks_for_a_second_look(matcher: LabelMatcher) -> None:
    """ぼん (福井県) with its ぼ unread: ん (青森県) alone is no sure answer when the label says 福井県, so the
    reader looks again (where ぼん is found); the same ん on a label of 青森県 is."""
    from core.labels.reader import SECOND_LOOK_BELOW

    def label(prefecture: str) -> list[OcrBox]:
        return [_box("ん", 330, 480, 220, 390, 0.96), _box(f"{prefecture}の地酒", 238, 75, 59, 270, 1.0), _box("300ml", 182, 78, 43, 212)]

    elsewhere = matcher.match(label("福井県"), 900, 1200)
    assert elsewhere[0].brand.name == "ん" and elsewhere[0].confidence < SECOND_LOOK_BELOW
    home = matcher.match(label("青森県"), 900, 1200)
    assert home[0].brand.name == "ん" and home[0].confidence >= SECOND_LOOK_BELOW


@pytest.mark.parametrize(
    "printed, brewery_line",
    [("會津", "会津酒造謹醸"), ("会津", "会津酒造謹醸"), ("角ノ井", "製造者井上酒造"), ("角の井", "製造者井上酒造")],
)
def test_names_that_fold_alike_go_to_the_one_spelled_as_printed(matcher: LabelMatcher, printed: str, brewery_line: str) -> None:
    """Two catalog entries of one brewery whose names differ only by an old kanji or kana tie on
    everything the label says; the spelling on the label decides which comes first."""
    boxes = [_box(printed, 100, 100, 300, 100), _box("特別純米", 100, 250, 160, 30), _box(brewery_line, 100, 300, 200, 30)]
    found = matcher.match(boxes, 600, 800)
    assert found[0].brand.name == printed, [(c.brand.label(), c.confidence) for c in found]


def test_the_first_word_of_a_name_is_no_second_sighting(matcher: LabelMatcher) -> None:
    """ささのはさらさら and ささのは さらさら are two entries of one brewery. Read as printed without the
    space, the spaced one's first word ささのは is part of the same reading, not a second one."""
    boxes = [_box("ささのはさらさら", 400, 100, 100, 700), _box("製造者 米鶴酒造", 200, 300, 30, 300), _box("山形県", 150, 300, 30, 120)]
    found = matcher.match(boxes, 900, 1200)
    assert found[0].brand.name == "ささのはさらさら", [(c.brand.label(), c.score) for c in found]


def test_a_short_latin_name_counts_as_a_line_of_its_own(matcher: LabelMatcher) -> None:
    found = matcher.match([_box("Fu.", 300, 150, 300, 160), _box("純米酒", 350, 400, 200, 40), _box("720ml", 350, 460, 120, 30)], 900, 1200)
    assert found and found[0].brand.name in ("Fu.", "Ｆｕ．"), [(c.brand.label(), c.score) for c in found]
    inside = matcher.match([_box("Fu Sake Brewing", 300, 150, 400, 60)], 900, 1200)
    assert all(c.brand.name not in ("Fu.", "Ｆｕ．") for c in inside)


def test_the_brewery_line_does_not_spell_the_brand(matcher: LabelMatcher) -> None:
    """The brand name (恋をするたびに…) read in part, the brewery 笑四季酒造 in full: the brewery's
    line is small print and does not stand for its brand 笑四季."""
    boxes = [
        _box("純米吟釀", 300, 100, 260, 60),
        _box("滋賀県", 300, 200, 150, 60),
        _box("笑四季酒造", 300, 300, 250, 60),
        _box("恋をするたびに…第2話", 120, 200, 50, 700),
    ]
    found = matcher.match(boxes, 900, 1200)
    assert found[0].brand.name.startswith("恋をするたびに"), [(c.brand.label(), c.score, c.evidence) for c in found]
