"""The import-rules check: silent on the tree as it is, loud on each kind of breach."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_imports", ROOT / "scripts" / "check_imports.py")
assert spec and spec.loader
check_imports = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_imports)


def test_the_tree_keeps_the_import_rules() -> None:
    assert check_imports.violations(ROOT) == []


def test_each_breach_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "core").mkdir()
    (tmp_path / "adapters" / "web").mkdir(parents=True)
    (tmp_path / "core" / "ok.py").write_text("import json\nfrom core.messages import Reply\n")
    (tmp_path / "core" / "bad.py").write_text(
        "from adapters.slack import render\nimport bot.wiring\n\ndef f():\n    import discord\n    from slack_sdk.web import WebClient\n")
    (tmp_path / "adapters" / "web" / "bad.py").write_text(
        "from sqlalchemy import select\nfrom core import db\nfrom core.db.tables import X\nfrom core.inbox import Inbox\n"
        "import core.inbox_batching\nfrom core import inbox\n")
    found = check_imports.violations(tmp_path)
    assert sorted(found) == [
        "adapters/web/bad.py:1: adapters/ must not import sqlalchemy",
        "adapters/web/bad.py:2: adapters/ must not import core.db",
        "adapters/web/bad.py:3: adapters/ must not import core.db",
        "adapters/web/bad.py:4: adapters/ must not import core.inbox",
        "adapters/web/bad.py:5: adapters/ must not import core.inbox_batching",
        "adapters/web/bad.py:6: adapters/ must not import core.inbox",
        "core/bad.py:1: core/ must not import adapters",
        "core/bad.py:2: core/ must not import bot",
        "core/bad.py:5: core/ must not import discord",
        "core/bad.py:6: core/ must not import slack_sdk",
    ]
    assert check_imports.main(["check", str(tmp_path)]) == 1
