"""The one aiohttp server: health, media and the web chat; the platforms' webhooks and metrics mount here."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hmac
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from adapters import web as webchat
from bot.config import Settings
from bot.wiring import Core, build_core

log = logging.getLogger(__name__)

CORE = web.AppKey("core", Core)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    core = request.app[CORE]
    db_ok = await core.db.ping()
    body = {
        "database": "ok" if db_ok else "unreachable",
        "catalog": {"brands": len(core.catalog), "version": core.catalog.version},
        "platforms": request.app.get(PLATFORMS, {}),
        "queue_depth": core.jobs.depth,
    }
    ready = db_ok and len(core.catalog) > 0
    body["status"] = "ready" if ready else "not ready"
    return web.json_response(body, status=200 if ready else 503)


PLATFORMS = web.AppKey("platforms", dict)


async def metrics_view(request: web.Request) -> web.Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from core import metrics

    token = request.app[CORE].settings.metrics_token
    if token is not None and not bearer_matches(request, token):
        raise web.HTTPUnauthorized(headers={"WWW-Authenticate": 'Bearer realm="metrics"'})

    metrics.QUEUE_DEPTH.set(request.app[CORE].jobs.depth)
    return web.Response(body=generate_latest(metrics.REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})


def bearer_matches(request: web.Request, token: str) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


async def media(request: web.Request) -> web.Response:
    from core.media import ChartsBusy

    path = request.match_info["path"]
    try:
        found = await request.app[CORE].media.get(path)
    except ChartsBusy:
        raise web.HTTPServiceUnavailable(headers={"Retry-After": "2"}) from None
    if found is None:
        raise web.HTTPNotFound()
    data, media_type = found
    # Stored media never change under the same id; flavor charts change only with the catalog. Stored
    # media are personal (a user's taste profile): no shared cache may keep them.
    public = path.startswith("flavor/")
    return web.Response(body=data, content_type=media_type,
                        headers={"Cache-Control": f"{'public' if public else 'private'}, max-age=86400"})


MEDIA_PRUNE_EVERY = 6 * 3600.0  # seconds; stored images older than MediaStore.keep (30 days) are deleted


async def media_retention(app: web.Application) -> AsyncIterator[None]:
    """Delete stored images past their keep (taste profiles sent weeks ago), at start and every few hours."""

    async def loop() -> None:
        while True:
            try:
                if removed := await app[CORE].media.prune():
                    log.info("media: %d old images deleted", removed)
            except Exception:  # the database may be briefly away; try again next round
                log.warning("media: pruning failed", exc_info=True)
            await asyncio.sleep(MEDIA_PRUNE_EVERY)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


_PLATFORM_PREFIXES = (("/slack/", "slack"), ("/line/", "line"), ("/discord/", "discord"), ("/api/", "web"))


@web.middleware
async def observe(request: web.Request, handler):  # type: ignore[no-untyped-def]
    """A request id for every request (and the work it queues), and requests counted by platform and status."""
    from core import metrics
    from core.request_context import new_request_id

    new_request_id(request.headers.get("X-Request-Id"))
    platform = next((name for prefix, name in _PLATFORM_PREFIXES if request.path.startswith(prefix)), None)
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as e:
        status = e.status
        raise
    finally:
        if platform:
            metrics.REQUESTS.labels(platform, str(status)).inc()


def make_app(core: Core) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024, middlewares=[observe])
    app[CORE] = core
    app[PLATFORMS] = {"slack": "disabled", "line": "disabled", "discord": "disabled"}
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_view)
    app.router.add_get(r"/media/{path:[A-Za-z0-9_/-]{1,64}}.png", media)
    if core.settings.webchat:  # WEBCHAT=off: the webhooks, health and media only
        webchat.mount(app, core)
    app.cleanup_ctx.append(media_retention)
    settings = core.settings
    if settings.discord_public_key:
        from adapters.discord.interactions import mount as mount_discord

        mount_discord(app, core, public_key=settings.discord_public_key, application_id=settings.discord_application_id,
                      api_url=settings.discord_api_url)
        app[PLATFORMS]["discord"] = "enabled"
    if line_configured(settings):
        from adapters.line.webhook import mount as mount_line

        mount_line(app, core)
        app[PLATFORMS]["line"] = "enabled"
    _mount_slack(app, core)
    from bot.posters import mount as mount_sweep

    mount_sweep(app, core)  # after the platforms: it posts with their bots
    for name, status in app[PLATFORMS].items():
        log.info("platform %s: %s", name, status)
    return app


def line_configured(settings: Settings) -> bool:
    return bool(settings.line_channel_secret and settings.line_channel_access_token)


async def open_job_handlers(core: Core) -> list[Callable[[], Awaitable[None]]]:
    """The configured platforms' adapters with their job handlers registered on `core.jobs`, and no
    HTTP routes: what `sake-sensei worker` runs. Returns what to close on the way out.

    Slack is built when either of its processes is configured (`serve`'s Events API or
    `slack-socket`): both queue the same jobs."""
    settings = core.settings
    closers: list[Callable[[], Awaitable[None]]] = []
    if settings.discord_public_key:
        from adapters.discord.interactions import build as build_discord

        endpoint = build_discord(core, public_key=settings.discord_public_key, application_id=settings.discord_application_id,
                                 api_url=settings.discord_api_url)
        await endpoint.start()
        closers.append(endpoint.close)
    if line_configured(settings):
        from adapters.line.webhook import build as build_line
        from adapters.line.webhook import open_clients

        line = build_line(core)
        open_clients(line, settings)
        assert line.clients is not None
        closers.append(line.clients.close)
    from adapters.slack.app import SlackOptions
    from adapters.slack.app import build as build_slack

    options = SlackOptions.from_settings(settings) or SlackOptions.from_settings(settings, socket_mode=True)
    if options is not None:
        slack = build_slack(core, options)
        closers.append(slack.close)
    return closers


def _mount_slack(app: web.Application, core: Core) -> None:
    from adapters.slack.app import mount

    if mount(app, core) is not None:
        app[PLATFORMS]["slack"] = "enabled"


def tune_gc() -> None:
    """Garbage collection for a webhook server, after start-up.

    The catalog and the SDKs are hundreds of thousands of long-lived objects: frozen, no
    collection walks them again. And a burst leaves thousands of queued turns alive for a while;
    with the default thresholds full collections ran over them again and again, 0.3-0.9 s pauses
    that were the whole ack-latency tail (p99 272 ms → 63 ms in benchmarks/slack_ingress.py's
    set-up with 50,000 / 20 / 100). Cycles are still collected, a little later.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


async def stop_signal() -> None:
    """Until SIGINT or SIGTERM: how a process manager asks a long-running command to stop."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def serve(settings: Settings) -> None:
    core = await build_core(settings)
    app = make_app(core)
    tune_gc()
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await core.jobs.start()
    site = web.TCPSite(runner, "0.0.0.0", settings.port)
    await site.start()
    print(f"Sake Sensei is listening on http://localhost:{settings.port}/ (Ctrl-C to stop)", flush=True)
    await stop_signal()
    log.info("shutting down: no new events, finishing those in flight")
    await runner.shutdown()
    await core.close()
    await runner.cleanup()
