"""Reading the text on a label photo, off the event loop.

The engine (`OcrEngine`, `RapidOcrEngine`) is in core.labels.ocr_engine, the boxes and pages it
returns in core.labels.ocr_text. `OcrPool` runs "decode + hash + OCR" for one photo in a worker
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
import multiprocessing
import resource
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from PIL import Image

from core.errors import Code, SenseiError
from core.labels.images import ImageLimits, load_photo
from core.labels.ocr_engine import NewTextReader, OcrEngine, RapidOcrEngine
from core.labels.ocr_text import OcrBox, OcrPage, second_look
from core.labels.phash import phash

log = logging.getLogger(__name__)


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
