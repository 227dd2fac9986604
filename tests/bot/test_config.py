import pytest

from bot.config import ConfigError, Settings


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.database_url == "sqlite+aiosqlite:///sake_sensei.db"
    assert s.model == "offline" and s.port == 8080
    assert s.public_base_url == "http://localhost:8080"
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.redis_url is None and s.log_format == "text"


def test_public_base_url_follows_port() -> None:
    assert Settings.from_env({"PORT": "9000"}).public_base_url == "http://localhost:9000"


@pytest.mark.parametrize(
    "env,fragment",
    [
        ({"PORT": "abc"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://u@h/db"}, "asyncpg"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
        ({"DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL"),
        ({"DISCORD_PUBLIC_KEY": "zz"}, "DISCORD_PUBLIC_KEY"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"JOB_TIMEOUT": "soon"}, "JOB_TIMEOUT"),
        ({"JOB_TIMEOUT": "0"}, "JOB_TIMEOUT"),
        ({"WORKER_CONCURRENCY": "0"}, "WORKER_CONCURRENCY"),
    ],
)
def test_bad_values_are_one_line_errors(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError) as e:
        Settings.from_env(env)
    assert fragment in str(e.value) and "\n" not in str(e.value)


def test_secrets_listed_for_redaction() -> None:
    s = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-123456", "LINE_CHANNEL_SECRET": "abcdef123"})
    assert set(s.secrets()) == {"xoxb-123456", "abcdef123"}


def test_discord_shards_and_message_content() -> None:
    s = Settings.from_env({})
    assert s.discord_shard_count is None and s.discord_message_content is False
    s = Settings.from_env({"DISCORD_SHARD_COUNT": "auto", "DISCORD_MESSAGE_CONTENT": "1"})
    assert s.discord_shard_count == "auto" and s.discord_message_content is True
    assert Settings.from_env({"DISCORD_SHARD_COUNT": "4"}).discord_shard_count == 4
    for bad in ({"DISCORD_SHARD_COUNT": "0"}, {"DISCORD_SHARD_COUNT": "many"}, {"DISCORD_MESSAGE_CONTENT": "maybe"}):
        with pytest.raises(ConfigError, match=next(iter(bad))):
            Settings.from_env(bad)
