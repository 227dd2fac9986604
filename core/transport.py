"""What the turn pipeline needs from a platform: send a reply, and show that one is coming.

Every surface answers the same way (core.turn_pipeline); a platform only says how a reply
reaches its user. Files the user shared are not here: an adapter puts their fetch function
on the `Message` (core.messages.Image) before the turn, so the pipeline never fetches.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Protocol

from core.messages import Reply


class Undelivered(Exception):
    """The platform did not take a reply. `transient` (rate limited past the retries, its 5xx, no
    connection): the same reply is worth sending later. Otherwise it was refused for good, and the
    user gets an apology instead. `outage`: the platform could not be reached at all, so the reply
    waits in the job queue for as long as it is down (core.job_retry), woken by `back` if given."""

    def __init__(self, reason: str, *, transient: bool, outage: bool = False,
                 back: Callable[[], Awaitable[Any]] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.outage = outage and transient
        self.back = back


class Transport(Protocol):
    """One conversation on one platform, for the length of one turn."""

    async def working(self, lang: str) -> None:
        """Show the user that an answer is on its way (a placeholder, typing dots, a loading
        animation), in `lang`. Best effort: a failure is the transport's to log, never to raise."""
        ...

    async def send(self, reply: Reply) -> None:
        """Deliver `reply` (in place of what `working` showed, where the platform can). Raises
        `Undelivered` when the platform did not take it."""
        ...
