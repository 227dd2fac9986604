"""The OCR engine: the small interface (a picture in, text boxes out) and RapidOCR behind it.

`RapidOcrEngine` runs RapidOCR 3.x with the models bundled in its wheel, named by path so that it
can never fall back to downloading one.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Protocol, Sequence, runtime_checkable

from PIL import Image

from core.labels.ocr_text import OcrBox, already_read

log = logging.getLogger(__name__)


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
