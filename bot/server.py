"""The one aiohttp server: health now; the platforms' webhooks, metrics, media and web chat mount here."""

from __future__ import annotations

import logging
import signal
import asyncio
import gc

from aiohttp import web

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


def make_app(core: Core) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[CORE] = core
    app[PLATFORMS] = {"slack": "disabled", "line": "disabled", "discord": "disabled"}
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    _mount_slack(app, core)
    for name, status in app[PLATFORMS].items():
        log.info("platform %s: %s", name, status)
    return app


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


async def serve(settings: Settings) -> None:
    core = await build_core(settings)
    app = make_app(core)
    tune_gc()
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "0.0.0.0", settings.port)
    await site.start()
    print(f"Sake Sensei is listening on http://localhost:{settings.port}/ (Ctrl-C to stop)", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutting down: no new events, finishing those in flight")
    await runner.shutdown()
    await core.close()
    await runner.cleanup()
