"""LabelReader: OCR off the event loop, errors as results, the vision hook checked against the catalog."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import time
from collections import OrderedDict
from pathlib import Path

import pytest
from PIL import Image

from core.catalog import Catalog
from core.labels import LabelReader, OcrBox, OcrPool
from core.labels import ocr
from core.labels.images import ImageLimits
from core.labels.ocr_text import already_read
from tests.fakes.ocr_engines import EchoEngine

RECORDED = json.loads((Path(__file__).parent / "data" / "recorded_ocr.json").read_text(encoding="utf-8"))


class RecordedEngine:
    """Returns the boxes RapidOCR once gave for a generated label (scaled to the picture it is handed)."""

    def __init__(self, case: str | None, delay: float = 0.0) -> None:
        self.case = case
        self.delay = delay
        self.calls = 0
        self.threads: set[str] = set()

    def read(self, image: Image.Image) -> list[OcrBox]:
        self.calls += 1
        self.threads.add(threading.current_thread().name)
        time.sleep(self.delay)
        if self.case is None:
            return []
        rec = RECORDED[self.case]
        sx, sy = image.width / rec["width"], image.height / rec["height"]
        out = []
        for b in rec["boxes"]:
            box = OcrBox.from_dict(b)
            out.append(OcrBox(box.text, box.score, tuple((x * sx, y * sy) for x, y in box.quad)))
        return out


def _photo(w: int = 900, h: int = 1200) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (240, 235, 220)).save(buf, "JPEG")
    return buf.getvalue()


def _reader(catalog: Catalog, engine: RecordedEngine, **kw: object) -> LabelReader:
    return LabelReader(catalog, pool=OcrPool(factory=lambda: engine, kind="thread"), **kw)  # type: ignore[arg-type]


async def test_identify_shared_name_by_brewery(catalog: Catalog) -> None:
    reader = _reader(catalog, RecordedEngine("takasago_kiyasho_v"))
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert result.error is None
    top = result.candidates[0]
    assert (top.brand.name, top.brand.brewery) == ("高砂", "木屋正酒造")
    assert result.confident
    assert "木屋正酒造" in result.ocr_text and result.phash and len(result.phash) == 16
    out = result.as_dict("label.jpg")
    assert list(out) == ["path", "candidates", "ocr_text", "elapsed_ms", "error"]
    assert list(out["candidates"][0]) == ["brand_id", "name", "brewery", "confidence"]
    assert out["candidates"][0]["brand_id"] == top.brand.id and isinstance(out["elapsed_ms"], int)


async def test_engine_is_loaded_once_and_runs_off_the_loop(catalog: Catalog) -> None:
    engine = RecordedEngine("dassai_photo_v", delay=0.3)
    made = []

    def factory() -> RecordedEngine:
        made.append(1)
        return engine

    reader = LabelReader(catalog, pool=OcrPool(factory=factory, kind="thread"))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        results = [await reader.identify(_photo()), await reader.identify(_photo())]
    finally:
        task.cancel()
        reader.close()
    assert made == [1] and engine.calls == 2
    assert all(t.startswith("ocr") for t in engine.threads)
    assert ticks >= 10  # the loop kept running during 0.6 s of "OCR"
    assert all(r.candidates[0].brand.name == "獺祭" for r in results)


async def test_unreadable_photo_is_ss005_in_the_result(catalog: Catalog) -> None:
    engine = RecordedEngine("dassai_photo_v")
    reader = _reader(catalog, engine)
    try:
        result = await reader.identify(b"%PDF-1.4 not a photo")
    finally:
        reader.close()
    assert result.candidates == [] and result.error is not None
    assert result.error.code.value == "SS-005" and "PDF" in result.error.message()
    assert engine.calls == 0


async def test_no_text_is_ss005_with_no_label_text(catalog: Catalog) -> None:
    reader = _reader(catalog, RecordedEngine(None))
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert result.error is not None and result.error.code.value == "SS-005"
    assert "no label text" in result.error.message()


async def test_text_without_a_sake_is_ss002(catalog: Catalog) -> None:
    class Words(RecordedEngine):
        def read(self, image: Image.Image) -> list[OcrBox]:
            return [OcrBox("Lorem ipsum dolor", 0.99, ((10, 10), (300, 10), (300, 60), (10, 60)))]

    reader = _reader(catalog, Words(None))
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert all(c.brand.name != "獺祭" for c in result.candidates)
    assert result.ocr_text == "Lorem ipsum dolor"


async def test_limits_come_from_the_pool(catalog: Catalog) -> None:
    pool = OcrPool(factory=lambda: RecordedEngine("dassai_photo_v"), kind="thread", limits=ImageLimits(max_bytes=1000))
    reader = LabelReader(catalog, pool=pool)
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert result.error is not None and "too large" in result.error.message()


async def test_vision_hook_is_asked_and_checked_against_the_catalog(catalog: Catalog) -> None:
    seen: list[str] = []

    async def vision(data: bytes, media_type: str) -> str | None:
        seen.append(media_type)
        return "Dassai"

    reader = _reader(catalog, RecordedEngine(None), vision=vision)
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert seen == ["image/jpeg"]
    assert result.error is None and result.candidates[0].brand.name == "獺祭"
    assert "vision" in result.candidates[0].evidence


async def test_vision_hook_failures_and_inventions_are_ignored(catalog: Catalog) -> None:
    async def broken(data: bytes, media_type: str) -> str | None:
        raise RuntimeError("model down")

    async def inventive(data: bytes, media_type: str) -> str | None:
        return "Château Imaginaire"

    for hook in (broken, inventive):
        reader = _reader(catalog, RecordedEngine("juyondai_photo"), vision=hook)
        try:
            result = await reader.identify(_photo())
        finally:
            reader.close()
        assert result.error is None and result.candidates[0].brand.name == "十四代"
        assert all("vision" not in c.evidence for c in result.candidates)


async def test_vision_hook_that_hangs_times_out(catalog: Catalog) -> None:
    async def slow(data: bytes, media_type: str) -> str | None:
        await asyncio.sleep(10)
        return "獺祭"

    reader = _reader(catalog, RecordedEngine("juyondai_photo"), vision=slow, vision_timeout=0.2)
    try:
        result = await asyncio.wait_for(reader.identify(_photo()), 5)
    finally:
        reader.close()
    assert result.candidates[0].brand.name == "十四代"


async def test_service_guards_a_photo_sent_twice(catalog: Catalog, db) -> None:  # type: ignore[no-untyped-def]
    from core.identity import Identity
    from core.labels import LabelService, SeenPhotos
    from core.messages import StateKey

    user = await Identity(db).resolve(StateKey("line", "W", "C", "U1"))
    service = LabelService(_reader(catalog, RecordedEngine("takasago_kiyasho_v")), SeenPhotos(db))
    try:
        photo = _photo()
        first, reply1 = await service.identify_for(user.user_id, photo, lang="en")
        second, reply2 = await service.identify_for(user.user_id, photo, lang="en")
    finally:
        service.close()
    brand = first.candidates[0].brand.id
    assert second.candidates[0].brand.id == brand
    first_buttons, second_buttons = [b.id for b in reply1.buttons()], [b.id for b in reply2.buttons()]
    assert f"rate:{brand}:5" in first_buttons  # stars on the card the first time
    assert f"log:{brand}" in second_buttons and not any(i.startswith("rate:") for i in second_buttons) and "before" in reply2.text


def _is_grey(image: Image.Image) -> bool:
    r, g, b = image.getpixel((image.width // 2, image.height // 2))
    return r == g == b


class SecondLook(RecordedEngine):
    """The small print in colour; the brand too once the picture is grey (as faint light ink on red paper)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.looks: list[bool] = []

    def read(self, image: Image.Image) -> list[OcrBox]:
        self.looks.append(_is_grey(image))
        small = [OcrBox("純米吟醸", 0.98, ((300, 700), (600, 700), (600, 760), (300, 760))),
                 OcrBox("720ml", 0.97, ((350, 800), (550, 800), (550, 850), (350, 850)))]
        brand = [OcrBox("獺祭", 0.95, ((250, 150), (650, 150), (650, 400), (250, 400)))]
        return small + brand if self.looks[-1] else small


