"""Label photos: identify a sake from a photo of its bottle, offline (decode → OCR → catalog match)."""

from core.labels.images import ImageLimits, load_photo
from core.labels.matcher import Candidate, LabelMatcher
from core.labels.ocr import OcrPool
from core.labels.ocr_engine import OcrEngine, RapidOcrEngine
from core.labels.ocr_text import OcrBox, OcrPage
from core.labels.reader import CONFIDENT, LabelReader, LabelResult, VisionHook
from core.labels.reply import label_reply
from core.labels.seen import SeenPhoto, SeenPhotos
from core.labels.service import LabelService

__all__ = [
    "CONFIDENT", "Candidate", "ImageLimits", "LabelMatcher", "LabelReader", "LabelService", "LabelResult", "OcrBox", "OcrEngine",
    "OcrPage", "OcrPool", "RapidOcrEngine", "SeenPhoto", "SeenPhotos", "VisionHook", "label_reply", "load_photo",
]
