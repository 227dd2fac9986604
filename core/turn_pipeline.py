"""One turn, the same on every surface: admit and deduplicate, handle, deliver, then mark the
reply delivered or apologise.

Adapters translate a platform's payload into a `Message` and give the pipeline a `Transport`
(core.transport) that knows how to reach the user; they never record deliveries themselves.
What the pipeline keeps for every platform:

- a retried or duplicate delivery is answered once (`Sensei.handle` claims the event id);
- a job run again after its turn finished but before the platform took the reply (its process
  died, or the platform refused it for now) sends the reply the core kept, without a second turn;
- a transient refusal (`Undelivered(transient=True)`) becomes `RetryLater`, so the job queue
  sends the kept reply later; a permanent one gets the user an apology in their language;
- past `working_after` seconds the transport shows that an answer is coming (Slack's
  placeholder, LINE's loading animation).
"""

from __future__ import annotations

import asyncio
import logging

from core.jobs import RetryLater
from core.messages import Message, Reply, StateKey
from core.sensei import DELIVERY_RETRY, Sensei
from core.texts import t
from core.transport import Transport, Undelivered

log = logging.getLogger(__name__)


def apology(lang: str) -> Reply:
    """What a user sees when their answer could not be worked out or was refused by the platform."""
    return Reply(text=t("turn.apology", lang), lang=lang)


def is_apology(reply: Reply) -> bool:
    """For a transport that shows an apology differently (Discord: only to the user who asked)."""
    return reply == apology(reply.lang)


class TurnPipeline:
    def __init__(self, sensei: Sensei, *, delivery_retry: float = DELIVERY_RETRY) -> None:
        self.sensei = sensei
        self.delivery_retry = delivery_retry  # seconds before a reply the platform refused for now is sent again

    # ---- before the turn (the ack path) ----

    async def admit(self, message: Message) -> bool:
        """Record the delivery while acknowledging it; False for a retry or duplicate. The job that
        follows runs `run(message, ..., admitted=True)`."""
        return await self.sensei.admit(message)

    async def seen(self, message: Message) -> bool:
        """This event id was recorded before (a read, no claim): for an ack path that must not
        claim, such as a platform's own redelivery flag or a re-posted interaction."""
        if not message.event_id:
            return False
        return await self.sensei.inbox.status(message.key.platform, message.event_id) is not None

    async def close(self, message: Message, *, failed: bool = False) -> None:
        """An admitted event answered without a turn (a sticker, a Home tab), or one that cannot be
        answered at all (`failed`: no token for its workspace)."""
        if message.event_id:
            await self.sensei.inbox.finish(message.key.platform, message.event_id, failed=failed)

    async def language_of(self, message: Message) -> str:
        """The language the core will answer in, for what an adapter says before it (a modal)."""
        return await self.sensei.language_of(message)

    async def last_language(self, key: StateKey) -> str | None:
        """The language this user last wrote in, None for someone the core has never heard."""
        return await self.sensei.identity.language(key)

    async def ask(self, message: Message) -> Reply | None:
        """A reply an adapter folds into a view of its own (Slack's Home tab) rather than sends;
        for messages without an event id, so nothing is left to mark delivered."""
        return await self.sensei.handle(message)

    # ---- the turn ----

    async def run(self, message: Message, transport: Transport, *, admitted: bool = False,
                  working_after: float | None = None, adopt_unfinished: bool = False,
                  delivery_retry: float | None = None) -> Reply | None:
        """Handle `message` and deliver its reply through `transport`; the reply sent, or None when
        this delivery was already answered.

        `working_after`: seconds after which the transport shows that an answer is coming (0: at
        once; None: never). `adopt_unfinished`: a job queued without `admit` whose event is recorded
        but unfinished and not yet stale was handed over from a process that died mid-turn; it
        finishes the turn (without repeating what the dead one saved) instead of leaving the user
        unanswered. `delivery_retry`: this surface's wait before a refused reply is sent again."""
        reply = await self._reply(message, transport, admitted=admitted, working_after=working_after)
        if reply is None and adopt_unfinished and await self._unfinished(message):
            message.claimed = message.taken_over = True
            reply = await self._reply(message, transport, admitted=True, working_after=None)
        if reply is None:
            return None
        try:
            await transport.send(reply)
        except Undelivered as e:
            if e.transient:
                # The core kept the reply: the retried job gets it back from `Sensei.handle`.
                raise RetryLater(f"{message.key.platform} answer not delivered: {e.reason}",
                                 after=self.delivery_retry if delivery_retry is None else delivery_retry,
                                 outage=e.outage, back=e.back) from None
            log.error("%s answer not delivered: %s", message.key.platform, e.reason,
                      extra={"platform": message.key.platform, "event_id": message.event_id})
            reply = apology(reply.lang)
            await self._apologise(message, transport, reply)
        try:
            await self.sensei.delivered(message)
        except Exception:  # the user has the reply: failing to record it risks one resend, not a lost answer
            log.exception("%s reply sent but not recorded as delivered", message.key.platform,
                          extra={"platform": message.key.platform, "event_id": message.event_id})
        return reply

    async def _reply(self, message: Message, transport: Transport, *, admitted: bool, working_after: float | None) -> Reply | None:
        if working_after is not None and working_after <= 0:
            await transport.working(await self.sensei.language_of(message))
            working_after = None
        task = asyncio.ensure_future(self._handle(message, admitted))
        if working_after is not None:
            done, _ = await asyncio.wait({task}, timeout=working_after)
            if not done:
                await transport.working(await self.sensei.language_of(message))
        try:
            return await task
        except Exception:
            log.exception("%s turn failed", message.key.platform, extra={"platform": message.key.platform, "event_id": message.event_id})
            return apology(await self._safe_language(message))

    async def _handle(self, message: Message, admitted: bool) -> Reply | None:
        """Whatever goes wrong in the core, even at the call, surfaces from the task (as an apology)."""
        return await self.sensei.handle(message, admitted=admitted)

    async def _unfinished(self, message: Message) -> bool:
        if not message.event_id:
            return False
        return await self.sensei.inbox.status(message.key.platform, message.event_id) == "received"

    async def _safe_language(self, message: Message) -> str:
        try:
            return await self.sensei.language_of(message)
        except Exception:  # the database itself may be what failed
            return message.lang if message.lang in ("en", "ja") else "en"

    @staticmethod
    async def _apologise(message: Message, transport: Transport, sorry: Reply) -> None:
        try:
            await transport.send(sorry)
        except Exception as e:  # nothing more can be done for this user
            log.error("%s apology not delivered either: %s", message.key.platform, getattr(e, "reason", type(e).__name__),
                      extra={"platform": message.key.platform, "event_id": message.event_id})
