"""The terminal chat: platform `local`, workspace `local`, one line in, one reply out."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from core.messages import Image, Message, ReplyFile, StateKey
from core.sensei import Sensei

PROMPT = "you> "


async def _readline() -> str | None:
    line = await asyncio.to_thread(sys.stdin.readline)
    return line if line else None


async def run_console(sensei: Sensei, *, user: str, lang: str | None = None) -> None:
    key = StateKey("local", "local", "terminal", user)
    greeting = (
        "Sake Sensei へようこそ。銘柄名や好みを送ってください(終了: Ctrl-D)。"
        if lang == "ja"
        else "Welcome to Sake Sensei. Ask about a sake or what you like (Ctrl-D to quit)."
    )
    print(greeting, flush=True)
    while True:
        print(PROMPT, end="", flush=True)
        line = await _readline()
        if line is None:
            print()
            return
        text = line.strip()
        if not text:
            continue
        if text.lower() in ("/quit", "/exit", "quit", "exit"):
            return
        reply = await sensei.handle(Message(key=key, text=text, lang=lang, files=attached_files(text)))
        if reply is not None:
            print(f"sensei> {reply.text}\n", flush=True)
            for path in save_files(reply.files, Path.cwd()):
                print(f"sensei> (saved {path})\n", flush=True)


def attached_files(text: str) -> list[Image]:
    """Files named in the line (a menu CSV: "import menu.csv"), the terminal's way to share one."""
    out = []
    for word in text.split():
        path = Path(word.strip("\"'"))
        if path.suffix.lower() in (".csv", ".tsv", ".txt") and path.is_file():
            out.append(Image(data=path.read_bytes(), filename=path.name, media_type="text/csv"))
    return out


def save_files(files: list[ReplyFile], folder: Path) -> list[Path]:
    """A reply's files (a menu exported as CSV) written beside the user, never over an existing file."""
    saved = []
    for f in files:
        name = Path(f.filename).name or "file"
        path, n = folder / name, 1
        while path.exists():
            path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
            n += 1
        path.write_bytes(f.data)
        saved.append(path)
    return saved
