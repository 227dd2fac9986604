"""What the tasting log gives back: one tasting, the user's statistics, and the light rows the taste profile reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.catalog.model import BrandInfo
from core.tasting_input import temperature_label

NOTE_SHOWN = 60  # characters of a note on a history line


@dataclass(frozen=True, slots=True)
class Tasting:
    id: int
    user_id: int
    brand_id: int | None
    brand: BrandInfo | None
    free_text_name: str | None
    product_name: str | None
    grade: str | None
    rating: float | None
    impression: dict[str, float] | None
    tags: tuple[str, ...]
    temperature: str | None
    food: str | None
    place: str | None
    tasted_on: date
    notes: str | None
    photo_ref: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        """The catalog's Japanese name, or what the user typed for a sake outside the catalog."""
        if self.brand is not None:
            return self.brand.name
        return self.free_text_name or (f"#{self.brand_id}" if self.brand_id is not None else "?")

    @property
    def chart(self) -> tuple[float, ...] | None:
        """The catalog chart; the user's own impression is kept apart (see `impression`)."""
        return self.brand.chart if self.brand is not None else None

    def summary(self, lang: str = "en") -> str:
        """One line for a history list: 2026-11-28 獺祭 純米大吟醸 ★4.5 (冷酒, with sashimi)."""
        parts = [self.tasted_on.isoformat(), self.name]
        if self.product_name:
            parts.append(self.product_name)
        if self.grade:
            parts.append(self.grade)
        if self.rating is not None:
            parts.append(f"★{self.rating:g}")
        extra = [x for x in (temperature_label(self.temperature, lang), self.food) if x]
        line = " ".join(parts)
        line = f"{line} ({', '.join(extra)})" if extra else line
        if self.notes:  # the drinker's own words, shortened: the whole note is in the export
            note = self.notes if len(self.notes) <= NOTE_SHOWN else self.notes[: NOTE_SHOWN - 1] + "…"
            line += f" 「{note}」" if lang == "ja" else f" “{note}”"
        return line


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    count: int
    average_rating: float | None


@dataclass(frozen=True, slots=True)
class TastingStats:
    count: int
    rated: int
    unique_brands: int  # catalog brands plus distinct free-text names
    average_rating: float | None
    by_prefecture: tuple[Bucket, ...]  # most tasted first; catalog brands only
    by_grade: tuple[Bucket, ...]
    by_month: tuple[Bucket, ...]  # "2026-11", newest first

    @property
    def favourite_prefecture(self) -> str | None:
        """The prefecture with the best average among those tasted more than once (or the most tasted)."""
        rated = [b for b in self.by_prefecture if b.average_rating is not None]
        if not rated:
            return self.by_prefecture[0].key if self.by_prefecture else None
        return max(rated, key=lambda b: (b.count > 1, b.average_rating, b.count)).key


@dataclass(frozen=True, slots=True)
class Rated:
    """What the taste profile needs from one tasting: light, so a long history stays cheap."""

    id: int
    brand_id: int | None
    rating: float
    impression: dict[str, float] | None
    tasted_on: date
    free_text_name: str | None = None
