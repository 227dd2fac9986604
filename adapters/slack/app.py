"""The Slack bot: slack-bolt's `AsyncApp` wired to the core, over HTTP events or Socket Mode.

The ack path is short and the same for every kind of payload: bolt verifies the signature,
`events` turns the payload into an `Incoming`, the core's inbox records its delivery id
(`Sensei.admit`, so a retry or duplicate gets its 200 and nothing else, across processes
and restarts), and the turn is queued on the core's job queue. bolt runs with
`process_before_response=True`, so the 200 leaves as soon as that is done, without bolt's
10 ms ack polling. Everything slow (downloads, OCR, the model, Web API calls) runs in the job:
a placeholder is posted when the answer takes longer than `placeholder_after`, then replaced.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Protocol
from urllib.parse import urlparse

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import events, render
from adapters.slack.api_errors import api_error, api_status
from adapters.slack.auth import CachedAuthorize
from adapters.slack.events import Incoming, SlackFile, Target
from adapters.slack.ingress import SlackIngress
from adapters.slack.oauth import DbInstallationStore, DbStateStore, StoredAuthorize
from core import actions, controls
from core.errors import Code, SenseiError
from core.i18n import detect_language
from core.messages import Image, Message, Reply, StateKey
from core.sensei import DELIVERY_RETRY, Sensei
from core.texts import t
from core.jobs import JobQueue, RetryLater
from core.slack_workspaces import SlackWorkspaces

log = logging.getLogger(__name__)

SCOPES = (
    "app_mentions:read", "channels:history", "chat:write", "commands", "files:read", "files:write", "groups:history",
    "im:history", "im:write", "mpim:history", "reactions:write", "users:read",
)
TURN_JOB = "slack.turn"
HOME_JOB = "slack.home"
MODAL_JOB = "slack.modal"
PLACEHOLDER_GRACE = 0.2  # seconds a backlogged turn gets before its placeholder
# Hosts that may receive the bot token when a shared file is downloaded.
FILE_HOSTS = ("slack.com", "slack-edge.com", "slack-files.com")


class Catalog(Protocol):
    def get(self, brand_id: int) -> Any: ...


@dataclass(frozen=True)
class SlackOptions:
    signing_secret: str | None
    bot_token: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    api_url: str = "https://slack.com/api/"
    placeholder_after: float = 1.0  # seconds before the user sees "Thinking…"
    max_image_bytes: int = 10 * 1024 * 1024
    max_file_bytes: int = 1024 * 1024  # other shared files (a menu CSV): far smaller than photos
    admin_cache_seconds: float = 300.0  # how long users.info's is_admin/is_owner is trusted
    rate_limit_retries: int = 3
    # Turns worked on at once by this process. Turns are CPU work between awaits (search, OCR,
    # the offline model); capping them keeps the ack path responsive in a burst, and the
    # backlog drains after it. Model calls to an LLM wait on I/O and are not held up by it.
    max_turns: int = 8
    ack_priority: float = 10.0  # seconds a queued turn may wait while requests are being acknowledged
    delivery_retry: float = DELIVERY_RETRY  # seconds before an answer Slack refused (429, 5xx, unreachable) is sent again
    # A retried answer waits this long for an auth.test in flight to say Slack is back; while it
    # is not, the answer goes back to wait in the job queue (core.job_retry), holding no slot.
    outage_wait: float = 2.0
    install_path: str = "/slack/install"
    redirect_path: str = "/slack/oauth_redirect"

    @property
    def oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @classmethod
    def from_settings(cls, settings: Any, *, socket_mode: bool = False) -> "SlackOptions | None":
        """None when Slack is not configured: HTTP needs the signing secret, Socket Mode the app token,
        and both a bot token (one workspace) or the OAuth client id and secret (many)."""
        opts = cls(
            signing_secret=settings.slack_signing_secret, bot_token=settings.slack_bot_token, app_token=settings.slack_app_token,
            client_id=getattr(settings, "slack_client_id", None), client_secret=getattr(settings, "slack_client_secret", None),
            api_url=settings.slack_api_url,
        )
        if not (opts.bot_token or opts.oauth):
            return None
        if socket_mode:
            return opts if opts.app_token else None
        return opts if opts.signing_secret else None


class SignatureLogFilter(logging.Filter):
    """bolt logs the whole body of a request whose signature failed, at INFO, and resets its
    loggers' levels; this filter drops that record (we log SS-007 without the body instead)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Invalid request signature detected")


