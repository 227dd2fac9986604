"""Product specs in words, each linked to the entry that explains it."""

from __future__ import annotations

from core.catalog.model import ProductInfo
from core.knowledge.base import load_base
from core.knowledge.specs import product_lines, smv_words, yeast_entry


def test_smv_in_words() -> None:
    assert smv_words(5, "en") == "on the dry side"
    assert smv_words(8, "en") == "very dry"
    assert smv_words(0, "en") == "medium"
    assert smv_words(-4, "ja") == "甘口"


def test_product_lines_link_to_entries_that_exist() -> None:
    p = ProductInfo("獺祭 純米大吟醸45", "純米大吟醸", 45.0, 16.0, 5.0, 1.3, 1.0, None, ("山田錦",), ("きょうかい901号",))
    lines = product_lines(p, "en")
    texts = [line.text for line in lines]
    assert "SMV +5: on the dry side" in texts
    assert "Polishing ratio 45 %: 55 % of each grain polished away" in texts
    ids = [line.entry_id for line in lines]
    assert ids[:3] == ["junmai-daiginjo", "seimai-buai", "nihonshu-do"]
    assert "yamada-nishiki" in ids and "kyokai-9" in ids
    base = load_base()
    assert all(i in base for i in ids)
    assert (
        yeast_entry("きょうかい1801号") == "kyokai-1801"
        and yeast_entry("きょうかい1401号") == "kyokai-yeast"
        and yeast_entry("自社酵母") == "yeast"
    )
