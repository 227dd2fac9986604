"""Reading the text on a label photo, off the event loop.

`OcrEngine` is the small interface (a picture in, text boxes out). `RapidOcrEngine` runs
RapidOCR 3.x with the models bundled in its wheel, named by path so that it can never fall
back to downloading one. `OcrPool` runs "decode + hash + OCR" for one photo in a worker
process (default) or thread, so that the bot keeps answering while a photo is read; the
engine is created once per worker, lazily, on the first photo.

A worker process keeps the untrusted decoders (libheif, libjpeg...) and the model's memory
out of the bot's process: a crash or a memory spike there costs one answer (SS-005), and
the pool is started again on the next photo.
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import logging
import math
import multiprocessing
import os
import resource
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Protocol, Sequence, runtime_checkable

from PIL import Image, ImageOps

from core.errors import Code, SenseiError
from core.labels.images import ImageLimits, load_photo
from core.labels.phash import phash

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One line (or tategaki column) of text, with its quadrilateral in the OCR'd picture's pixels."""

    text: str
    score: float
    quad: tuple[tuple[float, float], ...]  # four corners, clockwise from top-left

    @property
    def width(self) -> float:
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.hypot(x1 - x0, y1 - y0)

    @property
    def height(self) -> float:
        (x1, y1), (x2, y2) = self.quad[1], self.quad[2]
        return math.hypot(x2 - x1, y2 - y1)

    @property
    def char_size(self) -> float:
        """The size of one character: the short side of the box, for horizontal and vertical text alike."""
        return min(self.width, self.height)

    @property
    def vertical(self) -> bool:
        return self.height > self.width * 1.2 and len(self.text) > 1

    @property
    def center(self) -> tuple[float, float]:
        return sum(p[0] for p in self.quad) / 4, sum(p[1] for p in self.quad) / 4

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "score": round(self.score, 4), "quad": [[round(x, 1), round(y, 1)] for x, y in self.quad]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "OcrBox":
        return cls(d["text"], float(d["score"]), tuple((float(x), float(y)) for x, y in d["quad"]))


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What the worker returns for one photo: the boxes, the picture's size, its hash and timings."""

    boxes: tuple[OcrBox, ...]
    width: int
    height: int
    phash: str
    decode_ms: float
    ocr_ms: float
    worker_peak_rss_mb: float = 0.0
    cpu_ms: float = 0.0  # CPU time of decode + hash + OCR, summed over the worker's threads

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in reading_order(self.boxes))


def reading_order(boxes: tuple[OcrBox, ...] | list[OcrBox]) -> list[OcrBox]:
    """Biggest text first (the brand), then top-to-bottom: how a person scans a label."""
    return sorted(boxes, key=lambda b: (-round(b.char_size / 8), b.center[1], b.center[0]))


class OcrEngine(Protocol):
    def read(self, image: Image.Image) -> list[OcrBox]: ...


@runtime_checkable
class NewTextReader(Protocol):
    """What an engine may add for a cheap second look: detect everything, recognise only what is new.

    `read_new(image, known)` returns readings for the detected boxes that are not `already_read`
    by one of `known` (the first reading of the same picture); an engine without it is read in
    full twice and the readings merged as before (the test fakes are such engines).
    """

    def read_new(self, image: Image.Image, known: Sequence[OcrBox]) -> list[OcrBox]: ...


