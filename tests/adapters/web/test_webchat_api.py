"""The web chat's JSON API over the real core: replies, the browser cookie, media URLs, bad input."""

from __future__ import annotations

import io
import json

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient
from PIL import Image as PILImage
from sqlalchemy import func, select

from adapters.web.session import COOKIE
from bot.wiring import Core
from core.actions import Rate, SurveyStart, unpack
from core.charts import flavor_chart_png
from core.db.identity_tables import User
from core.db.media_tables import MediaItem
from core.errors import Code, SenseiError
from core.messages import Button, Reply, ReplyImage
from core.sensei import Turn
from tests.fakes.scripted_brain import ScriptedBrain


def png_bytes(size: tuple[int, int] = (40, 30), fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", size, (200, 180, 150)).save(buf, fmt)
    return buf.getvalue()


async def users(core: Core) -> int:
    async with core.db.session() as s:
        return int(await s.scalar(select(func.count()).select_from(User).where(User.platform == "web")) or 0)


# ---- the page ---------------------------------------------------------------------------------


async def test_page_sets_a_private_browser_cookie_and_serves_its_files(client: TestClient) -> None:
    r = await client.get("/")
    assert r.status == 200 and r.content_type == "text/html"
    html = await r.text()
    assert 'src="static/app.js"' in html and "さけのわデータを利用しています" in html and 'href="https://sakenowa.com"' in html
    cookie = r.cookies[COOKIE]
    assert len(cookie.value) == 32 and cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css"), ("icon.svg", "image/svg+xml")):
        r = await client.get(f"/static/{name}")
        assert r.status == 200 and r.content_type == kind, name
    assert (await client.get("/static/index.html")).status == 404
    assert (await client.get("/static/..%2fsession.py")).status == 404
    # the same browser keeps its cookie: no new one is set
    r = await client.get("/")
    assert COOKIE not in r.cookies


async def test_chat_reply_has_the_card_with_its_flavor_chart_picture(client: TestClient) -> None:
    r = await client.post("/api/chat", json={"text": "tell me about 獺祭", "lang": "en"})
    assert r.status == 200, await r.text()
    body = await r.json()
    assert set(body) >= {"text", "lang", "cards", "tools", "error", "actions", "images"}
    assert body["error"] is None and body["lang"] == "en"
    card = body["cards"][0]
    assert card["brand_id"] == 887 and card["name"] == "獺祭" and card["flavor"]
    # relative to the page, not PUBLIC_BASE_URL: the browser fetches it from wherever it loaded the page
    assert card["chart_url"] == "media/flavor/887-en.png"
    r = await client.get("/" + card["chart_url"])
    assert r.status == 200 and (await r.read()).startswith(b"\x89PNG")


async def test_a_card_without_a_flavor_chart_gets_no_picture(client: TestClient, core: Core) -> None:
    brand = next(b for b in core.catalog.brands.values() if b.chart is None and core.search.find_in_text(f"tell me about {b.name}"))
    body = await (await client.post("/api/chat", json={"text": f"tell me about {brand.name}"})).json()
    card = next(c for c in body["cards"] if c["brand_id"] == brand.id)
    assert card["flavor"] is None and card["chart_url"] is None


async def test_japanese_reply_links_the_japanese_chart(client: TestClient) -> None:
    body = await (await client.post("/api/chat", json={"text": "獺祭について教えて", "lang": "ja"})).json()
    assert body["lang"] == "ja" and body["cards"][0]["chart_url"] == "media/flavor/887-ja.png"


async def test_one_browser_is_one_user_and_another_browser_another(client: TestClient, core: Core) -> None:
    r = await client.post("/api/chat", json={"text": "hello"})
    uid = r.cookies[COOKIE].value
    await client.post("/api/chat", json={"text": "hello again"})  # the client keeps the cookie
    assert await users(core) == 1
    client.session.cookie_jar.clear()
    r = await client.post("/api/chat", json={"text": "hello"})
    assert r.cookies[COOKIE].value != uid
    assert await users(core) == 2


async def test_a_forged_cookie_of_the_wrong_shape_is_replaced(client: TestClient, core: Core) -> None:
    r = await client.post("/api/chat", json={"text": "hi"}, headers={"Cookie": f"{COOKIE}=1"})
    assert r.status == 200
    assert len(r.cookies[COOKIE].value) == 32
    async with core.db.session() as s:
        assert await s.scalar(select(User).where(User.external_id == "1")) is None


# ---- everything a reply can carry ----------------------------------------------------------------


def rich_reply(turn: Turn) -> Reply:
    return Reply(
        text="Here is your taste profile.",
        lang=turn.lang,
        cards=[],
        images=[ReplyImage(png=png_bytes(), alt="Your taste profile")],
        actions=[Button(SurveyStart(), "Take the survey", "primary"), Button(Rate(887, 4), "★4")],
        tools=["profile"],
    )


async def test_reply_images_become_private_media_urls_and_actions_buttons(client: TestClient, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(rich_reply)
    body = await (await client.post("/api/chat", json={"text": "profile"})).json()
    assert body["actions"] == [
        {"id": "survey:start", "label": "Take the survey", "style": "primary"},
        {"id": "rate:887:4", "label": "★4", "style": None},
    ]
    [image] = body["images"]
    assert image["alt"] == "Your taste profile"
    assert image["url"].startswith("media/") and len(image["url"]) == len("media/") + 32 + len(".png")
    r = await client.get("/" + image["url"])
    assert r.status == 200 and await r.read() == png_bytes()
    key = brain.turns[0].message.key
    assert (key.platform, key.workspace, key.channel) == ("web", key.user, "browser") and len(key.user) == 32  # each browser alone


async def test_buttons_come_back_as_actions_with_their_values(client: TestClient, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="Saved.", lang=turn.lang))
    r = await client.post("/api/action", json={"action": "rate:887:4.5", "lang": "ja"})
    assert r.status == 200 and (await r.json())["text"] == "Saved."
    r = await client.post("/api/action", json={"action": "note:887", "values": {"rating": 4, "notes": "桃の香り", "temperature": "冷酒"}})
    assert r.status == 200
    first, second = brain.turns
    assert first.message.action == unpack("rate:887:4.5") and first.lang == "ja" and first.message.text == ""
    assert (second.message.action == unpack("note:887")
            and second.message.action_values == {"rating": "4", "notes": "桃の香り", "temperature": "冷酒"})


async def test_a_retried_message_takes_effect_once(client: TestClient, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="ok", lang=turn.lang))
    payload = {"text": "log 獺祭 4 stars", "id": "a1b2c3d4e5f6"}
    assert (await (await client.post("/api/chat", json=payload)).json())["duplicate"] is False
    again = await (await client.post("/api/chat", json=payload)).json()
    assert again["duplicate"] is True and again["text"] == ""
    assert len(brain.turns) == 1
    # another browser using the same message id is a different message
    client.session.cookie_jar.clear()
    assert (await (await client.post("/api/chat", json=payload)).json())["duplicate"] is False
    assert len(brain.turns) == 2


