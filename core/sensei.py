"""The one entry point every platform calls: Sensei.handle(message) -> Reply.

It owns what all platforms share: the inbox (a retried delivery takes effect once), who is
asking, which language to answer in, and turning failures into coded, polite replies.
What to say is the brain's job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from core.errors import Code, SenseiError
from core.i18n import detect_language
from core.identity import Identity, Principal
from core.inbox import Inbox
from core.messages import Message, Reply

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # longer messages are cut; nobody asks for a sake in more words than this


@dataclass(slots=True)
class Turn:
    message: Message
    principal: Principal
    lang: str


class Brain(Protocol):
    async def reply(self, turn: Turn) -> Reply: ...


class Sensei:
    def __init__(self, identity: Identity, inbox: Inbox, brain: Brain) -> None:
        self.identity = identity
        self.inbox = inbox
        self.brain = brain

    async def admit(self, message: Message) -> bool:
        """Record the delivery now; False for a retry or duplicate. For webhooks that must answer
        fast: admit before acknowledging, run `handle(message, admitted=True)` afterwards."""
        if not message.event_id:
            return True
        if await self.inbox.claim(message.key.platform, message.event_id):
            return True
        log.info("duplicate event dropped", extra={"platform": message.key.platform, "event_id": message.event_id})
        return False

    async def handle(self, message: Message, *, admitted: bool = False) -> Reply | None:
        """The reply to send, or None when this delivery was already handled (a retry or duplicate)."""
        if not admitted and message.event_id and not await self.inbox.claim(message.key.platform, message.event_id):
            log.info("duplicate event dropped", extra={"platform": message.key.platform, "event_id": message.event_id})
            return None
        message.text = _clean_text(message.text)
        lang = message.lang if message.lang in ("en", "ja") and not message.text else detect_language(message.text, message.lang or "en")
        try:
            principal = await self.identity.resolve(message.key, display_name=message.display_name, language=lang)
            reply = await self.brain.reply(Turn(message, principal, lang))
        except SenseiError as e:
            reply = Reply(text=e.message(lang), lang=lang, error=e.as_dict(lang))
        except Exception:
            log.exception("turn failed", extra={"platform": message.key.platform})
            err = SenseiError(Code.AGENT_FAILED, "Please try again in a moment." if lang == "en" else "少し待ってからもう一度お試しください。")
            reply = Reply(text=err.message(lang), lang=lang, error=err.as_dict(lang))
        if message.event_id:
            await self.inbox.finish(message.key.platform, message.event_id, failed=reply.error is not None and reply.error["code"] == Code.AGENT_FAILED.value)
        return reply


def _clean_text(text: str) -> str:
    text = "".join(c for c in (text or "")[:MAX_TEXT] if c in "\n\t" or ord(c) >= 32 and not 0x7F <= ord(c) < 0xA0)
    return text.strip()
