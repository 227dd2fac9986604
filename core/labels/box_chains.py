"""Boxes that continue one another: a tategaki name cut into pieces, or spaced letters, read as one text."""

from __future__ import annotations

from core.labels.ocr_text import OcrBox


def chains(boxes: list[OcrBox]) -> list[list[int]]:
    """Runs of boxes of one text size that continue one another downwards (tategaki) or rightwards."""
    bbox = []
    for b in boxes:
        xs = [x for x, _ in b.quad]
        ys = [y for _, y in b.quad]
        bbox.append((min(xs), min(ys), max(xs), max(ys)))
    chains: list[list[int]] = []
    for down in (True, False):
        nxt: dict[int, int] = {}
        for i, a in enumerate(boxes):
            if len(a.text) > 1 and ((a.width > 1.5 * a.height) if down else (a.height > 1.5 * a.width)):
                continue  # a horizontal line does not continue downwards, nor a column rightwards
            best, best_gap = None, 0.0
            for j, b in enumerate(boxes):
                if i == j or not 0.6 <= a.char_size / max(b.char_size, 1e-6) <= 1.67:
                    continue
                if len(b.text) > 1 and ((b.width > 1.5 * b.height) if down else (b.height > 1.5 * b.width)):
                    continue
                size = max(a.char_size, b.char_size)
                (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = bbox[i], bbox[j]
                if down:
                    off, gap = abs((ax0 + ax1) - (bx0 + bx1)) / 2, by0 - ay1
                else:
                    off, gap = abs((ay0 + ay1) - (by0 + by1)) / 2, bx0 - ax1
                if off <= 0.5 * size and -0.5 * size <= gap <= 1.6 * size and (best is None or gap < best_gap):
                    best, best_gap = j, gap
            if best is not None:
                nxt[i] = best
        heads = set(nxt) - set(nxt.values())
        for head in sorted(heads):
            chain = [head]
            while chain[-1] in nxt and nxt[chain[-1]] not in chain and len(chain) < 8:
                chain.append(nxt[chain[-1]])
            chains.append(chain)
    return chains
