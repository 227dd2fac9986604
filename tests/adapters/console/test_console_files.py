"""The terminal shares a menu CSV by naming it, and saves the files a reply carries."""

from __future__ import annotations

from pathlib import Path

from adapters.console import attached_files, save_files
from core.messages import ReplyFile


def test_named_csv_files_are_attached(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menu.csv").write_bytes("銘柄\n獺祭\n".encode())
    (tmp_path / "notes.md").write_text("x")
    files = attached_files("import menu.csv and notes.md and missing.csv")
    assert [(f.filename, f.data) for f in files] == [("menu.csv", "銘柄\n獺祭\n".encode())]


def test_reply_files_are_saved_without_overwriting(tmp_path: Path) -> None:
    (tmp_path / "sake-menu.csv").write_text("old")
    saved = save_files([ReplyFile(b"new", "sake-menu.csv"), ReplyFile(b"x", "../escape.csv")], tmp_path)
    assert saved == [tmp_path / "sake-menu-1.csv", tmp_path / "escape.csv"]
    assert (tmp_path / "sake-menu.csv").read_text() == "old" and (tmp_path / "sake-menu-1.csv").read_bytes() == b"new"
