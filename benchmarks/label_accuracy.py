"""Label photo accuracy, latency and memory over randomly drawn catalog brands.

Usage: python benchmarks/label_accuracy.py [--brands 200] [--seed 5] [--size 3024x4032] [--calibrate]
       [--conditions flat,photo] [--previous-engine] [--full-second-look] [--dump DIR] [--save-ocr FILE | --from-ocr FILE]

For each brand drawn at random from the whole catalog (not only famous ones), a label is
generated (tests/fakes/label_photos.py): horizontal or vertical (tategaki) layout, one of
six Japanese fonts (gothic, mincho, two brush styles) that has every character of the name,
small print with its grade, brewery, prefecture, volume and alcohol. Each label is read twice:
(the brewery is printed on 70% of labels, the prefecture on 80%: front labels often leave them out)
  flat   a scan (PNG, 900×1200);
  photo  a phone-size JPEG: the label on a bottle-coloured background filling 40-70% of the
         frame, curved like a bottle, in perspective, rotated ±12°, blurred, noisy, unevenly lit.
Every image goes through LabelReader as the bot runs it (worker process, bundled RapidOCR).

Printed: top-1 / top-3 by condition and layout; the baseline (the same OCR text handed to
CatalogSearch.find_in_text, the foundation's name finder) measured in the same run;
latency p50/p95 per image and how many images were read twice (the second look); the OCR
worker's peak RSS; and a reliability table of the confidence. `--calibrate` fits the confidence
model's coefficients on this run's results (use a seed other than the benchmark's).
`--previous-engine` reads the same images again as the previous release did (detection at
960 px, angle classifier, one reading): a same-run baseline for accuracy and latency.
`--full-second-look` reads them again with the second look recognising every line anew (as
before it recognised only the lines the first reading had not read well), another same-run baseline.
Baselines read each image right after (or before, turn by turn) this engine, each in its own
worker process, so that the lead's load changing during a run weighs on all readers alike.
`--conditions flat` skips the phone-size photos (most of a full run's time goes into making
them); each brand's label and photo come from their own random streams, so the scans are the
same either way. `--dump DIR` saves every miss (image, OCR boxes, candidates) to look at.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.catalog import Catalog, CatalogSearch  # noqa: E402
from core.catalog.loader import load_catalog  # noqa: E402
from core.db import Database  # noqa: E402
from core.labels import LabelReader, OcrBox, OcrPool, RapidOcrEngine  # noqa: E402
from core.labels.reader import CONFIDENT  # noqa: E402
from tests.fakes.label_photos import (  # noqa: E402
    LabelSpec, PAPERS, SMALL_PRINT_FONTS, covers, japanese_fonts, photo_like, render_label, scan_png, secondary_lines,
)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def load() -> Catalog:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{tmp}/bench.db")
        await db.upgrade()
        await load_catalog(db)
        catalog = await Catalog.from_db(db)
        await db.dispose()
    return catalog


def make_cases(
    catalog: Catalog, n: int, seed: int, size: tuple[int, int], conditions: tuple[str, ...] = ("flat", "photo")
) -> tuple[list[dict], int]:
    """Each drawn brand's label and photo come from their own random streams (seed, brand id): a flat-only
    run reads exactly the flat labels of the full run, so tuning on scans alone is cheap."""
    rng = random.Random(seed)
    fonts = japanese_fonts()
    if not fonts:
        sys.exit("no Japanese fonts installed: apt-get install $(grep -v '^#' .ci/apt-packages)")
    brands = sorted(catalog.brands.values(), key=lambda b: b.id)
    drawn = rng.sample(brands, min(len(brands), n * 2))
    cases: list[dict] = []
    unrenderable = 0
    kept = 0
    for brand in drawn:
        if kept >= n:
            break
        usable = [f for f in fonts if covers(f, brand.name)]
        if not usable:
            unrenderable += 1
            continue
        r = random.Random(f"{seed}:{brand.id}:label")
        face = r.choice(usable)
        small = r.choice([f for f in usable if f.name in SMALL_PRINT_FONTS] or [f for f in fonts if f.name in SMALL_PRINT_FONTS])
        has_latin = any(c.isascii() and c.isalpha() for c in brand.name)
        layout = "horizontal" if has_latin or kept % 2 == 0 else "vertical"
        kept += 1
        paper, ink = r.choice(PAPERS)
        grade = r.choice(brand.grades) if brand.grades else None
        spec = LabelSpec(brand.name, secondary_lines(r, grade=grade, brewery=brand.brewery, prefecture=brand.prefecture,
                                                     brewery_shown=0.7, prefecture_shown=0.8),
                         layout=layout, font=face.name, small_font=small.name, paper=paper, ink=ink)
        label = render_label(spec)
        if "flat" in conditions:
            cases.append({"brand": brand, "layout": layout, "font": face.name, "condition": "flat", "data": scan_png(label)})
        if "photo" in conditions:
            photo = photo_like(label, random.Random(f"{seed}:{brand.id}:photo"), size=size)
            cases.append({"brand": brand, "layout": layout, "font": face.name, "condition": "photo", "data": photo})
    return cases, unrenderable


def fit_logistic(x: list[tuple[float, ...]], y: list[int]) -> list[float]:
    import numpy as np

    a = np.column_stack([np.ones(len(x)), np.array(x)])
    t = np.array(y, dtype=float)
    w = np.zeros(a.shape[1])
    for _ in range(50):  # Newton / IRLS with a little ridge for separable data
        p = 1 / (1 + np.exp(-a @ w))
        g = a.T @ (p - t) + 0.5 * w
        h = (a.T * (p * (1 - p))) @ a + 0.5 * np.eye(a.shape[1])
        w -= np.linalg.solve(h, g)
    return [float(v) for v in w]


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--brands", type=int, default=200)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--size", default="3024x4032", help="photo size, WxH (a 12 MP phone photo by default)")
    ap.add_argument("--calibrate", action="store_true", help="fit the confidence model on this run and print it")
    ap.add_argument("--save-ocr", type=Path, help="save every image's OCR boxes (JSON) for --from-ocr")
    ap.add_argument("--from-ocr", type=Path, help="re-match saved OCR boxes only (matcher work; no images, no latency)")
    ap.add_argument("--conditions", default="flat,photo", help="which images to generate: flat, photo or both (default)")
    ap.add_argument("--previous-engine", action="store_true",
                    help="also read every image as the previous release did (detection at 960 px, angle classifier, one reading): a "
                         "same-run baseline")
    ap.add_argument("--full-second-look", action="store_true",
                    help="also read every image with a second look that recognises every line again (the earlier release): a same-run "
                         "baseline")
    ap.add_argument("--dump", type=Path, help="save each miss here: the image, and its OCR boxes and candidates (JSON)")
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))

    t0 = time.perf_counter()
    catalog = await load()
    search = CatalogSearch(catalog)
    print(f"catalog: {len(catalog)} brands; load {time.perf_counter() - t0:.1f} s; cores: {os.cpu_count()}; load average "
          f"{os.getloadavg()[0]:.2f}")
    if args.from_ocr:
        rows = rematch(catalog, search, args.from_ocr)
        report(rows, args.calibrate, latency=False)
        return
    t0 = time.perf_counter()
    conditions = tuple(c.strip() for c in args.conditions.replace("both", "flat,photo").split(",") if c.strip())
    if not conditions or set(conditions) - {"flat", "photo"}:
        ap.error(f"--conditions: flat, photo, flat,photo or both (got {args.conditions!r})")
    cases, unrenderable = make_cases(catalog, args.brands, args.seed, size, conditions)  # type: ignore[arg-type]
    n_brands = len({c["brand"].id for c in cases})
    print(f"generated {len(cases)} images of {n_brands} random brands in {time.perf_counter() - t0:.0f} s "
          f"({unrenderable} drawn brands skipped: no installed font has all their characters)")
    fonts_used = defaultdict(int)
    for c in {c["brand"].id: c for c in cases}.values():
        fonts_used[c["font"]] += 1
    print("fonts: " + ", ".join(f"{k} {v}" for k, v in sorted(fonts_used.items())))

    print(f"load average before reading: {os.getloadavg()[0]:.2f}")
    # Baselines read the same images in the same run, interleaved image by image (each its own worker),
    # so that a change of the machine's load during the run falls on all of them alike.
    readers = {"this": LabelReader(catalog, pool=OcrPool(kind="process"))}
    if args.previous_engine:
        readers["previous"] = LabelReader(catalog, pool=OcrPool(factory=previous_engine, kind="process"), second_look_below=0.0)
    if args.full_second_look:
        readers["full"] = LabelReader(catalog, pool=OcrPool(factory=full_second_look_engine, kind="process"))
    results = await read_all(catalog, search, cases, readers)
    rows, saved, peak = results["this"]
    if args.previous_engine:
        old_rows, _, old_peak = results["previous"]
        print(f"\n-- previous engine (det 960 px, angle classifier, one reading), same images; worker peak RSS {old_peak:.0f} MB --")
        report(old_rows, False, latency=True, misses=False)
    if args.full_second_look:
        full_rows, _, full_peak = results["full"]
        print(f"\n-- second look recognising every line, same images; worker peak RSS {full_peak:.0f} MB --")
        report(full_rows, False, latency=True, misses=False)
    if len(readers) > 1:
        print("\n-- this engine --")
    if args.save_ocr:
        args.save_ocr.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    if args.dump:
        dump_misses(rows, saved, args.dump)
    print(f"OCR worker peak RSS: {peak:.0f} MB")
    report(rows, args.calibrate, latency=True)


def previous_engine() -> RapidOcrEngine:
    """The previous release's OCR settings. A module-level function: the worker keeps one engine per factory."""
    return RapidOcrEngine(det_limit_side=960, use_cls=True)


