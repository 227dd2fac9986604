"""The terminal chat: platform `local`, workspace `local`, one line in, one reply out.

Buttons are listed under the reply as [1] [2] …; typing `/1` presses the first one (the same
action id a platform's button would send). Images are named by their alt text.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from core.actions import UserAction
from core.messages import Button, Image, Message, Reply, ReplyFile, StateKey
from core.sensei import Sensei
from core.texts import t
from core.turn_pipeline import TurnPipeline

PROMPT = "you> "


async def _readline() -> str | None:
    line = await asyncio.to_thread(sys.stdin.readline)
    return line if line else None


def plain_text(reply: Reply) -> str:
    """The reply's words with what its cards say (each pick's reason), for surfaces that show no cards:
    the core's text is only the lead above the cards and does not repeat their reasons."""
    lines = [reply.text]
    for card in reply.cards:
        if card.reason:
            where = ", ".join(x for x in (card.brewery, card.prefecture) if x)
            name = f"{card.name} ({where})" if where else card.name
            lines.append(f"- {name}: {card.reason}")
    return "\n".join(lines)


def render(reply: Reply) -> str:
    """The reply as terminal text: the words and the cards' reasons, the images' alt texts, then the buttons
    numbered in the core's order (`Reply.buttons`), each card's on a line with its name."""
    lines = [f"sensei> {plain_text(reply)}"]
    lines += [f"  [image: {image.alt}]" for image in reply.images]
    n = 0

    def row(buttons: list[Button]) -> str:
        nonlocal n
        out = []
        for b in buttons:
            n += 1
            out.append(f"[{n}] {b.label}")
        return "  ".join(out)

    for card in reply.cards:
        own = card.actions + (card.rating.options if card.rating is not None else [])
        if own:
            lines.append(f"  {card.name}: {row(own)}")
    if reply.actions:
        lines.append("  " + row(reply.actions))
    return "\n".join(lines) + "\n"


def pressed(text: str, buttons: list[Button]) -> UserAction | None:
    """`/2` presses the second button of the last reply."""
    m = re.fullmatch(r"/(\d{1,2})", text)
    if m and 1 <= int(m.group(1)) <= len(buttons):
        return buttons[int(m.group(1)) - 1].action
    return None


class Terminal:
    """core.transport.Transport for the terminal: print the reply, save its files beside the user,
    and remember its buttons for `/N`."""

    def __init__(self) -> None:
        self.buttons: list[Button] = []

    async def working(self, lang: str) -> None:
        return None

    async def send(self, reply: Reply) -> None:
        self.buttons = reply.buttons()
        print(render(reply), flush=True)
        for path in save_files(reply.files, Path.cwd()):
            print(f"sensei> (saved {path})\n", flush=True)


async def run_console(sensei: Sensei, *, user: str, lang: str | None = None) -> None:
    turns, terminal = TurnPipeline(sensei), Terminal()
    key = StateKey("local", "local", "terminal", user)
    print(t("console.welcome", lang or "en"), flush=True)
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
        action = pressed(text, terminal.buttons)
        message = (Message(key=key, action=action, lang=lang) if action
                   else Message(key=key, text=text, lang=lang, files=attached_files(text)))
        await turns.run(message, terminal)


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
