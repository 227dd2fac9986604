"""Every word a user sees comes from the message catalog (core/texts.py and the modules it merges in):
the inline words left in core/ and adapters/ are counted per file, and a count may only go down.

What counts as an inline user-facing word. This code base writes a sentence for two languages in a
few recognisable shapes, so the rule looks for those shapes rather than guessing which strings
a user reads. A string literal or f-string (counted once, however the shapes nest) counts when it
holds a Latin letter, kana or kanji, is not a language code ("en", "ja") and is not a catalog key
(the first argument of `t()`), and it is

1. an argument of `pick(lang, en, ja)` after the language;
2. a branch of a conditional expression on the language: `a if lang == "ja" else b`;
3. anywhere in the branches of an `if` statement on the language: `if lang == "ja": ... else: ...`
   (a comparison of a name or attribute containing "lang" with "en" or "ja");
4. an item of a pair of string literals, the first in Latin letters only and the second in Japanese:
   the (en, ja) pair of an inline table; not when the pair is the right side of `in` (words a user
   types, matched and never shown);
5. a value of a dict literal keyed "en" and "ja".

What it cannot see: a sentence in one language only (an English-only f-string sent to every user),
or words assembled some other way. It is a ratchet for the bilingual inline tables and branches that
issue #18 moves into the catalog, not a proof that none is left.

PENDING pins each file's count. A file with more fails (put the words in the catalog and look them
up with `t`); a file with fewer fails too, until its pin is lowered, so the numbers only go down.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("core", "adapters")
LANGUAGES = ("en", "ja")
_WORDY = re.compile(r"[A-Za-z\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff]")
_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff]")

# file -> inline user-facing words it still has (lower a pin when you move words into the catalog)
PENDING: dict[str, int] = {
    "core/agent/brain.py": 2,  # "help"/"ヘルプ": what a Help button types for the model; read by it, never shown
}


def _text(node: ast.AST) -> str | None:
    """The literal text of a string constant or f-string (an f-string's fixed parts)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _is_lang(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and "lang" in node.id) or (isinstance(node, ast.Attribute) and "lang" in node.attr)


def _on_language(test: ast.AST) -> bool:
    """`lang == "ja"`, `turn.lang != "en"`, …: a comparison of the language with a language code."""
    if not isinstance(test, ast.Compare):
        return False
    sides = [test.left, *test.comparators]
    return any(_is_lang(s) for s in sides) and any(_text(s) in LANGUAGES for s in sides)


def _strings(node: ast.AST) -> list[ast.AST]:
    """The string literals and f-strings in `node` (an f-string's own parts are not counted again)."""
    out: list[ast.AST] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if _text(n) is not None:
            out.append(n)
            continue
        stack.extend(ast.iter_child_nodes(n))
    return out


def inline_words(source: str) -> list[tuple[int, str]]:
    """The inline user-facing words of a module (line, text), by the rule in this file's docstring."""
    tree = ast.parse(source)
    excluded: set[int] = set()
    found: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
            excluded.add(id(node.args[0]))
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            excluded.update(id(s) for c in node.comparators for s in _strings(c))
    for node in ast.walk(tree):
        candidates: list[ast.AST] = []
        if isinstance(node, ast.Call) and (getattr(node.func, "id", None) == "pick" or getattr(node.func, "attr", None) == "pick"):
            candidates = node.args[1:]
        elif isinstance(node, ast.IfExp) and _on_language(node.test):
            candidates = [node.body, node.orelse]
        elif isinstance(node, ast.If) and _on_language(node.test):
            candidates = [s for part in (*node.body, *node.orelse) for s in _strings(part)]
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(_text(e) is not None for e in node.elts):
            en, ja = (_text(e) or "" for e in node.elts)
            if _WORDY.search(en) and not _JAPANESE.search(en) and _JAPANESE.search(ja):
                candidates = list(node.elts)
        elif isinstance(node, ast.Dict) and {_text(k) for k in node.keys if k is not None} == set(LANGUAGES):
            candidates = list(node.values)
        for c in candidates:
            text = _text(c)
            if text is not None and id(c) not in excluded and text not in LANGUAGES and _WORDY.search(text):
                found[id(c)] = c
    return sorted((getattr(n, "lineno", 0), _text(n) or "") for n in found.values())


def _catalog_modules() -> set[str]:
    """core/texts.py and the modules whose tables it merges in (its own imports from core)."""
    tree = ast.parse((ROOT / "core" / "texts.py").read_text(encoding="utf-8"))
    merged = {f"{n.module.replace('.', '/')}.py" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
              and n.module.startswith("core.")}
    return {"core/texts.py", *merged}


def counts() -> dict[str, int]:
    catalog = _catalog_modules()
    out = {}
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel not in catalog and (n := len(inline_words(path.read_text(encoding="utf-8")))):
                out[rel] = n
    return out


def test_the_catalog_modules_are_the_ones_texts_merges_in() -> None:
    assert {"core/texts.py", "core/chat_texts.py", "core/describe_texts.py", "core/flights/notice_texts.py"} <= _catalog_modules()


def test_no_file_has_more_inline_words_than_pinned() -> None:
    over = {f: (n, PENDING.get(f, 0)) for f, n in counts().items() if n > PENDING.get(f, 0)}
    assert over == {}, f"inline user-facing words (found, pinned): {over}; put them in the catalog (core/texts.py) and use t()"


def test_pins_go_down_with_the_words() -> None:
    found = counts()
    stale = {f: (found.get(f, 0), n) for f, n in PENDING.items() if found.get(f, 0) < n}
    assert stale == {}, f"fewer inline words than pinned (found, pinned): {stale}; lower PENDING to the found number"


@pytest.mark.parametrize(
    "source, words",
    [
        ('x = pick(lang, "Hello", "こんにちは")', ["Hello", "こんにちは"]),
        ('x = "Hello" if lang == "ja" else f"Hi {name}"', ["Hello", "Hi "]),
        ('if deps.lang == "ja":\n    x = "こんにちは"\nelse:\n    x = "Hello"', ["Hello", "こんにちは"]),
        ('T = {"k": ("Sold out", "品切れ")}', ["Sold out", "品切れ"]),
        ('A = {"en": "Data", "ja": "データ"}', ["Data", "データ"]),
        ('x = t("menu.head", lang, count=3) if lang == "ja" else t("menu.head", lang, count=4)', []),
        ('x = "ja" if lang == "ja" else "en"', []),
        ('if sub in ("flight", "飲み比べ"):\n    pass', []),
        ('x = "・" if lang == "ja" else ", "', []),
        ('AXES = ("f1", "f2")', []),
        ('log.info("sent %s", "hello world")', []),
    ],
)
def test_the_rule(source: str, words: list[str]) -> None:
    assert sorted(w for _, w in inline_words(source)) == sorted(words)
