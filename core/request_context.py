"""The id of the request being handled, carried into every log line and into queued work.

asyncio tasks copy the context they are created in, so work queued while handling a webhook
keeps the webhook's request id.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")


def new_request_id(given: str | None = None) -> str:
    rid = (given or "")[:64] if given and given.replace("-", "").isalnum() else uuid.uuid4().hex[:16]
    request_id.set(rid)
    return rid
