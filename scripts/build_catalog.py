"""Build the bundled catalog file from the Sakenowa dump and the product-spec dataset.

The app must run where ``../shared`` does not exist, so the result is committed as
``core/catalog/data/catalog.json.gz``. Readings (kana, romaji) are computed here with
pykakasi, once, so that the running bot does not need a dictionary; the hand-kept
``aliases.tsv`` overrides readings that the dictionary gets wrong (新政 is "aramasa").

Usage: python scripts/build_catalog.py [--shared ../shared/data] [--out core/catalog/data/catalog.json.gz]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ALIASES = ROOT / "core" / "catalog" / "data" / "aliases.tsv"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _float(value: str) -> float | None:
    try:
        return float(value) if value not in ("", None) else None
    except ValueError:
        return None


def read_aliases() -> dict[str, tuple[str, list[str]]]:
    aliases: dict[str, tuple[str, list[str]]] = {}
    for line in ALIASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, reading, romaji = line.split("\t")
        aliases[name] = (reading, [r.strip() for r in romaji.split("|") if r.strip()])
    return aliases


def readings(names: list[str]) -> dict[str, tuple[str, str]]:
    """Hiragana reading and Hepburn romaji of each name, by dictionary."""
    import pykakasi

    kakasi = pykakasi.kakasi()
    out: dict[str, tuple[str, str]] = {}
    for name in names:
        parts = kakasi.convert(name)
        hira = "".join(p["hira"] for p in parts)
        hepburn = "".join(p["hepburn"] for p in parts)
        out[name] = (hira, re.sub(r"[^a-z0-9 ]", "", hepburn.lower()))
    return out


def build(shared: Path) -> dict[str, Any]:
    sakenowa = shared / "sakenowa"
    areas = _load(sakenowa / "areas.json")["areas"]
    breweries = _load(sakenowa / "breweries.json")["breweries"]
    brands = _load(sakenowa / "brands.json")["brands"]
    charts = {c["brandId"]: c for c in _load(sakenowa / "flavor-charts.json")["flavorCharts"]}
    tags = _load(sakenowa / "flavor-tags.json")["tags"]
    brand_tags = {b["brandId"]: b["tagIds"] for b in _load(sakenowa / "brand-flavor-tags.json")["flavorTags"]}
    rankings = _load(sakenowa / "rankings.json")
    meta = _load(sakenowa / "_meta.json")

    overall = {r["brandId"]: r for r in rankings["overall"]}
    in_area: dict[int, dict[str, Any]] = {}
    for area in rankings["areas"]:
        for r in area["ranking"]:
            in_area[r["brandId"]] = r

    # Brewery kana from the derived join (only where exactly one Sakepedia brewery matched).
    brewery_kana: dict[int, str] = {}
    with (shared / "derived" / "sakenowa_brands_joined.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["sakepedia_brewery_kana"]:
                brewery_kana[int(row["brewery_id"])] = row["sakepedia_brewery_kana"]

    aliases = read_aliases()
    read = readings([b["name"] for b in brands])
    brand_ids = {b["id"] for b in brands}
    tag_ids = {t["id"] for t in tags}

    out_brands = []
    for b in brands:
        hira, romaji = read[b["name"]]
        extra: list[str] = []
        if b["name"] in aliases:
            hira, extra = aliases[b["name"]]
        chart = charts.get(b["id"])
        o, a = overall.get(b["id"]), in_area.get(b["id"])
        out_brands.append(
            {
                "id": b["id"],
                "name": b["name"],
                "brewery_id": b["breweryId"],
                "reading": hira,
                "romaji": extra[0] if extra else romaji,
                "aliases": [r for r in dict.fromkeys(extra + [romaji]) if r],
                "tags": [t for t in brand_tags.get(b["id"], []) if t in tag_ids],
                "chart": [round(chart[f"f{i}"], 4) for i in range(1, 7)] if chart else None,
                "rank": o["rank"] if o else None,
                "score": round(o["score"], 4) if o else None,
                "area_rank": a["rank"] if a else None,
                "area_score": round(a["score"], 4) if a else None,
            }
        )

    products = []
    with (shared / "derived" / "sake_dataset_v1_flat.csv").open(encoding="utf-8") as fh:
        seen: set[tuple[str, str]] = set()
        for row in csv.DictReader(fh):
            if not row["sakenowa_brand_id"] or int(row["sakenowa_brand_id"]) not in brand_ids:
                continue
            key = (row["brand_plus_name"], row["brewer"])
            if key in seen:  # the source repeats 9 (brand+name, brewer) keys
                continue
            seen.add(key)
            products.append(
                {
                    "brand_id": int(row["sakenowa_brand_id"]),
                    "name": row["name"].strip(),
                    "grade": row["sake_class"].strip() or None,
                    "polishing": _float(row["rice_polishing_rate"]),
                    "abv": _float(row["alcohol_rate_mean"]),
                    "smv": _float(row["sake_meter_value_mean"]),
                    "acidity": _float(row["titratable_acidity_mean"]),
                    "amino": _float(row["amino_acid_content_mean"]),
                    "sweetness": _float(row["sweetness_dryness"]),
                    "rice": [r for r in row["rice"].split("|") if r],
                    "yeast": [y for y in row["yeast"].split("|") if y],
                }
            )

    catalog = {
        "source": {
            "sakenowa_fetched_at": meta.get("fetched_at"),
            "rankings_year_month": rankings["yearMonth"],
            "attribution": "さけのわデータを利用しています https://sakenowa.com",
            "products": "yoichi1484/sake_dataset v1 (MIT), joined to Sakenowa brands",
        },
        "prefectures": [{"id": a["id"], "name": a["name"]} for a in areas],
        "breweries": [
            {"id": b["id"], "name": b["name"], "area_id": b["areaId"], "kana": brewery_kana.get(b["id"])}
            for b in breweries
        ],
        "tags": [{"id": t["id"], "tag": t["tag"]} for t in tags],
        "brands": out_brands,
        "products": products,
    }
    body = json.dumps(catalog, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    catalog["version"] = hashlib.sha256(body.encode()).hexdigest()[:16]
    return catalog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "core" / "catalog" / "data" / "catalog.json.gz")
    args = parser.parse_args()
    catalog = build(args.shared)
    data = json.dumps(catalog, ensure_ascii=False, separators=(",", ":")).encode()
    # mtime=0 keeps the file byte-identical between builds of the same data.
    args.out.write_bytes(gzip.compress(data, mtime=0))
    print(
        f"{args.out}: {len(catalog['brands'])} brands, "
        f"{sum(1 for b in catalog['brands'] if b['chart'])} charts, {len(catalog['tags'])} tags, "
        f"{len(catalog['products'])} products, version {catalog['version']}"
    )


if __name__ == "__main__":
    main()
