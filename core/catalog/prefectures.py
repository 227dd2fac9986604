"""Prefecture names in Japanese and romaji (JIS order = Sakenowa area ids 1-47)."""

from __future__ import annotations

from core.catalog.normalize import fold_name, fold_romaji

ROMAJI = (
    "hokkaido aomori iwate miyagi akita yamagata fukushima ibaraki tochigi gunma saitama chiba tokyo "
    "kanagawa niigata toyama ishikawa fukui yamanashi nagano gifu shizuoka aichi mie shiga kyoto osaka "
    "hyogo nara wakayama tottori shimane okayama hiroshima yamaguchi tokushima kagawa ehime kochi "
    "fukuoka saga nagasaki kumamoto oita miyazaki kagoshima okinawa"
).split()


def romaji_of(area_id: int) -> str | None:
    return ROMAJI[area_id - 1].capitalize() if 1 <= area_id <= 47 else None


def resolve(name: str, prefectures: dict[int, str]) -> int | None:
    """Area id for "新潟", "新潟県", "Niigata", "niigata-ken"; None when it names no prefecture."""
    ro = fold_romaji(name).removesuffix("ken").removesuffix("prefecture").removesuffix("fu")
    if ro:
        for i, r in enumerate(ROMAJI, start=1):
            if fold_romaji(r) == ro:
                return i
    key = fold_name(name)
    for area_id, pname in prefectures.items():
        full = fold_name(pname)
        if key and (key == full or key == full.rstrip("県府都") or (key == "北海道" and full == key)):
            return area_id
    return None


def display_name(name: str, prefectures: dict[int, str], lang: str) -> str:
    """A prefecture as a reader of `lang` says it: 山口県 in Japanese, "Yamaguchi" in English."""
    if lang == "ja":
        return name
    area_id = resolve(name, prefectures)
    return (romaji_of(area_id) if area_id is not None else None) or name
