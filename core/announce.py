"""Posting to a channel on the bot's own initiative, not as the answer to a turn.

A turn's answer goes back through its `core.transport.Transport`; some replies have no turn to
ride on (the reveal of a flight that closed itself overnight). Each platform says here how it
posts a finished `Reply` into a channel of a workspace, rendered as it renders any answer.
"""

from __future__ import annotations

from typing import Protocol

from core.messages import Reply


class ChannelPoster(Protocol):
    """One platform's way into its channels (adapters/<platform>/poster.py)."""

    async def post(self, reply: Reply, workspace: str, channel: str, *, key: str) -> None:
        """Post `reply` in `channel` (a StateKey.channel) of `workspace` (a StateKey.workspace).

        `key` names this post for good: a platform that deduplicates (LINE's retry key) is given
        it, so a post retried after a lost answer shows once. Raises `core.transport.Undelivered`,
        `transient` when the same post is worth trying again later."""
        ...
