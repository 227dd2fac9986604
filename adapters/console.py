"""The terminal chat: platform `local`, workspace `local`, one line in, one reply out.

Buttons are listed under the reply as [1] [2] …; typing `/1` presses the first one (the same
action id a platform's button would send). Images are named by their alt text.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from core.messages import Action, Image, Message, Reply, ReplyFile, StateKey
from core.sensei import Sensei

PROMPT = "you> "


async def _readline() -> str | None:
    line = await asyncio.to_thread(sys.stdin.readline)
    return line if line else None


def render(reply: Reply) -> str:
    """The reply as terminal text: the words, the images' alt texts, numbered buttons."""
    lines = [f"sensei> {reply.text}"]
    lines += [f"  [image: {image.alt}]" for image in reply.images]
    if reply.actions:
        lines.append("  " + "  ".join(f"[{i}] {a.label}" for i, a in enumerate(reply.actions, 1)))
    return "\n".join(lines) + "\n"


def pressed(text: str, actions: list[Action]) -> str | None:
    """`/2` presses the second button of the last reply."""
    m = re.fullmatch(r"/(\d{1,2})", text)
    if m and 1 <= int(m.group(1)) <= len(actions):
        return actions[int(m.group(1)) - 1].id
    return None


async def run_console(sensei: Sensei, *, user: str, lang: str | None = None) -> None:
    key = StateKey("local", "local", "terminal", user)
    greeting = (
        "Sake Sensei へようこそ。銘柄名や好みを送ってください(終了: Ctrl-D)。"
        if lang == "ja"
        else "Welcome to Sake Sensei. Ask about a sake or what you like (Ctrl-D to quit)."
    )
    print(greeting, flush=True)
    actions: list[Action] = []
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
        action = pressed(text, actions)
        message = Message(key=key, action=action, lang=lang) if action else Message(key=key, text=text, lang=lang, files=attached_files(text))
        reply = await sensei.handle(message)
        if reply is not None:
            actions = reply.actions
            print(render(reply), flush=True)
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