def install_signature_log_filter() -> None:
    for name in ("slack_bolt.AsyncRequestVerification", "slack_bolt.RequestVerification"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, SignatureLogFilter) for f in logger.filters):
            logger.addFilter(SignatureLogFilter())


class SlackBot:
    def __init__(
        self,
        *,
        sensei: Sensei,
        jobs: JobQueue,
        workspaces: SlackWorkspaces,
        catalog: Catalog,
        options: SlackOptions,
        socket_mode: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sensei = sensei
        self.jobs = jobs
        self.workspaces = workspaces
        self.catalog = catalog
        self.options = options
        self.clock = clock  # wall time: a queued job may run in another process
        self._http: aiohttp.ClientSession | None = None
        self._clients: dict[str, AsyncWebClient] = {}
        self._admins: dict[tuple[str, str], tuple[float, bool]] = {}  # (team, user) → (checked at, admin)
        self._turns = asyncio.Semaphore(options.max_turns)
        self._acking = 0  # HTTP requests being acknowledged right now
        self._acks_idle = asyncio.Event()
        self._acks_idle.set()
        install_signature_log_filter()
        # The ingress verifies every HTTP request before bolt sees it; Socket Mode needs no signature.
        kwargs: dict[str, Any] = dict(
            client=self._new_client(None), signing_secret=options.signing_secret or "socket-mode", process_before_response=True,
            request_verification_enabled=False, logger=logging.getLogger("slack_bolt.App"),
        )
        self.auth: CachedAuthorize | None = None
        if not options.oauth:  # one workspace: authorised from a cached auth.test, never waiting for it
            self.auth = CachedAuthorize(self._new_client(options.bot_token))
            kwargs["authorize"] = self.auth
        if options.oauth:
            kwargs["oauth_settings"] = AsyncOAuthSettings(
                client_id=options.client_id, client_secret=options.client_secret, scopes=list(SCOPES),
                installation_store=DbInstallationStore(workspaces), state_store=DbStateStore(workspaces),
                install_path=options.install_path, redirect_uri_path=options.redirect_path,
            )
            kwargs["authorize"] = StoredAuthorize(workspaces)
        self.app = AsyncApp(**kwargs)
        self.ingress = SlackIngress(
            secret=options.signing_secret or "", dispatch=lambda request: self.app.async_dispatch(request),
            in_thread=workspaces.in_thread, bot_user_id=lambda: self.auth.bot_user_id if self.auth else None,
            learn=self.auth.learn if self.auth else (lambda _body: None),
        )
        self._register()
        jobs.register(TURN_JOB, self._turn_job)
        jobs.register(HOME_JOB, self._home_job)
        jobs.register(MODAL_JOB, self._modal_job)

    # ---- clients ----

    def _new_client(self, token: str | None, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
        """A Web API client on SLACK_API_URL that waits out a 429's Retry-After and tries again."""
        client = AsyncWebClient(token=token, base_url=self.options.api_url, session=session)
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=self.options.rate_limit_retries))
        return client

    async def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
            self._clients.clear()
        return self._http

    async def client_for(self, team_id: str, enterprise_id: str | None) -> AsyncWebClient | None:
        """A Web API client with this workspace's bot token (from the installation in OAuth mode)."""
        if self.options.oauth:
            bot = await self.workspaces.find(enterprise_id=enterprise_id, team_id=team_id)
            token = bot.bot_token if bot else None
        else:
            token = self.options.bot_token
        if not token:
            log.warning("no Slack token for this workspace", extra={"team_id": team_id})
            return None
        session = await self._session()
        client = self._clients.get(token)
        if client is None:
            if len(self._clients) > 1000:
                self._clients.clear()
            client = self._clients[token] = self._new_client(token, session)
        return client

    async def close(self) -> None:
        if self.auth is not None:
            await self.auth.close()
        if self._http is not None:
            await self._http.close()

    # ---- HTTP ----

    async def handle_http(self, request: web.Request) -> web.StreamResponse:
        """POST /slack/events (and the OAuth pages): bolt does the work; we log forged requests as SS-007."""
        self._acking += 1
        self._acks_idle.clear()
        try:
            return await self._handle_http(request)
        finally:
            self._acking -= 1
            if self._acking == 0:
                self._acks_idle.set()

    async def _handle_http(self, request: web.Request) -> web.StreamResponse:
        if self.auth is not None:
            self.auth.start()  # the background auth.test, in the server's event loop
        flow = self.app.oauth_flow
        if flow is not None and request.method == "GET":
            bolt_request = await to_bolt_request(request)
            if request.path == flow.install_path:
                return await to_aiohttp_response(await flow.handle_installation(bolt_request))
            if request.path == flow.redirect_uri_path:
                return await to_aiohttp_response(await flow.handle_callback(bolt_request))
        return await self.ingress.handle(request)

    # ---- listeners (the ack path) ----

    def _register(self) -> None:
        app = self.app
        app.event("message")(self._on_message)
        app.event("app_mention")(self._on_message)
        app.event("app_home_opened")(self._on_home)
        app.event("app_uninstalled")(self._on_uninstalled)
        app.event("tokens_revoked")(self._on_uninstalled)
        app.event(re.compile(".*"))(self._ignore_event)
        app.command(re.compile(".*"))(self._on_command)
        app.action(re.compile("^" + re.escape(render.ACTION_PREFIX)))(self._on_action)
        app.view(render.NOTE_CALLBACK)(self._on_note_submit)
        # Everything else Slack may send gets its 2xx and is otherwise ignored.
        app.action(re.compile(".*"))(self._ack)
        app.options(re.compile(".*"))(self._ack_options)
        app.shortcut(re.compile(".*"))(self._ack)
        app.view(re.compile(".*"))(self._ack)
        app.view_closed(re.compile(".*"))(self._ack)
        app.dialog_submission(re.compile(".*"))(self._ack)
        app.dialog_suggestion(re.compile(".*"))(self._ack_options)
        app.dialog_cancellation(re.compile(".*"))(self._ack)
        app.attachment_action(re.compile(".*"))(self._ack)

    async def _ack(self, ack: Callable[..., Awaitable[Any]]) -> None:
        await ack()

    async def _ack_options(self, ack: Callable[..., Awaitable[Any]]) -> None:
        await ack(options=[])

    async def _ignore_event(self, body: dict[str, Any]) -> None:
        log.debug("Slack event ignored", extra={"event_type": (body.get("event") or {}).get("type")})

    async def _enqueue(self, job: str, incoming: Incoming, **extra: Any) -> bool:
        if not await self.sensei.admit(incoming.message()):
            return False  # a retry or duplicate: already handled, or being handled
        payload = {"incoming": incoming.to_payload(), "queued_at": self.clock(), **extra}
        await self.jobs.submit(job, payload, key=str(incoming.key))
        return True

    async def _on_message(self, body: dict[str, Any], context: dict[str, Any]) -> None:
        incoming = events.from_event(body, bot_user_id=context.get("bot_user_id"))
        if incoming is None:
            return
        if incoming.needs_joined_thread and not await self.workspaces.in_thread(
            incoming.team_id, incoming.target.channel, incoming.target.thread_ts or ""
        ):
            return
        await self._enqueue(TURN_JOB, incoming, mention=(body.get("event") or {}).get("type") == "app_mention")

    async def _on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab") != "home" or not event.get("user"):
            return
        team_id, enterprise_id = events.team_of(body)
        user = event["user"]
        incoming = Incoming(team_id=team_id, enterprise_id=enterprise_id, user=user, conversation=f"home:{user}",
                            target=Target(channel="", user=user), event_id=body.get("event_id"))
        await self._enqueue(HOME_JOB, incoming)

    async def _on_uninstalled(self, body: dict[str, Any]) -> None:
        if self.options.oauth:
            team_id, enterprise_id = events.team_of(body)
            await self.workspaces.delete(enterprise_id=enterprise_id, team_id=team_id)
            log.info("Slack app uninstalled: installation removed", extra={"team_id": team_id})

    async def _on_command(self, ack: Callable[..., Awaitable[Any]], body: dict[str, Any], client: AsyncWebClient) -> None:
        lang = detect_language(body.get("text", ""), "en")
        plan = events.from_command(body, lang=lang)
        if plan.usage is not None:
            text = plan.usage
            if plan.usage_code:  # bad input: the code and its sentence, then how to write it
                text = f":warning: `{plan.usage_code}` {SenseiError(Code(plan.usage_code)).message(lang)}\n{plan.usage}"
            await ack(text=text, response_type="ephemeral")
            return
        assert plan.incoming is not None
        if plan.modal == "survey":
            view_id = await self._open_modal(client, body.get("trigger_id"), render.reply_modal(None, lang=lang, metadata=self._metadata(plan.incoming)))
            await ack()
            if view_id:
                await self._enqueue(MODAL_JOB, plan.incoming, view_id=view_id, lang=lang)
            return
        await ack()
        await self._enqueue(TURN_JOB, plan.incoming)

    async def _on_action(self, ack: Callable[..., Awaitable[Any]], body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        incoming = events.from_block_action(body)
        if incoming is None:
            return
        view = body.get("view") or {}
        action = actions.read(incoming.action)
        brand = self.catalog.get(action.brand_id) if isinstance(action, actions.Note) else None
        if brand is not None:  # "Log with notes": the core's tasting-note form, as a modal (the trigger expires in 3 s)
            message = incoming.message()
            lang = await self.sensei.language_of(message)  # the user's own language, never a guess from the label
            form = controls.note_form(brand.id, brand.name, lang)
            modal = render.form_modal(form, lang, self._metadata(incoming) | {"lang": lang})
            if view.get("type") == "modal":
                await self._call(client.views_push(trigger_id=body.get("trigger_id"), view=modal))
            else:
                await self._open_modal(client, body.get("trigger_id"), modal)
            return
        if view.get("type") == "modal" and view.get("callback_id") == render.SURVEY_CALLBACK:
            meta = _loads(view.get("private_metadata"))
            lang = meta.get("lang", "en")
            incoming.target = Target(**meta["target"]) if isinstance(meta.get("target"), dict) else incoming.target
            incoming.conversation = meta.get("conversation", incoming.conversation)
            await self._enqueue(MODAL_JOB, incoming, view_id=view.get("id"), lang=lang)
            return
        await self._enqueue(TURN_JOB, incoming)

    async def _on_note_submit(self, ack: Callable[..., Awaitable[Any]], body: dict[str, Any], view: dict[str, Any]) -> None:
        values = {k: v for k, v in events.view_values(view).items() if v not in (None, "")}
        meta = _loads(view.get("private_metadata"))
        # the form's own action; a modal opened by the previous release carried only the brand id
        action = actions.read(meta.get("action") or (f"note:{meta['brand_id']}" if isinstance(meta.get("brand_id"), int) else ""))
        if not isinstance(action, actions.Note) or "rating" not in values:
            await ack(response_action="errors", errors={"rating": t("form.rating", meta.get("lang", "en"))})
            return
        await ack()
        team_id, enterprise_id = events.team_of(body)
        user = (body.get("user") or {}).get("id", "")
        target = Target(**meta["target"]) if isinstance(meta.get("target"), dict) else Target(channel="", user=user)
        incoming = Incoming(
            team_id=team_id, enterprise_id=enterprise_id, user=user, conversation=meta.get("conversation") or f"home:{user}",
            target=target, action=actions.pack(action), action_values=values, event_id=f"view:{view.get('id')}:{view.get('hash')}",
        )
        await self._enqueue(TURN_JOB, incoming)

    @staticmethod
    def _metadata(incoming: Incoming) -> dict[str, Any]:
        """What a modal carries (private_metadata) so that its submit answers where it was opened."""
        return {"target": incoming.to_payload()["target"], "conversation": incoming.conversation, "lang": "en"}

    async def _open_modal(self, client: AsyncWebClient, trigger_id: str | None, view: dict[str, Any]) -> str | None:
        if not trigger_id:
            return None
        response = await self._call(client.views_open(trigger_id=trigger_id, view=view))
        return ((response or {}).get("view") or {}).get("id")

    @staticmethod
    async def _call(call: Awaitable[Any]) -> Any:
        """A Web API call whose failure is logged, not raised (the user is told separately)."""
        try:
            return await call
        except SlackApiError as e:
            log.error("Slack API call failed: %s", api_error(e))
        except aiohttp.ClientError as e:
            log.error("Slack API unreachable: %s", type(e).__name__)
        return None

    # ---- jobs (after the ack) ----

    async def _turn_job(self, payload: dict[str, Any]) -> None:
        queued = float(payload.get("queued_at") or self.clock())
        if payload.get("undelivered") and self.auth is not None and not await self.auth.wait_reachable(self.options.outage_wait):
            # Slack is still down: the kept answer waits in the queue (not counted as an attempt) until it is back.
            raise RetryLater("Slack's Web API is still unreachable", after=self.options.delivery_retry, outage=True,
                             back=self.auth.back)
        # A turn slot first, then (in a burst) wait for the acks: only the few turns holding a
        # slot wait on the ack path, so they never wake all at once, and nothing is prepared early.
        async with self._turns:
            await self._after_acks(queued)
            await self._turn(payload, queued)

    async def _turn(self, payload: dict[str, Any], queued: float) -> None:
        incoming = Incoming.from_payload(payload["incoming"])
        client = await self.client_for(incoming.team_id, incoming.enterprise_id)
        if client is None:
            if incoming.event_id:
                await self.sensei.inbox.finish(events.PLATFORM, incoming.event_id, failed=True)
            return
        if payload.get("mention") and incoming.target.thread_ts:
            await self.workspaces.join_thread(incoming.team_id, incoming.target.channel, incoming.target.thread_ts)
        message = incoming.message()
        message.images = [self._image(client, f) for f in incoming.files if f.is_image]
        message.files = [self._image(client, f, cap=self.options.max_file_bytes) for f in incoming.files if not f.is_image]
        message.platform_admin = await self.is_admin(client, incoming.team_id, incoming.user)
        lang = await self.sensei.language_of(message)  # for the placeholder and an apology: the core's choice
        await self._answer(client, incoming.target, message, lang, queued, payload)

    async def _answer(self, client: AsyncWebClient, target: Target, message: Message, lang: str, queued: float,
                      payload: dict[str, Any]) -> None:
        """Run the turn; past `placeholder_after` (counted from when the job was queued) show a
        placeholder, then replace it with the answer. In a backlog the turn gets
        `PLACEHOLDER_GRACE` after it starts before the placeholder, so a fast answer is not
        preceded by a placeholder it replaces a moment later (three API calls instead of one).
        The placeholder is remembered in the job's payload, so that a retried delivery replaces it."""
        started = self.clock()
        task = asyncio.ensure_future(self.sensei.handle(message, admitted=True))
        placeholder: str | None = payload.get("placeholder")
        wait = max(self.options.placeholder_after - (started - queued), min(PLACEHOLDER_GRACE, self.options.placeholder_after))
        done, _ = await asyncio.wait({task}, timeout=wait)
        if not done and placeholder is None:
            placeholder = payload["placeholder"] = await self._placeholder(client, target, lang)
        try:
            await self._finish(client, target, task, placeholder, lang, message)
        except RetryLater:
            payload["undelivered"] = True
            if self.auth is not None:
                self.auth.unreachable()
            raise

    async def _after_acks(self, queued: float) -> None:
        """Acks have a deadline (Slack retries after 3 s), turns do not: in a burst a turn waits
        until no request is being acknowledged, but never longer than `ack_priority` after it
        was queued, so a sustained flood still gets answers."""
        left = self.options.ack_priority - (self.clock() - queued)
        if left > 0 and not self._acks_idle.is_set():
            try:
                await asyncio.wait_for(self._acks_idle.wait(), timeout=left)
            except asyncio.TimeoutError:
                pass

    async def _finish(self, client: AsyncWebClient, target: Target, task: asyncio.Future[Reply | None], placeholder: str | None,
                      lang: str, message: Message) -> None:
        """Send the answer and tell the core it was delivered. When Slack cannot take it now (429
        past the retries, 5xx, unreachable) the job is retried later and sends the answer the core
        kept; when Slack refuses it for good, the user gets an apology instead."""
        try:
            reply = await task
        except Exception:
            log.exception("Slack turn failed")
            reply = render.apology(lang)
        if reply is None:
            return
        try:
            await self.deliver(client, target, reply, placeholder=placeholder)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as e:
            reason = api_error(e) if isinstance(e, SlackApiError) else type(e).__name__
            if _transient(e):  # no connection to the Web API is an outage; a 5xx (or a response_url) counts,
                # and the next run asks auth.test whether Slack is down
                outage = not isinstance(e, SlackApiError) and not target.response_url
                raise RetryLater(f"Slack answer not delivered: {reason}", after=self.options.delivery_retry, outage=outage,
                                 back=self.auth.back if self.auth else None) from None
            log.error("Slack answer not delivered: %s", reason)
            await self._call(self._post(client, target, render.apology(reply.lang), placeholder))
        await self.sensei.delivered(message)

    async def _placeholder(self, client: AsyncWebClient, target: Target, lang: str) -> str | None:
        text = render.thinking(lang)
        if target.response_url:
            await self._call(self._webhook(target.response_url).send(text=text, response_type="ephemeral"))
            return "response_url"
        response = await self._call(client.chat_postMessage(channel=target.channel or target.user or "", thread_ts=target.thread_ts, text=text))
        return (response or {}).get("ts")

    def _webhook(self, url: str) -> AsyncWebhookClient:
        return AsyncWebhookClient(url, session=self._http, retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=self.options.rate_limit_retries)])

    async def _post(self, client: AsyncWebClient, target: Target, reply: Reply, placeholder: str | None) -> str:
        """Send the reply's text and cards; returns the channel it went to (for images)."""
        blocks, text = render.reply_blocks(reply), render.fallback_text(reply)
        if target.response_url:
            response = await self._webhook(target.response_url).send(
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

    async def deliver(self, client: AsyncWebClient, target: Target, reply: Reply, *, placeholder: str | None = None) -> None:
        channel = await self._post(client, target, reply, placeholder)
        for i, image in enumerate(reply.images):
            # files.getUploadURLExternal + the upload + files.completeUploadExternal; a failed picture
            # is logged and the answer (already sent) stands
            await self._call(client.files_upload_v2(
                channel=channel or None, thread_ts=target.thread_ts, content=image.png, filename=f"sake-sensei-{i + 1}.png",
                title=image.alt[:250] or "chart", alt_txt=image.alt[:1000] or None,
            ))
        for file in reply.files:  # a menu CSV export: same upload path as the pictures
            await self._call(client.files_upload_v2(
                channel=channel or None, thread_ts=target.thread_ts, content=file.data, filename=file.filename,
                title=file.filename,
            ))

    async def is_admin(self, client: AsyncWebClient, team_id: str, user: str) -> bool:
        """users.info says the user is a workspace admin or owner: restaurant workspaces count them as
        staff. Cached per team and user for `admin_cache_seconds`; a failed lookup counts as not admin."""
        if not user:
            return False
        now = self.clock()
        cached = self._admins.get((team_id, user))
        if cached is not None and now - cached[0] < self.options.admin_cache_seconds:
            return cached[1]
        response = await self._call(client.users_info(user=user))
        if response is None:
            return False  # not cached: the next turn asks again
        info = response.get("user") or {}
        admin = bool(info.get("is_admin") or info.get("is_owner"))
        if len(self._admins) > 10_000:
            self._admins.clear()
        self._admins[(team_id, user)] = (now, admin)
        return admin

    def _image(self, client: AsyncWebClient, file: SlackFile, *, cap: int | None = None) -> Image:
        token = client.token or ""

        async def fetch() -> bytes:
            return await self.download(file, token, cap=cap, cut=cap is not None)

        return Image(fetch=fetch, filename=file.name, media_type=file.mimetype)

    def _allowed_file_url(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        api_host = (urlparse(self.options.api_url).hostname or "").lower()
        return host == api_host or any(host == h or host.endswith("." + h) for h in FILE_HOSTS)

    async def download(self, file: SlackFile, token: str, *, cap: int | None = None, cut: bool = False) -> bytes:
        """A shared file's bytes (url_private_download, with the bot token), refusing what is too big.
        With `cut`, a file over the cap is read only to cap + 1 bytes and passed on cut, so the menu
        import can say it is too big instead of the file silently going missing."""
        cap = cap or self.options.max_image_bytes
        lang_detail = f"The file is larger than {max(1, cap // (1024 * 1024))} MB."
        if file.size > cap and not cut:
            raise SenseiError(Code.IMAGE_UNREADABLE, lang_detail)
        if not self._allowed_file_url(file.url):
            log.warning("refused to send the bot token to a non-Slack file URL", extra={"host": urlparse(file.url).hostname})
            raise SenseiError(Code.IMAGE_UNREADABLE)
        session = await self._session()
        try:
            async with session.get(file.url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=True) as response:
                if response.status != 200 or response.content_type == "text/html":  # HTML: Slack's login page
                    log.warning("Slack file download failed", extra={"status": response.status, "content_type": response.content_type})
                    raise SenseiError(Code.IMAGE_UNREADABLE)
                data = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > cap:
                        if cut:
                            return bytes(data[: cap + 1])
                        raise SenseiError(Code.IMAGE_UNREADABLE, lang_detail)
                return bytes(data)
        except aiohttp.ClientError as e:
            log.warning("Slack file download failed: %s", type(e).__name__)
            raise SenseiError(Code.IMAGE_UNREADABLE) from None

    async def _home_job(self, payload: dict[str, Any]) -> None:
        incoming = Incoming.from_payload(payload["incoming"])
        client = await self.client_for(incoming.team_id, incoming.enterprise_id)
        if client is None:
            return
        key = StateKey(events.PLATFORM, incoming.team_id, incoming.conversation, incoming.user)
        sections: list[Reply] = []
        for name in ("profile", "history", "wishlist"):
            reply = await self.sensei.handle(Message(key=key, action=actions.Command(name)))
            if reply is not None:
                sections.append(reply)
        lang = sections[0].lang if sections else "en"
        chart_id = chart_alt = None
        images = [img for r in sections for img in r.images]
        if images:
            uploaded = await self._call(client.files_upload_v2(content=images[0].png, filename="taste-profile.png",
                                                               title=images[0].alt[:250] or "taste profile"))
            chart_id = ((uploaded or {}).get("file") or {}).get("id")
            chart_alt = images[0].alt
        view = render.home_view(sections, lang, chart_file_id=chart_id, chart_alt=chart_alt or "")
        await self._call(client.views_publish(user_id=incoming.user, view=view))
        if incoming.event_id:
            await self.sensei.inbox.finish(events.PLATFORM, incoming.event_id)

    async def _modal_job(self, payload: dict[str, Any]) -> None:
        """The survey in a modal: each answer is a turn; the modal is updated with the next question."""
        incoming = Incoming.from_payload(payload["incoming"])
        client = await self.client_for(incoming.team_id, incoming.enterprise_id)
        if client is None:
            return
        message = incoming.message()
        reply = await self.sensei.handle(message, admitted=True)
        if reply is None:
            return
        lang = reply.lang
        meta = self._metadata(incoming) | {"lang": lang}
        # A modal closed meanwhile cannot be updated later either: the answer is not kept for a retry.
        await self._call(client.views_update(view_id=payload["view_id"], view=render.reply_modal(reply, lang=lang, metadata=meta)))
        await self.sensei.delivered(message)


def _transient(e: Exception) -> bool:
    """Worth sending again later: rate limited past the retries, Slack's 5xx, or no connection."""
    if not isinstance(e, SlackApiError):
        return True
    status = api_status(e)
    error = api_error(e)
    return status == 429 or (status or 0) >= 500 or error in ("ratelimited", "http_429") or str(error).startswith("http_5")


def _loads(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def build(core: Any, options: SlackOptions, *, socket_mode: bool = False) -> SlackBot:
    return SlackBot(sensei=core.sensei, jobs=core.jobs, workspaces=SlackWorkspaces(core.db), catalog=core.catalog,
                    options=options, socket_mode=socket_mode)


SLACK_BOT = web.AppKey("slack_bot", SlackBot)


def mount(app: web.Application, core: Any, options: SlackOptions | None = None) -> SlackBot | None:
    """Add POST /slack/events (and the OAuth install pages) when Slack is configured; None otherwise."""
    options = options or SlackOptions.from_settings(core.settings)
    if options is None:
        return None
    bot = build(core, options)
    app[SLACK_BOT] = bot
    app.router.add_post("/slack/events", bot.handle_http)
    if options.oauth:
        app.router.add_get(options.install_path, bot.handle_http)
        app.router.add_get(options.redirect_path, bot.handle_http)

    async def close(_app: web.Application) -> None:
        await bot.close()

    async def start(_app: web.Application) -> None:
        if bot.auth is not None:
            bot.auth.start()  # the first auth.test, before the first event

    app.on_startup.append(start)
    app.on_cleanup.append(close)
    return bot


async def run_socket_mode(core: Any, options: SlackOptions, *, stop: asyncio.Event | None = None) -> None:
    """`sake-sensei slack-socket`: the same bot over Socket Mode (apps.connections.open + a websocket)."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    bot = build(core, options, socket_mode=True)
    handler = AsyncSocketModeHandler(bot.app, options.app_token, web_client=bot._new_client(options.bot_token if not options.oauth else None))
    await handler.connect_async()
    log.info("Slack Socket Mode connected")
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await handler.close_async()
        await bot.close()
