"""`POST /discord/interactions`: the same /sake commands, buttons and modals over HTTP interactions.

discord.py has no HTTP interactions server, so this is a small aiohttp handler:

1. Verify the Ed25519 signature (`X-Signature-Ed25519` over `X-Signature-Timestamp` + body) with
   the application's public key (PyNaCl). A missing or forged signature gets 401 and an SS-007
   log line without the body.
2. PING → `{"type": 1}`. Autocomplete → choices from the catalog. "Log it" → the tasting-note
   modal. Anything that needs the core → `{"type": 5}` (deferred, ephemeral for personal data
   in servers) at once, and a job that runs the turn and sends the answer as a follow-up
   through discord.py's `Webhook` (which goes through `Route.BASE` and its rate limiter).
3. Components that are not ours are acknowledged (type 6) and ignored; Discord webhook events
   (`{"version", "type", "event"}`) posted here are acknowledged with 204.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Protocol

import aiohttp
import discord
from aiohttp import web
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from adapters.discord.components import TastingNoteModal
from adapters.discord.endpoints import point_at
from adapters.discord.events import AUTOCOMPLETE, PING, Origin, interpret, origin_of
from adapters.discord.render import Rendered
from adapters.discord.turns import DiscordTurns, apology
from core.catalog import CatalogSearch
from core.errors import Code, SenseiError
from core.jobs import JobQueue
from core.sensei import DELIVERY_RETRY
from core.transport import Undelivered

log = logging.getLogger(__name__)

ROUTE = "/discord/interactions"
JOB = "discord.interaction"
MAX_SKEW = 5 * 60  # seconds; older timestamps are replays
TOKEN_LIFE = 15 * 60  # seconds an interaction token can send its follow-up
ACK_BUDGET = 2.0  # seconds to spend queueing before acknowledging regardless (Discord allows 3)

# Interaction callback types
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 1, 4, 5, 6, 8, 9
EPHEMERAL = 1 << 6


class Verifier:
    """Ed25519 signatures of Discord's requests; the timestamp must be recent so that a captured request cannot be replayed."""

    def __init__(self, public_key_hex: str, *, clock: Any = time.time, max_skew: float = MAX_SKEW) -> None:
        self.key = VerifyKey(bytes.fromhex(public_key_hex))
        self.clock = clock
        self.max_skew = max_skew

    def verify(self, signature: str | None, timestamp: str | None, body: bytes) -> bool:
        if not signature or not timestamp:
            return False
        try:
            if abs(self.clock() - int(timestamp)) > self.max_skew:
                return False
            self.key.verify(timestamp.encode() + body, bytes.fromhex(signature))
            return True
        except (BadSignatureError, ValueError):
            return False


class DiscordDeps(Protocol):
    """What the route needs from the core (bot.wiring.Core has it)."""

    sensei: Any
    search: CatalogSearch
    jobs: JobQueue


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=json.dumps(data, ensure_ascii=False).encode(), status=status, content_type="application/json")


def _refused(detail: str) -> web.Response:
    """A signed body that is not an interaction: 400 with its code, like every refusal."""
    return _json({"error": SenseiError(Code.NOT_ALLOWED, detail).as_dict()}, 400)