async def test_errors_from_the_core_keep_their_code(client: TestClient, core: Core) -> None:
    def unknown(turn: Turn) -> Reply:
        raise SenseiError(Code.UNKNOWN_SAKE, "Closest matches: 獺祭")

    core.sensei.brain = ScriptedBrain(unknown)
    r = await client.post("/api/chat", json={"text": "tell me about zzqqxxyy"})
    body = await r.json()
    assert r.status == 200 and body["error"]["code"] == Code.UNKNOWN_SAKE.value
    assert body["text"] == body["error"]["message"] and "獺祭" in body["text"]


async def test_a_cards_own_chart_is_not_sent_twice_nor_stored(client: TestClient, core: Core) -> None:
    dassai = core.catalog.get(887)
    chart = flavor_chart_png(dassai.chart, lang="ja", title=dassai.name)

    def answer(turn: Turn) -> Reply:
        return Reply(
            text="獺祭です。", lang="ja", cards=[dassai.card()],
            images=[
                ReplyImage(png=chart, alt="獺祭のフレーバーチャート"),  # the card shows it already
                ReplyImage(png=b"", alt="same, by id", media_id="flavor/887-ja"),
                ReplyImage(png=b"", alt="another brand's chart, by id", media_id="flavor/1-ja"),
                ReplyImage(png=png_bytes(), alt="your profile"),
            ],
        )

    core.sensei.brain = ScriptedBrain(answer)
    body = await (await client.post("/api/chat", json={"text": "獺祭"})).json()
    assert body["cards"][0]["chart_url"] == "media/flavor/887-ja.png"
    assert [i["alt"] for i in body["images"]] == ["another brand's chart, by id", "your profile"]
    assert body["images"][0]["url"] == "media/flavor/1-ja.png"
    async with core.db.session() as s:
        assert await s.scalar(select(func.count()).select_from(MediaItem)) == 1


