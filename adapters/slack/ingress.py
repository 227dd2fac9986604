"""The HTTP edge of `POST /slack/events`: verify, judge, and acknowledge what needs no turn.

Most of what a bot in busy channels receives needs nothing from it: people talking to each
other, other bots, edits, deletes, reactions, joins. Those are verified, judged here and
answered 200 at once, without recording a delivery and without bolt's dispatch (its middleware
chain, authorization and listener matching cost more than everything else on the ack path).
What may need a turn, and every other kind of payload (slash commands, interactivity,
url_verification, App Home, uninstalls), goes to bolt as before, which hands turns to the core
exactly once (`TurnPipeline.admit`).

The signature is checked here, once, for every request, so that a malformed request is refused
with a code instead of raising inside bolt: a timestamp that is not a number is 401 (SS-007),
a signed body that is not a Slack payload (not JSON, not a form, not UTF-8) is 400 (SS-010).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body

from adapters.slack import events
from adapters.slack.auth import bot_user_of
from core.errors import Code, SenseiError

log = logging.getLogger(__name__)

MAX_SKEW = 5 * 60  # seconds; Slack's own rule, and bolt's: older requests are replays
_STAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would also take " 12", "١٢" and "1_2"
# Event types a bolt listener acts on besides messages; every other event type is acknowledged here.
HANDLED_EVENTS = frozenset({"app_home_opened", "app_uninstalled", "tokens_revoked"})


class Verdict(Enum):
    ACK = "ack"  # nothing to do: 200 now
    BOLT = "bolt"  # bolt's listeners decide
    BAD = "bad"  # signed, but not a Slack payload: 400


def refusal(status: int, code: Code, detail: str) -> web.Response:
    """A refused request carries its SS code, like every other endpoint's refusals."""
    return web.json_response({"error": SenseiError(code, detail).as_dict("en")}, status=status)


def verify(secret: str, timestamp: str, signature: str, body: bytes, now: float) -> bool:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}`, within five minutes of now."""
    if not _STAMP.fullmatch(timestamp) or abs(now - int(timestamp)) > MAX_SKEW:
        return False
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def parse(text: str, content_type: str | None) -> dict[str, Any] | None:
    """The payload as bolt reads it (JSON, a form, or a form's `payload` field); None when it is not an object."""
    try:
        body = parse_body(text, content_type)
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


_MALFORMED = (TypeError, AttributeError, ValueError, KeyError, IndexError, RecursionError)


def readable(body: dict[str, Any]) -> bool:
    """The fields our listeners read have the types Slack sends: read them here, once, the way the
    listeners do, so that a signed body of the wrong shape is a 400 rather than an exception inside bolt."""
    try:
        events.team_of(body)
        if "command" in body:
            events.from_command(body)
        if not isinstance(body.get("event_id", ""), (str, type(None))):
            return False
        if not _strings(body, "type", "callback_id", "trigger_id", "response_url", "action_id", "block_id", "value"):
            return False  # bolt's listeners match these with regular expressions (action_id: a block_suggestion's)
        if body.get("type") in ("block_actions", "interactive_message"):
            actions = body.get("actions")
            if not (isinstance(actions, list) and actions and all(isinstance(a, dict) for a in actions)):
                return False  # bolt reads actions[0] before any listener runs
            if not all(_strings(a, "action_id", "block_id", "name", "type") for a in actions):
                return False
            events.from_block_action(body)
        if body.get("type") in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict):
            return False  # bolt matches a view listener on view["callback_id"] before any listener runs
        if isinstance(body.get("view"), dict):
            if not _strings(body["view"], "callback_id", "type", "id"):
                return False
            events.view_values(body["view"])
    except _MALFORMED:
        return False
    return True


def _strings(data: dict[str, Any], *keys: str) -> bool:
    """Each of these keys, where present and set, holds a string."""
    return all(data.get(k) is None or isinstance(data.get(k), str) for k in keys)


async def judge(body: dict[str, Any], *, bot_user_id: str | None,
                in_thread: Callable[[str, str, str], Awaitable[bool]]) -> Verdict:
    """Whether an Events API payload can be acknowledged without bolt.

    A message `events.from_event` turns into no turn is acknowledged; so is a thread reply in a
    thread the bot is not part of. Judged with the bot user id the event names (or the one we
    know): without it fewer messages count as the bot's own or as mentions, so the judgement can
    only send more to bolt, never acknowledge one that needed an answer."""
    if body.get("type") != "event_callback":
        return Verdict.BOLT
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return Verdict.BAD
    kind = event["type"]
    if kind in HANDLED_EVENTS:
        return Verdict.BOLT
    if kind not in ("message", "app_mention"):
        return Verdict.ACK
    try:
        incoming = events.from_event(body, bot_user_id=bot_user_of(body) or bot_user_id)
    except _MALFORMED:  # fields of the wrong types: not a real event
        return Verdict.BAD
    if incoming is None:
        return Verdict.ACK
    if incoming.needs_joined_thread and not await in_thread(incoming.team_id, incoming.target.channel,
                                                            incoming.target.thread_ts or ""):
        return Verdict.ACK
    return Verdict.BOLT


class SlackIngress:
    """Verify and judge one request; hand bolt only what it must see."""

    def __init__(
        self, *, secret: str, dispatch: Callable[[AsyncBoltRequest], Awaitable[Any]],
        in_thread: Callable[[str, str, str], Awaitable[bool]], bot_user_id: Callable[[], str | None],
        learn: Callable[[dict[str, Any]], None] = lambda _body: None, clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret = secret
        self.dispatch = dispatch  # bolt's AsyncApp.async_dispatch (looked up per request: tests spy on it)
        self.in_thread = in_thread
        self.bot_user_id = bot_user_id
        self.learn = learn
        self.clock = clock

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not verify(self.secret, stamp, request.headers.get("X-Slack-Signature", ""), raw, self.clock()):
            age = int(self.clock()) - int(stamp) if _STAMP.fullmatch(stamp) else None
            log.warning(
                "%s Slack request refused: invalid or stale signature (age %s s, %d bytes, from %s)",
                Code.BAD_SIGNATURE.value, age, len(raw), request.remote, extra={"code": Code.BAD_SIGNATURE.value},
            )
            return refusal(401, Code.BAD_SIGNATURE, "Missing, stale or malformed.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return refusal(400, Code.NOT_ALLOWED, "The body is not UTF-8.")
        content_type = request.content_type if request.headers.get("Content-Type") else None
        body = parse(text, content_type)
        if body is None:
            return refusal(400, Code.NOT_ALLOWED, "The body is not a Slack payload.")
        self.learn(body)
        verdict = await judge(body, bot_user_id=self.bot_user_id(), in_thread=self.in_thread)
        if verdict is Verdict.ACK:
            return web.Response(status=200)
        if verdict is Verdict.BAD or not readable(body):
            return refusal(400, Code.NOT_ALLOWED, "The body is not a Slack payload.")
        try:
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=request.headers)  # type: ignore[arg-type]
        except _MALFORMED:  # bolt's own reading of ids and flags
            return refusal(400, Code.NOT_ALLOWED, "The body is not a Slack payload.")
        response = await self.dispatch(bolt_request)
        if 400 <= response.status < 500 and response.status != 401:  # "unhandled request" (404): a payload of no known kind
            return refusal(400, Code.NOT_ALLOWED, "Not a kind of Slack payload this app handles.")
        return await to_aiohttp_response(response)