class RapidOcrEngine:
    """RapidOCR 3.x (PP-OCRv6 small det/rec, reads kanji and kana) on onnxruntime, bundled models only.

    Detection runs on the picture scaled to 480 px on its long side (`det_limit_side`): the
    detector finds a label's brand, the biggest text, better at that scale than at 960 (at 960
    it missed big brush characters or cut them into strokes: 杉勇 read as 勇, 大虎 as 虎), and
    it costs a quarter of the CPU. Recognition still reads each line from the full-size picture,
    so small print stays legible. The angle classifier is off: a label line is never upside
    down once the EXIF orientation is applied, and the classifier turned big kana lines over
    (よこやま read as "4").
    """

    def __init__(self, *, threads: int = 2, use_cls: bool = False, det_limit_side: int = 480, det_limit_type: str = "max") -> None:
        import rapidocr
        from rapidocr import RapidOCR

        models = Path(rapidocr.__file__).parent / "models"
        paths = {
            "Det": models / "PP-OCRv6_det_small.onnx",
            "Rec": models / "PP-OCRv6_rec_small.onnx",
            "Cls": models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        }
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:  # never let RapidOCR fetch them: there is no network in production either
            raise RuntimeError(f"RapidOCR's bundled models are missing: {', '.join(missing)}")
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            "Global.use_cls": use_cls,
            "EngineConfig.onnxruntime.intra_op_num_threads": max(1, min(threads, os.cpu_count() or 1)),
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.limit_side_len": det_limit_side,
            "Det.limit_type": det_limit_type,
        }
        for stage, path in paths.items():
            params[f"{stage}.model_path"] = str(path)
        _tune_onnxruntime_sessions()
        self._ocr = RapidOCR(params=params)
        self._use_cls = use_cls
        self._lock = threading.Lock()  # one picture at a time per engine: onnxruntime already uses every core given

    def read(self, image: Image.Image) -> list[OcrBox]:
        # The stage flags are passed every time: RapidOCR keeps a call's flags for the next calls.
        with self._lock:
            out = self._ocr(image, use_det=True, use_cls=self._use_cls, use_rec=True)
        if out is None or getattr(out, "txts", None) is None or out.boxes is None:
            return []
        return [
            OcrBox(str(txt), float(score), tuple((float(x), float(y)) for x, y in quad))
            for txt, score, quad in zip(out.txts, out.scores, out.boxes)
            if str(txt).strip()
        ]

    def read_new(self, image: Image.Image, known: Sequence[OcrBox]) -> list[OcrBox]:
        """Detection on the whole picture, recognition only of the boxes no well-read `known` box covers.

        Recognising the lines is about half of a scan's reading (detection, once per picture, the
        other half), and a line the first reading read well reads the same again. The lines of the
        biggest glyphs (`ink.big_ink_lines`) are read too unless a detected or well-read box holds
        (95 % of) them: the detector misses some brush names outright, or boxes only part (日本 of
        日本一). The boxes are cropped as RapidOCR crops them (`get_rotate_crop_image` on the BGR picture; our pictures are at most
        `ImageLimits.ocr_max_side` < RapidOCR's own `max_side_len`, so it does not rescale them).
        """
        import numpy as np
        from rapidocr.main import RapidOCRError
        from rapidocr.utils.process_img import get_rotate_crop_image

        from core.labels.ink import big_ink_lines

        with self._lock:
            det = self._ocr(image, use_det=True, use_cls=False, use_rec=False)
            found = getattr(det, "boxes", None)
            quads = [_quad(q) for q in found] if found is not None else []
            todo = [q for q in quads if not already_read(q, known)]
            boxed = [*known, *(OcrBox("", 1.0, q) for q in quads)]  # already_read skips known boxes read below WELL_READ
            todo += [q for q in big_ink_lines(image) if not already_read(q, boxed, inside=0.95)]
            if not todo:
                return []
            bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
            crops = [get_rotate_crop_image(bgr, np.array(q, dtype=np.float32)) for q in todo]
            try:
                if self._use_cls:
                    crops, _ = self._ocr.cls_and_rotate(crops)
                rec = self._ocr.recognize_txt(crops)
            except RapidOCRError:  # no text in any crop: RapidOCR's own call answers [] likewise
                return []
        min_score = float(self._ocr.text_score)
        return [
            OcrBox(str(txt), float(score), q)
            for txt, score, q in zip(rec.txts or (), rec.scores, todo)
            if str(txt).strip() and float(score) >= min_score
        ]


def _quad(points: Any) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in points)


WELL_READ = 0.9  # a first-reading box read at least this surely is not read again by the second look


def already_read(quad: tuple[tuple[float, float], ...], known: Sequence[OcrBox], *, well_read: float = WELL_READ, inside: float = 0.7) -> bool:
    """Whether a box the second look detected lies mostly (`inside`: 70 %) inside a box the first reading read well.

    Such a box reads the same line again, or a part of it, which `merge_readings` would not prefer
    to the whole. A box reaching well beyond (ぼん found over a well-read ん, or a line the first
    reading cut in two) is read: it may be the better reading.
    """
    x0, y0, x1, y1 = _rect(OcrBox("", 0.0, quad))
    area = (x1 - x0) * (y1 - y0)
    if area <= 0:
        return False
    for k in known:
        if k.score < well_read:
            continue
        kx0, ky0, kx1, ky1 = _rect(k)
        inter = max(0.0, min(x1, kx1) - max(x0, kx0)) * max(0.0, min(y1, ky1) - max(y0, ky0))
        if inter / area >= inside:
            return True
    return False


