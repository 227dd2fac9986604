"""OCR engines that misbehave, for the worker pool's tests. Module-level so a spawned worker can import them."""

from __future__ import annotations

import os
import time

from PIL import Image

from core.labels.ocr_text import OcrBox


class CrashingEngine:
    """Kills its worker process, as a segfault in a native decoder or model would."""

    def read(self, image: Image.Image) -> list[OcrBox]:
        os._exit(3)


class HangingEngine:
    def read(self, image: Image.Image) -> list[OcrBox]:
        time.sleep(2)  # longer than the pool's timeout in the test, short enough not to delay the interpreter's exit
        return []


class FailingEngine:
    def read(self, image: Image.Image) -> list[OcrBox]:
        raise RuntimeError("model file unreadable")


class EchoEngine:
    """One box with the picture's size, so a test can tell the pool works again."""

    def read(self, image: Image.Image) -> list[OcrBox]:
        w, h = image.size
        return [OcrBox(f"{w}x{h}", 0.99, ((0.0, 0.0), (float(w), 0.0), (float(w), 10.0), (0.0, 10.0)))]
