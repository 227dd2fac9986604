"""Two readings of one photo merged: each place's text once, the better-read box kept."""

from __future__ import annotations

from PIL import Image

from core.labels.ocr_text import OcrBox, already_read, merge_readings, second_look


def _box(text: str, score: float, x0: float, y0: float, x1: float, y1: float) -> OcrBox:
    return OcrBox(text, score, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))


def test_a_whole_name_replaces_the_pieces_it_covers() -> None:
    pieces = (_box("ぼ", 0.32, 330, 330, 550, 570), _box("ん", 0.96, 330, 480, 550, 870), _box("福井県", 0.99, 240, 80, 290, 330))
    whole = (_box("ぼん", 0.92, 300, 290, 610, 900),)
    merged = merge_readings(pieces, whole)
    assert sorted(b.text for b in merged) == ["ぼん", "福井県"]


def test_a_worse_reading_of_the_same_place_is_dropped_and_new_places_added() -> None:
    first = (_box("杉勇", 1.0, 300, 300, 590, 890),)
    second = (_box("杉", 0.7, 310, 300, 590, 590), _box("山形県", 0.99, 230, 80, 300, 350))
    merged = merge_readings(first, second)
    assert [b.text for b in merged] == ["杉勇", "山形県"]


def test_second_look_is_grey_with_full_contrast() -> None:
    img = Image.new("RGB", (40, 40), (140, 20, 25))
    img.paste((250, 245, 230), (10, 10, 30, 30))
    grey = second_look(img)
    assert grey.mode == "RGB" and grey.size == img.size
    assert grey.getpixel((0, 0)) == (0, 0, 0) and grey.getpixel((20, 20)) == (255, 255, 255)


def test_a_box_inside_a_well_read_one_is_already_read() -> None:
    known = (_box("純米吟醸", 0.98, 300, 700, 600, 760), _box("日本酒", 0.6, 300, 100, 600, 300))
    same_line = _box("", 0, 305, 698, 598, 762).quad
    part = _box("", 0, 300, 700, 450, 760).quad
    assert already_read(same_line, known) and already_read(part, known)


def test_a_longer_or_new_or_poorly_read_place_is_read_again() -> None:
    known = (_box("ん", 0.96, 330, 480, 550, 870), _box("日本酒", 0.6, 300, 100, 600, 300))
    longer = _box("", 0, 300, 290, 610, 900).quad  # ぼん over the well-read ん: may be the better reading
    elsewhere = _box("", 0, 100, 1000, 400, 1060).quad
    poorly_read = _box("", 0, 300, 100, 600, 300).quad
    assert not already_read(longer, known) and not already_read(elsewhere, known) and not already_read(poorly_read, known)
    assert already_read(poorly_read, known, well_read=0.5)
