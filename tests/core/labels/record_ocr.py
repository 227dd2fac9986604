"""Re-record data/recorded_ocr.json: real RapidOCR boxes of generated labels, for the matcher's unit tests.

Run from the repository root: `python -m tests.core.labels.record_ocr`. The labels are
generated (tests/fakes/label_photos.py) with a fixed seed, so the file changes only when
the generator, the fonts or the OCR engine do.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from core.labels.images import load_photo
from core.labels.ocr_engine import RapidOcrEngine
from tests.fakes.label_photos import LabelSpec, photo_like, render_label, scan_png, secondary_lines

OUT = Path(__file__).parent / "data" / "recorded_ocr.json"

# (case name, brand, brewery, prefecture, layout, font, photo?)
CASES = [
    ("takasago_fuji_h", "高砂", "富士高砂酒造", "静岡県", "horizontal", "Noto Serif CJK JP Bold", False),
    ("takasago_kiyasho_v", "高砂", "木屋正酒造", "三重県", "vertical", "IPA Mincho", False),
    ("takasago_koyanagi_photo", "高砂", "小柳酒造", "佐賀県", "horizontal", "Kouzan brush (kaisho)", True),
    ("takasago_zaima_photo_v", "高砂", "財間酒場", "島根県", "vertical", "Noto Sans CJK JP Bold", True),
    ("dassai_photo_v", "獺祭", "旭酒造", "山口県", "vertical", "Kouzan brush (kaisho)", True),
    ("kuheiji_flat_v", "醸し人九平次", "萬乗醸造", "愛知県", "vertical", "Noto Serif CJK JP Bold", False),
    ("juyondai_photo", "十四代", "高木酒造", "山形県", "horizontal", "Kouzan brush (gyosho)", True),
]


def main() -> None:
    engine = RapidOcrEngine()
    rng = random.Random(20261128)
    out = {}
    for name, brand, brewery, pref, layout, font, photo in CASES:
        spec = LabelSpec(brand, secondary_lines(rng, grade=None, brewery=brewery, prefecture=pref), layout=layout, font=font)
        label = render_label(spec)
        data = photo_like(label, rng) if photo else scan_png(label)
        image = load_photo(data)
        out[name] = {"brand": brand, "brewery": brewery, "width": image.width, "height": image.height,
                     "boxes": [b.as_dict() for b in engine.read(image)]}
        print(name, [b["text"] for b in out[name]["boxes"]])
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
