import io
import json
import logging

from bot.config import Settings
from bot.logs import configure


def test_json_lines_with_request_id_and_no_secrets(monkeypatch) -> None:
    settings = Settings.from_env({"LOG_FORMAT": "json", "SLACK_BOT_TOKEN": "xoxb-very-secret-token", "LINE_CHANNEL_SECRET": "line-secret-123"})
    configure(settings)
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    monkeypatch.setattr(handler, "stream", stream)
    from core.request_context import new_request_id

    rid = new_request_id()
    logging.getLogger("test").info("calling slack with %s and line-secret-123", "xoxb-very-secret-token", extra={"platform": "slack"})
    line = json.loads(stream.getvalue().strip())
    assert line["request_id"] == rid and line["platform"] == "slack"
    assert "xoxb-very-secret-token" not in stream.getvalue() and "line-secret-123" not in stream.getvalue()
    assert "[redacted]" in line["message"]
