"""Untrusted photo bytes → an upright RGB picture small enough to OCR, or SS-005 with a plain reason.

Users send whatever their phone or desktop has: HEIC from iPhones, huge JPEGs, screenshots,
PDFs renamed .jpg, half-uploaded files. Every way such a file can fail is answered with an
SS-005 SenseiError whose detail says what was wrong in words a user understands, never
with a crash. The format is sniffed from the bytes (not the file name), the byte size and
the declared pixel count are checked before anything is decoded (a decompression bomb is
refused from its header), and JPEGs are decoded already scaled down (`draft`), which keeps
a 48-megapixel phone photo cheap.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from core.errors import Code, SenseiError

_heif_registered = False


def _register_heif() -> None:
    """pillow-heif adds HEIC/HEIF to Pillow; registered once, on first use, so importing this module stays cheap."""
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """What a label photo may be. Phones send 2-12 MB and up to 50 megapixels; OCR needs far fewer pixels."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 64_000_000  # declared width × height; a 48-50 MP phone photo passes
    min_side: int = 32  # smaller than this holds no readable label
    ocr_max_side: int = 1600  # the longest side handed to OCR


# Magic numbers of the formats we accept, and of the ones people send by mistake (named in the answer).
_ACCEPTED = "JPEG, PNG, WebP or HEIC"
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


def sniff_format(data: bytes) -> str | None:
    """The image format from the first bytes: "jpeg" | "png" | "webp" | "heif" | None (not one we read)."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heif"
    return None


def _what_else(data: bytes) -> str:
    """A plain name for a file that is not an accepted photo, for the error message."""
    head = data[:16]
    if head.startswith(b"%PDF"):
        return "This is a PDF document, not a photo."
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF images are not supported."
    if head[:2] == b"BM":
        return "BMP images are not supported."
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF images are not supported."
    if head[4:8] == b"ftyp":
        return "This looks like a video, not a photo."
    if head.lstrip()[:1] == b"<":
        return "This is a web page or SVG file, not a photo."
    if head[:4] == b"PK\x03\x04":
        return "This is a ZIP archive, not a photo."
    return "The file is not an image."


def _fail(reason: str) -> SenseiError:
    return SenseiError(Code.IMAGE_UNREADABLE, reason)


def load_photo(data: bytes, limits: ImageLimits = ImageLimits()) -> Image.Image:
    """Decode, check, turn upright (EXIF orientation) and scale down to `limits.ocr_max_side`. RGB out.

    Raises SenseiError(SS-005) with a plain reason for every unreadable input.
    """
    if not data:
        raise _fail("The file is empty.")
    if len(data) > limits.max_bytes:
        raise _fail(f"The file is too large ({len(data) / 1_048_576:.1f} MB; the limit is {limits.max_bytes / 1_048_576:.0f} MB).")
    fmt = sniff_format(data)
    if fmt is None:
        raise _fail(f"{_what_else(data)} Please send a {_ACCEPTED} photo.")
    if fmt == "heif":
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=_PIL_FORMATS[fmt])
            width, height = img.size
            if width * height > limits.max_pixels:
                raise _fail(
                    f"The picture is too large ({width}×{height} pixels; the limit is {limits.max_pixels / 1e6:.0f} megapixels)."
                )
            if min(width, height) < limits.min_side:
                raise _fail(f"The picture is too small ({width}×{height} pixels) to read a label.")
            if fmt == "jpeg":
                # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT: a big phone JPEG costs little.
                # draft keeps both sides at or above the request: ask for the picture's own shape.
                scale = limits.ocr_max_side / max(width, height)
                img.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
            img.load()
            upright = ImageOps.exif_transpose(img)
            rgb = _to_rgb(upright)
    except SenseiError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _fail(f"The picture is too large (more than {limits.max_pixels / 1e6:.0f} megapixels).") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, IndexError, KeyError, TypeError, RuntimeError) as e:
        # Pillow and its plugins raise all of these on broken files; the exact one does not matter to the user.
        raise _fail(f"The {_NAMES[fmt]} file is damaged or incomplete ({_short(e)}).") from None
    rgb.thumbnail((limits.ocr_max_side, limits.ocr_max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return rgb


_PIL_FORMATS = {"jpeg": ["JPEG", "MPO"], "png": ["PNG"], "webp": ["WEBP"], "heif": ["HEIF", "AVIF"]}
_NAMES = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "heif": "HEIC"}


def _short(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:120]


def _to_rgb(img: Image.Image) -> Image.Image:
    """RGB on white: transparency (PNG/WebP) would otherwise turn black and hide dark text."""
    if getattr(img, "n_frames", 1) > 1:
        img.seek(0)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")  # 16-bit greyscale PNG
    return img.convert("RGB") if img.mode != "RGB" else img
