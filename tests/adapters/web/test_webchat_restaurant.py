"""A restaurant through the web chat: a browser sets up its own restaurant sandbox, a menu CSV arrives
on POST /api/file, another browser never reaches it (each visitor is their own workspace), and the
export comes back as a CSV in `files` (a data: URL). Bad files are refused with a code and reach nothing."""

from __future__ import annotations

import base64
from typing import Any

from aiohttp import FormData
from aiohttp.test_utils import TestClient

from adapters.web.session import COOKIE


async def say(client: TestClient, text: str, cookie: str | None = None) -> dict[str, Any]:
    headers = None
    if cookie:  # this browser, not the one the client's jar remembers
        client.session.cookie_jar.clear()
        headers = {"Cookie": f"{COOKIE}={cookie}"}
    r = await client.post("/api/chat", json={"text": text}, headers=headers)
    assert r.status == 200
    return await r.json()


def csv_form(data: bytes, *, text: str = "メニューを取り込んで", content_type: str = "text/csv", field: str = "file") -> FormData:
    form = FormData()
    form.add_field(field, data, filename="menu.csv", content_type=content_type)
    form.add_field("text", text)
    return form


async def test_a_restaurant_through_the_web_chat(client: TestClient) -> None:
    r = await client.post("/api/chat", json={"text": "居酒屋たぬきをレストランとして登録"})
    owner = r.cookies[COOKIE].value
    assert "居酒屋たぬき" in (await r.json())["text"]
    assert "メニューに追加しました" in (await say(client, "獺祭をメニューに追加 グラス900円"))["text"]
    r = await client.post("/api/file", data=csv_form("name,glass\n十四代,1500\n".encode()))
    assert r.status == 200 and "1品を取り込みました" in (await r.json())["text"]

    client.session.cookie_jar.clear()  # another browser: a stranger, in a workspace of its own
    r = await client.post("/api/chat", json={"text": "獺祭を在庫切れに"})
    stranger = r.cookies[COOKIE].value
    assert stranger != owner
    assert "メニュー(2品)" not in (await say(client, "メニューを見せて", stranger))["text"]
    assert "メニュー(2品)" in (await say(client, "メニューを見せて", owner))["text"]  # the owner's menu is untouched

    body = await say(client, "メニューをCSVで書き出して", owner)
    assert body.get("files"), body
    [f] = body["files"]
    assert f["filename"] == "sake-menu.csv" and f["url"].startswith("data:text/csv;base64,")
    exported = base64.b64decode(f["url"].split(",", 1)[1]).decode("utf-8-sig")
    assert "獺祭" in exported and "十四代" in exported and "新政" not in exported


async def test_bad_files_are_refused_with_a_code(client: TestClient) -> None:
    r = await client.post("/api/file", json={"text": "x"})
    assert r.status == 415 and (await r.json())["error"]["code"] == "SS-011"
    r = await client.post("/api/file", data=csv_form(b"x" * 1_000_001))
    assert r.status == 413 and (await r.json())["error"]["code"] == "SS-011"
    r = await client.post("/api/file", data=csv_form(b"\x89PNG\r\n\x1a\n", content_type="image/png"))
    assert r.status == 415 and (await r.json())["error"]["code"] == "SS-011"
    r = await client.post("/api/file", data=csv_form(b"name\n", field="photo"))
    assert r.status == 400 and (await r.json())["error"]["code"] == "SS-011"
