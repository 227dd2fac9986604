"""The message catalog: every entry is a well-formed template in both languages, and the Japanese
words ask for no field the English ones do not (a caller fills the fields once, for either)."""

from __future__ import annotations

from string import Formatter

import pytest

from core.texts import TEXTS, t


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(template) if name}


def _numeric(template: str) -> set[str]:
    """Fields with a number's format spec ({stars:g}): the caller passes a number there."""
    return {name for _, name, spec, _ in Formatter().parse(template) if name and spec and spec[-1] in "gdfe%"}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_entry_formats_in_both_languages(key: str) -> None:
    en, ja = TEXTS[key]
    assert en.strip() and ja.strip()
    assert _fields(ja) <= _fields(en), f"{key}: the Japanese asks for {_fields(ja) - _fields(en)}"
    filled: dict[str, object] = {name: 1 if name in _numeric(en) | _numeric(ja) else "X" for name in _fields(en)}
    for lang in ("en", "ja"):
        out = t(key, lang, **filled)  # a stray brace or an unknown field raises here
        assert "{{" not in out and "}}" not in out  # an entry without fields is not formatted: no escaped braces in it


def test_a_field_value_is_never_read_as_a_template() -> None:
    assert t("wishlist.added", "en", name="{evil}") == "Added {evil} to your wishlist."


def test_no_key_is_written_twice_across_the_merged_tables() -> None:
    """texts.py merges other modules' tables (`**CHAT_TEXTS`, …) into its own: a key written twice would
    silently keep only the later words, so every key is written once, and each table's words are the ones t() finds."""
    import ast
    import importlib
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[2] / "core" / "texts.py").read_text(encoding="utf-8"))
    table = next(n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "TEXTS")
    assert isinstance(table, ast.Dict)
    own = [k.value for k in table.keys if isinstance(k, ast.Constant)]
    imported = {a.asname or a.name: n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module for a in n.names}
    spread = [v.id for k, v in zip(table.keys, table.values) if k is None and isinstance(v, ast.Name)]
    assert len(spread) == sum(k is None for k in table.keys) >= 6
    merged = [getattr(importlib.import_module(imported[name]), name) for name in spread]
    keys = own + [k for m in merged for k in m]
    assert len(keys) == len(set(keys)) == len(TEXTS)
    assert all(TEXTS[k] == v for m in merged for k, v in m.items())
