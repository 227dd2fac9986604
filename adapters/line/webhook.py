"""LINE on line-bot-sdk v3: `POST /line/webhook`, and the worker that answers each event.

The webhook only checks the signature, drops deliveries already seen, queues one job per
event and answers 200 at once (LINE wants an answer within a few seconds and redelivers
otherwise). The job does the slow part through the core's turn pipeline (so a redelivered
`webhookEventId` takes effect once): the loading animation while a photo is read, the turn,
then the answer (adapters.line.transport): with the reply token while it is fresh (they are
single use and last about a minute), else, or when the reply fails, with a push carrying an
`X-Line-Retry-Key` so that a retried push is delivered once. 429 and 5xx are retried with
backoff; the SDK itself never retries. The SDK's clients are in adapters.line.clients.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any, Awaitable, Callable, TypeVar

import aiohttp
from aiohttp import web
from linebot.v3.messaging import (
    ApiException,
    AsyncMessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.webhook import SignatureValidator

from adapters.line.clients import LineClients, retry_after, retryable, signature
from adapters.line.events import PLATFORM, Work, translate
from adapters.line.transport import LineTransport
from core import actions
from core.errors import Code, SenseiError
from core.jobs import JobQueue
from core.media import MediaStore
from core.messages import Message, Reply, StateKey
from core.reachability import Reachability
from core.sensei import DELIVERY_RETRY, Sensei
from core.turn_pipeline import TurnPipeline

__all__ = ["JOB", "LINE_BOT", "RETRY_KEY_NAMESPACE", "LineBot", "LineClients", "build", "mount", "open_clients", "signature"]

log = logging.getLogger(__name__)

JOB = "line.event"
MAX_BODY = 1024 * 1024  # LINE's webhook bodies are a few KB; anything near this is not LINE
MAX_IMAGE = 10 * 1024 * 1024  # LINE's own limit for images users send
REPLY_WINDOW = 50.0  # seconds a reply token is trusted; LINE's tokens last about a minute
RETRY_KEY_NAMESPACE = uuid.UUID("6f1c2a56-5ba4-4f43-9a1e-2f6d1ef5a0d7")
T = TypeVar("T")


class LineBot:
    def __init__(
        self,
        *,
        channel_secret: str,
        sensei: Sensei,
        jobs: JobQueue,
        media: MediaStore,
        reachability: Reachability,
        clients: LineClients | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        reply_window: float = REPLY_WINDOW,
        attempts: int = 4,
        backoff: float = 0.5,
        delivery_retry: float = DELIVERY_RETRY,
    ) -> None:
        self.validator = SignatureValidator(channel_secret)
        self.pipeline = TurnPipeline(sensei)
        self.jobs = jobs
        self.media = media
        self.reachability = reachability
        self.clients = clients
        self.clock = clock
        self.sleep = sleep
        self.reply_window = reply_window
        self.attempts = attempts
        self.backoff = backoff
        self.delivery_retry = delivery_retry  # seconds before the job sends again an answer LINE kept refusing
        jobs.register(JOB, self.run)

    # ---- the webhook: fast, no platform calls -------------------------------------------------
    async def webhook(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.json_response({"error": "body too large"}, status=413)
        body = await request.read()
        received_at = self.clock()
        sig = request.headers.get("X-Line-Signature", "")
        if not sig or not self.validator.validate(body.decode("utf-8", "replace"), sig):
            log.warning("%s: LINE webhook signature invalid; request dropped", Code.BAD_SIGNATURE.value,
                        extra={"code": Code.BAD_SIGNATURE.value, "platform": PLATFORM})
            err = SenseiError(Code.BAD_SIGNATURE)
            return web.json_response({"error": err.as_dict()}, status=401)
        try:
            payload = json.loads(body)
            events = payload.get("events") if isinstance(payload, dict) else None
            if not isinstance(events, list):
                raise ValueError("no events list")
        except ValueError:
            err = SenseiError(Code.NOT_ALLOWED, "The body is not a LINE webhook.")
            return web.json_response({"error": err.as_dict()}, status=400)
        for event in events:  # an empty list is LINE's "Verify" button: 200 and nothing to do
            if not isinstance(event, dict):
                continue
            work = translate(event)
            if work.kind == "ignore":
                log.debug("LINE event ignored: %s", work.reason)
                continue
            # LINE marks redeliveries: only those can have been handled already, so only they cost a
            # look-up here (the worker still claims the event, which catches any other duplicate).
            redelivery = isinstance(event.get("deliveryContext"), dict) and event["deliveryContext"].get("isRedelivery") is True
            if redelivery and await self.pipeline.seen(_event(work)):
                log.info("duplicate LINE event dropped", extra={"platform": PLATFORM, "event_id": work.event_id})
                continue
            job = {"event": event, "received_at": received_at}
            try:
                await self.jobs.submit(JOB, job, key=f"{PLATFORM}:{work.source.chat_id if work.source else ''}")
            except RuntimeError:  # shutting down: not 200, so that LINE redelivers to the next process
                return web.json_response({"error": "shutting down"}, status=503)
        return web.Response(text="OK")

    # ---- the worker ---------------------------------------------------------------------------
    async def run(self, job: dict[str, Any]) -> None:
        """One event, from the queue (JSON-able payload, so a Redis queue can carry it too)."""
        event: dict[str, Any] = job["event"]
        work = translate(event, fetch_image=self._fetch_image)
        if work.source is None or work.kind == "ignore":
            return
        to = work.source.to
        if work.kind == "unfollow":
            if await self.pipeline.admit(_event(work)):
                await self.reachability.stop(PLATFORM, to)
                await self.pipeline.close(_event(work))
            return
        assert work.message is not None
        if work.kind == "follow":
            await self.reachability.resume(PLATFORM, to)
        if work.message.lang is None and not work.message.text and await self._last_lang(work) is None:
            # no words, and a user the core has never heard: LINE's profile is the only hint. Without one a
            # turn is answered in Japanese (LINE is mostly Japan); a follow, a join or a sticker is left to the
            # core, which greets someone it knows nothing of in both languages.
            default = None if isinstance(work.message.action, actions.PlatformEvent) else "ja"
            work.message.lang = await self._profile_lang(work) or default
        # A retried job gets the kept reply back; a redelivery or duplicate already handled gets nothing.
        await self.pipeline.run(work.message, LineTransport(self, work, job),
                                working_after=0 if work.kind == "image" else None, delivery_retry=self.delivery_retry)

    async def _profile_lang(self, work: Work) -> str | None:
        """"en" or "ja" from the user's LINE profile: the only place LINE tells a language (events carry
        none; the profile has it once the user accepted LINE's privacy policy). None when unknown."""
        if work.source is None or work.source.kind != "user" or not work.source.user_id:
            return None
        try:
            profile = await self._api().get_profile(work.source.user_id)
        except (ApiException, aiohttp.ClientError, asyncio.TimeoutError) as e:  # never worth failing the answer for
            log.info("LINE profile unavailable: %s", getattr(e, "status", type(e).__name__))
            return None
        language = (getattr(profile, "language", None) or "").lower()
        return "ja" if language.startswith("ja") else "en" if language.startswith("en") else None

    async def _last_lang(self, work: Work) -> str | None:
        """The language this user last wrote in, as the core remembers it (None for someone new)."""
        if work.source is None or work.source.kind != "user":
            return None
        return await self.pipeline.last_language(work.source.key())

    def flavor_url(self, brand_id: int, lang: str) -> str | None:
        url = self.media.flavor_url(brand_id, lang)
        return url if url and url.startswith("https://") else None  # LINE refuses the whole message otherwise

    async def store_images(self, reply: Reply) -> list[str]:
        if not self.media.base_url.startswith("https://"):
            return []  # LINE fetches images only over HTTPS: without a public HTTPS base URL, text and cards only
        return [await self.media.put(image.png, kind="line") for image in reply.images]

    async def loading(self, user_id: str) -> None:
        """The "typing" dots while a photo is read; only 1:1 chats have them. Best effort."""
        try:
            await self._api().show_loading_animation(ShowLoadingAnimationRequest(chatId=user_id, loadingSeconds=20))
        except Exception as e:  # never worth failing the turn for
            log.info("LINE loading animation failed: %s", getattr(e, "status", type(e).__name__))

    async def _fetch_image(self, ref: str) -> bytes:
        """Bytes of a photo the user sent: LINE's blob API, or the URL of an external provider."""
        try:
            if ref.startswith("url:"):
                data = await self._fetch_url(ref[4:])
            else:
                clients = self._clients()
                data = bytes(await self._retrying(lambda: clients.blob.get_message_content(ref)))
        except SenseiError:
            raise
        except Exception as e:
            log.warning("LINE image download failed: %s", getattr(e, "status", type(e).__name__))
            raise SenseiError(Code.IMAGE_UNREADABLE) from None
        if len(data) > MAX_IMAGE:
            raise SenseiError(Code.IMAGE_UNREADABLE)
        return data

    async def _fetch_url(self, url: str) -> bytes:
        if not url.startswith("https://"):
            raise SenseiError(Code.IMAGE_UNREADABLE)
        timeout = aiohttp.ClientTimeout(total=20)
        async with aiohttp.ClientSession(timeout=timeout, trust_env=True) as session:
            async with session.get(url) as r:
                if r.status != 200:
                    raise SenseiError(Code.IMAGE_UNREADABLE)
                data = await r.content.read(MAX_IMAGE + 1)
        return data

    # ---- sending ------------------------------------------------------------------------------
    async def _send(self, work: Work, messages: list[dict[str, Any]], job: dict[str, Any],
                    fallback: list[dict[str, Any]] | None = None) -> None:
        """Reply while the token is fresh, else push; `fallback` (plain text) is pushed if LINE rejects `messages` as invalid."""
        if not messages:
            return
        if work.reply_token and self._fresh(job):
            try:
                request = ReplyMessageRequest.from_dict({"replyToken": work.reply_token, "messages": messages})
                await self._retrying(lambda: self._api().reply_message(request), fresh=lambda: self._fresh(job))
                return
            except Exception as e:  # an expired / used token (400), or LINE kept failing: push instead
                log.info("LINE reply failed (%s); pushing instead", getattr(e, "status", type(e).__name__))
        try:
            await self._push(work, messages)
        except ApiException as e:
            # 400 on a push is about the messages themselves (the recipient and token are fine):
            # the user still gets the words rather than nothing.
            if e.status != 400 or not fallback or fallback == messages:
                raise
            log.warning("LINE refused the rich reply (HTTP 400); sending it as plain text", extra={"platform": PLATFORM})
            await self._push(work, fallback, variant="text")

    def _fresh(self, job: dict[str, Any]) -> bool:
        """Is the reply token young enough? Redeliveries are aged from LINE's event timestamp."""
        received = float(job.get("received_at", 0.0))
        event = job["event"]
        if (event.get("deliveryContext") or {}).get("isRedelivery") and isinstance(event.get("timestamp"), (int, float)):
            received = min(received, event["timestamp"] / 1000)
        return self.clock() - received < self.reply_window

    async def _push(self, work: Work, messages: list[dict[str, Any]], *, variant: str = "") -> None:
        assert work.source is not None
        to = work.source.to
        if not await self.reachability.can_push(PLATFORM, to):
            log.info("LINE push skipped: the user blocked the bot", extra={"platform": PLATFORM})
            return
        # The same key for every attempt (and for a re-run of this job): LINE delivers once, 409 after.
        key = str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"{work.event_id}{variant}")) if work.event_id else str(uuid.uuid4())
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        try:
            await self._retrying(lambda: self._api().push_message(request, x_line_retry_key=key))
        except ApiException as e:
            if e.status == 409:  # this retry key was accepted before: the message is already out
                return
            if e.status != 400:
                log.error("LINE push failed with HTTP %s", e.status, extra={"platform": PLATFORM})
            raise

    async def _retrying(self, call: Callable[[], Awaitable[T]], *, fresh: Callable[[], bool] | None = None) -> T:
        """`call()`, retried on 429, 5xx and connection errors with exponential backoff (Retry-After wins)."""
        for attempt in range(1, self.attempts + 1):
            try:
                return await call()
            except Exception as e:
                if not retryable(e) or attempt == self.attempts:
                    raise
                delay = retry_after(e) or self.backoff * 2 ** (attempt - 1)
                await self.sleep(delay)
                if fresh is not None and not fresh():
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _clients(self) -> LineClients:
        if self.clients is None:
            raise RuntimeError("LINE clients are not started (the app's startup did not run)")
        return self.clients

    def _api(self) -> AsyncMessagingApi:
        return self._clients().messaging