async def test_unsure_first_reading_gets_a_second_look_in_grey(catalog: Catalog) -> None:
    engine = SecondLook()
    reader = _reader(catalog, engine)
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert engine.looks == [False, True]
    assert result.error is None and result.candidates[0].brand.name == "獺祭"
    assert result.timings["looks"] == 2 and result.ocr_text.splitlines()[0] == "獺祭"
    assert [b.text for b in result.boxes].count("純米吟醸") == 1  # both readings, each place once


async def test_confident_first_reading_is_not_read_again(catalog: Catalog) -> None:
    engine = RecordedEngine("takasago_kiyasho_v")
    reader = _reader(catalog, engine)
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert result.confident and engine.calls == 1 and result.timings["looks"] == 1


async def test_second_look_can_be_turned_off(catalog: Catalog) -> None:
    engine = SecondLook()
    reader = _reader(catalog, engine, second_look_below=0.0)
    try:
        result = await reader.identify(_photo())
    finally:
        reader.close()
    assert engine.looks == [False] and result.timings["looks"] == 1
    assert all(c.brand.name != "獺祭" for c in result.candidates)


class SelectiveSecondLook(SecondLook):
    """SecondLook that can recognise only new lines, as RapidOcrEngine does: it says what it was told it knows."""

    def __init__(self) -> None:
        super().__init__()
        self.known: list[tuple[str, ...]] = []

    def read_new(self, image: Image.Image, known: list[OcrBox]) -> list[OcrBox]:
        self.known.append(tuple(b.text for b in known))
        return [b for b in self.read(image) if not already_read(b.quad, known)]


