"""Posting a reply into a Slack channel on the bot's own initiative (core.announce.ChannelPoster).

chat.postMessage with the workspace's bot token (from its installation in OAuth mode), rendered
and followed by its pictures exactly as a turn's answer is (adapters.slack.transport.deliver). A
flight in a thread is posted in that thread. What Slack cannot take now is `Undelivered`
transient, what it refuses (not_in_channel, channel_not_found, a revoked token) is final.
"""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.slack.api_errors import api_error
from adapters.slack.events import Target
from adapters.slack.transport import deliver, transient
from adapters.slack.web_api import SlackWebApi
from core.messages import Reply
from core.transport import Undelivered


class SlackPoster:
    def __init__(self, api: SlackWebApi) -> None:
        self.api = api

    async def post(self, reply: Reply, workspace: str, channel: str, *, key: str) -> None:
        target = target_of(channel)
        client = await self.api.client_for(workspace, None)
        if client is None:
            raise Undelivered("no_token", transient=False)
        try:
            await deliver(self.api, client, target, reply)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as e:
            reason = api_error(e) if isinstance(e, SlackApiError) else type(e).__name__
            raise Undelivered(reason, transient=transient(e)) from None


def target_of(conversation: str) -> Target:
    """A StateKey.channel back to where it is: "<channel>" or "<channel>/<thread_ts>"
    (adapters.slack.events.conversation_of). App Home is no channel to post in."""
    if not conversation or conversation.startswith("home:"):
        raise Undelivered("not_a_channel", transient=False)
    channel, _, thread_ts = conversation.partition("/")
    return Target(channel=channel, thread_ts=thread_ts or None)
