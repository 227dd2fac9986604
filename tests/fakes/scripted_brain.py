"""A brain that answers what a test tells it to, and remembers every turn it was given.

For testing what carries a reply (the web chat, adapters) apart from what decides it.
"""

from __future__ import annotations

from typing import Callable

from core.messages import Reply
from core.sensei import Turn


class ScriptedBrain:
    def __init__(self, answer: Callable[[Turn], Reply]) -> None:
        self.answer = answer
        self.turns: list[Turn] = []

    async def reply(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        return self.answer(turn)
