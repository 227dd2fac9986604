"""The OCR worker pool: a worker that dies, hangs or fails costs one SS-005 answer, and the next photo works."""

from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from core.errors import SenseiError
from core.labels.ocr import OcrPool
from tests.fakes.ocr_engines import CrashingEngine, EchoEngine, FailingEngine, HangingEngine


def _photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), "white").save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.slow
async def test_a_crashed_worker_process_is_replaced() -> None:
    pool = OcrPool(factory=CrashingEngine, kind="process")
    try:
        with pytest.raises(SenseiError) as e:
            await pool.read(_photo())
        assert e.value.code.value == "SS-005" and "stopped" in (e.value.detail or "")
        pool.factory = EchoEngine
        page = await pool.read(_photo())
        assert [b.text for b in page.boxes] == ["320x240"] and page.worker_peak_rss_mb > 0
    finally:
        pool.close()


async def test_a_hanging_engine_times_out() -> None:
    pool = OcrPool(factory=HangingEngine, kind="thread", timeout=0.3)
    try:
        with pytest.raises(SenseiError) as e:
            await pool.read(_photo())
        assert "too long" in (e.value.detail or "")
    finally:
        pool._reset()  # the hung thread cannot be killed; it ends when its sleep does


async def test_an_engine_error_is_ss005_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    pool = OcrPool(factory=FailingEngine, kind="thread")
    try:
        with caplog.at_level(logging.ERROR), pytest.raises(SenseiError) as e:
            await pool.read(_photo())
    finally:
        pool.close()
    assert e.value.code.value == "SS-005" and "try again later" in (e.value.detail or "")
    assert "the OCR engine failed" in caplog.text and "model file unreadable" in caplog.text
