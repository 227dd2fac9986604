"""A label reader that answers from a table (photo bytes -> candidates), so agent tests need no OCR.

It stands in for core.labels.LabelReader inside the real LabelService (sent-before check, reply).
"""

from __future__ import annotations

import hashlib
from typing import Any

from core.catalog import Catalog
from core.errors import Code, SenseiError
from core.labels import Candidate, LabelResult


class FakeLabelReader:
    def __init__(self, catalog: Catalog, answers: dict[bytes, list[tuple[int, float]]] | None = None) -> None:
        self.catalog = catalog
        self.answers = answers or {}
        self.seen: list[bytes] = []
        self.visions: list[Any] = []

    async def identify(self, data: bytes, *, vision: Any = None) -> LabelResult:
        self.seen.append(data)
        self.visions.append(vision)
        found = self.answers.get(data)
        if found is None:
            return LabelResult([], "", 1, SenseiError(Code.IMAGE_UNREADABLE, "not an image"))
        cands = [Candidate(self.catalog.brands[bid], conf, conf) for bid, conf in found]
        phash = f"{int.from_bytes(hashlib.sha256(data).digest()[:8], 'big'):016x}"  # the same bytes, the same "picture"
        return LabelResult(cands, " ".join(c.brand.name for c in cands), 1, phash=phash)

    def close(self) -> None:
        pass
