"""Real RapidOCR, end to end, on a few generated labels (kept few: OCR is slow on 2 shared cores)."""

from __future__ import annotations

import random

import pytest

from core.catalog import Catalog
from core.labels import LabelReader, OcrPool
from core.labels.images import ImageLimits
from tests.fakes.label_photos import LabelSpec, covers, font, japanese_fonts, photo_like, render_label, scan_png, secondary_lines

pytestmark = pytest.mark.slow

NEEDED = ("Noto Serif CJK JP Bold", "IPA Mincho", "IPA Gothic")


@pytest.fixture(scope="module")
def fonts() -> None:
    if not all(font(name) for name in NEEDED):
        pytest.skip(f"Japanese fonts not installed ({', '.join(NEEDED)}; see .ci/apt-packages); found {[f.name for f in japanese_fonts()]}")


def _label(brand: str, brewery: str, prefecture: str, layout: str, face: str, seed: int) -> LabelSpec:
    rng = random.Random(seed)
    spec = LabelSpec(brand, secondary_lines(rng, grade="純米吟醸", brewery=brewery, prefecture=prefecture), layout=layout, font=face)
    f = font(face)
    assert f is not None and covers(f, brand)
    return spec


async def test_takasago_horizontal_and_vertical_told_apart_by_brewery(fonts: None, catalog: Catalog) -> None:
    flat = scan_png(render_label(_label("高砂", "富士高砂酒造", "静岡県", "horizontal", "Noto Serif CJK JP Bold", 1)))
    photo = photo_like(render_label(_label("高砂", "小柳酒造", "佐賀県", "vertical", "IPA Mincho", 2)), random.Random(3), size=(1512, 2016))
    # The real thing: a worker process, bundled models, nothing downloaded.
    reader = LabelReader(catalog, pool=OcrPool(kind="process", limits=ImageLimits()))
    try:
        first = await reader.identify(flat)
        second = await reader.identify(photo)
        again = await reader.identify(photo)
    finally:
        reader.close()
    assert first.error is None, first.error
    assert (first.candidates[0].brand.name, first.candidates[0].brand.brewery) == ("高砂", "富士高砂酒造")
    assert first.confident and "富士高砂酒造" in first.ocr_text
    assert second.error is None, second.error
    assert (second.candidates[0].brand.name, second.candidates[0].brand.brewery) == ("高砂", "小柳酒造"), second.ocr_text
    assert again.phash == second.phash and first.phash != second.phash
    assert second.timings["ocr_ms"] > 0


async def test_blank_photo_has_no_label_text(fonts: None, catalog: Catalog) -> None:
    from PIL import Image

    import io

    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (60, 90, 60)).save(buf, "JPEG")
    reader = LabelReader(catalog, pool=OcrPool(kind="thread"))
    try:
        result = await reader.identify(buf.getvalue())
    finally:
        reader.close()
    assert result.candidates == [] and result.error is not None and result.error.code.value == "SS-005"


async def test_big_brush_names_and_light_ink_on_red_paper(catalog: Catalog) -> None:
    """The two failures the scan benchmark showed most: a big brush tategaki name the detector cut into
    strokes at 960 px (杉勇 read as 勇), and brush kana in light ink on red paper found only by the
    second look in grey (つぼみ)."""
    if not font("Kouzan brush (kaisho)") or not font("IPA Gothic"):
        pytest.skip("the Kouzan brush and IPA Gothic fonts are not installed (see .ci/apt-packages)")
    sugi = LabelSpec("杉勇", ("純米酒", "1800ml", "アルコール分14度", "山形県の地酒"), layout="vertical",
                     font="Kouzan brush (kaisho)", small_font="IPA Gothic")
    tsubomi = LabelSpec("つぼみ", ("純米吟醸", "土田酒造株式会社", "群馬県の地酒", "500ml", "アルコール分15度"),
                        font="Kouzan brush (kaisho)", small_font="IPA Mincho", paper=(140, 20, 25), ink=(250, 245, 230))
    reader = LabelReader(catalog, pool=OcrPool(kind="thread"))
    try:
        first = await reader.identify(scan_png(render_label(sugi)))
        second = await reader.identify(scan_png(render_label(tsubomi)))
    finally:
        reader.close()
    assert first.candidates and first.candidates[0].brand.name == "杉勇", first.ocr_text
    assert second.candidates and second.candidates[0].brand.name == "つぼみ", second.ocr_text
    assert second.timings["looks"] == 2 and "つぼみ" in second.ocr_text


async def test_reading_only_new_lines_crops_as_rapidocr_does(fonts: None) -> None:
    """`read_new` with nothing known reads exactly what a full reading reads, plus the line of the biggest
    glyphs (core.labels.ink) when no detected box is that very place; given that reading, nothing well
    read is recognised again."""
    from core.labels.images import load_photo
    from core.labels.ocr_engine import RapidOcrEngine
    from core.labels.ocr_text import WELL_READ, second_look

    spec = _label("高砂", "富士高砂酒造", "静岡県", "vertical", "IPA Mincho", 4)
    grey = second_look(load_photo(scan_png(render_label(spec)), ImageLimits()))
    engine = RapidOcrEngine()
    full = engine.read(grey)
    assert len(full) >= 3
    fresh = engine.read_new(grey, ())
    assert [(b.text, round(b.score, 3), b.quad) for b in fresh[: len(full)]] == [(b.text, round(b.score, 3), b.quad) for b in full]
    assert [b.text for b in fresh[len(full) :]] in ([], ["高砂"])
    again = engine.read_new(grey, full)
    assert not {b.text for b in again} & {b.text for b in full if b.score >= WELL_READ}
    assert len(again) < len(full)


async def test_big_names_the_detector_misses_are_read_from_their_ink(catalog: Catalog) -> None:
    """Brand names the text detector does not box at all: a brush name whose strokes do not touch
    (八一), two big square glyphs in a column (日日), one big kana (ど). The second look finds them as
    the biggest ink on the label (core.labels.ink) and reads them."""
    if not all(font(name) for name in ("Kouzan brush (gyosho)", "IPA Mincho", "IPA Gothic")):
        pytest.skip("the Kouzan brush and IPA fonts are not installed (see .ci/apt-packages)")
    labels = {
        "八一": LabelSpec(
            "八一", ("大吟醸", "新潟県産", "1800ml", "アルコール分15度"), font="Kouzan brush (gyosho)", small_font="IPA Gothic"
        ),
        "日日": LabelSpec("日日", ("本醸造", "京都府産", "精米歩合55%", "アルコール分16度", "500ml"), layout="vertical", font="IPA Mincho"),
        "ど": LabelSpec(
            "ど", ("純米吟醸", "秋田県産", "720ml", "精米歩合40%"), layout="vertical", font="IPA Gothic", small_font="IPA Mincho"
        ),
    }
    reader = LabelReader(catalog, pool=OcrPool(kind="thread"))
    try:
        results = {name: await reader.identify(scan_png(render_label(spec))) for name, spec in labels.items()}
    finally:
        reader.close()
    for name, result in results.items():
        assert result.candidates and result.candidates[0].brand.name == name, (name, result.ocr_text)
        assert result.confident and result.timings["looks"] == 2
