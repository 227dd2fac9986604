"""`LabelReader.identify(photo bytes) -> LabelResult`: the one call the agent's tool and the CLI make.

OCR runs in the OcrPool (off the event loop); matching is milliseconds of CPU and runs
inline. A photo whose first reading gives no confident answer is read once more, in
contrast-stretched grey, and the better of the two answers kept. An optional vision hook (a language
model that takes images, wired by the caller) is asked at the same time; a brand it names counts only
when the catalog has it.
Every failure comes back in `LabelResult.error` (SS-005 unreadable / no text,
SS-002 text but no catalog brand), never as an exception, so a batch of photos goes on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from core.catalog import Catalog
from core.errors import Code, SenseiError
from core.labels.images import ImageLimits, sniff_format
from core.labels.matcher import Candidate, LabelMatcher
from core.labels.ocr import OcrPool
from core.labels.ocr_text import OcrBox, OcrPage, merge_readings, reading_order
from core.texts import t

log = logging.getLogger(__name__)

# (photo bytes, media type) -> a brand name the model read, or None. Wired by the agent.
VisionHook = Callable[[bytes, str], Awaitable[str | None]]

CONFIDENT = 0.8  # at or above: show the sake's card; below: ask "which one?" with the top three
# Below this, the photo is read a second time (ocr_text.second_look) and the better answer kept:
# about one scan in seven on generated labels, so the median photo pays for one reading only.
SECOND_LOOK_BELOW = 0.97

TIPS = {lang: t("label.tips", lang) for lang in ("en", "ja")}  # how to take a photo the reader can read

_MEDIA_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heif": "image/heic"}


@dataclass(slots=True)
class LabelResult:
    candidates: list[Candidate]
    ocr_text: str
    elapsed_ms: int
    error: SenseiError | None = None
    phash: str | None = None  # perceptual hash of the photo, for "sent twice" (core.labels.seen)
    timings: dict[str, float] = field(default_factory=dict)
    boxes: tuple[OcrBox, ...] = ()  # what OCR read, in the coordinates of a picture of `size`
    size: tuple[int, int] = (0, 0)

    @property
    def confident(self) -> bool:
        return bool(self.candidates) and self.candidates[0].confidence >= CONFIDENT

    def as_dict(self, path: str | None = None, lang: str = "en") -> dict[str, Any]:
        """The `identify --json` shape (README, Command line) (with `path` when given)."""
        out: dict[str, Any] = {} if path is None else {"path": path}
        out.update(
            {
                "candidates": [
                    {"brand_id": c.brand.id, "name": c.brand.name, "brewery": c.brand.brewery, "confidence": round(c.confidence, 3)}
                    for c in self.candidates
                ],
                "ocr_text": self.ocr_text,
                "elapsed_ms": self.elapsed_ms,
                "error": self.error.as_dict(lang) if self.error else None,
            }
        )
        return out


class LabelReader:
    """Identify a sake from a label photo. One per process; `close()` stops the OCR worker."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        pool: OcrPool | None = None,
        vision: VisionHook | None = None,
        vision_timeout: float = 20.0,
        limit: int = 5,
        second_look_below: float = SECOND_LOOK_BELOW,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.catalog = catalog
        self.pool = pool or OcrPool()
        self.vision = vision
        self.vision_timeout = vision_timeout
        self.limit = limit
        self.second_look_below = second_look_below  # 0 turns the second look off
        self._clock = clock
        self._matcher: LabelMatcher | None = None

    @property
    def limits(self) -> ImageLimits:
        return self.pool.limits

    @property
    def matcher(self) -> LabelMatcher:
        if self._matcher is None:
            self._matcher = LabelMatcher(self.catalog)
        return self._matcher

    async def warm_up(self) -> None:
        """Load the OCR model and build the matcher before the first photo arrives."""
        await self.pool.warm_up()
        _ = self.matcher

    async def identify(self, image: bytes, *, vision: VisionHook | None = None) -> LabelResult:
        start = self._clock()
        hook = vision or self.vision
        fmt = sniff_format(image[:16]) if image else None
        vision_task = asyncio.create_task(self._ask_vision(hook, image, fmt)) if hook and fmt else None
        try:
            page = await self.pool.read(image)
        except SenseiError as e:
            if vision_task:
                vision_task.cancel()
            return LabelResult([], "", self._ms(start), e)
        vision_name = await vision_task if vision_task else None
        t = self._clock()
        candidates = self.matcher.match(page.boxes, page.width, page.height, limit=self.limit, vision=vision_name)
        match_ms = (self._clock() - t) * 1000
        boxes, decode_ms, ocr_ms, cpu_ms, peak, looks = page.boxes, page.decode_ms, page.ocr_ms, page.cpu_ms, page.worker_peak_rss_mb, 1
        if page.boxes and self.second_look_below > 0 and (not candidates or candidates[0].confidence < self.second_look_below):
            try:
                again = await self.pool.read(image, again=True, known=page.boxes)
            except SenseiError:
                again = None  # the first reading stands
            if again is not None:
                looks = 2
                decode_ms, ocr_ms, cpu_ms = decode_ms + again.decode_ms, ocr_ms + again.ocr_ms, cpu_ms + again.cpu_ms
                peak = max(peak, again.worker_peak_rss_mb)
                t = self._clock()
                merged = merge_readings(page.boxes, again.boxes)
                better = self.matcher.match(merged, page.width, page.height, limit=self.limit, vision=vision_name)
                match_ms += (self._clock() - t) * 1000
                if better and (not candidates or better[0].confidence > candidates[0].confidence):
                    candidates, boxes = better, merged
        timings = {
            "decode_ms": round(decode_ms, 1),
            "ocr_ms": round(ocr_ms, 1),
            "match_ms": round(match_ms, 1),
            "worker_peak_rss_mb": round(peak, 1),
            "cpu_ms": round(cpu_ms, 1),
            "looks": looks,
        }
        error = None
        if not candidates:
            if not boxes:
                error = SenseiError(Code.IMAGE_UNREADABLE, "I found no label text in this photo.")
            else:
                error = SenseiError(Code.UNKNOWN_SAKE, "The label text matches no sake in the catalog.")
        text = "\n".join(b.text for b in reading_order(boxes))
        return LabelResult(candidates, text, self._ms(start), error, page.phash, timings, boxes, (page.width, page.height))

    async def _ask_vision(self, hook: VisionHook, image: bytes, fmt: str) -> str | None:
        try:
            name = await asyncio.wait_for(hook(image, _MEDIA_TYPES[fmt]), self.vision_timeout)
        except asyncio.CancelledError:
            raise
        except Exception:  # the model is a helper: OCR's answer stands without it
            log.warning("label vision hook failed", exc_info=True)
            return None
        return name.strip() if isinstance(name, str) and name.strip() else None

    def _ms(self, start: float) -> int:
        return int(round((self._clock() - start) * 1000))

    def close(self) -> None:
        self.pool.close()


__all__ = ["CONFIDENT", "LabelResult", "LabelReader", "OcrPage", "TIPS", "VisionHook"]
