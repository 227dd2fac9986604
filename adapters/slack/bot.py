"""The Slack bot: slack-bolt's `AsyncApp`, its listeners (the ack path) and its jobs (the answers).

The ack path is short and the same for every kind of payload: bolt verifies the signature,
`events` turns the payload into an `Incoming`, the turn pipeline records its delivery id
(`TurnPipeline.admit`, so a retry or duplicate gets its 200 and nothing else, across processes
and restarts), and the turn is queued on the core's job queue. bolt runs with
`process_before_response=True`, so the 200 leaves as soon as that is done, without bolt's
10 ms ack polling. Everything slow (downloads, OCR, the model, Web API calls) runs in the job,
through the core's turn pipeline and a `SlackTransport` (adapters.slack.transport): a
placeholder is posted when the answer takes longer than `placeholder_after`, then replaced.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any, Awaitable, Callable, Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import events, render, transport
from adapters.slack.auth import CachedAuthorize
from adapters.slack.events import Incoming, SlackFile, Target
from adapters.slack.ingress import SlackIngress
from adapters.slack.oauth import DbInstallationStore, DbStateStore, StoredAuthorize
from adapters.slack.options import SCOPES, SlackOptions, install_signature_log_filter
from adapters.slack.transport import HomeTransport, ModalTransport, SlackTransport
from adapters.slack.web_api import SlackWebApi, call
from core import actions, controls
from core.i18n import detect_language
from core.jobs import JobQueue, RetryLater
from core.messages import Image, Message, Reply
from core.sensei import Sensei
from core.slack_workspaces import SlackWorkspaces
from core.texts import t
from core.turn_pipeline import TurnPipeline

log = logging.getLogger(__name__)

TURN_JOB = "slack.turn"
HOME_JOB = "slack.home"
MODAL_JOB = "slack.modal"
PLACEHOLDER_GRACE = 0.2  # seconds a backlogged turn gets before its placeholder


class Catalog(Protocol):
    def get(self, brand_id: int) -> Any: ...



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
        self.pipeline = TurnPipeline(sensei)
        self.jobs = jobs
        self.workspaces = workspaces
        self.catalog = catalog
        self.options = options
        self.clock = clock  # wall time: a queued job may run in another process
        self.api = SlackWebApi(options, workspaces, clock)
        self._turns = asyncio.Semaphore(options.max_turns)
        self._acking = 0  # HTTP requests being acknowledged right now
        self._acks_idle = asyncio.Event()
        self._acks_idle.set()
        install_signature_log_filter()
        # The ingress verifies every HTTP request before bolt sees it; Socket Mode needs no signature.
        kwargs: dict[str, Any] = dict(
            client=self.api.new_client(None), signing_secret=options.signing_secret or "socket-mode", process_before_response=True,
            request_verification_enabled=False, logger=logging.getLogger("slack_bolt.App"),
        )
        self.auth: CachedAuthorize | None = None
        if not options.oauth:  # one workspace: authorised from a cached auth.test, never waiting for it
            self.auth = CachedAuthorize(self.api.new_client(options.bot_token))
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

    async def client_for(self, team_id: str, enterprise_id: str | None) -> AsyncWebClient | None:
        return await self.api.client_for(team_id, enterprise_id)

    async def is_admin(self, client: AsyncWebClient, team_id: str, user: str) -> bool:
        return await self.api.is_admin(client, team_id, user)

    async def close(self) -> None:
        if self.auth is not None:
            await self.auth.close()
        await self.api.close()

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
        if not await self.pipeline.admit(incoming.message()):
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
                            target=Target(channel="", user=user), event_id=body.get("event_id"),
                            action=actions.pack(actions.Command("home")))
        await self._enqueue(HOME_JOB, incoming)

    async def _on_uninstalled(self, body: dict[str, Any]) -> None:
        if self.options.oauth:
            team_id, enterprise_id = events.team_of(body)
            await self.workspaces.delete(enterprise_id=enterprise_id, team_id=team_id)
            log.info("Slack app uninstalled: installation removed", extra={"team_id": team_id})

    async def _on_command(self, ack: Callable[..., Awaitable[Any]], body: dict[str, Any], client: AsyncWebClient) -> None:
        plan = events.from_command(body)
        if plan.usage is not None and plan.usage_key is not None:
            # help, or a command missing what it needs: the core's answer (no model, no job), in the ack itself
            reply = await self.pipeline.ask(Message(key=plan.usage_key, action=plan.usage))
            if reply is None:
                await ack()
                return
            await ack(text=render.fallback_text(reply, with_code=True), blocks=render.reply_blocks(reply), response_type="ephemeral")
            return
        assert plan.incoming is not None
        lang = detect_language(body.get("text", ""), "en")
        if plan.modal == "survey":
            modal = render.reply_modal(None, lang=lang, metadata=self._metadata(plan.incoming))
            view_id = await self._open_modal(client, body.get("trigger_id"), modal)
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
            lang = await self.pipeline.language_of(message)  # the user's own language, never a guess from the label
            form = controls.note_form(brand.id, brand.name, lang)
            modal = render.form_modal(form, lang, self._metadata(incoming) | {"lang": lang})
            if view.get("type") == "modal":
                await call(client.views_push(trigger_id=body.get("trigger_id"), view=modal))
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
        response = await call(client.views_open(trigger_id=trigger_id, view=view))
        return ((response or {}).get("view") or {}).get("id")

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
        message = incoming.message()
        client = await self.client_for(incoming.team_id, incoming.enterprise_id)
        if client is None:
            await self.pipeline.close(message, failed=True)
            return
        if payload.get("mention") and incoming.target.thread_ts:
            await self.workspaces.join_thread(incoming.team_id, incoming.target.channel, incoming.target.thread_ts)
        message.images = [self._image(client, f) for f in incoming.files if f.is_image]
        message.files = [self._image(client, f, cap=self.options.max_file_bytes) for f in incoming.files if not f.is_image]
        message.platform_admin = await self.is_admin(client, incoming.team_id, incoming.user)
        # Past `placeholder_after` (counted from when the job was queued) a placeholder shows. In a
        # backlog the turn gets `PLACEHOLDER_GRACE` after it starts first, so a fast answer is not
        # preceded by a placeholder it replaces a moment later (three API calls instead of one).
        after = self.options.placeholder_after
        working_after = max(after - (self.clock() - queued), min(PLACEHOLDER_GRACE, after))
        to = SlackTransport(self.api, client, incoming.target, payload, deliver=self.deliver, unreachable=self._unreachable,
                            back=self.auth.back if self.auth is not None else None)
        await self.pipeline.run(message, to, admitted=True, working_after=working_after,
                                delivery_retry=self.options.delivery_retry)

    def _unreachable(self) -> None:
        if self.auth is not None:
            self.auth.unreachable()

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

    async def deliver(self, client: AsyncWebClient, target: Target, reply: Reply, *, placeholder: str | None = None) -> None:
        """Every answer leaves here: its text and cards (in place of the placeholder), then its files."""
        await transport.deliver(self.api, client, target, reply, placeholder=placeholder)

    def _image(self, client: AsyncWebClient, file: SlackFile, *, cap: int | None = None) -> Image:
        return self.api.image(client, file, cap=cap)

    async def _home_job(self, payload: dict[str, Any]) -> None:
        """The Home tab: the core's home reply (one turn), published through a `HomeTransport`."""
        incoming = Incoming.from_payload(payload["incoming"])
        message = incoming.message()
        message.action = actions.Command("home")  # a job queued by the previous release carried no action
        client = await self.client_for(incoming.team_id, incoming.enterprise_id)
        if client is None:
            await self.pipeline.close(message, failed=True)
            return
        await self.pipeline.run(message, HomeTransport(client, incoming.user, unreachable=self._unreachable), admitted=True,
                                delivery_retry=self.options.delivery_retry)

    async def _modal_job(self, payload: dict[str, Any]) -> None:
        """The survey in a modal: each answer is a turn; the modal is updated with the next question."""
        incoming = Incoming.from_payload(payload["incoming"])
        client = await self.client_for(incoming.team_id, incoming.enterprise_id)
        if client is None:
            return
        await self.pipeline.run(incoming.message(), ModalTransport(client, payload["view_id"], self._metadata(incoming)), admitted=True)


def _loads(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
