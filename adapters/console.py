"""The terminal chat: platform `local`, workspace `local`, one line in, one reply out."""

from __future__ import annotations

import asyncio
import sys

from core.messages import Message, StateKey
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
        reply = await sensei.handle(Message(key=key, text=text, lang=lang))
        if reply is not None:
            print(f"sensei> {reply.text}\n", flush=True)