async def test_second_look_recognises_only_what_the_first_did_not_read(catalog: Catalog) -> None:
    engine = SelectiveSecondLook()
    reader = _reader(catalog, engine)
    try:
        result = await reader.identify(_photo(901))
    finally:
        reader.close()
    assert engine.looks == [False, True] and engine.known == [("純米吟醸", "720ml")]
    assert result.candidates[0].brand.name == "獺祭" and result.timings["looks"] == 2
    assert sorted(b.text for b in result.boxes) == ["720ml", "獺祭", "純米吟醸"]


async def test_second_look_does_not_decode_the_photo_again(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[int] = []
    real = ocr.load_photo

    def counting(data: bytes, limits: ImageLimits) -> Image.Image:
        decoded.append(len(data))
        return real(data, limits)

    monkeypatch.setattr(ocr, "load_photo", counting)
    monkeypatch.setattr(ocr, "_recent", OrderedDict())
    reader = _reader(catalog, SecondLook())
    try:
        result = await reader.identify(_photo(902))
    finally:
        reader.close()
    assert result.timings["looks"] == 2 and len(decoded) == 1


def test_recent_photos_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_recent", OrderedDict())
    photos = [_photo(900 + i) for i in range(ocr.RECENT_PHOTOS + 2)]
    for data in photos:
        ocr.read_photo(data, ImageLimits(), _echo)
    assert len(ocr._recent) == ocr.RECENT_PHOTOS
    assert ocr._photo_key(photos[-1], ImageLimits()) in ocr._recent
    assert ocr._photo_key(photos[0], ImageLimits()) not in ocr._recent


def _echo() -> EchoEngine:
    return _ECHO


_ECHO = EchoEngine()
