"""The LINE rich menu: six big buttons under the chat, and the picture drawn for them.

LINE shows a rich menu as one image with tappable rectangles; the image is ours to make.
It is drawn with Pillow (no design file to keep in sync with the areas), 2500x843, three
columns by two rows. Buttons that mean "say this" send a message the agent understands (the
user sees what they asked); the taste survey is a postback with its core action id.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import RichMenuRequest
from PIL import Image, ImageDraw, ImageFont

from core.charts import japanese_font_path

WIDTH, HEIGHT = 2500, 843
COLUMNS, ROWS = 3, 2
BACKGROUND = (252, 250, 245)
ACCENT = (196, 61, 57)
INK = (60, 55, 50)
LINES = (215, 210, 200)
MAX_IMAGE_BYTES = 1024 * 1024  # LINE's limit for a rich menu image


@dataclass(frozen=True)
class Button:
    ja: str
    en: str
    action: dict[str, Any]


BUTTONS: tuple[Button, ...] = (
    Button("おすすめ", "Recommend", {"type": "message", "label": "おすすめ", "text": "おすすめを教えて"}),
    Button("記録", "Log a sake", {"type": "message", "label": "記録", "text": "飲んだお酒を記録したい"}),
    Button("履歴", "History", {"type": "message", "label": "履歴", "text": "飲んだお酒の履歴"}),
    Button("好み診断", "Taste survey", {"type": "postback", "label": "好み診断", "data": "survey:start", "displayText": "好み診断"}),
    Button("プロフィール", "My profile", {"type": "message", "label": "プロフィール", "text": "私の好みのプロフィール"}),
    Button("ヘルプ", "Help", {"type": "message", "label": "ヘルプ", "text": "ヘルプ"}),
)


def _cell(i: int) -> tuple[int, int, int, int]:
    """x, y, width, height of button i; the last column and row take the rounding remainder."""
    col, row = i % COLUMNS, i // COLUMNS
    w, h = WIDTH // COLUMNS, HEIGHT // ROWS
    x, y = col * w, row * h
    return x, y, (WIDTH - x if col == COLUMNS - 1 else w), (HEIGHT - y if row == ROWS - 1 else h)


def richmenu_request(name: str = "Sake Sensei") -> dict[str, Any]:
    """The rich menu object of the Messaging API (areas line up with the image's cells)."""
    areas = []
    for i, button in enumerate(BUTTONS):
        x, y, w, h = _cell(i)
        areas.append({"bounds": {"x": x, "y": y, "width": w, "height": h}, "action": button.action})
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": name[:300],
        "chatBarText": "メニュー",
        "areas": areas,
    }


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = japanese_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def richmenu_image() -> bytes:
    """The menu picture as PNG: a Japanese label (English without a Japanese font) and an English subtitle."""
    japanese = japanese_font_path() is not None
    img = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(img)
    big, small = _font(120), _font(56)
    for i, button in enumerate(BUTTONS):
        x, y, w, h = _cell(i)
        draw.rectangle((x + 12, y + 12, x + w - 12, y + h - 12), outline=LINES, width=6)
        draw.rectangle((x + 12, y + 12, x + w - 12, y + 40), fill=ACCENT)
        cx, cy = x + w // 2, y + h // 2 + 10
        if japanese:
            draw.text((cx, cy - 40), button.ja, font=big, fill=INK, anchor="mm")
            draw.text((cx, cy + 90), button.en, font=small, fill=ACCENT, anchor="mm")
        else:
            draw.text((cx, cy), button.en, font=big, fill=INK, anchor="mm")
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_IMAGE_BYTES:  # a flat drawing is ~50 KB; this would be a drawing bug
        raise ValueError(f"rich menu image is {len(data)} bytes, over LINE's 1 MB limit")
    return data


async def install_rich_menu(clients: Any, image: bytes, *, make_default: bool = True) -> str:
    """Create the menu, upload its picture (data API), and make it every user's default. Returns its id."""
    created = await clients.messaging.create_rich_menu(RichMenuRequest.from_dict(richmenu_request()))
    menu_id: str = created.rich_menu_id
    # The SDK ignores `_content_type` here and would JSON-encode the bytes: the header must be explicit.
    await clients.blob.set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/png"})
    if make_default:
        await clients.messaging.set_default_rich_menu(menu_id)
    return menu_id
