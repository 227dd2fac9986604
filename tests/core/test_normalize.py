"""Name folding: the forms OCR and people write meet the catalog's spelling."""

from __future__ import annotations

from core.catalog.normalize import fold_name


def test_old_and_variant_kanji_fold_to_the_common_form() -> None:
    assert fold_name("初綠") == fold_name("初緑")  # OCR reads the old form 綠
    assert fold_name("翆露") == fold_name("翠露")
    assert fold_name("米(國產)") == fold_name("米(国産)")
    assert fold_name("米麴") == fold_name("米麹")
    assert fold_name("金鹤") == fold_name("金鶴")  # simplified form from a Chinese-trained model


def test_kana_width_and_punctuation_fold() -> None:
    assert fold_name("ｻｹ・センセイ") == fold_name("さけせんせい")
