"""The knowledge base: one entry per topic, written by us in English and Japanese, each with its source.

The entries are data (core/knowledge/data/*.json, one file per topic) so that they can be reviewed and
corrected without touching code; `load_base` reads and checks them once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

TOPICS = (
    "grades", "brewing", "styles", "label", "rice", "yeast", "temperature", "vessels", "storage", "pairing", "etiquette",
    "basics", "prefectures",
)


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    topic: str
    title: dict[str, str]  # {"en": ..., "ja": ...}
    text: dict[str, str]
    aliases: dict[str, tuple[str, ...]]  # {"en": ..., "ja": ..., "romaji": ...}: names that point at this entry alone
    keywords: tuple[str, ...]  # weaker words ("temperature", "保存"), used only when no alias is named
    questions: dict[str, tuple[str, ...]]
    related: tuple[str, ...]
    source: str
    examples: dict[str, str] = field(default_factory=dict)  # catalog filter for examples: grade, rice or yeast

    def all_aliases(self) -> tuple[str, ...]:
        return (*self.aliases.get("en", ()), *self.aliases.get("ja", ()), *self.aliases.get("romaji", ()))


class KnowledgeBase:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        for e in entries:
            if e.id in self.entries:
                raise ValueError(f"knowledge entry {e.id!r} is defined twice")
            self.entries[e.id] = e
        for e in entries:
            missing = [r for r in e.related if r not in self.entries]
            if missing:
                raise ValueError(f"knowledge entry {e.id!r} relates to unknown entries {missing}")

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def title(self, entry_id: str, lang: str) -> str:
        e = self.entries[entry_id]
        return e.title["ja" if lang == "ja" else "en"]


def _entry(raw: dict[str, Any]) -> Entry:
    return Entry(
        id=raw["id"], topic=raw["topic"], title=dict(raw["title"]), text=dict(raw["text"]),
        aliases={k: tuple(v) for k, v in raw["aliases"].items()}, keywords=tuple(raw.get("keywords", ())),
        questions={k: tuple(v) for k, v in raw["questions"].items()}, related=tuple(raw.get("related", ())),
        source=raw["source"], examples=dict(raw.get("examples", {})),
    )


@lru_cache(maxsize=1)
def load_base() -> KnowledgeBase:
    """The shipped base (package data); read once, it never changes while the process runs."""
    folder = resources.files("core.knowledge") / "data"
    entries = []
    for topic in TOPICS:
        entries += [_entry(raw) for raw in json.loads((folder / f"{topic}.json").read_text(encoding="utf-8"))]
    return KnowledgeBase(entries)
