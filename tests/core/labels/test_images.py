"""Bad photos first: every unreadable file is SS-005 with a plain reason, never a crash."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from core.errors import Code, SenseiError
from core.labels.images import ImageLimits, load_photo, sniff_format
from core.labels.phash import distance, phash


def _jpeg(img: Image.Image, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", **{"quality": 90, **kw})
    return buf.getvalue()


def _photo(w: int = 400, h: int = 300) -> Image.Image:
    """Left half black, right half white: orientation is visible in the pixels."""
    img = Image.new("RGB", (w, h), "white")
    img.paste((0, 0, 0), (0, 0, w // 2, h))
    return img


def _unreadable(data: bytes, limits: ImageLimits = ImageLimits()) -> str:
    with pytest.raises(SenseiError) as e:
        load_photo(data, limits)
    assert e.value.code is Code.IMAGE_UNREADABLE
    assert e.value.detail
    return e.value.detail


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR declaring width×height, with one tiny IDAT: a decompression bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_empty_file() -> None:
    assert "empty" in _unreadable(b"")


def test_truncated_jpeg() -> None:
    data = _jpeg(_photo(800, 600))
    assert "damaged or incomplete" in _unreadable(data[: len(data) // 2])


def test_png_decompression_bomb_is_refused_from_its_header() -> None:
    reason = _unreadable(_png_header_only(20_000, 20_000))
    assert "too large" in reason


def test_pixel_limit_is_configurable() -> None:
    data = _jpeg(_photo(400, 300))
    assert "400×300" in _unreadable(data, ImageLimits(max_pixels=100_000))
    assert load_photo(data, ImageLimits(max_pixels=120_000)).size == (400, 300)


def test_byte_limit() -> None:
    data = _jpeg(_photo())
    assert "too large" in _unreadable(data, ImageLimits(max_bytes=len(data) - 1))


def test_gif_is_named() -> None:
    buf = io.BytesIO()
    _photo().save(buf, "GIF")
    assert "GIF" in _unreadable(buf.getvalue())


def test_pdf_renamed_jpg() -> None:
    assert "PDF" in _unreadable(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")


@pytest.mark.parametrize("data", [b"hello, this is text", b"\x00" * 100, b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"PK\x03\x04zipzip"])
def test_not_an_image(data: bytes) -> None:
    assert "JPEG, PNG, WebP or HEIC" in _unreadable(data)


def test_png_with_broken_data() -> None:
    good = io.BytesIO()
    _photo().save(good, "PNG")
    data = bytearray(good.getvalue())
    data[60:200] = b"\xff" * 140  # corrupt the compressed pixels
    _unreadable(bytes(data))


def test_too_small() -> None:
    assert "too small" in _unreadable(_jpeg(_photo(20, 10)))


def test_exif_rotated_photo_is_read_upright() -> None:
    # Stored landscape (black left) with Orientation=6: the viewer turns it 90° clockwise,
    # so upright it is portrait with black on top.
    exif = Image.Exif()
    exif[0x0112] = 6
    out = load_photo(_jpeg(_photo(400, 300), exif=exif))
    assert out.size == (300, 400)
    assert out.getpixel((150, 50))[0] < 40  # top: black
    assert out.getpixel((150, 350))[0] > 215  # bottom: white


def test_heic_round_trip() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buf = io.BytesIO()
    _photo(640, 480).save(buf, "HEIF", quality=90)
    data = buf.getvalue()
    assert sniff_format(data) == "heif"
    out = load_photo(data)
    assert out.mode == "RGB" and out.size == (640, 480)
    assert out.getpixel((100, 240))[0] < 40 and out.getpixel((540, 240))[0] > 215


def test_truncated_heic() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buf = io.BytesIO()
    _photo(640, 480).save(buf, "HEIF")
    _unreadable(buf.getvalue()[:300])


def test_webp_transparency_is_white_not_black() -> None:
    img = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    img.paste((10, 10, 10, 255), (0, 0, 50, 100))
    buf = io.BytesIO()
    img.save(buf, "WEBP", lossless=True)
    out = load_photo(buf.getvalue())
    assert out.getpixel((150, 50)) == (255, 255, 255)
    assert out.getpixel((20, 50))[0] < 30


def test_big_photo_is_scaled_down_for_ocr() -> None:
    out = load_photo(_jpeg(_photo(4032, 3024)), ImageLimits(ocr_max_side=1600))
    assert max(out.size) == 1600 and out.size[0] / out.size[1] == pytest.approx(4 / 3, rel=0.01)


def test_phash_same_photo_resent_vs_another_photo() -> None:
    a = load_photo(_jpeg(_photo(800, 600)))
    img = Image.new("RGB", (800, 600), "white")
    img.paste((0, 0, 0), (0, 0, 800, 200))
    resent = load_photo(_jpeg(_photo(800, 600).resize((640, 480)), quality=60))
    other = load_photo(_jpeg(img))
    assert distance(phash(a), phash(resent)) <= 4
    assert distance(phash(a), phash(other)) >= 12
    assert len(phash(a)) == 16