LINE_BOT = web.AppKey("line_bot", LineBot)


def build(core: Any, *, clock: Callable[[], float] = time.time,
          sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> LineBot:
    """The bot and its job handler, without the webhook route (a `sake-sensei worker` has no routes)."""
    return LineBot(
        channel_secret=core.settings.line_channel_secret,
        sensei=core.sensei,
        jobs=core.jobs,
        media=core.media,
        reachability=core.reachability,  # set by bot.wiring.build_core
        clock=clock,
        sleep=sleep,
    )


def open_clients(bot: LineBot, settings: Any) -> None:
    """Must run inside the event loop (the SDK opens its session at construction)."""
    bot.clients = LineClients.create(settings.line_channel_access_token, settings.line_api_url, settings.line_data_api_url)


def mount(app: web.Application, core: Any, *, clock: Callable[[], float] = time.time,
          sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> LineBot:
    """Add `POST /line/webhook` to the server; the SDK clients open with the app and close with it."""
    settings = core.settings
    bot = build(core, clock=clock, sleep=sleep)

    async def clients(_app: web.Application) -> Any:
        open_clients(bot, settings)
        yield
        assert bot.clients is not None
        await bot.clients.close()

    app.cleanup_ctx.append(clients)
    app.router.add_post("/line/webhook", bot.webhook)
    app[LINE_BOT] = bot
    if not settings.public_base_url.startswith("https://"):
        log.warning("PUBLIC_BASE_URL is not https: LINE will not show flavor-chart images")
    return bot


def _event(work: Work) -> Message:
    """The event as the pipeline records it: its message, or (a sticker, a follow) just its id."""
    if work.message is not None:
        return work.message
    return Message(key=work.source.key() if work.source else StateKey(PLATFORM, "", "", ""), event_id=work.event_id)
