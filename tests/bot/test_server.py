import asyncio

from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.server import make_app
from bot.wiring import build_core


async def test_health_and_ready(db_url: str) -> None:
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        async with TestClient(TestServer(make_app(core))) as client:
            r = await client.get("/healthz")
            assert r.status == 200
            r = await client.get("/readyz")
            assert r.status == 200
            body = await r.json()
            assert body["database"] == "ok" and body["catalog"]["brands"] == 3167
            assert body["platforms"]["slack"] == "disabled"
            r = await client.post("/slack/events", data=b"{}")
            assert r.status in (404, 405)
    finally:
        await core.close()


async def test_media_route(db_url: str) -> None:
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        async with TestClient(TestServer(make_app(core))) as client:
            r = await client.get("/media/flavor/887-en.png")
            assert r.status == 200 and r.content_type == "image/png"
            url = await core.media.put(b"\x89PNGdata", kind="profile")
            r = await client.get("/media/" + url.rsplit("/", 1)[1])
            assert r.status == 200 and await r.read() == b"\x89PNGdata"
            assert (await client.get("/media/nothere.png")).status == 404
            assert (await client.get("/media/%2e%2e/x.png")).status == 404
    finally:
        await core.close()


async def test_metrics(db_url: str) -> None:
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        async with TestClient(TestServer(make_app(core))) as client:
            r = await client.get("/metrics")
            assert r.status == 200
            body = await r.text()
            assert "sake_sensei_queue_depth" in body and "sake_sensei_handling_seconds" in body
    finally:
        await core.close()


async def test_old_stored_media_are_pruned_when_the_server_starts(db_url: str) -> None:
    from datetime import timedelta

    from core.db import utcnow
    from core.media import MediaStore

    core = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        old = MediaStore(core.db, core.catalog, "http://localhost:8080", clock=lambda: utcnow() - timedelta(days=31))
        stale = (await old.put(b"\x89PNG old", kind="profile")).rsplit("/", 1)[1].removesuffix(".png")
        fresh = (await core.media.put(b"\x89PNG new", kind="profile")).rsplit("/", 1)[1].removesuffix(".png")
        async with TestClient(TestServer(make_app(core))) as client:
            for _ in range(50):  # the pruning task runs as the app starts
                if await core.media.get(stale) is None:
                    break
                await asyncio.sleep(0.05)
            assert (await client.get(f"/media/{stale}.png")).status == 404
            assert (await client.get(f"/media/{fresh}.png")).status == 200
    finally:
        await core.close()


async def test_metrics_behind_a_token(db_url: str) -> None:
    """METRICS_TOKEN set: /metrics needs Authorization: Bearer <token> (it was always public)."""
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url, "METRICS_TOKEN": "m3tr1cs-t0ken"}))
    try:
        async with TestClient(TestServer(make_app(core))) as client:
            assert (await client.get("/metrics")).status == 401
            assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status == 401
            assert (await client.get("/metrics", headers={"Authorization": "m3tr1cs-t0ken"})).status == 401
            r = await client.get("/metrics", headers={"Authorization": "Bearer m3tr1cs-t0ken"})
            assert r.status == 200 and "sake_sensei_queue_depth" in await r.text()
            assert (await client.get("/healthz")).status == 200  # health stays open
    finally:
        await core.close()


async def test_personal_images_are_private_and_charts_canonical(db_url: str) -> None:
    """Old code: stored (personal) images were `Cache-Control: public`; /media/flavor/0887-en.png was drawn."""
    core = await build_core(Settings.from_env({"DATABASE_URL": db_url}))
    try:
        async with TestClient(TestServer(make_app(core))) as client:
            url = await core.media.put(b"\x89PNGmine", kind="profile", user_id=None)
            r = await client.get("/media/" + url.rsplit("/", 1)[1])
            assert r.status == 200 and r.headers["Cache-Control"].startswith("private")
            r = await client.get("/media/flavor/887-en.png")
            assert r.status == 200 and r.headers["Cache-Control"].startswith("public")
            assert (await client.get("/media/flavor/0887-en.png")).status == 404
            assert (await client.get("/media/flavor/0000887-ja.png")).status == 404
    finally:
        await core.close()
