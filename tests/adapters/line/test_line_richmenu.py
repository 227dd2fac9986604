"""`sake-sensei line richmenu`: the generated picture, its areas, and the real CLI against the fake LINE."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from pathlib import Path

from linebot.v3.messaging import RichMenuRequest
from PIL import Image

from adapters.line.richmenu import BUTTONS, HEIGHT, WIDTH, richmenu_image, richmenu_request
from core.actions import Command, SurveyStart, unpack
from tests.fakes.line import FakeLine

ROOT = Path(__file__).resolve().parents[3]


def test_image_is_a_png_line_accepts() -> None:
    data = richmenu_image()
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG" and img.size == (2500, 843)
    assert len(data) < 1024 * 1024
    # Not a blank picture: every cell has ink in it.
    gray = img.convert("L")
    for area in richmenu_request()["areas"]:
        b = area["bounds"]
        cell = gray.crop((b["x"] + 60, b["y"] + 60, b["x"] + b["width"] - 60, b["y"] + b["height"] - 60))
        assert cell.getextrema()[0] < 150


def test_areas_tile_the_menu_and_carry_the_eight_actions() -> None:
    menu = richmenu_request()
    RichMenuRequest.from_dict(menu)  # the SDK's model accepts it
    areas = menu["areas"]
    assert len(areas) == 8 == len(BUTTONS)
    assert sum(a["bounds"]["width"] * a["bounds"]["height"] for a in areas) == WIDTH * HEIGHT
    for a in areas:
        b = a["bounds"]
        assert 0 <= b["x"] and b["x"] + b["width"] <= WIDTH and 0 <= b["y"] and b["y"] + b["height"] <= HEIGHT
    labels = [a["action"]["label"] for a in areas]
    assert labels == ["おすすめ", "記録する", "履歴", "好みアンケート", "好みの傾向", "飲み比べ", "記録のまとめ", "ヘルプ"]
    # taps that are commands reach the core as typed actions, never as words
    datas = [a["action"].get("data") for a in areas]
    assert [unpack(d) for d in datas[2:]] == [Command("history"), SurveyStart(), Command("profile"), Command("flight"),
                                           Command("stats"), Command("help")]
    assert [a["action"]["type"] for a in areas[:2]] == ["message", "message"]


async def _cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", **env}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=full, cwd=ROOT,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_cli_creates_uploads_and_sets_the_default(tmp_path: Path, db_url: str) -> None:
    fake = await FakeLine().start()
    try:
        env = {"DATABASE_URL": db_url, "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": fake.access_token,
               "LINE_API_URL": fake.api_url, "LINE_DATA_API_URL": fake.data_url}
        saved = tmp_path / "menu.png"
        code, out, err = await _cli("line", "richmenu", "--save-image", str(saved), env=env)
        assert code == 0, err
        [menu_id] = fake.rich_menus
        assert menu_id in out and fake.default_rich_menu == menu_id
        content_type, image = fake.rich_menu_images[menu_id]
        assert content_type == "image/png" and image == saved.read_bytes()
        # The upload went to the data API host, the menu to the messaging API host.
        assert any(c.path == f"/v2/bot/richmenu/{menu_id}/content" for c in fake.calls)
    finally:
        await fake.close()


async def test_cli_without_a_token_or_with_a_refusal_fails_with_one_line(db_url: str) -> None:
    code, _, err = await _cli("line", "richmenu", env={"DATABASE_URL": db_url, "LINE_CHANNEL_ACCESS_TOKEN": ""})
    assert code == 1 and err.strip() == "sake-sensei: LINE_CHANNEL_ACCESS_TOKEN is not set"
    fake = await FakeLine().start()
    try:
        env = {"DATABASE_URL": db_url, "LINE_CHANNEL_ACCESS_TOKEN": "wrong-token", "LINE_API_URL": fake.api_url,
               "LINE_DATA_API_URL": fake.data_url}
        code, _, err = await _cli("line", "richmenu", env=env)
        assert code == 1 and err.strip() == "sake-sensei: LINE refused the rich menu (HTTP 401)"
        assert "wrong-token" not in err
    finally:
        await fake.close()
