"""Settings from environment variables only (names fixed by the README's Configuration table), validated at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///sake_sensei.db"
SUPPORTED_DATABASES = {"sqlite+aiosqlite", "postgresql+asyncpg"}
LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


class ConfigError(ValueError):
    """A bad setting: the program stops with this one line and exit status 1."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    model: str = "offline"
    port: int = 8080
    public_base_url: str = "http://localhost:8080"
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_client_id: str | None = None  # with the secret: multi-workspace OAuth install flow
    slack_client_secret: str | None = None
    discord_bot_token: str | None = None
    discord_public_key: str | None = None
    discord_application_id: str | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg"
    discord_shard_count: int | str | None = None  # None: one connection; "auto": Discord's recommendation; N shards
    discord_message_content: bool = False  # the privileged intent: only when enabled in the Developer Portal
    line_channel_secret: str | None = None
    line_channel_access_token: str | None = None
    line_api_url: str = "https://api.line.me"
    line_data_api_url: str = "https://api-data.line.me"
    redis_url: str | None = None
    job_timeout: float = 60.0  # seconds a queued job may run (REDIS_URL); a dead worker's job runs again after about this long
    worker_concurrency: int = 32  # jobs one `sake-sensei worker` runs at once
    job_queue: str = "sake-sensei:jobs"  # the Redis key of the queue: one per deployment sharing a Redis
    log_level: str = "INFO"
    log_format: str = "text"
    webchat: bool = True  # WEBCHAT=off: no page and no /api/* (webhooks, health and media stay)
    webchat_token: str | None = None  # set: a private web chat, a visitor needs it once
    metrics_token: str | None = None  # set: /metrics needs Authorization: Bearer <token>
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def secrets(self) -> list[str]:
        """Values that must never reach a log line."""
        return [
            v
            for v in (
                self.slack_bot_token, self.slack_signing_secret, self.slack_app_token, self.slack_client_secret, self.discord_bot_token,
                self.line_channel_secret, self.line_channel_access_token, self.webchat_token, self.metrics_token,
            )
            if v
        ]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else None

        port_raw = get("PORT") or "8080"
        if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
            raise ConfigError(f"PORT must be a number from 1 to 65535, not {port_raw!r}")
        port = int(port_raw)

        database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
        try:
            parsed = make_url(database_url)
        except ArgumentError:
            raise ConfigError(
                "DATABASE_URL is not a database URL (expected sqlite+aiosqlite:///PATH or postgresql+asyncpg://...)"
            ) from None
        scheme = parsed.drivername
        if scheme == "postgresql" or scheme == "postgres":
            raise ConfigError("DATABASE_URL must use the asyncpg driver: postgresql+asyncpg://...")
        if scheme == "sqlite":
            raise ConfigError("DATABASE_URL must use the aiosqlite driver: sqlite+aiosqlite:///PATH")
        if scheme not in SUPPORTED_DATABASES:
            raise ConfigError(f"DATABASE_URL scheme {scheme!r} is not supported (use sqlite+aiosqlite or postgresql+asyncpg)")

        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(sorted(LOG_LEVELS))}, not {log_level!r}")
        log_format = (get("LOG_FORMAT") or "text").lower()
        if log_format not in ("text", "json"):
            raise ConfigError(f"LOG_FORMAT must be text or json, not {log_format!r}")

        def url(name: str, default: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
            value = get(name) or default
            if urlparse(value).scheme not in schemes or not urlparse(value).netloc:
                raise ConfigError(f"{name} must be a {'/'.join(schemes)} URL, not {value!r}")
            return value

        public_base_url = url("PUBLIC_BASE_URL", f"http://localhost:{port}").rstrip("/")
        slack_api_url = url("SLACK_API_URL", cls.slack_api_url)
        if not slack_api_url.endswith("/"):
            slack_api_url += "/"
        redis_url = get("REDIS_URL")
        if redis_url and urlparse(redis_url).scheme not in ("redis", "rediss", "unix"):
            raise ConfigError(f"REDIS_URL must be a redis:// URL, not {redis_url!r}")
        public_key = get("DISCORD_PUBLIC_KEY")
        if public_key:
            try:
                if len(bytes.fromhex(public_key)) != 32:
                    raise ValueError
            except ValueError:
                raise ConfigError("DISCORD_PUBLIC_KEY must be the application's 64-character hex public key") from None

        shards_raw = get("DISCORD_SHARD_COUNT")
        shards: int | str | None = None
        if shards_raw:
            if shards_raw.lower() == "auto":
                shards = "auto"
            elif shards_raw.isdigit() and 0 < int(shards_raw) <= 10000:
                shards = int(shards_raw)
            else:
                raise ConfigError(f"DISCORD_SHARD_COUNT must be a number of shards or auto, not {shards_raw!r}")
        job_timeout_raw = get("JOB_TIMEOUT") or "60"
        try:
            job_timeout = float(job_timeout_raw)
            if not 1 <= job_timeout <= 3600:
                raise ValueError
        except ValueError:
            raise ConfigError(f"JOB_TIMEOUT must be a number of seconds from 1 to 3600, not {job_timeout_raw!r}") from None
        concurrency_raw = get("WORKER_CONCURRENCY") or "32"
        if not concurrency_raw.isdigit() or not 0 < int(concurrency_raw) <= 1000:
            raise ConfigError(f"WORKER_CONCURRENCY must be a number from 1 to 1000, not {concurrency_raw!r}")
        content_raw = (get("DISCORD_MESSAGE_CONTENT") or "0").lower()
        if content_raw not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
            raise ConfigError(f"DISCORD_MESSAGE_CONTENT must be 1 or 0, not {content_raw!r}")

        webchat_raw = (get("WEBCHAT") or "on").lower()
        if webchat_raw not in ("on", "off"):
            raise ConfigError(f"WEBCHAT must be on or off, not {webchat_raw!r}")

        return cls(
            database_url=database_url,
            model=get("SAKE_SENSEI_MODEL") or "offline",
            port=port,
            public_base_url=public_base_url,
            slack_bot_token=get("SLACK_BOT_TOKEN"),
            slack_signing_secret=get("SLACK_SIGNING_SECRET"),
            slack_app_token=get("SLACK_APP_TOKEN"),
            slack_api_url=slack_api_url,
            slack_client_id=get("SLACK_CLIENT_ID"),
            slack_client_secret=get("SLACK_CLIENT_SECRET"),
            discord_bot_token=get("DISCORD_BOT_TOKEN"),
            discord_public_key=public_key,
            discord_application_id=get("DISCORD_APPLICATION_ID"),
            discord_api_url=url("DISCORD_API_URL", cls.discord_api_url).rstrip("/"),
            discord_gateway_url=url("DISCORD_GATEWAY_URL", cls.discord_gateway_url, ("ws", "wss")),
            discord_shard_count=shards,
            discord_message_content=content_raw in ("1", "true", "yes", "on"),
            line_channel_secret=get("LINE_CHANNEL_SECRET"),
            line_channel_access_token=get("LINE_CHANNEL_ACCESS_TOKEN"),
            line_api_url=url("LINE_API_URL", cls.line_api_url).rstrip("/"),
            line_data_api_url=url("LINE_DATA_API_URL", cls.line_data_api_url).rstrip("/"),
            redis_url=redis_url,
            job_timeout=job_timeout,
            worker_concurrency=int(concurrency_raw),
            job_queue=get("JOB_QUEUE") or cls.job_queue,
            log_level=log_level,
            log_format=log_format,
            webchat=webchat_raw == "on",
            webchat_token=get("WEBCHAT_TOKEN"),
            metrics_token=get("METRICS_TOKEN"),
        )

    def with_port(self, port: int) -> Settings:
        from dataclasses import replace

        base = self.public_base_url
        if base == f"http://localhost:{self.port}":
            base = f"http://localhost:{port}"
        return replace(self, port=port, public_base_url=base)
