"""How a Slack turn reaches its user: a placeholder past `placeholder_after`, then the answer in
its place (chat.update, or the slash command's response_url), then its pictures and files.

The placeholder's ts is kept in the job's payload, so a retried delivery replaces it rather than
leaving "Thinking…" behind. A delivery Slack cannot take now (429 past the retries, 5xx,
unreachable) is `Undelivered(transient=True)`: the job's payload remembers it, so the retry waits
for Slack to be reachable again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.events import Target
from adapters.slack.api_errors import api_error, api_status
from adapters.slack.web_api import SlackWebApi, call
from core.messages import Reply
from core.transport import Undelivered

log = logging.getLogger(__name__)

Deliver = Callable[..., Awaitable[None]]


async def post(api: SlackWebApi, client: AsyncWebClient, target: Target, reply: Reply, placeholder: str | None) -> str:
    """Send the reply's text and cards; returns the channel it went to (for images)."""
    blocks, text = render.reply_blocks(reply), render.fallback_text(reply)
    if target.response_url:
        response = await api.webhook(target.response_url).send(
            text=text, blocks=blocks, response_type="ephemeral", replace_original=placeholder == "response_url")
        if response.status_code >= 300:
            raise SlackApiError(f"response_url answered {response.status_code}", {"error": f"http_{response.status_code}"})
        return target.channel
    channel = target.channel or target.user or ""
    if placeholder and placeholder != "response_url":
        result = await client.chat_update(channel=channel, ts=placeholder, text=text, blocks=blocks)
    else:
        result = await client.chat_postMessage(channel=channel, thread_ts=target.thread_ts, text=text, blocks=blocks)
    return result.get("channel") or channel


async def upload(request: Awaitable[Any]) -> None:
    """A picture or file after the answer: its failure, whatever it is (files_upload_v2 raises a
    TypeError when Slack gives no upload URL), is logged and the answer already sent stands. Raising
    would fail the job, whose retry would send the kept answer a second time."""
    try:
        await call(request)
    except Exception:
        log.exception("Slack upload failed; the answer was sent without it")


async def deliver(api: SlackWebApi, client: AsyncWebClient, target: Target, reply: Reply, *, placeholder: str | None = None) -> None:
    channel = await post(api, client, target, reply, placeholder)
    for i, image in enumerate(reply.images):
        # files.getUploadURLExternal + the upload + files.completeUploadExternal; a failed picture
        # is logged and the answer (already sent) stands
        await upload(client.files_upload_v2(
            channel=channel or None, thread_ts=target.thread_ts, content=image.png, filename=f"sake-sensei-{i + 1}.png",
            title=image.alt[:250] or "chart", alt_txt=image.alt[:1000] or None,
        ))
    for file in reply.files:  # a menu CSV export: same upload path as the pictures
        await upload(client.files_upload_v2(
            channel=channel or None, thread_ts=target.thread_ts, content=file.data, filename=file.filename,
            title=file.filename,
        ))


def transient(e: Exception) -> bool:
    """Worth sending again later: rate limited past the retries, Slack's 5xx, or no connection."""
    if not isinstance(e, SlackApiError):
        return True
    status = api_status(e)
    error = api_error(e)
    return status == 429 or (status or 0) >= 500 or error in ("ratelimited", "http_429") or error.startswith("http_5")


class SlackTransport:
    """One turn's conversation: a channel, DM, thread or response_url (core.transport.Transport).

    `deliver` is the bot's (so that one place sends every answer); `unreachable` is told when Slack
    could not be reached, so that the retried job waits for it."""

    def __init__(self, api: SlackWebApi, client: AsyncWebClient, target: Target, payload: dict[str, Any], *,
                 deliver: Deliver, unreachable: Callable[[], None] = lambda: None,
                 back: Callable[[], Awaitable[Any]] | None = None) -> None:
        self.api = api
        self.client = client
        self.target = target
        self.payload = payload
        self._deliver = deliver
        self._unreachable = unreachable
        self._back = back

    async def working(self, lang: str) -> None:
        if self.payload.get("placeholder") is not None:
            return  # a retried delivery: the placeholder of the first run is still there to replace
        text = render.thinking(lang)
        if self.target.response_url:
            await call(self.api.webhook(self.target.response_url).send(text=text, response_type="ephemeral"))
            self.payload["placeholder"] = "response_url"
            return
        response = await call(self.client.chat_postMessage(
            channel=self.target.channel or self.target.user or "", thread_ts=self.target.thread_ts, text=text))
        self.payload["placeholder"] = (response or {}).get("ts")

    async def send(self, reply: Reply) -> None:
        try:
            await self._deliver(self.client, self.target, reply, placeholder=self.payload.get("placeholder"))
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as e:
            reason = api_error(e) if isinstance(e, SlackApiError) else type(e).__name__
            if transient(e):
                self.payload["undelivered"] = True
                self._unreachable()
                # no connection to the Web API is an outage, waited out in the queue; a 5xx (or a
                # response_url) counts as an attempt, and the next run asks auth.test whether Slack is down
                outage = not isinstance(e, SlackApiError) and not self.target.response_url
                raise Undelivered(str(reason), transient=True, outage=outage, back=self._back) from None
            raise Undelivered(str(reason), transient=False) from None


class ModalTransport:
    """The survey modal: each answer's reply becomes the modal's next page. A modal closed meanwhile
    cannot be updated later either, so a failed update is logged and not kept for a retry."""

    def __init__(self, client: AsyncWebClient, view_id: str, metadata: dict[str, Any]) -> None:
        self.client = client
        self.view_id = view_id
        self.metadata = metadata

    async def working(self, lang: str) -> None:
        return None  # the modal shows its own progress

    async def send(self, reply: Reply) -> None:
        meta = self.metadata | {"lang": reply.lang}
        await call(self.client.views_update(view_id=self.view_id, view=render.reply_modal(reply, lang=reply.lang, metadata=meta)))


class HomeTransport:
    """The App Home tab: the core's home reply, published as this user's Home view, its chart uploaded
    first (without a channel: a file the view shows). A refusal Slack may take back later is kept for
    a retry of the job, which publishes the kept page rather than working it out again."""

    def __init__(self, client: AsyncWebClient, user: str, *, unreachable: Callable[[], None] = lambda: None) -> None:
        self.client = client
        self.user = user
        self._unreachable = unreachable

    async def working(self, lang: str) -> None:
        return None  # the tab shows the page it had until the new one is published

    async def send(self, reply: Reply) -> None:
        chart, chart_id = render.home_chart(reply), None
        if chart is not None:  # a chart that could not be uploaded is left out; the page is still published
            uploaded = await call(self.client.files_upload_v2(content=chart.png, filename="taste-profile.png",
                                                              title=chart.alt[:250] or "taste profile"))
            chart_id = ((uploaded or {}).get("file") or {}).get("id")
        try:
            await self.client.views_publish(user_id=self.user, view=render.home_view(reply, chart_file_id=chart_id))
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as e:
            reason = api_error(e) if isinstance(e, SlackApiError) else type(e).__name__
            if transient(e):
                self._unreachable()
                raise Undelivered(str(reason), transient=True, outage=not isinstance(e, SlackApiError)) from None
            raise Undelivered(str(reason), transient=False) from None
