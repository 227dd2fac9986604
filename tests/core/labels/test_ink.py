"""Lines of big glyphs found from the ink alone (no OCR model here)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from core.labels.ink import big_ink_lines


def _rect(quad: tuple[tuple[float, float], ...]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in quad], [y for _, y in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _label(
    big: list[tuple[int, int, int, int]], paper: tuple[int, int, int] = (250, 245, 235), ink: tuple[int, int, int] = (20, 20, 20)
) -> Image.Image:
    """A 900×1200 label: a frame, rows of small print, and the given big 'glyphs' (made of broken strokes)."""
    img = Image.new("RGB", (900, 1200), paper)
    d = ImageDraw.Draw(img)
    d.rectangle([30, 30, 870, 1170], outline=ink, width=6)  # the frame: long and thin
    for row in range(6):  # small print: 24 px characters in three lines on the left
        for k in range(8):
            d.rectangle([80 + row * 40, 100 + k * 32, 100 + row * 40, 124 + k * 32], fill=ink)
    for x0, y0, x1, y1 in big:  # a glyph in three strokes that do not touch (a brush character)
        third = (y1 - y0) // 3
        d.rectangle([x0, y0, x1, y0 + third - 12], fill=ink)
        d.rectangle([x0 + 20, y0 + third, x1 - 20, y0 + 2 * third - 12], fill=ink)
        d.rectangle([x0, y0 + 2 * third, x0 + 30, y1], fill=ink)
    return img


def test_a_column_of_broken_glyphs_is_one_line_without_small_print_or_frame() -> None:
    glyphs = [(380, 200, 600, 420), (380, 470, 600, 690), (380, 740, 600, 960)]
    lines = big_ink_lines(_label(glyphs))
    assert lines
    x0, y0, x1, y1 = _rect(lines[0])
    assert x0 <= 380 and y0 <= 200 and x1 >= 600 and y1 >= 960  # all three glyphs, strokes joined
    assert x0 > 320 and x1 < 660 and y1 < 1020  # not the small print (x < 320) nor the frame


def test_a_row_of_glyphs_is_one_line() -> None:
    glyphs = [(150, 600, 370, 820), (420, 600, 640, 820)]
    (x0, y0, x1, y1) = _rect(big_ink_lines(_label(glyphs))[0])
    assert x0 <= 150 and x1 >= 640 and y0 <= 600 and y1 >= 820 and y1 - y0 < 300


def test_light_ink_on_dark_paper_and_nothing_big() -> None:
    glyphs = [(380, 200, 600, 420)]
    (x0, y0, x1, y1) = _rect(big_ink_lines(_label(glyphs, paper=(140, 20, 25), ink=(250, 245, 230)))[0])
    assert x0 <= 380 and x1 >= 600
    assert big_ink_lines(_label([])) == []  # only small print and a frame: no brand-sized glyphs
    assert big_ink_lines(Image.new("RGB", (20, 20), "white")) == []
