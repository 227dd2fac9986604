"""What a failed Web API call says, whatever came back.

slack_sdk raises SlackApiError for any non-ok answer, but what it holds depends on the body:
a text/plain one (aiohttp's "405: Method Not Allowed", a proxy's error page) leaves a string in
`response.data`, and a body labelled JSON that is not (an HTML 502) leaves aiohttp's raw
ClientResponse as `response`. `response.get("error")` then raised AttributeError inside our
error handling, so a call "logged, not raised" failed the whole turn and the user got nothing.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError


def api_status(e: SlackApiError) -> int | None:
    """The HTTP status of the failed call, if there was an answer."""
    status = getattr(e.response, "status_code", None) or getattr(e.response, "status", None)
    return status if isinstance(status, int) else None


def api_error(e: SlackApiError) -> str:
    """Slack's error code (`ratelimited`, `channel_not_found`), else `http_<status>`."""
    data = getattr(e.response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{api_status(e) or 'unknown'}"
