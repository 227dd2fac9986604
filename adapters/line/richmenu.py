"""The LINE rich menu: eight big buttons under the chat, and the picture drawn for them.

LINE shows a rich menu as one image with tappable rectangles; the image is ours to make.
It is drawn with Pillow (no design file to keep in sync with the areas), 2500x843, four
columns by two rows. History, the taste survey, the profile, a flight (飲み比べ), stats and help are postbacks carrying typed
core actions (core.actions: `cmd:history`, `survey:start`, ...), never words for the understanding
to read again; "Recommend" and "Log a sake" have no command and say a request in the user's place
(a message action: the user sees what they asked). The menu is one picture for every user, so it
is labelled in Japanese with the English below; the words come from core/texts.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import RichMenuRequest
from PIL import Image, ImageDraw, ImageFont

from core import actions
from core.actions import UserAction
from core.charts import japanese_font_path
from core.texts import t

WIDTH, HEIGHT = 2500, 843
COLUMNS, ROWS = 4, 2
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


def _postback(key: str, action: UserAction) -> Button:
    ja = t(key, "ja")
    return Button(ja, t(key, "en"), {"type": "postback", "label": ja, "data": actions.pack(action), "displayText": ja})


def _say(key: str, request: str) -> Button:
    ja = t(key, "ja")
    return Button(ja, t(key, "en"), {"type": "message", "label": ja, "text": t(request, "ja")})


BUTTONS: tuple[Button, ...] = (
    _say("command.recommend", "request.recommend"),
    _say("command.log", "request.log"),
    _postback("command.history", actions.Command("history")),
    _postback("command.survey", actions.SurveyStart()),
    _postback("command.profile", actions.Command("profile")),
    _postback("command.flight", actions.Command("flight")),  # a group tasting in this chat (core.flights)
    _postback("command.stats", actions.Command("stats")),
    _postback("command.help", actions.Command("help")),
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
        "chatBarText": t("command.menu", "ja"),
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
    big, small = _font(76), _font(52)  # 好みアンケート fits a quarter of the width
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
