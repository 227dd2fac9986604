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


def test_kana_width_and_punctuation_fold() -> None:
    assert fold_name("ｻｹ・センセイ") == fold_name("さけせんせい")
