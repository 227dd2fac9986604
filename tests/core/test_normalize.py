"""Name folding: the forms OCR and people write meet the catalog's spelling."""

from __future__ import annotations

from core.catalog.normalize import fold_name


def test_old_and_variant_kanji_fold_to_the_common_form() -> None:
    assert fold_name("初綠") == fold_name("初緑")  # OCR reads the old form 綠
    assert fold_name("翆露") == fold_name("翠露")
    assert fold_name("米(國產)") == fold_name("米(国産)")
    assert fold_name("米麴") == fold_name("米麹")
    assert fold_name("金鹤") == fold_name("金鶴")  # simplified form from a Chinese-trained model
    assert fold_name("醉鯨") == fold_name("酔鯨")  # 醉, the old form of 酔, on 酔鯨's own labels
    assert fold_name("巖瀬") == fold_name("巌瀬")
    assert fold_name("寿㐂心") == fold_name("寿喜心")
    assert fold_name("稳") == fold_name("穏")  # simplified
    assert fold_name("山梨縣") == fold_name("山梨県")
    # The old forms of the Jōyō table as a whole, not only the ones met so far: 萬歲, 霸者, 櫸.
    assert fold_name("萬歲") == fold_name("万歳")
    assert fold_name("霸者") == fold_name("覇者")
    assert fold_name("櫸") == fold_name("欅")
    assert fold_name("鬭") == fold_name("闘")


def test_marks_ocr_cannot_tell_apart_fold_together() -> None:
    assert fold_name("越のー") == fold_name("越の一")  # the long-vowel mark and the kanji one
    assert fold_name("風のまヽ") == fold_name("風のまゝ")  # katakana and hiragana iteration marks
    assert fold_name("だちゅー") != fold_name("だちゅ")  # the mark is folded, never dropped


def test_no_two_catalog_names_meet_only_by_the_long_vowel_mark() -> None:
    """Folding ー with 一 is safe only while no two catalog brands differ by just that (a new catalog could)."""
    from core.catalog.loader import BUNDLED, read_bundled

    kept_apart: dict[str, set[str]] = {}
    for b in read_bundled(BUNDLED)["brands"]:
        apart = fold_name(b["name"].replace("ー", "\ue000").replace("一", "\ue001"))  # private-use: not folded
        kept_apart.setdefault(fold_name(b["name"]), set()).add(apart)
    assert not [names for names in kept_apart.values() if len({n.replace("\ue000", "").replace("\ue001", "") for n in names}) < len(names)]