class FullSecondLook:
    """RapidOcrEngine without `read_new`: its second look detects and recognises every line again."""

    def __init__(self) -> None:
        self._engine = RapidOcrEngine()

    def read(self, image: Image.Image) -> list[OcrBox]:
        return self._engine.read(image)


def full_second_look_engine() -> FullSecondLook:
    return FullSecondLook()


async def read_all(catalog: Catalog, search: CatalogSearch, cases: list[dict],
                   readers: dict[str, LabelReader]) -> dict[str, tuple[list[dict], list[dict], float]]:
    """Every image through every reader, one image at a time, the readers' order turning from image to image."""
    for name, reader in readers.items():
        t0 = time.perf_counter()
        await reader.warm_up()
        print(f"OCR worker start + model load ({name}): {time.perf_counter() - t0:.2f} s")
    out: dict[str, tuple[list[dict], list[dict], float]] = {name: ([], [], 0.0) for name in readers}
    names = list(readers)
    for i, c in enumerate(cases):
        for name in names[i % len(names):] + names[: i % len(names)]:
            rows, saved, peak = out[name]
            result = await readers[name].identify(c["data"])
            saved.append({"brand_id": c["brand"].id, "condition": c["condition"], "layout": c["layout"], "font": c["font"],
                          "width": result.size[0], "height": result.size[1], "boxes": [b.as_dict() for b in result.boxes]})
            ids = [x.brand.id for x in result.candidates]
            base = search.find_in_text(result.ocr_text.replace("\n", " "), limit=3) if result.ocr_text else []
            rows.append({**c, "ids": ids, "cands": result.candidates, "ms": result.elapsed_ms, "timings": result.timings,
                         "base": [m.brand.id for m in base], "error": result.error, "ocr": result.ocr_text})
            out[name] = (rows, saved, max(peak, result.timings.get("worker_peak_rss_mb", 0.0)))
    for reader in readers.values():
        reader.close()
    return out


