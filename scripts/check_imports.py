#!/usr/bin/env python3
"""The import rules of the house, checked on the source (imports inside functions count too):

- `core/` never imports `adapters`, `bot` or a platform SDK: the core must run, and be tested,
  with no platform at all, and every platform must be able to render the same reply.
- `adapters/` never import `sqlalchemy` or `core.db`: adapters call core services; what is
  stored, and how, is the core's business.
- `adapters/` never import the inbox (`core.inbox`, `core.inbox_batching`): a turn is received,
  deduplicated, delivered or apologised for by the core's turn pipeline (core.turn_pipeline),
  the same on every platform; an adapter only gives it a transport.

Run by `.ci/run`; prints one line per broken rule and exits 1, or exits 0 in silence.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PLATFORM_SDKS = ("slack_bolt", "slack_sdk", "discord", "linebot", "nacl")
RULES: dict[str, tuple[str, ...]] = {
    "core": ("adapters", "bot", *PLATFORM_SDKS),
    "adapters": ("sqlalchemy", "core.db", "core.inbox", "core.inbox_batching"),
}


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """Every absolute module name the file imports, with its line."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return out


def forbidden(module: str, banned: tuple[str, ...]) -> str | None:
    return next((b for b in banned if module == b or module.startswith(b + ".")), None)


def violations(root: Path) -> list[str]:
    found: list[str] = []
    for package, banned in RULES.items():
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            seen: set[tuple[int, str]] = set()
            for line, module in imported(tree):
                rule = forbidden(module, banned)
                if rule and (line, rule) not in seen:
                    seen.add((line, rule))
                    found.append(f"{path.relative_to(root)}:{line}: {package}/ must not import {rule}")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    found = violations(root)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