# ---- photos -------------------------------------------------------------------------------------


async def test_a_photo_reaches_the_core_as_an_image(client: TestClient, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="A label.", lang=turn.lang))
    jpeg = png_bytes((64, 48), "JPEG")
    form = FormData()
    form.add_field("lang", "ja")
    form.add_field("text", "これは何?")
    form.add_field("photo", jpeg, filename="label.jpg", content_type="application/octet-stream")
    r = await client.post("/api/photo", data=form)
    assert r.status == 200, await r.text()
    [turn] = brain.turns
    [image] = turn.message.images
    assert image.data == jpeg and image.media_type == "image/jpeg" and image.filename == "label.jpg"
    assert turn.message.text == "これは何?" and turn.lang == "ja"


@pytest.mark.parametrize(
    ("fmt", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp"), ("HEIF", "image/heic")]
)
async def test_phone_photo_formats_are_read_from_their_bytes(client: TestClient, core: Core, fmt: str, media_type: str) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="ok", lang=turn.lang))
    data = png_bytes((64, 48), fmt)
    form = FormData()
    form.add_field("photo", data, filename="IMG_0001", content_type="application/octet-stream")  # what some phones send
    r = await client.post("/api/photo", data=form)
    assert r.status == 200, await r.text()
    assert brain.turns[0].message.images[0].media_type == media_type


