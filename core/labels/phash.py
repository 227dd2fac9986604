"""Perceptual hash (64-bit DCT pHash) of a photo, to spot the same bottle photo sent twice.

The same picture re-sent, recompressed, scaled or lightly cropped by a messenger keeps
nearly the same hash; a different photo does not. It cannot identify a bottle on its own
(platform-notes: nearest-hash top-1 was 23/40), so it is used only for "sent twice".
Written with numpy (a 32×32 DCT is one matrix product) rather than adding a dependency.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

_N = 32
_K = 8
# Orthonormal DCT-II basis: row k = cos(pi/N * (n + 0.5) * k).
_DCT = np.cos(np.pi / _N * (np.arange(_N)[None, :] + 0.5) * np.arange(_N)[:, None])


def phash(image: Image.Image) -> str:
    """16 hex digits: the signs of the lowest 8×8 DCT frequencies (DC left out) against their median."""
    grey = np.asarray(image.convert("L").resize((_N, _N), Image.Resampling.LANCZOS), dtype=np.float64)
    freq = _DCT @ grey @ _DCT.T
    low = freq[:_K, :_K].flatten()
    bits = low > np.median(low[1:])
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:016x}"


def distance(a: str, b: str) -> int:
    """Hamming distance between two hashes (0 = same picture; over ~10 = different pictures)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