class InteractionsEndpoint:
    def __init__(
        self,
        *,
        verifier: Verifier,
        turns: DiscordTurns,
        search: CatalogSearch,
        jobs: JobQueue,
        application_id: str | None = None,
        ack_budget: float = ACK_BUDGET,
        delivery_retry: float = DELIVERY_RETRY,
    ) -> None:
        self.ack_budget = ack_budget
        self.delivery_retry = delivery_retry  # seconds before an answer Discord refused is sent again
        self._late: set[asyncio.Future[None]] = set()
        self.verifier = verifier
        self.turns = turns
        self.search = search
        self.jobs = jobs
        self.application_id = application_id
        self.session: aiohttp.ClientSession | None = None
        self._state: discord.Client | None = None
        jobs.register(JOB, self.follow_up)

    async def start(self) -> None:
        self.session = aiohttp.ClientSession()
        # A client that never logs in: it only gives the follow-up webhooks a state to hold our
        # (custom_id based) components; clicks come back over HTTP, not through it.
        self._state = discord.Client(intents=discord.Intents(guilds=True))

    async def close(self) -> None:
        if self._late:  # answers being worked out without the durable queue
            await asyncio.wait(set(self._late), timeout=10)
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if not self.verifier.verify(request.headers.get("X-Signature-Ed25519"), request.headers.get("X-Signature-Timestamp"), body):
            log.warning("%s discord interaction with a missing or invalid signature rejected", Code.BAD_SIGNATURE.value,
                        extra={"code": Code.BAD_SIGNATURE.value, "remote": request.remote})
            return _json({"error": {"code": Code.BAD_SIGNATURE.value, "message": "invalid request signature"}}, 401)
        try:
            payload = json.loads(body)
        except ValueError:
            return _refused("The body is not JSON.")
        if not isinstance(payload, dict):
            return _refused("The body is not a JSON object.")
        if not isinstance(payload.get("type"), int) or not isinstance(payload.get("data", {}), dict):
            return _refused("Not an interaction: `type` must be a number and `data` an object.")
        if "event" in payload and "token" not in payload:  # a Discord webhook event, not an interaction
            log.info("discord webhook event %s acknowledged", (payload.get("event") or {}).get("type"))
            return web.Response(status=204)
        try:
            origin = origin_of(payload)  # who and where, read once: a payload of the wrong shape is a 400
        except (TypeError, AttributeError, ValueError, KeyError):
            return _refused("An interaction of the wrong shape: member, user and channel must be objects.")
        return _json(await self.respond(payload, origin))

    async def respond(self, payload: dict[str, Any], origin: Origin | None = None) -> dict[str, Any]:
        """The immediate answer to an interaction (and the job that finishes it, when one is needed)."""
        itype = payload.get("type")
        if itype == PING:
            return {"type": PONG}
        origin = origin or origin_of(payload)
        outcome = interpret(int(itype or 0), payload.get("data") or {}, origin, self.search)
        if itype == AUTOCOMPLETE:
            return {"type": AUTOCOMPLETE_RESULT, "data": {"choices": [{"name": n, "value": v} for n, v in outcome.choices]}}
        if outcome.note_for is not None:
            brand = self.search.catalog.get(outcome.note_for)
            modal = TastingNoteModal(outcome.note_for, origin.lang, brand.name if brand else None)
            return {"type": MODAL, "data": modal.to_dict()}
        if outcome.message is None:
            return {"type": DEFERRED_UPDATE_MESSAGE}
        deferred = {"type": DEFERRED_CHANNEL_MESSAGE, "data": {"flags": EPHEMERAL} if outcome.ephemeral else {}}
        event_id = outcome.message.event_id
        if event_id and await self.turns.pipeline.seen(outcome.message):
            # A re-posted interaction (Discord never sends one twice): its token is the first one's, so
            # anything done with it would touch that answer. Nothing is queued.
            log.info("discord interaction %s seen before: nothing to do", payload.get("id"))
            return deferred
        await self._queue({"interaction": payload, "ephemeral": outcome.ephemeral}, str(outcome.message.key))
        return deferred

    async def _queue(self, job: dict[str, Any], key: str) -> None:
        """Queue the follow-up job, spending at most the ack budget on it.

        Queueing writes the job to the database first, so that a crash cannot lose it. When that
        write is slow (a busy database) the interaction is acknowledged anyway once the budget is
        spent, and the job runs as soon as it is stored: Discord's 3 seconds come first. When the
        write fails, the answer is still worked out and sent, only without the crash protection.
        """
        interaction_id = job["interaction"].get("id")
        submit = asyncio.ensure_future(self.jobs.submit(JOB, job, key=key))
        try:
            await asyncio.wait_for(asyncio.shield(submit), self.ack_budget)
            return
        except asyncio.TimeoutError:
            log.warning("discord interaction %s acknowledged before its job was stored (the database is slow)", interaction_id)
        except Exception:
            log.exception("discord interaction %s could not be queued; answering it without the durable queue", interaction_id)
            self._run_now(job)
            return
        self._late.add(submit)

        def stored(task: "asyncio.Future[None]") -> None:
            self._late.discard(task)
            if not task.cancelled() and task.exception() is not None:
                log.error("discord interaction %s could not be queued; answering it without the durable queue", interaction_id,
                          exc_info=task.exception())
                self._run_now(job)

        submit.add_done_callback(stored)

    def _run_now(self, job: dict[str, Any]) -> None:
        task = asyncio.ensure_future(self._follow_up_or_apologise(job))
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def _follow_up_or_apologise(self, job: dict[str, Any]) -> None:
        payload = job["interaction"]
        try:
            await self.follow_up(job)
        except Exception:
            log.exception("discord interaction %s failed", payload.get("id"))
            try:
                await self._webhook(payload).send(apology(origin_of(payload).lang).content, ephemeral=True, wait=True)
            except Exception:
                log.exception("discord: the apology failed too", extra={"interaction": payload.get("id")})

    async def follow_up(self, job: dict[str, Any]) -> None:
        """The job: run the turn, then send the answer with the interaction's token (valid 15 minutes).

        Run again (its process died, or Discord refused the answer), the core hands back the answer
        it kept instead of running the turn twice; Discord unreachable or rate limiting past
        discord.py's retries makes the job try again later."""
        payload: dict[str, Any] = job["interaction"]
        outcome = interpret(int(payload["type"]), payload.get("data") or {}, origin_of(payload), self.search)
        if outcome.message is None:
            return
        webhook = self._webhook(payload)

        async def send(rendered: Rendered, private: bool) -> None:
            try:
                await webhook.send(ephemeral=job.get("ephemeral", False) or private, wait=True, **rendered.send_kwargs())
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                # Discord unreachable: an outage, waited out in the queue while the token can still answer.
                born = discord.utils.snowflake_time(int(payload.get("id") or 0)).timestamp()
                raise Undelivered(type(e).__name__, transient=True, outage=self.verifier.clock() < born + TOKEN_LIFE) from None

        # A duplicate shares the first one's token: "@original" is the answer already sent, so nothing
        # is sent, edited or deleted. A job handed over from a process that died mid-turn (recorded,
        # never finished, its claim not yet stale) finishes the work without repeating what was saved.
        if await self.turns.run(outcome.message, send, retry=True, adopt_unfinished=True, delivery_retry=self.delivery_retry) is None:
            log.info("discord interaction %s already answered", payload.get("id"))

    def _webhook(self, payload: dict[str, Any]) -> discord.Webhook:
        """The interaction's follow-up webhook, built as discord.py builds `Interaction.followup`: an
        application webhook (type 3), which may send ephemeral messages and components."""
        if self.session is None or self._state is None:
            raise RuntimeError("the Discord interactions endpoint is not started")
        app_id = str(payload.get("application_id") or self.application_id or "0")
        data: Any = {"id": app_id, "type": 3, "token": str(payload["token"])}
        return discord.Webhook(data, self.session, state=self._state._connection)


ENDPOINT = web.AppKey("discord_interactions", InteractionsEndpoint)


def build(core: DiscordDeps, *, public_key: str, application_id: str | None, api_url: str) -> InteractionsEndpoint:
    """The endpoint and its follow-up job handler, without the route (a `sake-sensei worker` has no routes)."""
    point_at(api_url)
    return InteractionsEndpoint(
        verifier=Verifier(public_key),
        turns=DiscordTurns(core.sensei),
        search=core.search,
        jobs=core.jobs,
        application_id=application_id,
    )


def mount(app: web.Application, core: DiscordDeps, *, public_key: str, application_id: str | None, api_url: str) -> InteractionsEndpoint:
    """Add POST /discord/interactions to the server; follow-ups go through the core's job queue."""
    endpoint = build(core, public_key=public_key, application_id=application_id, api_url=api_url)
    app[ENDPOINT] = endpoint
    app.router.add_post(ROUTE, endpoint.handle)

    async def start(_app: web.Application) -> None:
        await endpoint.start()

    async def stop(_app: web.Application) -> None:
        await endpoint.close()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return endpoint