async def test_photo_bad_inputs_are_refused_with_ss_005(client: TestClient, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="never", lang=turn.lang))

    async def send(data: bytes, *, field: str = "photo", lang: str = "en") -> tuple[int, dict]:
        form = FormData()
        form.add_field("lang", lang)
        form.add_field(field, data, filename="x.jpg", content_type="image/jpeg")
        r = await client.post("/api/photo", data=form)
        return r.status, await r.json()

    status, body = await send(b"%PDF-1.4 not a picture")
    assert status == 415 and body["error"]["code"] == "SS-005"
    status, body = await send(b"\xff\xd8\xff" + b"\0" * 100, lang="ja")  # a JPEG header and nothing else
    assert status == 415 and body["error"]["code"] == "SS-005" and "画像" in body["error"]["message"]
    status, body = await send(png_bytes() + b"\0" * (10 * 1024 * 1024))
    assert status == 413 and body["error"]["code"] == "SS-005" and "10 MB" in body["error"]["message"]
    status, body = await send(png_bytes(), field="picture")
    assert status == 400 and body["error"]["code"] == "SS-005"
    r = await client.post("/api/photo", json={"photo": "aGVsbG8="})
    assert r.status == 415 and (await r.json())["error"]["code"] == "SS-005"
    r = await client.post("/api/photo", data=b"--x\r\nbroken", headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert r.status in (400, 415) and (await r.json())["error"]["code"] == "SS-005"
    assert brain.turns == []  # nothing refused reached the core


async def test_oversized_upload_is_refused_before_it_is_read(client: TestClient) -> None:
    r = await client.post(
        "/api/photo", data=b"x" * (11 * 1024 * 1024), headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert r.status == 413 and (await r.json())["error"]["code"] == "SS-005"


# ---- bad JSON -----------------------------------------------------------------------------------


async def test_bad_json_requests_get_coded_errors_and_reach_nothing(client: TestClient, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="never", lang=turn.lang))
    cases = [
        ("/api/chat", {"data": b"{not json", "headers": {"Content-Type": "application/json"}}, 400),
        ("/api/chat", {"data": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}, 400),
        ("/api/chat", {"json": ["a list"]}, 400),
        ("/api/chat", {"json": {"text": 5}}, 400),
        ("/api/chat", {"json": {"text": "   "}}, 400),
        ("/api/chat", {"json": {"text": "hi", "lang": "fr"}}, 400),
        ("/api/chat", {"json": {"text": "hi", "id": "x"}}, 400),
        ("/api/chat", {"json": {"text": "あ" * 4001}}, 413),
        ("/api/chat", {"data": json.dumps({"text": "x" * 70000}), "headers": {"Content-Type": "application/json"}}, 413),
        ("/api/chat", {"data": "text=hi", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415),
        ("/api/chat", {"data": '{"text": "hi"}', "headers": {"Content-Type": "text/plain"}}, 415),
        ("/api/action", {"json": {"action": ""}}, 400),
        ("/api/action", {"json": {"action": "rate:887:\n4"}}, 400),
        ("/api/action", {"json": {"action": "x" * 300}}, 400),
        ("/api/action", {"json": {"action": "note:887", "values": {"rating": {"nested": 1}}}}, 400),
        ("/api/action", {"json": {"action": "note:887", "values": {"bad key": "1"}}}, 400),
        ("/api/action", {"json": {"action": "note:887", "values": [1]}}, 400),
    ]
    for path, kwargs, status in cases:
        r = await client.post(path, **kwargs)
        body = await r.json()
        assert r.status == status, (path, kwargs, r.status, body)
        assert body["error"]["code"] == "SS-010" and body["error"]["message"] and body["text"] == body["error"]["message"]
    assert brain.turns == []


async def test_error_sentences_follow_the_language(client: TestClient) -> None:
    r = await client.post("/api/chat", data=b"{", headers={"Content-Type": "application/json", "Accept-Language": "ja-JP,ja;q=0.9"})
    assert "JSON" in (await r.json())["error"]["message"] and "本文" in (await r.json())["error"]["message"]
    r = await client.post("/api/chat", json={"text": "", "lang": "ja"})
    assert (await r.json())["error"]["message"] == "メッセージが空です。"


async def test_posts_from_other_sites_are_refused(client: TestClient, core: Core) -> None:
    core.sensei.brain = brain = ScriptedBrain(lambda turn: Reply(text="ok", lang=turn.lang))
    r = await client.post("/api/chat", json={"text": "hi"}, headers={"Origin": "https://evil.example"})
    assert r.status == 403 and (await r.json())["error"]["code"] == "SS-010"
    r = await client.post("/api/chat", json={"text": "hi"}, headers={"Origin": "null"})
    assert r.status == 403
    host = f"{client.server.host}:{client.server.port}"
    assert (await client.post("/api/chat", json={"text": "hi"}, headers={"Origin": f"http://{host}"})).status == 200
    assert (await client.post("/api/chat", json={"text": "hi"}, headers={"Origin": "http://sake.example"})).status == 200
    assert len(brain.turns) == 2


async def test_get_on_the_api_is_not_allowed(client: TestClient) -> None:
    assert (await client.get("/api/chat")).status == 405


async def test_the_cookie_is_not_secure_behind_an_http_public_url(client: TestClient) -> None:
    # PUBLIC_BASE_URL is http://sake.example; the https case is in test_webchat_modes.py
    assert not (await client.get("/", headers={"Host": "sake.example"})).cookies[COOKIE]["secure"]
