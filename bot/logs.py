"""Logging set-up: text or one JSON object a line, with secrets scrubbed from every record."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from bot.config import Settings

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
MASK = "[redacted]"

# Every token shape the platforms issue, configured or not: a user's token in an OAuth answer, a
# Discord interaction token in a webhook URL, a LINE token in a header are never ours to print.
# Each shape with a literal every such token contains, checked first: most lines hold none, and the
# scrub runs on every line the server logs (about 5 µs a line instead of 75 for one big pattern).
_SHAPES: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (("xox",), re.compile(r"\bxox[abeoprs](?:\.xox[a-z])?-[A-Za-z0-9-]{6,}")),  # Slack bot/user/legacy/config/refresh
    (("xapp-",), re.compile(r"\bxapp-[A-Za-z0-9-]{10,}")),  # Slack app-level tokens
    (("aW50ZXJhY3Rpb246",), re.compile(r"aW50ZXJhY3Rpb246[A-Za-z0-9_=.-]+")),  # Discord interaction tokens ("interaction:...")
    (("/webhooks/",), re.compile(r"(?<=/webhooks/)(\d+/)[A-Za-z0-9_.=-]{20,}")),  # a webhook URL's token (Discord)
    (("hooks.slack.com/",), re.compile(r"(?<=hooks\.slack\.com/)[A-Za-z0-9_/.-]{10,}")),  # Slack response_url, webhooks
    (("token=",), re.compile(r"(?<=[?&]token=)[^&\s\"']+")),  # a private web chat's ?token= in an access log line
    (("earer ", "EARER "), re.compile(r"(?<=[Bb]earer )[A-Za-z0-9+/_.=-]{8,}|(?<=BEARER )[A-Za-z0-9+/_.=-]{8,}")),
]
# Shapes without a literal are long: a run of 40 token characters is looked for first.
_LONG = re.compile(r"[A-Za-z0-9_+/=.-]{40,}")
_LONG_SHAPES = [
    re.compile(r"(?<![\w-])(?:mfa\.)?[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"),  # Discord bot tokens
    re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{100,}={0,2}"),  # LINE channel access tokens (long base64)
]
# The SDKs log every request's URL and body at DEBUG: interaction tokens, users' words and the
# replies' text. Their request logs stay at INFO whatever LOG_LEVEL says.
_REQUEST_LOGGERS = ("slack_sdk.web", "slack_bolt.adapter", "discord.http", "discord.webhook", "linebot", "aiohttp.client")


def scrub(text: str, secrets: list[str] = []) -> str:  # noqa: B006 - never mutated
    for s in secrets:
        if s in text:
            text = text.replace(s, MASK)
    for literals, pattern in _SHAPES:
        if any(lit in text for lit in literals):
            text = pattern.sub(_mask, text)
    if _LONG.search(text):
        for pattern in _LONG_SHAPES:
            text = pattern.sub(_mask, text)
    return text


def _mask(m: re.Match[str]) -> str:
    return (m.group(1) if m.re.groups else "") + MASK


class RedactSecrets(logging.Filter):
    """Replaces any configured secret and anything shaped like a token in a record: its message,
    its arguments, its traceback and the fields added with `extra`."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        clean = scrub(msg, self.secrets)
        if clean != msg:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self.secrets)
        for key, value in vars(record).items():
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, scrub(value, self.secrets))
        return True


class RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from core.request_context import request_id

        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_text or record.exc_info:
            out["exc"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(out, ensure_ascii=False, default=str)


def configure(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactSecrets(settings.secrets()))
    handler.addFilter(RequestId())
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # Library chatter stays quiet unless asked for.
    for noisy in ("sqlalchemy.engine", "alembic", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for name in _REQUEST_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