def _tune_onnxruntime_sessions() -> None:
    """Session options RapidOCR does not expose, set through its one factory of options.

    - no spinning: idle onnxruntime threads otherwise busy-wait and take CPU from the bot on 2 cores;
    - no memory pattern: every photo has its own input shape, and the cached plans per shape
      made the worker's memory grow with each photo.
    If a RapidOCR release renames the hook, the defaults stay (a warning says so).
    """
    try:
        from rapidocr.inference_engine.onnxruntime import main as ort_main

        session_class = ort_main.OrtInferSession
        original = session_class._init_sess_opts
    except (ImportError, AttributeError):
        log.warning("could not tune onnxruntime sessions (RapidOCR changed); using its defaults")
        return
    if getattr(original, "_sake_sensei_tuned", False):
        return

    def init_sess_opts(cfg: Any) -> Any:
        opts = original(cfg)
        opts.enable_mem_pattern = False
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return opts

    init_sess_opts._sake_sensei_tuned = True  # type: ignore[attr-defined]
    session_class._init_sess_opts = staticmethod(init_sess_opts)


def _release_freed_memory() -> None:
    """Give memory freed after a photo back to the OS (glibc keeps it otherwise); a no-op elsewhere."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Any = None

EngineFactory = Callable[[], OcrEngine]

# One engine per worker (process or thread pool), made on first use.
_engines: dict[Any, OcrEngine] = {}
_engines_lock = threading.Lock()


def _engine(factory: EngineFactory) -> OcrEngine:
    engine = _engines.get(factory)
    if engine is None:
        with _engines_lock:
            engine = _engines.get(factory)
            if engine is None:
                engine = _engines[factory] = factory()
    return engine


def second_look(image: Image.Image) -> Image.Image:
    """The picture as a second reading sees it: grey, its contrast stretched to full range.

    Light ink on coloured paper (cream on red, silver on blue) is faint to the detector in
    colour; in stretched grey the same strokes stand out (つぼみ and ぼん on red paper were
    found only so).
    """
    return ImageOps.autocontrast(image.convert("L"), cutoff=1).convert("RGB")


def merge_readings(first: tuple[OcrBox, ...] | list[OcrBox], second: tuple[OcrBox, ...] | list[OcrBox]) -> tuple[OcrBox, ...]:
    """Both readings of one picture, each place's text once: where boxes overlap, the better-read one.

    "Better" is the recogniser's score weighted by the square root of the text's length, so that
    one box reading ぼん (0.92) replaces the two pieces ぼ (0.32) and ん (0.96) it covers.
    """
    out = list(first)
    for box in second:
        over = [b for b in out if _overlap(b, box) > 0.5]
        if all(_strength(box) > _strength(b) for b in over):
            out = [b for b in out if not any(b is o for o in over)] + [box]
    return tuple(out)


def _strength(box: OcrBox) -> float:
    return box.score * math.sqrt(len(box.text.strip()))


def _overlap(a: OcrBox, b: OcrBox) -> float:
    """Intersection of the two boxes' bounding rectangles over the smaller one's area (0..1)."""
    ax0, ay0, ax1, ay1 = _rect(a)
    bx0, by0, bx1, by1 = _rect(b)
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return inter / smaller if smaller > 0 else 0.0


def _rect(box: OcrBox) -> tuple[float, float, float, float]:
    xs = [x for x, _ in box.quad]
    ys = [y for _, y in box.quad]
    return min(xs), min(ys), max(xs), max(ys)


# The last photos decoded by this worker (bytes digest -> upright, scaled-down picture and its
# perceptual hash), so that a second look does not decode again. Two: the one being looked at
# twice and one arriving meanwhile from another chat; each is at most ImageLimits.ocr_max_side²×3
# bytes (7.7 MB at 1600 px).
RECENT_PHOTOS = 2
_recent: OrderedDict[tuple[bytes, ImageLimits], tuple[Image.Image, str]] = OrderedDict()
_recent_lock = threading.Lock()


def _photo_key(data: bytes, limits: ImageLimits) -> tuple[bytes, ImageLimits]:
    return hashlib.blake2b(data, digest_size=16).digest(), limits


def _decoded(data: bytes, limits: ImageLimits) -> tuple[Image.Image, str]:
    """The photo decoded and hashed, from the recent ones when this worker has just read it."""
    key = _photo_key(data, limits)
    with _recent_lock:
        hit = _recent.get(key)
        if hit is not None:
            _recent.move_to_end(key)
            return hit
    image = load_photo(data, limits)
    found = image, phash(image)
    with _recent_lock:
        _recent[key] = found
        while len(_recent) > RECENT_PHOTOS:
            _recent.popitem(last=False)
    return found


def read_photo(
    data: bytes, limits: ImageLimits, factory: EngineFactory, again: bool = False, known: tuple[OcrBox, ...] = ()
) -> tuple[str, Any]:
    """Worker entry point: ("ok", OcrPage) or ("error", reason). Plain tuples cross a process boundary safely.

    `again`: the second reading of a photo the first did not identify (see `second_look`); `known`,
    the first reading's boxes: an engine that can (`NewTextReader`) recognises only the lines they
    do not already hold, and the page has only those new boxes (for `merge_readings`).
    """
    t0 = time.perf_counter()
    c0 = time.process_time()
    try:
        image, digest = _decoded(data, limits)
    except SenseiError as e:
        return "error", e.detail or ""
    t1 = time.perf_counter()
    width, height = image.size
    engine = _engine(factory)
    if again:
        grey = second_look(image)
        boxes = engine.read_new(grey, known) if isinstance(engine, NewTextReader) else engine.read(grey)
        del grey
    else:
        boxes = engine.read(image)
    del image
    _release_freed_memory()
    t2 = time.perf_counter()
    peak = peak_rss_mb()
    cpu = (time.process_time() - c0) * 1000  # all threads of the worker: the cost without other processes' contention
    return "ok", OcrPage(tuple(boxes), width, height, digest, (t1 - t0) * 1000, (t2 - t1) * 1000, peak, cpu)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a spawned worker
    would report its parent's size at spawn time (the benchmark's parent holds its images).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


def _warm(factory: EngineFactory) -> float:
    _engine(factory)
    return peak_rss_mb()


@dataclass
class OcrPool:
    """Runs `read_photo` off the event loop. `kind="process"` isolates decoders and the model; "thread" shares memory.

    The engine factory must be picklable (a module-level class or function) for the process kind, and
    compare equal from one photo to the next (not a functools.partial: the worker keeps one engine per factory).
    """

    factory: EngineFactory = RapidOcrEngine
    kind: Literal["process", "thread"] = "process"
    workers: int = 1
    limits: ImageLimits = field(default_factory=ImageLimits)
    timeout: float = 60.0
    _executor: Executor | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _pool(self) -> Executor:
        with self._lock:
            if self._executor is None:
                if self.kind == "process":
                    # spawn: a fork of a process running an event loop and threads is not safe
                    self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
                else:
                    self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="ocr")
            return self._executor

    async def warm_up(self) -> float:
        """Load the engine now (instead of on the first photo); returns the worker's peak RSS in MB."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), _warm, self.factory)

    async def read(self, data: bytes, *, again: bool = False, known: tuple[OcrBox, ...] = ()) -> OcrPage:
        """The photo's text boxes; SenseiError(SS-005) when it cannot be read.

        `again`: the second look; `known`: the first reading's boxes (see `read_photo`).
        """
        loop = asyncio.get_running_loop()
        try:
            status, value = await asyncio.wait_for(
                loop.run_in_executor(self._pool(), read_photo, data, self.limits, self.factory, again, tuple(known)), self.timeout
            )
        except BrokenProcessPool:
            log.error("the OCR worker died reading a photo; starting a new one")
            self._reset()
            raise SenseiError(Code.IMAGE_UNREADABLE, "The label reader stopped while reading this picture.") from None
        except asyncio.TimeoutError:
            log.error("the OCR worker took more than %.0f s; starting a new one", self.timeout)
            self._reset()
            raise SenseiError(Code.IMAGE_UNREADABLE, "Reading this picture took too long.") from None
        except Exception:  # the engine itself failed: the operator reads the log, the user gets an answer
            log.exception("the OCR engine failed")
            raise SenseiError(Code.IMAGE_UNREADABLE, "The label reader failed on this picture; please try again later.") from None
        if status == "error":
            raise SenseiError(Code.IMAGE_UNREADABLE, value)
        return value

    def _reset(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            if isinstance(executor, ProcessPoolExecutor):
                for proc in list((getattr(executor, "_processes", None) or {}).values()):
                    proc.kill()  # only our own workers
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
