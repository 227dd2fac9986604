"""The one entry point every platform calls: Sensei.handle(message) -> Reply.

It owns what all platforms share: the inbox (a retried delivery takes effect once), who is
asking, which language to answer in, and turning failures into coded, polite replies.
What to say is the brain's job.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from core import actions, metrics
from core.catalog import CatalogSearch
from core.errors import Code, SenseiError
from core.home import home_reply
from core.i18n import detect_language
from core.identity import Identity, Principal
from core.inbox import Inbox
from core.input_text import MAX_NAME, clean_text, clean_values
from core.jobs import job_attempt
from core.messages import Message, Reply
from core.platform_replies import event_reply, usage_reply
from core.ratelimit import RateLimiter
from core.texts import t

log = logging.getLogger(__name__)

# An event claimed this long ago and still unfinished belongs to a handler that died. The same as
# DurableJobs' lease: a living process renews its jobs' leases, so only a dead one's work is retried
# after this long, and a turn that takes longer than this is cut off by the model's timeout first.
STALE_AFTER = timedelta(seconds=60)
# A finished turn's reply not yet delivered this long after the turn (or the last resend) is sent
# again by a retried job. Jobs run again only when their process died (after the 60 s lease, at
# least 40 s after the turn finished) or when the platform refused the answer (after RESEND_AFTER,
# see DELIVERY_RETRY); a live sender is not raced within this window.
RESEND_AFTER = timedelta(seconds=5)
# How long an adapter waits before its job tries again to deliver a reply the platform refused.
DELIVERY_RETRY = 2 * RESEND_AFTER.total_seconds()


@dataclass(slots=True)
class Turn:
    message: Message
    principal: Principal
    lang: str
    lang_known: bool = True  # False: nothing told the language (no words, no hint, a user never heard): `lang` is a default


class Brain(Protocol):
    async def reply(self, turn: Turn) -> Reply: ...


class Sensei:
    def __init__(self, identity: Identity, inbox: Inbox, brain: Brain, limiter: RateLimiter | None = None, *,
                 stale_after: timedelta = STALE_AFTER, resend_after: timedelta = RESEND_AFTER,
                 search: CatalogSearch | None = None) -> None:
        self.identity = identity
        self.search = search  # names the closest sakes when a command names one the catalog lacks
        self.inbox = inbox
        self.brain = brain
        self.limiter = limiter
        self.stale_after = stale_after
        self.resend_after = resend_after

    async def is_duplicate(self, message: Message) -> bool:
        """Record the delivery; True when it was seen before. Adapters may call this before queueing work."""
        if not message.event_id or message.claimed:
            return False
        if await self.inbox.claim(message.key.platform, message.event_id):
            message.claimed = True  # handle() must not claim it again
            return False
        # A retried job (its first run died) takes over its own claim now rather than after stale_after.
        older_than = self.stale_after if job_attempt() < 2 else timedelta(0)
        if await self.inbox.reclaim_stale(message.key.platform, message.event_id, older_than=older_than):
            # Claimed long ago and never finished: the process handling it died (kill -9) and its
            # job was taken over. Answer it now rather than leave the user without one.
            log.warning("event %s platform=%s taken over from a handler that died", message.event_id, message.key.platform,
                        extra={"platform": message.key.platform, "event_id": message.event_id, "outcome": "taken over"})
            message.claimed = True
            message.taken_over = True
            return False
        metrics.DUPLICATES.labels(message.key.platform).inc()
        log.info(
            "event %s platform=%s workspace=%s outcome=duplicate", message.event_id, message.key.platform, message.key.workspace,
            extra={"platform": message.key.platform, "workspace": message.key.workspace, "outcome": "duplicate",
                   "event_id": message.event_id},
        )
        return True

    async def admit(self, message: Message) -> bool:
        """Record the delivery now; False for a retry or duplicate. For webhooks that must answer
        fast: admit before acknowledging, run `handle(message, admitted=True)` afterwards."""
        return not await self.is_duplicate(message)

    async def language_of(self, message: Message) -> str:
        """The language to answer in: the message's own words; without words (a button, a command, a
        sticker), the platform's hint, else the language the user last wrote in, else English.
        Adapters ask it too, for what they say before the core answers (a placeholder, a modal)."""
        return await self._known_language(message) or "en"

    async def _known_language(self, message: Message) -> str | None:
        """The language to answer in, None when nothing tells it (English is then the default)."""
        hint = message.lang if message.lang in ("en", "ja") else None
        words = message.text or (message.action.given if isinstance(message.action, actions.Usage) else "")
        if words and (said := detect_language(words, "")):
            return said
        return hint or await self.identity.language(message.key)

    async def handle(self, message: Message, *, admitted: bool = False) -> Reply | None:
        """The reply to send, or None when this delivery was already handled (a retry or duplicate).

        A job run again after the turn finished but before `delivered` (its process died, or the
        platform refused the answer) gets the kept reply back, without the turn running again.
        `admitted`: this event was recorded by `admit` when it was acknowledged, and this is the job
        that followed; the inbox tells whether it is that job's first run or a retry."""
        started = time.perf_counter()
        if admitted and not message.claimed and await self._first_run(message):
            message.claimed = True
        if await self.is_duplicate(message):
            return await self._undelivered(message)
        event_id = message.event_id
        _clean(message)
        lang = "en"
        try:
            known = await self._known_language(message)
            lang = known or "en"
            if self.limiter is not None and not await self.limiter.allow(message.key.platform, message.key.workspace, message.key.user):
                raise SenseiError(Code.RATE_LIMITED)
            principal = await self.identity.resolve(message.key, display_name=message.display_name, language=known)
            if message.text and detect_language(message.text, ""):  # "887" or "👍" says nothing about it
                await self.identity.remember_language(principal, lang)
            reply = await self._answer(Turn(message, principal, lang, lang_known=known is not None))
        except SenseiError as e:
            reply = Reply(text=e.message(lang), lang=lang, error=e.as_dict(lang))
        except Exception:
            log.exception("turn failed", extra={"platform": message.key.platform})
            err = SenseiError(Code.AGENT_FAILED, t("error.try_again", lang))
            reply = Reply(text=err.message(lang), lang=lang, error=err.as_dict(lang))
        if event_id:
            failed = reply.error is not None and reply.error["code"] == Code.AGENT_FAILED.value
            await self.inbox.finish(message.key.platform, event_id, reply=reply.to_json(), failed=failed)
        if reply.error:
            metrics.ERRORS.labels(reply.error["code"]).inc()
        elapsed = time.perf_counter() - started
        metrics.HANDLING.labels(message.key.platform).observe(elapsed)
        outcome = reply.error["code"] if reply.error else "ok"
        log.info(
            "event %s platform=%s workspace=%s outcome=%s in %.0f ms",
            event_id or "-", message.key.platform, message.key.workspace, outcome, elapsed * 1000,
            extra={"platform": message.key.platform, "workspace": message.key.workspace, "outcome": outcome, "event_id": event_id},
        )
        return reply

    async def _answer(self, turn: Turn) -> Reply:
        """The brain answers requests; a home page, a command written wrong and a platform event are
        answered here (core.home, core.platform_replies), the same way for every platform."""
        match turn.message.action:
            case actions.Command("home"):
                return await home_reply(turn, self.brain)
            case actions.Usage() as usage:
                return usage_reply(turn, usage, self.search)
            case actions.PlatformEvent() as event:
                return await event_reply(turn, event, self.brain)
        return await self.brain.reply(turn)

    async def delivered(self, message: Message) -> None:
        """The platform accepted this event's reply: a retried job has nothing left to send."""
        if message.event_id:
            await self.inbox.delivered(message.key.platform, message.event_id)

    async def _first_run(self, message: Message) -> bool:
        """The admitted event is still as `admit` left it: recorded, not finished, and this job is its first run.

        A queue that counts runs says so (`job_attempt() == 1`), however long the job waited in a
        backlog; otherwise a claim older than `stale_after` is taken for one whose handler died."""
        if not message.event_id:
            return True
        state = await self.inbox.state(message.key.platform, message.event_id)
        if state is None or state[0] != "received":
            return False
        attempt = job_attempt()
        if attempt:
            return attempt == 1
        return state[1] >= self.inbox.clock() - self.stale_after

    async def _undelivered(self, message: Message) -> Reply | None:
        if not message.event_id:
            return None
        kept = await self.inbox.take_undelivered(message.key.platform, message.event_id, older_than=self.resend_after)
        if kept is None:
            return None
        metrics.RESENT.labels(message.key.platform).inc()
        log.warning("event %s platform=%s: its reply was never delivered; sending it again", message.event_id, message.key.platform,
                    extra={"platform": message.key.platform, "event_id": message.event_id, "outcome": "resent"})
        return Reply.from_json(kept)


def _clean(message: Message) -> None:
    """Every text the turn may store, cleaned before anything is saved (core.input_text)."""
    message.text = clean_text(message.text)
    # A typed action needs no cleaning: unpack admits only ids of a small alphabet, and an Unknown
    # one is never stored or acted on.
    message.action_values = clean_values(message.action_values)
    if isinstance(message.action, actions.Usage):  # what was typed with a command written wrong: searched, never stored
        usage = message.action
        message.action = actions.Usage(usage.command[:40], clean_text(usage.given, MAX_NAME), usage.option[:40])
    if message.display_name is not None:
        message.display_name = clean_text(message.display_name, MAX_NAME) or None
