import io
import json
import logging

from bot.config import Settings
from bot.logs import configure


def test_json_lines_with_request_id_and_no_secrets(monkeypatch) -> None:
    settings = Settings.from_env(
        {"LOG_FORMAT": "json", "SLACK_BOT_TOKEN": "xoxb-very-secret-token", "LINE_CHANNEL_SECRET": "line-secret-123"}
    )
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


# ---- every token shape, at every level (issue #21) ----------------------------------------------------

DISCORD_BOT = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.x1y2z3A4B5C6D7E8F9G0h1i2j3k4l5m6n7o8p9"
DISCORD_INTERACTION = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpxd2VydHl1aW9wYXNkZmdoams"
LINE_TOKEN = "Xk3d+Yq2/ab" + "Zq9" * 50 + "/Pz1Ab="
TOKENS = {
    "slack bot": "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUv",
    "slack user": "xoxp-1234567890-0987654321-1122334455-abcdef0123456789",
    "slack app-level": "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789",
    "slack config": "xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA",
    "slack refresh": "xoxe-1-My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA",
    "slack legacy": "xoxa-2-1234567890-0987654321-abcdef",
    "discord bot": DISCORD_BOT,
    "discord interaction": DISCORD_INTERACTION,
    "line channel access token": LINE_TOKEN,
}


def _capture(monkeypatch, level: str = "DEBUG", fmt: str = "text") -> io.StringIO:  # type: ignore[no-untyped-def]
    configure(Settings.from_env({"LOG_LEVEL": level, "LOG_FORMAT": fmt}))  # none of the tokens is configured
    stream = io.StringIO()
    monkeypatch.setattr(logging.getLogger().handlers[0], "stream", stream)
    return stream


import pytest


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("name", list(TOKENS))
def test_every_token_shape_is_masked_at_every_level(monkeypatch, name: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    stream = _capture(monkeypatch, fmt=fmt)
    token = TOKENS[name]
    log = logging.getLogger("adapters.test")
    log.debug("calling with %s", token)
    log.info(f"url https://discord.com/api/v10/webhooks/123/{token}/messages/@original")
    log.warning("header", extra={"authorization": f"Bearer {token}"})
    try:
        raise RuntimeError(f"failed with token={token}")
    except RuntimeError:
        log.exception("boom")
    out = stream.getvalue()
    assert out.count("\n") >= 4
    assert token not in out, out
    assert token[8:40] not in out, out  # not even partly


def test_webhook_urls_lose_their_token(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stream = _capture(monkeypatch)
    logging.getLogger("x").debug("PATCH https://discord.com/api/v10/webhooks/1234567/sometokenvalue0123456789abcdefABCDEF/messages/@original")
    assert "sometokenvalue0123456789abcdefABCDEF" not in stream.getvalue()
    assert "/webhooks/1234567/" in stream.getvalue()  # the rest of the line still helps


def test_slack_response_urls_lose_their_token(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stream = _capture(monkeypatch)
    logging.getLogger("x").debug("posting to https://hooks.slack.com/actions/T0123/456789/AbCdEfGhIjKlMnOp")
    assert "AbCdEfGhIjKlMnOp" not in stream.getvalue() and "hooks.slack.com/" in stream.getvalue()


def test_slack_and_discord_request_bodies_stay_out_of_debug_logs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The SDKs log each request's URL and body at DEBUG: a user's words and the reply's text."""
    stream = _capture(monkeypatch)
    logging.getLogger("slack_sdk.web.async_base_client").debug("Sending a request - json_body: {'text': 'my secret sake diary'}")
    logging.getLogger("discord.http").debug("POST /webhooks/1/x with {'content': 'my secret sake diary'} has returned 200")
    logging.getLogger("discord.webhook.async_").debug("Webhook body {'content': 'my secret sake diary'}")
    logging.getLogger("core.sensei").debug("our own debug line")
    out = stream.getvalue()
    assert "my secret sake diary" not in out
    assert "our own debug line" in out


def test_ordinary_text_is_left_alone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stream = _capture(monkeypatch)
    text = "event Ev0123ABCD platform=slack workspace=T0123 outcome=ok in 12 ms; brand 獺祭 (887) /media/flavor/887-en.png"
    logging.getLogger("x").info(text)
    assert text in stream.getvalue()


def test_a_web_chat_token_in_an_access_line_is_masked(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stream = _capture(monkeypatch)
    logging.getLogger("aiohttp.access").info('127.0.0.1 "GET /?token=let-me-in-please HTTP/1.1" 303')
    assert "let-me-in-please" not in stream.getvalue() and "/?token=" in stream.getvalue()