def dump_misses(rows: list[dict], saved: list[dict], folder: Path) -> None:
    """Every miss as <condition>-<brand id>.png|.jpg plus .json (expected, candidates with evidence, OCR boxes)."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for row, ocr in zip(rows, saved):
        if row["ids"][:1] == [row["brand"].id]:
            continue
        stem = folder / f"{row['condition']}-{row['brand'].id}"
        stem.with_suffix(".png" if row["condition"] == "flat" else ".jpg").write_bytes(row["data"])
        info = {"expected": row["brand"].label(), "layout": row["layout"], "font": row["font"], "ocr_text": row["ocr"],
                "candidates": [{"brand": c.brand.label(), "confidence": c.confidence, "score": c.score, "evidence": list(c.evidence)}
                               for c in row["cands"]],
                **ocr}
        stem.with_suffix(".json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
        n += 1
    print(f"{n} misses saved in {folder}")


def rematch(catalog: Catalog, search: CatalogSearch, path: Path) -> list[dict]:
    from core.labels.matcher import LabelMatcher
    from core.labels.ocr_text import OcrBox, reading_order

    matcher = LabelMatcher(catalog)
    rows = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        boxes = [OcrBox.from_dict(b) for b in item["boxes"]]
        t = time.perf_counter()
        cands = matcher.match(boxes, item["width"], item["height"])
        ms = (time.perf_counter() - t) * 1000
        text = "\n".join(b.text for b in reading_order(boxes))
        base = search.find_in_text(text.replace("\n", " "), limit=3) if text else []
        rows.append({"brand": catalog.brands[item["brand_id"]], "condition": item["condition"], "layout": item["layout"],
                     "font": item["font"], "ids": [c.brand.id for c in cands], "cands": cands, "ms": ms, "timings": {"match_ms": ms},
                     "base": [m.brand.id for m in base], "error": None, "ocr": text})
    return rows


def report(rows: list[dict], calibrate: bool, *, latency: bool, misses: bool = True) -> None:
    def acc(sel: list[dict], key: str, k: int) -> str:
        if not sel:
            return "   -  "
        hit = sum(1 for r in sel if r["brand"].id in r[key][:k])
        return f"{100 * hit / len(sel):5.1f}%"

    print()
    print(f"{'condition':<10}{'layout':<12}{'n':>5}  {'top-1':>7}{'top-3':>8}  {'base top-1':>11}{'base top-3':>11}  {'name right':>11}")
    groups: list[tuple[str, str, list[dict]]] = []
    for cond in ("flat", "photo"):
        for layout in ("horizontal", "vertical", "all"):
            sel = [r for r in rows if r["condition"] == cond and (layout == "all" or r["layout"] == layout)]
            groups.append((cond, layout, sel))
    groups.append(("all", "all", rows))
    for cond, layout, sel in groups:
        name_ok = sum(1 for r in sel if r["cands"] and r["cands"][0].brand.name == r["brand"].name)
        print(f"{cond:<10}{layout:<12}{len(sel):>5}  {acc(sel, 'ids', 1):>7}{acc(sel, 'ids', 3):>8}  "
              f"{acc(sel, 'base', 1):>11}{acc(sel, 'base', 3):>11}  {100 * name_ok / max(1, len(sel)):10.1f}%")

    if latency:
        print_latency(rows)
    print_confidence(rows, calibrate, misses=misses)


def print_latency(rows: list[dict]) -> None:
    print()
    print("latency per image (ms, whole identify call: decode + OCR in the worker + match)")
    for cond in ("flat", "photo"):
        ms = [r["ms"] for r in rows if r["condition"] == cond]
        if not ms:
            continue
        dec = [r["timings"].get("decode_ms", 0) for r in rows if r["condition"] == cond]
        ocr = [r["timings"].get("ocr_ms", 0) for r in rows if r["condition"] == cond]
        match = [r["timings"].get("match_ms", 0) for r in rows if r["condition"] == cond]
        print(f"  {cond:<6} p50 {pct(ms, 50):5.0f}  p95 {pct(ms, 95):5.0f}  max {max(ms):5.0f}   "
              f"(decode p50 {pct(dec, 50):.0f}, OCR p50 {pct(ocr, 50):.0f} p95 {pct(ocr, 95):.0f}, match p50 {pct(match, 50):.0f})")
        cpu = [r["timings"].get("cpu_ms", 0) for r in rows if r["condition"] == cond]
        print(f"         CPU time of the worker per image: p50 {pct(cpu, 50):5.0f}  p95 {pct(cpu, 95):5.0f}  "
              f"(summed over its threads; /2 ≈ wall time on 2 idle cores)")
        again = [r for r in rows if r["condition"] == cond and r["timings"].get("looks", 1) > 1]
        print(f"         read twice (second look): {len(again)}/{len(ms)}")
    allms = [r["ms"] for r in rows]
    print(f"  all    p50 {pct(allms, 50):5.0f}  p95 {pct(allms, 95):5.0f}  mean {statistics.mean(allms):.0f}")
    print(f"load average now {os.getloadavg()[0]:.2f}")


def print_confidence(rows: list[dict], calibrate: bool, *, misses: bool = True) -> None:
    print()
    print("confidence reliability (top-1): bin, n, mean confidence, accuracy")
    scored = [(r["cands"][0].confidence, r["cands"][0].brand.id == r["brand"].id) for r in rows if r["cands"]]
    for lo, hi in ((0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 0.97), (0.97, 1.01)):
        b = [(c, ok) for c, ok in scored if lo <= c < hi]
        if b:
            print(f"  [{lo:.2f}, {min(hi, 1):.2f})  {len(b):4d}  {statistics.mean(c for c, _ in b):.3f}  "
                  f"{sum(ok for _, ok in b) / len(b):.3f}")
    confident = [(c, ok) for c, ok in scored if c >= CONFIDENT]
    if confident:
        print(f"  shown as a card (confidence >= {CONFIDENT}): {len(confident)}/{len(rows)} images, "
              f"{100 * sum(ok for _, ok in confident) / len(confident):.1f}% of those right")
    brier = statistics.mean((c - ok) ** 2 for c, ok in scored) if scored else float("nan")
    print(f"  Brier score {brier:.4f}")

    missed = [r for r in rows if not r["ids"] or r["ids"][0] != r["brand"].id]
    if not misses:
        return
    print()
    print(f"misses ({len(missed)}), first 25: expected | got | OCR text")
    for r in missed[:25]:
        got = r["cands"][0].brand.label() if r["cands"] else (r["error"].code.value if r["error"] else "-")
        print(f"  {r['condition']:<5} {r['layout']:<10} {r['font']:<24} {r['brand'].label()} | {got} | {r['ocr'][:60]!r}")

    if calibrate:
        x = [r["cands"][0].features for r in rows if r["cands"]]
        y = [int(r["cands"][0].brand.id == r["brand"].id) for r in rows if r["cands"]]
        w = fit_logistic(x, y)
        print()
        print(f'CALIBRATION = {{"bias": {w[0]:.3f}, "top": {w[1]:.3f}, "margin": {w[2]:.3f}, "brewery": {w[3]:.3f}}}')


if __name__ == "__main__":
    asyncio.run(main())
