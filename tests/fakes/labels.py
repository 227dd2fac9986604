"""A label reader that answers from a table (photo bytes -> candidates), so agent tests need no OCR."""

from __future__ import annotations

from core.catalog import Catalog
from core.errors import Code, SenseiError
from core.labels import Candidate, LabelResult


class FakeLabelReader:
    def __init__(self, catalog: Catalog, answers: dict[bytes, list[tuple[int, float]]] | None = None) -> None:
        self.catalog = catalog
        self.answers = answers or {}
        self.seen: list[bytes] = []

    async def identify(self, data: bytes) -> LabelResult:
        self.seen.append(data)
        found = self.answers.get(data)
        if found is None:
            return LabelResult([], "", 1, SenseiError(Code.IMAGE_UNREADABLE, "not an image"))
        cands = [Candidate(self.catalog.brands[bid], conf, conf) for bid, conf in found]
        return LabelResult(cands, " ".join(c.brand.name for c in cands), 1)

    def close(self) -> None:
        pass
