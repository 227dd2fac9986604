"""How the Slack bot is configured: its OAuth scopes and options, and the log filter bolt needs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from core.sensei import DELIVERY_RETRY

SCOPES = (
    "app_mentions:read", "channels:history", "chat:write", "commands", "files:read", "files:write", "groups:history",
    "im:history", "im:write", "mpim:history", "reactions:write", "users:read",
)


@dataclass(frozen=True)
class SlackOptions:
    signing_secret: str | None
    bot_token: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    api_url: str = "https://slack.com/api/"
    placeholder_after: float = 1.0  # seconds before the user sees "Thinking…"
    max_image_bytes: int = 10 * 1024 * 1024
    max_file_bytes: int = 1024 * 1024  # other shared files (a menu CSV): far smaller than photos
    admin_cache_seconds: float = 300.0  # how long users.info's is_admin/is_owner is trusted
    rate_limit_retries: int = 3
    # Turns worked on at once by this process. Turns are CPU work between awaits (search, OCR,
    # the offline model); capping them keeps the ack path responsive in a burst, and the
    # backlog drains after it. Model calls to an LLM wait on I/O and are not held up by it.
    max_turns: int = 8
    ack_priority: float = 10.0  # seconds a queued turn may wait while requests are being acknowledged
    delivery_retry: float = DELIVERY_RETRY  # seconds before an answer Slack refused (429, 5xx, unreachable) is sent again
    # A retried answer waits this long for an auth.test in flight to say Slack is back; while it
    # is not, the answer goes back to wait in the job queue (core.job_retry), holding no slot.
    outage_wait: float = 2.0
    install_path: str = "/slack/install"
    redirect_path: str = "/slack/oauth_redirect"

    @property
    def oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @classmethod
    def from_settings(cls, settings: Any, *, socket_mode: bool = False) -> "SlackOptions | None":
        """None when Slack is not configured: HTTP needs the signing secret, Socket Mode the app token,
        and both a bot token (one workspace) or the OAuth client id and secret (many)."""
        opts = cls(
            signing_secret=settings.slack_signing_secret, bot_token=settings.slack_bot_token, app_token=settings.slack_app_token,
            client_id=getattr(settings, "slack_client_id", None), client_secret=getattr(settings, "slack_client_secret", None),
            api_url=settings.slack_api_url,
        )
        if not (opts.bot_token or opts.oauth):
            return None
        if socket_mode:
            return opts if opts.app_token else None
        return opts if opts.signing_secret else None


class SignatureLogFilter(logging.Filter):
    """bolt logs the whole body of a request whose signature failed, at INFO, and resets its
    loggers' levels; this filter drops that record (we log SS-007 without the body instead)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Invalid request signature detected")


def install_signature_log_filter() -> None:
    for name in ("slack_bolt.AsyncRequestVerification", "slack_bolt.RequestVerification"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, SignatureLogFilter) for f in logger.filters):
            logger.addFilter(SignatureLogFilter())

