"""A Web API failure whose body is not JSON (a proxy's 405 page) is logged and survived, not a crash
of the turn: on main, logging it raised AttributeError ('str' has no .get), so every Slack turn of
benchmarks/slack_ingress.py --kind dm failed at users.info and none was answered."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.transport import transient
from adapters.slack.web_api import api_error, call


def refused(data: object, status: int) -> SlackApiError:
    response = AsyncSlackResponse(client=None, http_verb="POST", api_url="http://127.0.0.1/api/users.info", req_args={},
                                  data=data, headers={}, status_code=status)  # type: ignore[arg-type]
    return SlackApiError("refused", response)


async def test_a_refusal_without_a_json_body_is_logged_by_its_status(caplog: pytest.LogCaptureFixture) -> None:
    async def users_info() -> None:
        raise refused("405: Method Not Allowed", 405)

    assert await call(users_info()) is None
    assert "Slack API call failed: http_405" in caplog.text


def test_slacks_own_error_and_what_is_worth_retrying() -> None:
    assert api_error(refused({"ok": False, "error": "channel_not_found"}, 200)) == "channel_not_found"
    assert not transient(refused({"ok": False, "error": "channel_not_found"}, 200))
    assert transient(refused("<html>bad gateway</html>", 502)) and transient(refused({"ok": False, "error": "ratelimited"}, 429))
    assert not transient(refused("405: Method Not Allowed", 405))


async def test_a_picture_that_cannot_be_uploaded_leaves_the_sent_answer_standing(caplog: pytest.LogCaptureFixture) -> None:
    """Raising would fail the job, and its retry would send the kept answer a second time."""
    from adapters.slack.events import Target
    from adapters.slack.transport import deliver
    from core.messages import Reply, ReplyImage

    class Client:
        posted: list[str] = []

        async def chat_postMessage(self, **kwargs: object) -> dict[str, str]:
            self.posted.append(str(kwargs["text"]))
            return {"channel": "D1"}

        async def files_upload_v2(self, **kwargs: object) -> None:
            raise TypeError("Constructor parameter should be str")  # what slack_sdk raises without an upload URL

    client = Client()
    reply = Reply(text="Dassai", lang="en", images=[ReplyImage(b"\x89PNG", alt="chart")])
    await deliver(None, client, Target(channel="D1"), reply)  # type: ignore[arg-type]
    assert client.posted == ["Dassai"] and "Slack upload failed" in caplog.text
